/**
 * The enterprises behind the dashboard's figures (复工率, 返岗率, the rows by
 * zone and by industry, a task force's visit coverage), for admins: filtered
 * the way each figure counts, paged by _id, with the total of the filter.
 *
 * Every query pins `verified` (to the asked value, or to both values when the
 * filter leaves it open), so one index led by it covers any combination, and
 * a zone or industry filter has its own index to seek by.
 *
 * Round trips: the session, the page and the count (in parallel), then the
 * verified namesakes of the page's enterprises (names.ts); names and
 * the visit interval come from the instance's cached configuration.
 */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { notFound } from '../core/errors';
import { MAX_PAGE_SIZE, pageBy } from '../core/paging';
import { countOf } from '../core/tx';
import { district, zoneName } from '../config/district';
import type { LatestStatus } from '../ledger/summary';
import { maskPhone, type EnterpriseDoc } from './store';
import { INDUSTRIES } from './schema';
import { verifiedNameTwins } from './names';

type ListedDoc = EnterpriseDoc & { latestStatus?: Partial<LatestStatus> };

export interface EnterpriseListItem {
  id: string;
  name: string;
  zone: string;
  zoneName: string;
  industry: string;
  verified: boolean;
  /** As the 复工率 counts it: the latest report says resumed (no report is not resumed). */
  resumed: boolean;
  employeesTotal: number;
  employeesBack: number;
  /** Null when never visited. */
  lastVisitAt: string | null;
  contactName: string;
  /** Masked (138****5678): admins see phones masked everywhere. */
  contactPhone: string;
  /** Another, verified enterprise has this exact name (enterprises/names.ts): worth a look before trusting it. */
  nameMatchesVerified: boolean;
}

const flag = z.boolean();

export const enterprises = defineAction({
  roles: ['admin'],
  input: z.object({
    zone: z.string().min(1).max(64).optional(),
    industry: z.enum(INDUSTRIES).optional(),
    /** A task force's zones (visit coverage); with `zone` too, that zone if it is one of them. */
    taskForceId: z.string().min(1).max(64).optional(),
    verified: flag.optional(),
    resumed: flag.optional(),
    /** Due a visit: never visited, or not within the district's visit interval. */
    overdue: flag.optional(),
    cursor: z.string().max(500).optional(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  }),
  async run(ctx, input) {
    const _ = ctx.db.command;
    const d = await district(ctx);
    const filter: Record<string, unknown> = { verified: input.verified ?? _.in([true, false]) };
    let zones: string[] | undefined = input.zone ? [input.zone] : undefined;
    if (input.taskForceId) {
      const tf = d.taskForces.get(input.taskForceId);
      if (!tf) throw notFound('服务专班不存在');
      zones = zones ? zones.filter((z) => tf.zoneCodes.includes(z)) : [...tf.zoneCodes];
    }
    if (zones) {
      // A task force without zones, or a zone outside its task force: nothing to read.
      if (!zones.length) return { items: [] as EnterpriseListItem[], total: 0 };
      filter.zone = zones.length === 1 ? zones[0] : _.in(zones);
    }
    if (input.industry) filter.industry = input.industry;
    if (input.resumed !== undefined) filter['latestStatus.resumed'] = input.resumed ? true : _.neq(true);
    if (input.overdue !== undefined) {
      const dueBefore = new Date(ctx.clock.now().getTime() - d.settings.visitIntervalDays * 86400_000).toISOString();
      filter.lastVisitAt = input.overdue ? _.lt(dueBefore) : _.gte(dueBefore);
    }
    const [page, total] = await Promise.all([
      pageBy<ListedDoc>(ctx.db, 'enterprises', filter, [], input.cursor, input.limit),
      countOf(ctx.db.collection('enterprises').where(filter as never)),
    ]);
    const twins = await verifiedNameTwins(ctx, page.docs);
    const items: EnterpriseListItem[] = page.docs.map((e) => ({
      id: e._id,
      name: e.name,
      zone: e.zone,
      zoneName: zoneName(d, e.zone),
      industry: e.industry,
      verified: e.verified === true,
      resumed: e.latestStatus?.resumed === true,
      employeesTotal: e.latestStatus?.employeesTotal ?? e.employees ?? 0,
      employeesBack: e.latestStatus?.employeesBack ?? 0,
      lastVisitAt: e.lastVisitAt || null,
      contactName: e.contactName,
      // One rule for admins everywhere (docs/access.md): the admin role never shows a phone in full.
      contactPhone: maskPhone(e.contactPhone),
      nameMatchesVerified: twins.has(e._id),
    }));
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), total };
  },
});
