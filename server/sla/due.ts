/**
 * A need's two deadlines (hotline practice: "contact the enterprise within an
 * hour … done within 5–7 working days"):
 * - first response: `firstResponseHours` calendar hours after the need was
 *   raised — a call, a progress note or a question to the enterprise answers it;
 * - resolution: the end (18:00 China) of the `resolutionWorkdays`-th working
 *   day after, with the district's holiday calendar. A rule written before
 *   working days existed keeps its calendar `slaHours`.
 * Handlers that move a need to another unit re-base with `resolutionDueAt`.
 */
import { addWorkdays, type HolidayCalendar } from './calendar';

/** A rule or a route decision: what the two deadlines are computed from. */
export interface SlaTerms {
  slaHours: number;
  resolutionWorkdays?: number | null;
  firstResponseHours?: number | null;
}

/** When neither the rule nor the settings say: the published practice of an hour. */
export const DEFAULT_FIRST_RESPONSE_HOURS = 1;

const HOUR_MS = 3_600_000;

export function resolutionDueAt(calendar: { holidays: HolidayCalendar }, start: Date, terms: SlaTerms): string {
  if (terms.resolutionWorkdays) return addWorkdays(start, terms.resolutionWorkdays, calendar.holidays).toISOString();
  return new Date(start.getTime() + terms.slaHours * HOUR_MS).toISOString();
}

export function firstResponseDueAt(start: Date, terms: SlaTerms): string {
  return new Date(start.getTime() + (terms.firstResponseHours ?? DEFAULT_FIRST_RESPONSE_HOURS) * HOUR_MS).toISOString();
}
