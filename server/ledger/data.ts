/**
 * What the ledger reads. The summary asks the database for grouped figures
 * (a fixed number of round trips whatever the district's size); only the
 * ledger export, which lists every enterprise, reads them all, in pages of
 * the platform's maximum — and never the status report history, whose
 * figures it takes from the daily snapshots (ledgerDays).
 */
import type { LedgerSummary } from '../../typings/api';
import type { Context, Db } from '../core/ports';
import { docsOf, readAll } from '../core/tx';
import type { EnterpriseDoc } from '../enterprises/store';
import { district } from '../config/district';
import { addDays, chinaDayOf } from '../sla/calendar';
import { liveFigures, readDays, scopeOf, sumZones, type DayFigures } from './days';
import { enterprisePipeline, needPipeline, summarise, type EnterpriseGroup, type LatestStatus, type NeedGroup, type SummaryOptions } from './summary';
import { IN_HAND } from '../../typings/statuses';

interface Named {
  _id: string;
  name: string;
}

/** Configuration, not data: a district has dozens of zones, units and task forces. */
const MAX_CONFIG = 1000;

/**
 * CloudBase answers 20 aggregation rows unless told otherwise. The summary's
 * groups are bounded by configuration, not data (zones × industries × verified
 * × resumed; need types × units × statuses × flags): far below this.
 */
const MAX_GROUPS = 10_000;

/** wx-server-sdk answers an aggregation as `{list}`, not `{data}` as get() does. */
async function listOf<T>(agg: { end(): unknown }): Promise<T[]> {
  return ((await agg.end()) as { list?: T[] }).list ?? [];
}

export async function aggregate<T>(db: Db, collection: string, pipeline: Array<Record<string, unknown>>): Promise<T[]> {
  let agg = db.collection(collection).aggregate() as unknown as Record<string, (arg: unknown) => unknown>;
  for (const stage of pipeline) {
    const [name, arg] = Object.entries(stage)[0];
    agg = agg[name.slice(1)](arg) as typeof agg;
  }
  agg = agg.limit(MAX_GROUPS) as typeof agg;
  return listOf<T>(agg as unknown as { end(): unknown });
}

async function config<T>(db: Db, collection: string): Promise<T[]> {
  return docsOf<T>(db.collection(collection).orderBy('order', 'asc').limit(MAX_CONFIG));
}

/**
 * The figures: one aggregation each over enterprises and needs; settings and
 * task forces come from the cached configuration. `asOf` is when they were
 * computed (the dashboard says 数据截至 HH:mm).
 */
export async function loadSummary(ctx: Context, options: SummaryOptions): Promise<LedgerSummary> {
  const d = await district(ctx);
  const now = ctx.clock.now();
  const visitedSince = new Date(now.getTime() - d.settings.visitIntervalDays * 86400_000).toISOString();
  const [enterpriseGroups, needGroups] = await Promise.all([
    aggregate<EnterpriseGroup>(ctx.db, 'enterprises', enterprisePipeline(visitedSince)),
    aggregate<NeedGroup>(ctx.db, 'needs', needPipeline()),
  ]);
  return { ...summarise(enterpriseGroups, needGroups, [...d.taskForces.values()], options), asOf: now.toISOString() };
}

/** Display names of the codes the figures are keyed by. */
export async function loadNames(db: Db) {
  const [zones, units, taskForces] = await Promise.all([config<Named>(db, 'zones'), config<Named>(db, 'units'), config<Named>(db, 'taskForces')]);
  const names = (list: Named[]) => new Map(list.map((x) => [x._id, x.name]));
  return { zoneNames: names(zones), unitNames: names(units), taskForceNames: names(taskForces) };
}

export type Names = Awaited<ReturnType<typeof loadNames>>;

export type LedgerEnterprise = EnterpriseDoc & { latestStatus?: LatestStatus };

export interface StatusReportDoc {
  _id: string;
  enterpriseId: string;
  at: string;
  employeesTotal: number;
  employeesBack: number;
  capacityPercent: number;
  resumed: boolean;
  difficulties?: string;
  role: string;
}

/**
 * Open needs per enterprise, grouped by the database. Groups are read in
 * pages of MAX_GROUPS by enterpriseId; a district rarely fills one page.
 */
async function openNeedsByEnterprise(db: Db): Promise<Map<string, number>> {
  const _ = db.command;
  const out = new Map<string, number>();
  let after = '';
  for (;;) {
    const page = await listOf<{ _id: string; open: number }>(
      db
        .collection('needs')
        .aggregate()
        .match({ status: _.in(IN_HAND) })
        .group({ _id: '$enterpriseId', open: { $sum: 1 } })
        .match({ _id: _.gt(after) })
        .sort({ _id: 1 })
        .limit(MAX_GROUPS),
    );
    for (const g of page) out.set(g._id, g.open);
    if (page.length < MAX_GROUPS) return out;
    after = page[page.length - 1]._id;
  }
}

/** How many China days the ledger's daily sheet covers, today included (as far back as ledger.trend reaches). */
export const LEDGER_DAYS = 90;

/**
 * Everything the ledger export lists, in round trips that do not grow with
 * history: every enterprise with its latest status (read in pages of 1000 by
 * _id: they grow with the district, not with time), open needs grouped by the
 * database, and the district's figures for each of the last LEDGER_DAYS days
 * from the scheduler's daily snapshots (one query), today live. The
 * statusReports history itself is never read.
 */
export async function loadLedgerRows(ctx: Pick<Context, 'db' | 'clock'>) {
  const today = chinaDayOf(ctx.clock.now());
  const past = Array.from({ length: LEDGER_DAYS - 1 }, (_, i) => addDays(today, i - (LEDGER_DAYS - 1)));
  const [enterprises, openNeeds, recorded, live] = await Promise.all([
    readAll<LedgerEnterprise>(ctx.db, 'enterprises'),
    openNeedsByEnterprise(ctx.db),
    readDays(ctx.db, past),
    liveFigures(ctx),
  ]);
  const days: Array<{ date: string; figures: DayFigures | null }> = [
    ...past.map((date) => {
      const doc = recorded.get(date);
      return { date, figures: doc ? scopeOf(doc) : null };
    }),
    { date: today, figures: sumZones(live) },
  ];
  return { enterprises, openNeeds, days };
}

export type LedgerRows = Awaited<ReturnType<typeof loadLedgerRows>>;
