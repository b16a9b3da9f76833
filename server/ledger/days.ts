/**
 * The ledger over time: the figures of each China-time day as they stood at
 * its end, one `ledgerDays` document per day ({_id: 'YYYY-MM-DD'}), for the
 * district and per zone. The scheduler records each finished day from the
 * history (statusReports keeps every report; an enterprise counts from its
 * createdAt), so a day recorded late — the scheduler was down, the district
 * was installed mid-month — reads the same as one recorded at midnight.
 * Today is not recorded: ledger.trend computes it live, from the same
 * aggregation as ledger.summary.
 *
 * The trend counts every enterprise on the ledger, verified or not: the
 * verified mark is a present-day fact with no history, so a past day cannot
 * be split by it (docs/sla.md, "Trend").
 */
import type { Context, Db } from '../core/ports';
import { docsOf } from '../core/tx';
import { MAX_EMPLOYEES } from '../enterprises/schema';
import { addDays, chinaDayEnd, chinaDayOf } from '../sla/calendar';
import { aggregate } from './data';
import { enterprisePipeline, finite, ratio, within, type EnterpriseGroup } from './summary';

export interface DayFigures {
  enterprises: number;
  reported: number;
  resumed: number;
  employeesTotal: number;
  employeesBack: number;
}

export interface LedgerDayDoc {
  _id: string;
  date: string;
  /** When the scheduler wrote it. */
  recordedAt: string;
  district: DayFigures;
  /** Per zone: an array, not a map, because zone codes are data and a field name may not hold '.'. */
  zones: Array<DayFigures & { zone: string }>;
}

/** How far back the scheduler fills days never recorded: the 专报 may ask for any week of the past year. */
export const CATCH_UP_LIMIT_DAYS = 366;

export const zeroFigures = (): DayFigures => ({ enterprises: 0, reported: 0, resumed: 0, employeesTotal: 0, employeesBack: 0 });

function addInto(into: DayFigures, f: Partial<DayFigures>): void {
  into.enterprises += finite(f.enterprises);
  into.reported += finite(f.reported);
  into.resumed += finite(f.resumed);
  into.employeesTotal += finite(f.employeesTotal);
  into.employeesBack += finite(f.employeesBack);
}

function byZone(map: Map<string, DayFigures>, zone: unknown): DayFigures {
  const key = String(zone ?? '');
  let f = map.get(key);
  if (!f) map.set(key, (f = zeroFigures()));
  return f;
}

/** A day's figures with their two rates, as ledger.trend answers them. */
export function withRates(f: DayFigures) {
  return {
    enterprises: f.enterprises,
    reported: f.reported,
    resumed: f.resumed,
    resumptionRate: ratio(f.resumed, f.enterprises),
    employeesTotal: f.employeesTotal,
    employeesBack: f.employeesBack,
    workforceReturnRate: ratio(f.employeesBack, f.employeesTotal),
  };
}

/** The sum over `zones` (a task force's), or the district's figures when `zones` is undefined. */
export function scopeOf(doc: Pick<LedgerDayDoc, 'district' | 'zones'>, zones?: ReadonlySet<string>): DayFigures {
  if (!zones) return { ...zeroFigures(), ...doc.district };
  const sum = zeroFigures();
  for (const z of doc.zones ?? []) if (zones.has(z.zone)) addInto(sum, z);
  return sum;
}

function documentOf(date: string, zones: Map<string, DayFigures>, recordedAt: string): LedgerDayDoc {
  const district = zeroFigures();
  for (const f of zones.values()) addInto(district, f);
  return { _id: date, date, recordedAt, district, zones: [...zones].map(([zone, f]) => ({ zone, ...f })) };
}

/**
 * The figures at the end of `day`, from the history: enterprises created by
 * then, and each enterprise's latest report by then. Two aggregations whose
 * answers are one row per zone; the per-enterprise step stays inside the
 * database.
 */
