/**
 * China time on the server, in one place, through dayjs (with its utc plugin,
 * bundled into each function). Cloud functions run in UTC; people read China
 * time. China has kept a fixed UTC+8 without daylight saving since 1991, so a
 * fixed offset is exact and needs no time-zone database.
 *
 * Calendar days are 'YYYY-MM-DD' strings, counted as UTC days (no time zone):
 * `addDays`, `daysBetween` and `isDay` never see an hour.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

export const CHINA_TZ = 'Asia/Shanghai';
/** UTC+8, in the minutes dayjs's utcOffset takes. */
export const CHINA_UTC_OFFSET_MINUTES = 8 * 60;

/** An instant (ISO string, epoch ms or Date) as China's wall clock; null when unreadable. */
export function inChina(at: string | number | Date): dayjs.Dayjs | null {
  const d = dayjs.utc(at);
  return d.isValid() ? d.utcOffset(CHINA_UTC_OFFSET_MINUTES) : null;
}

export interface ChinaParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock fields in China of an instant; null when unreadable. */
export function chinaParts(at: string | Date): ChinaParts | null {
  const d = inChina(at);
  return d ? { year: d.year(), month: d.month() + 1, day: d.date(), hour: d.hour(), minute: d.minute() } : null;
}

/** An instant formatted in China time with dayjs's tokens ('' when unreadable). */
export function chinaTime(iso: string, format = 'YYYY-MM-DD HH:mm'): string {
  const d = inChina(iso);
  return d ? d.format(format) : '';
}

/** The China-time day an instant falls on. */
export function chinaDayOf(instant: Date | string | number): string {
  return (inChina(instant) ?? dayjs.utc(NaN)).format('YYYY-MM-DD');
}

/** The instant a China day begins (00:00 China = 16:00 UTC the day before). */
export function chinaDayStart(day: string): Date {
  return dayjs.utc(day).subtract(CHINA_UTC_OFFSET_MINUTES, 'minute').toDate();
}

/** The day `n` days after `day` (before, for negative n). */
export function addDays(day: string, n: number): string {
  return dayjs.utc(day).add(n, 'day').format('YYYY-MM-DD');
}

/** Days from `a` to `b` (b − a); 0 when they are the same day. */
export function daysBetween(a: string, b: string): number {
  return dayjs.utc(b).diff(dayjs.utc(a), 'day');
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether 'YYYY-MM-DD' names a day that exists (2026-02-30 does not). */
export function isDay(value: string): boolean {
  return DAY_RE.test(value) && dayjs.utc(value).format('YYYY-MM-DD') === value;
}
