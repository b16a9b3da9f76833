/**
 * Cloud functions run in UTC; people read China time. China has kept a fixed
 * UTC+8 without daylight saving since 1991, so shifting the epoch by eight
 * hours is exact — and far cheaper than a time-zone database on every
 * message and export row.
 */
export const CHINA_TZ = 'Asia/Shanghai';
export const CHINA_OFFSET_MS = 8 * 3600_000;

export interface ChinaParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock fields in China of an instant (an ISO string or a Date); null when unreadable. */
export function chinaParts(at: string | Date): ChinaParts | null {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + CHINA_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Formats with the tokens YYYY MM M DD D HH H mm (as dayjs names them). */
export function chinaTime(iso: string, format = 'YYYY-MM-DD HH:mm'): string {
  const p = chinaParts(iso);
  if (!p) return '';
  const tokens: Record<string, string> = {
    YYYY: String(p.year),
    MM: pad(p.month),
    M: String(p.month),
    DD: pad(p.day),
    D: String(p.day),
    HH: pad(p.hour),
    H: String(p.hour),
    mm: pad(p.minute),
  };
  return format.replace(/YYYY|MM|M|DD|D|HH|H|mm/g, (t) => tokens[t]);
}
