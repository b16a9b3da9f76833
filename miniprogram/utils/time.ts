/**
 * Times arrive as ISO 8601 in UTC; people read them in China time whatever
 * the phone's own zone setting.
 *
 * Plain arithmetic on the epoch rather than dayjs' utc/timezone plugins:
 * DevTools' 构建npm packs only a package's main entry, so the plugin files
 * never reach the phone, and some Android JS engines ship Intl without zone
 * data anyway. China has kept a fixed UTC+8, without daylight saving, since
 * 1991, so shifting by eight hours is exact.
 */
export const CHINA_TZ = 'Asia/Shanghai';
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * The instant an API string names, read as UTC when it carries no zone
 * ("2020-02-20", "2020-02-20 14:30"): `new Date` would read those two
 * differently, and a time without a zone in local phone time.
 */
const LOCAL_FORM = /^(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt\s]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?$/;

function parseUtc(iso: string): number {
  const m = LOCAL_FORM.exec(iso);
  if (!m) return new Date(iso).getTime();
  const n = (s: string | undefined, fallback: number) => (s ? Number(s) : fallback);
  return Date.UTC(
    Number(m[1]),
    n(m[2], 1) - 1,
    n(m[3], 1),
    n(m[4], 0),
    n(m[5], 0),
    n(m[6], 0),
    Number((m[7] || '0').slice(0, 3)),
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Calendar fields of the instant as read on a wall clock in China. */
function chinaFields(ms: number) {
  const d = new Date(ms + CHINA_OFFSET_MS);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  };
}

function instant(iso?: string | null): number | undefined {
  if (!iso) return undefined;
  const ms = parseUtc(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** "2020-02-20 14:30", or '' when missing or unparsable. */
export function formatDateTime(iso?: string | null): string {
  const ms = instant(iso);
  if (ms === undefined) return '';
  const { date, time } = chinaFields(ms);
  return `${date} ${time}`;
}

/** "2020-02-20". */
export function formatDate(iso?: string | null): string {
  const ms = instant(iso);
  return ms === undefined ? '' : chinaFields(ms).date;
}

/** Today's date in China, as a date picker wants it. */
export function todayInChina(now: Date = new Date()): string {
  return chinaFields(now.getTime()).date;
}

/** A picked China date means "by the end of that day"; the API wants the UTC instant. */
export function endOfChinaDay(date: string): string {
  return new Date(parseUtc(`${date}T23:59:59.000Z`) - CHINA_OFFSET_MS).toISOString();
}
