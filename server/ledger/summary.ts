/**
 * The resumption ledger's figures (spec: "Admins see resumption and
 * workforce-return rates by zone and industry, open needs by type and unit,
 * SLA breaches, supplies delivered, financing granted, visit coverage per
 * task force").
 *
 * The database does the counting: two `$group` pipelines answer a handful of
 * rows (one per zone × industry × verified, one per need type × unit), so the
 * cost of a summary does not grow with the number of enterprises or needs.
 * Turning those rows into the answer is a pure function, shared by the
 * summary and the 专报 so they cannot disagree.
 *
 * Every key of the answer is data (zone, industry, unit, task force codes):
 * the maps are Maps while counting and prototype-free objects in the answer,
 * so a zone coded `constructor` or `__proto__` is an ordinary key.
 */
import type { LedgerSummary, Rates } from '../../typings/api';
import { MAX_EMPLOYEES } from '../enterprises/schema';

export interface LatestStatus {
  employeesTotal: number;
  employeesBack: number;
  capacityPercent: number;
  resumed: boolean;
  at: string;
}

/** Statuses counted as open work in the ledger: rejected needs wait at triage unless the refusal was final. */
const OPEN = ['routed', 'claimed', 'in_progress', 'waiting', 'rejected'];
const DONE = ['fulfilled', 'confirmed'];

/**
 * Bounds applied again inside the pipeline: documents written before the
 * input bounds existed (employeesTotal 1e308, say) count as 0 rather than
 * turning a district total into Infinity or null.
 */
const MAX_DELIVERED = 200_000_000;
const MAX_GRANTED_WAN = 1_000_000;

const within = (expr: unknown, max: number) => ({ $cond: [{ $and: [{ $gte: [expr, 0] }, { $lte: [expr, max] }] }, expr, 0] });
const flag = (cond: unknown) => ({ $cond: [cond, 1, 0] });

/** Enterprises by zone × industry × verified: counts and sums of the latest status report, and recent visits. */
export function enterprisePipeline(visitedSince: string): Array<Record<string, unknown>> {
  return [
    {
      $project: {
        zone: 1,
        industry: 1,
        verified: { $eq: ['$verified', true] },
        reported: flag({ $gt: [{ $ifNull: ['$latestStatus.at', ''] }, ''] }),
        resumed: flag({ $eq: ['$latestStatus.resumed', true] }),
        employeesTotal: within('$latestStatus.employeesTotal', MAX_EMPLOYEES),
        employeesBack: within('$latestStatus.employeesBack', MAX_EMPLOYEES),
        // lastVisitAt is an ISO string, '' or absent when never visited.
        visited: flag({ $gte: [{ $ifNull: ['$lastVisitAt', ''] }, visitedSince] }),
      },
    },
    {
      $group: {
        _id: { zone: '$zone', industry: '$industry', verified: '$verified' },
        enterprises: { $sum: 1 },
        reported: { $sum: '$reported' },
        resumed: { $sum: '$resumed' },
        employeesTotal: { $sum: '$employeesTotal' },
        employeesBack: { $sum: '$employeesBack' },
        visited: { $sum: '$visited' },
      },
    },
  ];
}

/** Needs by type × unit: open, escalated, supplies delivered and financing granted. */
export function needPipeline(): Array<Record<string, unknown>> {
  const done = { $in: ['$status', DONE] };
  return [
    {
      $project: {
        type: 1,
        unitCode: 1,
        open: flag({ $and: [{ $in: ['$status', OPEN] }, { $ne: ['$rejectFinal', true] }] }),
        escalated: flag({ $eq: ['$escalated', true] }),
        delivered: {
          $cond: [
            { $and: [done, { $eq: ['$type', 'supplies'] }] },
            within({ $ifNull: ['$quantityDelivered', { $sum: '$items.quantity' }] }, MAX_DELIVERED),
            0,
          ],
        },
        granted: { $cond: [{ $and: [done, { $eq: ['$type', 'financing'] }] }, within('$amountWan', MAX_GRANTED_WAN), 0] },
      },
    },
    {
      $group: {
        _id: { type: '$type', unitCode: '$unitCode' },
        open: { $sum: '$open' },
        escalated: { $sum: '$escalated' },
        delivered: { $sum: '$delivered' },
        granted: { $sum: '$granted' },
      },
    },
  ];
}

export interface EnterpriseGroup {
  _id: { zone: string; industry: string; verified: boolean };
  enterprises: number;
  reported: number;
  resumed: number;
  employeesTotal: number;
  employeesBack: number;
  visited: number;
}

