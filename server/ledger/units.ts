/**
 * How the desk's units and task forces do over a period (issue: "closure
 * rate and satisfaction per responsible unit"), from fields the need carries
 * and that transition.ts maintains as things happen — firstResponseMinutes,
 * fulfilledAt and closeMinutes, overdue, reopened, rating — so no timeline is
 * replayed and no need is read into the function.
 *
 * One aggregation: the needs received (createdAt) or closed (fulfilledAt) in
 * the period, grouped by unit × zone. Counts and sums come back summed; the
 * two durations come back as arrays ($push), because a median is not a sum:
 * their length is bounded by the period's needs, and the median is taken here.
 * A unit's figures are its groups over every zone; a task force's are the
 * groups of its zones, whichever unit handled them (it follows its zones'
 * needs: docs/sla.md, "Unit and task-force figures").
 *
 * Needs are counted under the unit that holds them now: a need transferred
 * or sent back to triage counts for where it went.
 */
import type { Context } from '../core/ports';
import type { District } from '../config/district';
import { chinaDayEnd, chinaDayStart } from '../sla/calendar';
import type { UnitKpi, UnitsReport } from '../../typings/api';
import { aggregate } from './data';
import { finite } from './summary';
import { DELIVERED } from '../../typings/statuses';

const CLOSED = DELIVERED;

/** The counts a unit's needs add up to; both the database's groups and our sums carry them. */
const COUNTS = ['received', 'closed', 'receivedClosed', 'overdue', 'reopened', 'rated', 'ratingSum', 'ratedGood'] as const;
type Counts = Record<(typeof COUNTS)[number], number>;

interface Group extends Counts {
  _id: { unitCode?: string; zone?: string };
  firstResponse: Array<number | null>;
  close: Array<number | null>;
}

interface Tally extends Counts {
  firstResponse: number[];
  close: number[];
}

const emptyTally = (): Tally => ({ ...(Object.fromEntries(COUNTS.map((k) => [k, 0])) as Counts), firstResponse: [], close: [] });

const minutes = (list: Array<number | null> | undefined) => (list ?? []).filter((x): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0);

function add(into: Tally, g: Group): void {
  for (const k of COUNTS) into[k] += finite(g[k]);
  into.firstResponse.push(...minutes(g.firstResponse));
  into.close.push(...minutes(g.close));
}

/** The middle value (the mean of the two middle values of an even count); null when there is none. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const share = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);
const hours = (m: number | null) => (m === null ? null : Math.round((m / 60) * 10) / 10);

function kpi(t: Tally): Omit<UnitKpi, 'name'> {
  return {
    received: t.received,
    closed: t.closed,
    closureRate: share(t.receivedClosed, t.received),
    medianFirstResponseHours: hours(median(t.firstResponse)),
    medianCloseHours: hours(median(t.close)),
    overdueRate: share(t.overdue, t.received),
    ratingMean: t.rated ? Math.round((t.ratingSum / t.rated) * 100) / 100 : null,
    ratingGoodShare: share(t.ratedGood, t.rated),
    reopened: t.reopened,
  };
}

/** Best first: the higher closure rate, then the lower overdue rate, then the more received; nothing received goes last. */
function ranked<T extends Omit<UnitKpi, 'name'> & { name: string }>(list: T[]): T[] {
  const key = (x: number | null, missing: number) => (x === null ? missing : x);
  return list.sort(
    (a, b) =>
      key(b.closureRate, -1) - key(a.closureRate, -1) ||
      key(a.overdueRate, 2) - key(b.overdueRate, 2) ||
      b.received - a.received ||
      a.name.localeCompare(b.name, 'zh-CN'),
  );
}

export function pipeline(db: Context['db'], units: string[], start: string, end: string): Array<Record<string, unknown>> {
  const _ = db.command;
  const inPeriod = (field: string) => ({ $and: [{ $gte: [field, start] }, { $lt: [field, end] }] });
  const received = inPeriod('$createdAt');
  const closed = { $and: [inPeriod('$fulfilledAt'), { $in: ['$status', CLOSED] }] };
  const rated = { $and: [closed, { $gt: ['$rating', 0] }] };
  const when = (cond: unknown, then: unknown, otherwise: unknown = 0) => ({ $cond: [cond, then, otherwise] });
  return [
    {
      // Each branch pins unitCode, so each is covered by its index (needs_unitCode_createdAt / _fulfilledAt).
      $match: _.or([
        { unitCode: _.in(units), createdAt: _.and(_.gte(start), _.lt(end)) },
        { unitCode: _.in(units), fulfilledAt: _.and(_.gte(start), _.lt(end)) },
      ]),
    },
    {
      $group: {
        _id: { unitCode: '$unitCode', zone: '$zone' },
        received: { $sum: when(received, 1) },
        closed: { $sum: when(closed, 1) },
        receivedClosed: { $sum: when({ $and: [received, { $in: ['$status', CLOSED] }] }, 1) },
        overdue: { $sum: when({ $and: [received, { $eq: ['$overdue', true] }] }, 1) },
        reopened: { $sum: when({ $and: [received, { $gt: ['$reopened', 0] }] }, 1) },
        rated: { $sum: when(rated, 1) },
        ratingSum: { $sum: when(rated, '$rating') },
        ratedGood: { $sum: when({ $and: [rated, { $gte: ['$rating', 4] }] }, 1) },
        firstResponse: { $push: when(received, { $ifNull: ['$firstResponseMinutes', null] }, null) },
        close: { $push: when(closed, { $ifNull: ['$closeMinutes', null] }, null) },
      },
    },
  ];
}

/** The figures of every unit and task force of the district for the China days from … to (both included). */
export async function unitsReport(ctx: Pick<Context, 'db'>, d: District, from: string, to: string): Promise<UnitsReport> {
  const start = chinaDayStart(from).toISOString();
  const end = chinaDayEnd(to).toISOString();
  const codes = [...d.units.keys()];
  const groups = codes.length ? await aggregate<Group>(ctx.db, 'needs', pipeline(ctx.db, codes, start, end)) : [];
  const byUnit = new Map<string, Tally>();
  const byZone = new Map<string, Tally>();
  const into = (map: Map<string, Tally>, key: string) => {
    let t = map.get(key);
    if (!t) map.set(key, (t = emptyTally()));
    return t;
  };
  for (const g of groups) {
    add(into(byUnit, String(g._id.unitCode)), g);
    add(into(byZone, String(g._id.zone)), g);
  }
  const units = [...d.units.values()].map((u) => ({ unitCode: u._id, name: u.name, ...kpi(byUnit.get(u._id) ?? emptyTally()) }));
  const taskForces = [...d.taskForces.values()].map((tf) => {
    const t = emptyTally();
    for (const zone of new Set(tf.zoneCodes ?? [])) {
      const z = byZone.get(zone);
      if (z) add(t, { _id: {}, ...z });
    }
    return { taskForceId: tf._id, name: tf.name, ...kpi(t) };
  });
  return { from, to, units: ranked(units), taskForces: ranked(taskForces) };
}
