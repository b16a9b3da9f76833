/**
 * The resumption ledger's figures (spec: "Admins see resumption and
 * workforce-return rates by zone and industry, open needs by type and unit,
 * SLA breaches, supplies delivered, financing granted, visit coverage per
 * task force").
 *
 * The database does the counting: two `$group` pipelines answer a bounded
 * number of rows (a few per zone × industry, a few per need type × unit), so the
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
import { UNRESOLVED } from '../../typings/statuses';

export interface LatestStatus {
  employeesTotal: number;
  employeesBack: number;
  capacityPercent: number;
  resumed: boolean;
  /** Only when the latest report named some: each report replaces the whole status. */
  difficulties?: string;
  at: string;
}

/** Statuses counted as open work in the ledger: rejected needs wait at triage unless the refusal was final. */
const OPEN = new Set<string>(UNRESOLVED);
const DONE = new Set(['fulfilled', 'confirmed']);

/**
 * Bounds applied again inside the pipeline: documents written before the
 * input bounds existed (employeesTotal 1e308, say) count as 0 rather than
 * turning a district total into Infinity or null.
 */
const MAX_DELIVERED = 200_000_000;
const MAX_GRANTED_WAN = 1_000_000;

/** `expr` where it lies in [0, max], else 0; a missing field stays missing, which `$sum` skips. */
export const within = (expr: unknown, max: number) => ({ $cond: [{ $gt: [expr, max] }, 0, { $cond: [{ $lt: [expr, 0] }, 0, expr] }] });

/*
 * Plain field paths in `_id` and in `$sum` wherever possible: the database
 * groups on them cheaply (and so does the embedded store's evaluator), and
 * what a status or a flag means is decided below, in code, per group.
 */

/** Enterprises by zone × industry × verified × resumed (absent: never reported): counts, employee sums, recent visits. */
export function enterprisePipeline(visitedSince: string): Array<Record<string, unknown>> {
  return [
    {
      $group: {
        _id: { zone: '$zone', industry: '$industry', verified: '$verified', resumed: '$latestStatus.resumed' },
        enterprises: { $sum: 1 },
        employeesTotal: { $sum: within('$latestStatus.employeesTotal', MAX_EMPLOYEES) },
        employeesBack: { $sum: within('$latestStatus.employeesBack', MAX_EMPLOYEES) },
        // lastVisitAt is an ISO string, '' or absent when never visited; absent sorts before every string.
        visited: { $sum: { $cond: [{ $gte: ['$lastVisitAt', visitedSince] }, 1, 0] } },
      },
    },
  ];
}

/** Needs by type × unit × status × escalated × final refusal: counts, quantities delivered, amounts granted. */
export function needPipeline(): Array<Record<string, unknown>> {
  return [
    {
      $group: {
        _id: { type: '$type', unitCode: '$unitCode', status: '$status', escalated: '$escalated', rejectFinal: '$rejectFinal' },
        needs: { $sum: 1 },
        quantityDelivered: { $sum: within({ $ifNull: ['$quantityDelivered', { $sum: { $ifNull: ['$items.quantity', []] } }] }, MAX_DELIVERED) },
        // What banks granted (not what was asked), to verified enterprises only: an unverified registrant cannot add to the headline.
        amountWan: { $sum: within({ $cond: [{ $eq: ['$enterpriseVerified', true] }, '$grantedWan', 0] }, MAX_GRANTED_WAN) },
      },
    },
  ];
}

export interface EnterpriseGroup {
  _id: { zone?: string; industry?: string; verified?: boolean; resumed?: boolean | null };
  enterprises: number;
  employeesTotal: number;
  employeesBack: number;
  visited: number;
}

export interface NeedGroup {
  _id: { type?: string; unitCode?: string; status?: string; escalated?: boolean | null; rejectFinal?: boolean | null };
  needs: number;
  quantityDelivered: number;
  amountWan: number;
}

/** A figure as the answer carries it: finite, never exponent notation's 1e+308 nor JSON's null. */
export const finite = (x: unknown, decimals = 0): number => {
  const n = Number(x);
  if (!Number.isFinite(n)) return 0;
  const scale = 10 ** decimals;
  return Math.round(n * scale) / scale;
};

export const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : 0);

interface Tally {
  enterprises: number;
  reported: number;
  resumed: number;
  employeesTotal: number;
  employeesBack: number;
  visited: number;
}

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
): Omit<LedgerSummary, 'asOf'> {
  const overall = emptyTally();
  const unverified = emptyTally();
  const byZone = new Map<string, Tally>();
  const byIndustry = new Map<string, Tally>();
  // Visit coverage is the task forces' work on every enterprise of their zones, verified or not.
  const everyoneByZone = new Map<string, Tally>();
  for (const g of enterpriseGroups) {
    const { zone, industry, verified: v, resumed: r } = g._id;
    const verified = v === true;
    const reported = r === true || r === false;
    const t: Tally = {
      enterprises: g.enterprises,
      reported: reported ? g.enterprises : 0,
      resumed: r === true ? g.enterprises : 0,
      employeesTotal: g.employeesTotal,
      employeesBack: g.employeesBack,
      visited: g.visited,
    };
    tallyInto(everyoneByZone, String(zone), t);
    if (!verified) add(unverified, t);
    if (!verified && !options.includeUnverified) continue;
    add(overall, t);
    tallyInto(byZone, String(zone), t);
    tallyInto(byIndustry, String(industry), t);
  }

  const byType = new Map<string, number>();
  const byUnit = new Map<string, number>();
  let open = 0;
  let escalated = 0;
  let delivered = 0;
  let granted = 0;
  for (const g of needGroups) {
    const { type, unitCode, status, escalated: late, rejectFinal } = g._id;
    const n = finite(g.needs);
    if (late === true) escalated += n;
    if (DONE.has(String(status))) {
      if (type === 'supplies') delivered += finite(g.quantityDelivered);
      if (type === 'financing') granted += finite(g.amountWan, 2);
    }
    if (!OPEN.has(String(status)) || (status === 'rejected' && rejectFinal === true)) continue;
    byType.set(String(type), (byType.get(String(type)) ?? 0) + n);
    byUnit.set(String(unitCode), (byUnit.get(String(unitCode)) ?? 0) + n);
    open += n;
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
