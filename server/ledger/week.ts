/**
 * The weekly 专报 (ISO weeks, China time): the figures at the end of the week
 * from the recorded days, the change from the end of the week before, and the
 * units' and task forces' work during the week. The current week ends "now":
 * its figures are live and its work runs to today.
 */
import type { UnitsReport } from '../../typings/api';
import type { Context } from '../core/ports';
import { invalid } from '../core/errors';
import type { District } from '../config/district';
import { addDays, chinaDayOf, isoWeekOf, parseIsoWeek, type IsoWeek } from '../sla/calendar';
import { liveFigures, readDays, scopeOf, sumZones, type DayFigures } from './days';
import { unitsReport } from './units';

export interface WeekReport extends IsoWeek {
  /** True for the week in progress: figures as they stand now. */
  inProgress: boolean;
  /** The week's last day, or today for the week in progress. */
  through: string;
  /** District figures at the end of the week and of the week before; null when that day was never recorded. */
  current: DayFigures | null;
  previous: DayFigures | null;
  /** Per zone, the same two. */
  zones: Array<{ zone: string; current: DayFigures | null; previous: DayFigures | null }>;
  kpis: UnitsReport;
}

/** 'YYYY-Www' → the week, or INVALID_ARGUMENT on 'week' when the week does not exist or has not begun. */
export function weekOf(value: string | undefined, today: string): IsoWeek {
  if (value === undefined) return isoWeekOf(today);
  const week = parseIsoWeek(value);
  if (!week) throw invalid(`${value.slice(0, 4)} 年没有这一周，请按 2026-W10 这样的格式选择存在的周`, 'week');
  if (week.monday > today) throw invalid('该周尚未开始，没有数据', 'week');
  return week;
}

export async function weekReport(ctx: Context, d: District, value: string | undefined): Promise<WeekReport> {
  const today = chinaDayOf(ctx.clock.now());
  const week = weekOf(value, today);
  const inProgress = week.sunday >= today;
  const through = inProgress ? today : week.sunday;
  const before = addDays(week.monday, -1);
  const [days, live, kpis] = await Promise.all([
    readDays(ctx.db, inProgress ? [before] : [week.sunday, before]),
    inProgress ? liveFigures(ctx) : Promise.resolve(undefined),
    unitsReport(ctx, d, week.monday, through),
  ]);
  const endDoc = days.get(week.sunday);
  const prevDoc = days.get(before);
  const zoneCodes = new Set<string>([...(live?.keys() ?? []), ...(endDoc?.zones ?? []).map((z) => z.zone), ...(prevDoc?.zones ?? []).map((z) => z.zone)]);
  const zones = [...zoneCodes]
    .filter((zone) => d.zones.has(zone))
    .sort((a, b) => (d.zones.get(a)!.order ?? 0) - (d.zones.get(b)!.order ?? 0))
    .map((zone) => ({
      zone,
      current: live ? (live.get(zone) ?? null) : endDoc ? scopeOf(endDoc, new Set([zone])) : null,
      previous: prevDoc ? scopeOf(prevDoc, new Set([zone])) : null,
    }));
  return {
    ...week,
    inProgress,
    through,
    current: live ? sumZones(live) : endDoc ? scopeOf(endDoc) : null,
    previous: prevDoc ? scopeOf(prevDoc) : null,
    zones,
    kpis,
  };
}