export interface NeedGroup {
  _id: { type: string; unitCode: string };
  open: number;
  escalated: number;
  delivered: number;
  granted: number;
}

/** A figure as the answer carries it: finite, never exponent notation's 1e+308 nor JSON's null. */
export const finite = (x: unknown, decimals = 0): number => {
  const n = Number(x);
  if (!Number.isFinite(n)) return 0;
  const scale = 10 ** decimals;
  return Math.round(n * scale) / scale;
};

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : 0);

type Tally = Omit<EnterpriseGroup, '_id'>;

const emptyTally = (): Tally => ({ enterprises: 0, reported: 0, resumed: 0, employeesTotal: 0, employeesBack: 0, visited: 0 });

function add(into: Tally, g: Tally): void {
  into.enterprises += finite(g.enterprises);
  into.reported += finite(g.reported);
  into.resumed += finite(g.resumed);
  into.employeesTotal += finite(g.employeesTotal);
  into.employeesBack += finite(g.employeesBack);
  into.visited += finite(g.visited);
}

function rates(t: Tally): Rates {
  return {
    enterprises: t.enterprises,
    reported: t.reported,
    resumed: t.resumed,
    employeesTotal: t.employeesTotal,
    employeesBack: t.employeesBack,
    resumptionRate: ratio(t.resumed, t.enterprises),
    workforceReturnRate: ratio(t.employeesBack, t.employeesTotal),
  };
}

function tallyInto(map: Map<string, Tally>, key: string, g: Tally): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = emptyTally()));
  add(t, g);
}

/** A Map as a JSON object whose keys are data: no prototype, so `constructor` is a key like any other. */
export function record<V>(map: Map<string, V>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [k, v] of map) out[k] = v;
  return out;
}

const mapValues = <A, B>(map: Map<string, A>, fn: (a: A) => B): Map<string, B> => new Map([...map].map(([k, v]) => [k, fn(v)]));

export interface SummaryOptions {
  /** Count self-registered enterprises no task force or admin has verified in the headline figures too. */
  includeUnverified: boolean;
}

export function summarise(
  enterpriseGroups: EnterpriseGroup[],
  needGroups: NeedGroup[],
  taskForces: Array<{ _id: string; zoneCodes: string[] }>,
  options: SummaryOptions,
): LedgerSummary {
  const overall = emptyTally();
  const unverified = emptyTally();
  const byZone = new Map<string, Tally>();
  const byIndustry = new Map<string, Tally>();
  // Visit coverage is the task forces' work on every enterprise of their zones, verified or not.
  const everyoneByZone = new Map<string, Tally>();
  for (const g of enterpriseGroups) {
    const { zone, industry, verified } = g._id;
    tallyInto(everyoneByZone, String(zone), g);
    if (!verified) add(unverified, g);
    if (!verified && !options.includeUnverified) continue;
    add(overall, g);
    tallyInto(byZone, String(zone), g);
    tallyInto(byIndustry, String(industry), g);
  }

  const byType = new Map<string, number>();
  const byUnit = new Map<string, number>();
  let open = 0;
  let escalated = 0;
  let delivered = 0;
  let granted = 0;
  for (const g of needGroups) {
    const n = finite(g.open);
    if (n > 0) {
      byType.set(String(g._id.type), (byType.get(String(g._id.type)) ?? 0) + n);
      byUnit.set(String(g._id.unitCode), (byUnit.get(String(g._id.unitCode)) ?? 0) + n);
    }
    open += n;
    escalated += finite(g.escalated);
    delivered += finite(g.delivered);
    granted += finite(g.granted, 2);
  }

  const coverage = new Map<string, { enterprises: number; visited: number; rate: number }>();
  for (const tf of taskForces) {
    const mine = emptyTally();
    for (const zone of new Set(tf.zoneCodes ?? [])) {
      const t = everyoneByZone.get(zone);
      if (t) add(mine, t);
    }
    coverage.set(tf._id, { enterprises: mine.enterprises, visited: mine.visited, rate: ratio(mine.visited, mine.enterprises) });
  }

  return {
    overall: rates(overall),
    unverified: rates(unverified),
    includesUnverified: options.includeUnverified,
    byZone: record(mapValues(byZone, rates)),
    byIndustry: record(mapValues(byIndustry, rates)),
    openNeeds: { total: open, byType: record(byType), byUnit: record(byUnit) },
    slaBreaches: escalated,
    suppliesDelivered: delivered,
    financingGrantedWan: finite(granted, 2),
    visitCoverage: record(coverage),
  };
}
