import type { Context } from '../core/ports';
import { readAll } from '../core/tx';
import type { NeedDoc } from '../needs/model';
import { loadSettings } from '../settings';
import { summarise, type LedgerEnterprise } from './summary';

interface Named {
  _id: string;
  name: string;
}

/** Everything the ledger reads, once, for both the summary and the exports. */
export async function loadLedger(ctx: Context) {
  const settings = await loadSettings(ctx.db);
  const [enterprises, needs, visits, taskForces, zones, units, reports] = await Promise.all([
    readAll<LedgerEnterprise>(ctx.db, 'enterprises'),
    readAll<NeedDoc>(ctx.db, 'needs'),
    readAll<{ _id: string; enterpriseId: string; taskForceId: string; createdAt: string }>(ctx.db, 'visits'),
    readAll<Named & { zoneCodes: string[] }>(ctx.db, 'taskForces'),
    readAll<Named>(ctx.db, 'zones'),
    readAll<Named>(ctx.db, 'units'),
    readAll<{ _id: string; enterpriseId: string; at: string; employeesTotal: number; employeesBack: number; capacityPercent: number; resumed: boolean; difficulties?: string; role: string }>(
      ctx.db,
      'statusReports',
    ),
  ]);
  const visitedSince = new Date(ctx.clock.now().getTime() - settings.visitIntervalDays * 86400_000).toISOString();
  const names = (list: Named[]) => new Map(list.map((x) => [x._id, x.name]));
  return {
    enterprises,
    needs,
    visits,
    reports,
    taskForces,
    zoneNames: names(zones),
    unitNames: names(units),
    taskForceNames: names(taskForces),
    summary: summarise(enterprises, needs, visits, taskForces, visitedSince),
  };
}

export type Ledger = Awaited<ReturnType<typeof loadLedger>>;