export async function figuresAtEndOf(db: Db, day: string): Promise<Map<string, DayFigures>> {
  const _ = db.command;
  const end = chinaDayEnd(day).toISOString();
  const [enterprises, reports] = await Promise.all([
    aggregate<{ _id: string; enterprises: number }>(db, 'enterprises', [
      { $group: { _id: '$zone', enterprises: { $sum: { $cond: [{ $lt: ['$createdAt', end] }, 1, 0] } } } },
    ]),
    aggregate<{ _id: string } & Omit<DayFigures, 'enterprises'>>(db, 'statusReports', [
      // Newest first within each enterprise (the statusReports_enterpriseId_at index's order), then the latest by the day's end.
      { $sort: { enterpriseId: 1, at: -1 } },
      { $match: { at: _.lt(end) } },
      {
        $group: {
          _id: '$enterpriseId',
          zone: { $first: '$zone' },
          resumed: { $first: '$resumed' },
          employeesTotal: { $first: '$employeesTotal' },
          employeesBack: { $first: '$employeesBack' },
        },
      },
      {
        $group: {
          _id: '$zone',
          reported: { $sum: 1 },
          resumed: { $sum: { $cond: [{ $eq: ['$resumed', true] }, 1, 0] } },
          employeesTotal: { $sum: within('$employeesTotal', MAX_EMPLOYEES) },
          employeesBack: { $sum: within('$employeesBack', MAX_EMPLOYEES) },
        },
      },
    ]),
  ]);
  const zones = new Map<string, DayFigures>();
  for (const e of enterprises) if (finite(e.enterprises) > 0) byZone(zones, e._id).enterprises += finite(e.enterprises);
  for (const r of reports) addInto(byZone(zones, r._id), { ...r, enterprises: 0 });
  return zones;
}

/** Now, from the summary's own aggregation over the enterprises' latest reports (limited to `zones` when given). */
export async function liveFigures(ctx: Pick<Context, 'db'>, zones?: string[]): Promise<Map<string, DayFigures>> {
  const _ = ctx.db.command;
  // visitedSince is irrelevant to these figures; the pipeline is the summary's, unchanged.
  const pipeline = enterprisePipeline('');
  const groups = await aggregate<EnterpriseGroup>(ctx.db, 'enterprises', zones ? [{ $match: { zone: _.in(zones) } }, ...pipeline] : pipeline);
  const out = new Map<string, DayFigures>();
  for (const g of groups) {
    const r = g._id.resumed;
    addInto(byZone(out, g._id.zone), {
      enterprises: g.enterprises,
      reported: r === true || r === false ? g.enterprises : 0,
      resumed: r === true ? g.enterprises : 0,
      employeesTotal: g.employeesTotal,
      employeesBack: g.employeesBack,
    });
  }
  return out;
}

export function sumZones(zones: Map<string, DayFigures>): DayFigures {
  const sum = zeroFigures();
  for (const f of zones.values()) addInto(sum, f);
  return sum;
}

/** Recorded days by date, for the days asked (at most a trend's 90 or a report's two, one query). */
export async function readDays(db: Db, dates: string[]): Promise<Map<string, LedgerDayDoc>> {
  if (!dates.length) return new Map();
  const docs = await docsOf<LedgerDayDoc>(db.collection('ledgerDays').where({ _id: db.command.in(dates) }).limit(dates.length));
  return new Map(docs.map((d) => [d._id, d]));
}

/**
 * The scheduler's step: records the finished days not yet recorded, oldest
 * first, at most `maxDays` a run. Writing a day twice (two runs at once)
 * writes the same figures: `set` by the day's id.
 */
export async function recordLedgerDays(ctx: Pick<Context, 'db'>, now: Date, maxDays: number): Promise<number> {
  const { db } = ctx;
  const yesterday = addDays(chinaDayOf(now), -1);
  const [last] = await docsOf<{ date: string }>(db.collection('ledgerDays').orderBy('date', 'desc').field({ date: true }).limit(1));
  let day: string;
  if (last) {
    day = addDays(last.date, 1);
  } else {
    // Nothing recorded yet: start on the day the first enterprise joined the ledger.
    const [first] = await docsOf<{ createdAt: string }>(db.collection('enterprises').orderBy('createdAt', 'asc').field({ createdAt: true }).limit(1));
    if (!first?.createdAt) return 0;
    day = chinaDayOf(first.createdAt);
  }
  const earliest = addDays(yesterday, -(CATCH_UP_LIMIT_DAYS - 1));
  if (day < earliest) day = earliest;
  let recorded = 0;
  for (; day <= yesterday && recorded < maxDays; day = addDays(day, 1)) {
    const doc = documentOf(day, await figuresAtEndOf(db, day), now.toISOString());
    const { _id, ...data } = doc;
    await db.collection('ledgerDays').doc(_id).set({ data });
    recorded++;
  }
  return recorded;
}
