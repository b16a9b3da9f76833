/**
 * The resumption ledger's figures (spec: "Admins see resumption and
 * workforce-return rates by zone and industry, open needs by type and unit,
 * SLA breaches, supplies delivered, financing granted, visit coverage per
 * task force"). A pure function of the documents, so the export and the
 * summary cannot disagree.
 */
import type { LedgerSummary, Rates, SupplyItem } from '../../typings/api';
import type { EnterpriseDoc } from '../enterprises/store';
import type { NeedDoc } from '../needs/model';

export interface LatestStatus {
  employeesTotal: number;
  employeesBack: number;
  capacityPercent: number;
  resumed: boolean;
  at: string;
}

export type LedgerEnterprise = EnterpriseDoc & { latestStatus?: LatestStatus };

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : 0);

function rates(list: LedgerEnterprise[]): Rates {
  const reported = list.filter((e) => e.latestStatus);
  const employeesTotal = reported.reduce((n, e) => n + e.latestStatus!.employeesTotal, 0);
  const employeesBack = reported.reduce((n, e) => n + e.latestStatus!.employeesBack, 0);
  const resumed = reported.filter((e) => e.latestStatus!.resumed).length;
  return {
    enterprises: list.length,
    reported: reported.length,
    resumed,
    employeesTotal,
    employeesBack,
    resumptionRate: ratio(resumed, list.length),
    workforceReturnRate: ratio(employeesBack, employeesTotal),
  };
}

function groupBy<T>(list: T[], key: (t: T) => string): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const item of list) (out[key(item)] ??= []).push(item);
  return out;
}

const mapValues = <A, B>(obj: Record<string, A>, fn: (a: A) => B): Record<string, B> =>
  Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v)]));

const OPEN = new Set(['routed', 'claimed', 'in_progress', 'waiting', 'rejected']);
const DONE = new Set(['fulfilled', 'confirmed']);

export function summarise(
  enterprises: LedgerEnterprise[],
  needs: NeedDoc[],
  visits: Array<{ enterpriseId: string; taskForceId: string; createdAt: string }>,
  taskForces: Array<{ _id: string; zoneCodes: string[] }>,
  visitedSince: string,
): LedgerSummary {
  const open = needs.filter((n) => OPEN.has(n.status) && !(n.status === 'rejected' && n.rejectFinal));
  const done = needs.filter((n) => DONE.has(n.status));
  const supplies = done
    .filter((n) => n.type === 'supplies')
    .reduce((sum, n) => sum + (n.quantityDelivered ?? ((n.items as SupplyItem[]) ?? []).reduce((s, i) => s + i.quantity, 0)), 0);
  const financing = done.filter((n) => n.type === 'financing').reduce((sum, n) => sum + Number(n.amountWan ?? 0), 0);
  const recent = new Set(visits.filter((v) => v.createdAt >= visitedSince).map((v) => v.enterpriseId));
  return {
    overall: rates(enterprises),
    byZone: mapValues(groupBy(enterprises, (e) => e.zone), rates),
    byIndustry: mapValues(groupBy(enterprises, (e) => e.industry), rates),
    openNeeds: {
      total: open.length,
      byType: mapValues(groupBy(open, (n) => n.type), (l) => l.length),
      byUnit: mapValues(groupBy(open, (n) => n.unitCode), (l) => l.length),
    },
    slaBreaches: needs.filter((n) => n.escalated).length,
    suppliesDelivered: supplies,
    financingGrantedWan: financing,
    visitCoverage: Object.fromEntries(
      taskForces.map((tf) => {
        const mine = enterprises.filter((e) => tf.zoneCodes.includes(e.zone));
        const visited = mine.filter((e) => recent.has(e._id)).length;
        return [tf._id, { enterprises: mine.length, visited, rate: ratio(visited, mine.length) }];
      }),
    ),
  };
}
