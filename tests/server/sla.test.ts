/** Working days, China days and ISO weeks: pure functions, checked across Spring Festival, National Day and make-up days. */
import { addDays, addWorkdays, chinaDayEnd, chinaDayOf, chinaDayStart, isDay, isoWeekOf, isoWeeksIn, isWorkday, parseIsoWeek, type HolidayCalendar } from '../../server/sla/calendar';
import { firstResponseDueAt, resolutionDueAt } from '../../server/sla/due';
import { route } from '../../server/routing/engine';
import { DISTRICT } from '../../server/seed/dataset';

const seeded: HolidayCalendar = new Map(
  (DISTRICT.files['holidays.json'] as Array<{ date: string; kind: 'holiday' | 'workday'; name: string }>).map((h) => [h.date, { kind: h.kind, name: h.name }]),
);
/** 18:00 China on a day, as UTC ISO. */
const sixPm = (day: string) => `${day}T10:00:00.000Z`;

describe('China days', () => {
  test('a China day is the UTC window from 16:00 the day before', () => {
    expect(chinaDayOf('2026-03-01T15:59:59.999Z')).toBe('2026-03-01');
    expect(chinaDayOf('2026-03-01T16:00:00.000Z')).toBe('2026-03-02');
    expect(chinaDayStart('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(chinaDayEnd('2026-03-02').toISOString()).toBe('2026-03-02T16:00:00.000Z');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect([isDay('2026-02-29'), isDay('2028-02-29'), isDay('2026-13-01'), isDay('2026-2-1')]).toEqual([false, true, false, false]);
  });
});

describe('working days', () => {
  test('weekends rest, statutory holidays rest on weekdays, make-up Saturdays and Sundays work', () => {
    expect(isWorkday('2026-03-06', seeded)).toBe(true); // Friday
    expect(isWorkday('2026-03-07', seeded)).toBe(false); // Saturday
    expect(isWorkday('2026-02-16', seeded)).toBe(false); // Monday in Spring Festival
    expect(isWorkday('2026-02-14', seeded)).toBe(true); // make-up Saturday
    expect(isWorkday('2026-09-20', seeded)).toBe(true); // make-up Sunday before National Day
    expect(isWorkday('2026-10-05', seeded)).toBe(false);
  });

  test('due at 18:00 China on the Nth working day after the start day, whatever the hour', () => {
    // Monday 09:00 and Monday 17:59 China: one working day → Tuesday 18:00.
    expect(addWorkdays('2026-03-02T01:00:00Z', 1, seeded).toISOString()).toBe(sixPm('2026-03-03'));
    expect(addWorkdays('2026-03-02T09:59:00Z', 1, seeded).toISOString()).toBe(sixPm('2026-03-03'));
    // Friday → Monday; five working days from Monday → next Monday.
    expect(addWorkdays('2026-03-06T02:00:00Z', 1, seeded).toISOString()).toBe(sixPm('2026-03-09'));
    expect(addWorkdays('2026-03-02T02:00:00Z', 5, seeded).toISOString()).toBe(sixPm('2026-03-09'));
    // Sunday 23:30 China (15:30 UTC) is still Sunday: Monday is the first working day.
    expect(addWorkdays('2026-03-08T15:30:00Z', 1, seeded).toISOString()).toBe(sixPm('2026-03-09'));
  });

  test('across Spring Festival 2026: the make-up Saturday before and after count, the nine days off do not', () => {
    // Friday 13 Feb: the next working day is the make-up Saturday 14 Feb.
    expect(addWorkdays('2026-02-13T02:00:00Z', 1, seeded).toISOString()).toBe(sixPm('2026-02-14'));
    // Two working days: 14 Feb, then nothing until Tuesday 24 Feb.
    expect(addWorkdays('2026-02-13T02:00:00Z', 2, seeded).toISOString()).toBe(sixPm('2026-02-24'));
    // Five from 13 Feb: 14, 24, 25, 26, 27 Feb.
    expect(addWorkdays('2026-02-13T02:00:00Z', 5, seeded).toISOString()).toBe(sixPm('2026-02-27'));
    // Six: the make-up Saturday 28 Feb.
    expect(addWorkdays('2026-02-13T02:00:00Z', 6, seeded).toISOString()).toBe(sixPm('2026-02-28'));
    // Without the calendar it would be Monday and Tuesday.
    expect(addWorkdays('2026-02-13T02:00:00Z', 2, new Map()).toISOString()).toBe(sixPm('2026-02-17'));
  });

  test('across National Day 2026: the make-up Sunday 20 Sep and Saturday 10 Oct, Mid-Autumn and the Golden Week', () => {
    // Friday 18 Sep: Sunday 20 Sep works, Monday 21 Sep.
    expect(addWorkdays('2026-09-18T02:00:00Z', 2, seeded).toISOString()).toBe(sixPm('2026-09-21'));
    // Wednesday 30 Sep: 1–7 Oct off, Thursday 8 Oct, Friday 9, make-up Saturday 10.
    expect(addWorkdays('2026-09-30T02:00:00Z', 1, seeded).toISOString()).toBe(sixPm('2026-10-08'));
    expect(addWorkdays('2026-09-30T02:00:00Z', 3, seeded).toISOString()).toBe(sixPm('2026-10-10'));
    expect(addWorkdays('2026-09-30T02:00:00Z', 4, seeded).toISOString()).toBe(sixPm('2026-10-12'));
    // Thursday 24 Sep: Mid-Autumn Friday 25 Sep off → Monday 28 Sep.
    expect(addWorkdays('2026-09-24T02:00:00Z', 1, seeded).toISOString()).toBe(sixPm('2026-09-28'));
  });

  test('a rule without working days keeps its calendar hours; first response is calendar hours', () => {
    const start = new Date('2026-02-13T02:00:00Z');
    const d = { holidays: seeded };
    expect(resolutionDueAt(d, start, { slaHours: 24 })).toBe('2026-02-14T02:00:00.000Z');
    expect(resolutionDueAt(d, start, { slaHours: 24, resolutionWorkdays: 2 })).toBe(sixPm('2026-02-24'));
    expect(firstResponseDueAt(start, { slaHours: 24, firstResponseHours: 2 })).toBe('2026-02-13T04:00:00.000Z');
    expect(firstResponseDueAt(start, { slaHours: 24 })).toBe('2026-02-13T03:00:00.000Z');
  });

  test('the route decision carries both terms of the rule that matched, and the triage defaults otherwise', () => {
    const rules = [{ _id: 'r', order: 1, match: { type: 'hiring' as const }, unitCode: 'hrss', slaHours: 72, firstResponseHours: 2, resolutionWorkdays: 5 }];
    const subject = { industry: 'manufacturing' as const, zone: 'z', chamberCodes: [] };
    expect(route({ ...subject, type: 'hiring' }, rules, { unitCode: 'fic', slaHours: 48 })).toMatchObject({ ruleId: 'r', firstResponseHours: 2, resolutionWorkdays: 5 });
    const triage = route({ ...subject, type: 'rent' }, rules, { unitCode: 'fic', slaHours: 48, firstResponseHours: 3 });
    expect(triage).toMatchObject({ ruleId: null, slaHours: 48, firstResponseHours: 3 });
    expect(triage.resolutionWorkdays).toBeUndefined();
  });
});

describe('ISO weeks', () => {
  test('years have 52 or 53 weeks; weeks that do not exist are null', () => {
    expect([2025, 2026, 2027, 2020, 2032].map(isoWeeksIn)).toEqual([52, 53, 52, 53, 53]);
    expect(parseIsoWeek('2026-W53')).toEqual({ week: '2026-W53', monday: '2026-12-28', sunday: '2027-01-03' });
    expect(parseIsoWeek('2027-W53')).toBeNull();
    expect(parseIsoWeek('2025-W53')).toBeNull();
    expect(parseIsoWeek('2026-W00')).toBeNull();
    expect(parseIsoWeek('2026-W1')).toBeNull();
    expect(parseIsoWeek('2026-W10')).toEqual({ week: '2026-W10', monday: '2026-03-02', sunday: '2026-03-08' });
    expect(parseIsoWeek('2026-W01')!.monday).toBe('2025-12-29');
  });

  test('the week of a day, across year ends', () => {
    expect(isoWeekOf('2026-03-04').week).toBe('2026-W10');
    expect(isoWeekOf('2026-01-01').week).toBe('2026-W01');
    expect(isoWeekOf('2027-01-03').week).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04').week).toBe('2027-W01');
    expect(isoWeekOf('2025-12-29').week).toBe('2026-W01');
  });
});
