/**
 * China-time days, ISO weeks and working days: pure functions of their
 * arguments (no clock, no database), so the SLA arithmetic can be tested
 * across Spring Festival and the make-up Saturdays without a runtime.
 *
 * China keeps UTC+8 all year (no daylight saving), so a China day is a fixed
 * 24-hour window of UTC: 'YYYY-MM-DD' starts at the previous day's 16:00 UTC.
 */
import dayjs from 'dayjs';
import { addDays, chinaDayOf, chinaDayStart, daysBetween } from '../core/time';

export type DayKind = 'holiday' | 'workday';

export interface CalendarDay {
  kind: DayKind;
  name: string;
}

/**
 * The district's holiday calendar by 'YYYY-MM-DD': statutory holidays
 * (`holiday`, even on a weekday) and make-up working days (`workday`, even on
 * a weekend). Days not listed follow the week: Monday–Friday work.
 */
export type HolidayCalendar = ReadonlyMap<string, CalendarDay>;

/** When a resolution falls due on its last working day: the end of the office day, China time. */
export const DUE_HOUR_CHINA = 18;

// The calendar arithmetic itself lives with China time, on the ground floor (server/core/time.ts).
export { addDays, chinaDayOf, chinaDayStart, daysBetween, isDay } from '../core/time';

/** The instant a China day ends: the next day's start (exclusive bound). */
export function chinaDayEnd(day: string): Date {
  return chinaDayStart(addDays(day, 1));
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(day: string): number {
  const d = dayjs.utc(day).day();
  return d === 0 ? 7 : d;
}

export function isWorkday(day: string, calendar: HolidayCalendar): boolean {
  const marked = calendar.get(day);
  if (marked) return marked.kind === 'workday';
  return weekday(day) <= 5;
}

/** Upper bound on the days a due-date search walks: a year and a half of holidays cannot hide 90 working days. */
const MAX_WALK_DAYS = 550;

/**
 * The end of the `workdays`-th working day after the day `start` falls on
 * (China time): a need raised on Monday with 1 working day is due Tuesday at
 * 18:00; raised on the Friday before Spring Festival, it is due at 18:00 on
 * the first working day after the holiday (a make-up Saturday counts).
 * The day of the start never counts, whatever the hour: a need raised at
 * 17:59 gets the same time as one raised at 08:00.
 */
export function addWorkdays(start: Date | string, workdays: number, calendar: HolidayCalendar): Date {
  let day = chinaDayOf(start);
  let left = Math.max(1, Math.ceil(workdays));
  for (let walked = 0; left > 0; walked++) {
    if (walked > MAX_WALK_DAYS) throw new Error(`no ${workdays} working days within ${MAX_WALK_DAYS} days of ${day}`);
    day = addDays(day, 1);
    if (isWorkday(day, calendar)) left--;
  }
  return new Date(chinaDayStart(day).getTime() + DUE_HOUR_CHINA * 3_600_000);
}

// ---- ISO weeks -------------------------------------------------------------

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** How many ISO weeks a year has: 53 when it starts on a Thursday, or on a Wednesday in a leap year. */
export function isoWeeksIn(year: number): number {
  const jan1 = weekday(`${String(year).padStart(4, '0')}-01-01`);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

export interface IsoWeek {
  week: string;
  /** Monday and Sunday of the week, 'YYYY-MM-DD'. */
  monday: string;
  sunday: string;
}

/** 'YYYY-Www' → its Monday and Sunday; null when the week does not exist (W00, 2027-W53). */
export function parseIsoWeek(value: string): IsoWeek | null {
  const m = WEEK_RE.exec(value);
  if (!m) return null;
  const [year, n] = [Number(m[1]), Number(m[2])];
  if (year < 2000 || year > 2099 || n < 1 || n > isoWeeksIn(year)) return null;
  // Week 1 is the week holding 4 January.
  const jan4 = `${m[1]}-01-04`;
  const monday = addDays(addDays(jan4, 1 - weekday(jan4)), (n - 1) * 7);
  return { week: value, monday, sunday: addDays(monday, 6) };
}

/** The ISO week a day belongs to. */
export function isoWeekOf(day: string): IsoWeek {
  const thursday = addDays(day, 4 - weekday(day));
  const year = Number(thursday.slice(0, 4));
  const n = Math.floor(daysBetween(`${thursday.slice(0, 4)}-01-01`, thursday) / 7) + 1;
  return parseIsoWeek(`${year}-W${String(n).padStart(2, '0')}`)!;
}
