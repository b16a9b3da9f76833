/**
 * Times arrive as ISO 8601 in UTC; people read them in China time whatever
 * the phone's own zone setting.
 */
import dayjs = require('dayjs');
import utc = require('dayjs/plugin/utc');
import timezone = require('dayjs/plugin/timezone');

dayjs.extend(utc);
dayjs.extend(timezone);

export const CHINA_TZ = 'Asia/Shanghai';
const CHINA_OFFSET_MINUTES = 480;

function inChina(iso: string): dayjs.Dayjs {
  const d = dayjs.utc(iso);
  try {
    return d.tz(CHINA_TZ);
  } catch {
    // Some Android WebView/JSCore builds ship Intl without time-zone data;
    // China has had a fixed UTC+8 without DST since 1991, so the offset is exact.
    return d.utcOffset(CHINA_OFFSET_MINUTES);
  }
}

/** "2020-02-20 14:30", or '' when missing or unparsable. */
export function formatDateTime(iso?: string | null): string {
  if (!iso || !dayjs.utc(iso).isValid()) return '';
  return inChina(iso).format('YYYY-MM-DD HH:mm');
}

/** "2020-02-20". */
export function formatDate(iso?: string | null): string {
  if (!iso || !dayjs.utc(iso).isValid()) return '';
  return inChina(iso).format('YYYY-MM-DD');
}

/** Today's date in China, as a date picker wants it. */
export function todayInChina(now: Date = new Date()): string {
  return inChina(now.toISOString()).format('YYYY-MM-DD');
}

/** A picked China date means "by the end of that day"; the API wants the UTC instant. */
export function endOfChinaDay(date: string): string {
  return dayjs.utc(`${date}T23:59:59.000Z`).subtract(CHINA_OFFSET_MINUTES, 'minute').toISOString();
}
