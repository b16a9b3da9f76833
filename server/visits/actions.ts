/**
 * Site visits by the task forces (spec: "Site visits and the ledger"): the
 * enterprises of their zones and which are overdue, check-ins with position,
 * photos and the 看·查·问·导 checklist, and needs raised on the spot.
 */
import { z } from 'zod';
import type { Need } from '../../typings/api';
import { defineAction } from '../core/actions';
import { forbidden, invalid, notFound } from '../core/errors';
import { sha256 } from '../core/ids';
import type { Context } from '../core/ports';
import { countOf, docsOf, getDoc, isDuplicateWrite } from '../core/tx';
import { MAX_PAGE_SIZE, pageBy, pageOf } from '../core/paging';
import { isAdmin } from '../access/session';
import { taskForceCovers } from '../access/zones';
import type { EnterpriseDoc } from '../enterprises/store';
import { district, taskForceName, zoneName, type TaskForceDoc } from '../config/district';
import { announce, insertNeeds, openOfType, planNeeds } from '../needs/create';
import type { NeedDoc } from '../needs/model';
import { checkNeedDates, needEntry } from '../needs/schema';
import { distanceMeters } from './geo';
import { photoLinks } from '../files/links';
import { memberName, UNNAMED, type StoredUser } from '../users/memberships';

interface VisitDoc {
  _id: string;
  enterpriseId: string;
  enterpriseName: string;
  zone: string;
  taskForceId: string;
  member: string;
  clientKey: string;
  createdAt: string;
  /** Null when the phone had no position (no GPS on a factory floor, permission refused). */
  location: { latitude: number; longitude: number } | null;
  /**
   * False for a visit made without a position: people read it as 未定位. It is
   * neither on site nor off site — nothing was measured — so offSite stays false
   * and distanceMeters null; the lists tell the two apart by this flag.
   */
  located: boolean;
  /** Null when either side had no position (an imported enterprise without one: a located visit sets it). */
  distanceMeters: number | null;
  offSite: boolean;
  photos: string[];
  checklist: { look: string; check: string; ask: string; guide: string[] };
  needIds: string[];
}

/** Visits stored before `located` existed all carried a position. */
const toVisit = ({ _id, clientKey: _key, ...v }: VisitDoc) => ({ id: _id, ...v, located: v.located !== false });

async function myTaskForce(ctx: Context): Promise<TaskForceDoc> {
  const id = ctx.session.taskForceId;
  const tf = id ? (await district(ctx)).taskForces.get(id) : undefined;
  if (!tf) throw forbidden('您还没有加入服务专班');
  return tf;
}

/**
 * An enterprise's last visit is kept on the enterprise (`lastVisitAt`, '' when
 * never visited), so "overdue first" is an index order and overdue a count:
 * the list pages, and its figures stay right however large the zone is.
 */
async function zoneScope(ctx: Context) {
  const [tf, d] = await Promise.all([myTaskForce(ctx), district(ctx)]);
  const dueBefore = new Date(ctx.clock.now().getTime() - d.settings.visitIntervalDays * 86400_000).toISOString();
  return { zoneCodes: tf.zoneCodes, inZones: { zone: ctx.db.command.in(tf.zoneCodes) }, dueBefore };
}

/** Enterprises of the caller's zones overdue for a visit (never visited included). */
export async function overdueCount(ctx: Context): Promise<number> {
  const { inZones, dueBefore } = await zoneScope(ctx);
  return countOf(ctx.db.collection('enterprises').where({ ...inZones, lastVisitAt: ctx.db.command.lt(dueBefore) }));
}

async function zoneCounts(ctx: Context) {
  const scope = await zoneScope(ctx);
  const [total, overdue] = await Promise.all([countOf(ctx.db.collection('enterprises').where(scope.inZones)), overdueCount(ctx)]);
  return { ...scope, total, overdue };
}

/**
 * What a member's phone keeps for offline use besides the enterprises: the
 * names of their task force and zones (a code never reaches a screen, and
 * with no signal there is nobody to ask), and the district's visit settings
 * the list explains itself with. Round trips: the session; the configuration
 * is the instance's cached copy.
 */
export const profile = defineAction({
  roles: ['taskforce'],
  input: z.object({}),
  async run(ctx) {
    const [tf, d] = await Promise.all([myTaskForce(ctx), district(ctx)]);
    return {
      taskForceId: tf._id,
      taskForceName: taskForceName(d, tf._id),
      zones: tf.zoneCodes.map((code) => ({ code, name: zoneName(d, code) })),
      visitIntervalDays: d.settings.visitIntervalDays,
      offSiteMeters: d.settings.offSiteMeters,
    };
  },
});

export const myEnterprises = defineAction({
  roles: ['taskforce'],
  input: z.object({
    cursor: z.string().max(500).optional(),
    /** The phone keeps the whole zone for offline use, so it asks for large pages. */
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
  }),
  async run(ctx, input) {
    const _ = ctx.db.command;
    const { zoneCodes, total, overdue, dueBefore } = await zoneCounts(ctx);
    // Never visited ('') sorts first, then the longest unvisited: overdue first.
    const page = await pageBy<EnterpriseDoc & { lastVisitAt?: string }>(
      ctx.db,
      'enterprises',
      { zone: _.in(zoneCodes) },
      [['lastVisitAt', 'asc']],
      input.cursor,
      input.limit,
    );
    const items = page.docs.map((e) => ({
      id: e._id,
      name: e.name,
      zone: e.zone,
      industry: e.industry,
      address: e.address,
      location: e.location,
      contactName: e.contactName,
      contactPhone: e.contactPhone,
      verified: e.verified,
      lastVisitAt: e.lastVisitAt || null,
      overdue: !e.lastVisitAt || e.lastVisitAt < dueBefore,
    }));
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), total, overdue };
  },
});

const checkInInput = z.object({
  enterpriseId: z.string().min(1),
  clientKey: z.string().trim().min(8, '提交编号无效').max(64),
  /** Optional: a member with no GPS signal (or no permission) can still check in; the visit is marked 未定位. */
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  photos: z.array(z.string().regex(/^cloud:\/\/[^/]+\/uploads\//, '照片应为上传到云存储的文件')).max(9, '最多 9 张照片').default([]),
  checklist: z.object({
    look: z.string().trim().max(1000).default(''),
    check: z.string().trim().max(1000).default(''),
    ask: z.string().trim().max(1000).default(''),
    /** Policies explained, by id. */
    guide: z.array(z.string().min(1)).max(20).default([]),
  }),
  needs: z.array(needEntry).max(10).default([]),
});

/**
 * Round trips: session, the enterprise, the visit, the rate limit, the
 * enterprise's last visit (and position, for an imported enterprise that had
 * none, when this visit has one); two more when needs are raised (the
 * duplicate check and one insert for all of them).
 *
 * The visit's id comes from the member and the clientKey, so inserting it is
 * the replay check: a check-in queued offline and sent again finds the first
 * one and is not counted against the rate limit. A fresh check-in over the
 * limit takes its visit back out before answering RATE_LIMITED.
 */
export const checkIn = defineAction({
  roles: ['taskforce'],
  perMinute: 30,
  countsItself: true,
  input: checkInInput,
  async run(ctx, input) {
    const tf = await myTaskForce(ctx);
    const d = await district(ctx);
    const id = sha256(`${ctx.openid}\nvisit\n${input.clientKey}`);
    for (const [i, policyId] of input.checklist.guide.entries()) {
      if (!d.policyIds.has(policyId)) throw invalid('政策不存在', `checklist.guide.${i}`);
    }
    const enterprise = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', input.enterpriseId);
    if (!enterprise) throw notFound('企业不存在');
    if (!tf.zoneCodes.includes(enterprise.zone)) throw forbidden('只能走访本专班辖区的企业');
    const at = ctx.clock.now().toISOString();
    const located = !!input.location;
    // Measured from the position a verifier vouched for: a position the enterprise moved since is not where honest visits go.
    const from = enterprise.verifiedLocation ?? enterprise.location;
    const distance = input.location && from ? Math.round(distanceMeters(input.location, from)) : null;
    const duplicates = input.needs.length ? await openOfType(ctx, enterprise._id, input.needs.map((n) => n.type)) : new Map<string, string>();
    const planned = await planNeeds(ctx, enterprise, input.needs, id, duplicates, 'taskforce');
    const visit: VisitDoc = {
      _id: id,
      enterpriseId: enterprise._id,
      enterpriseName: enterprise.name,
      zone: enterprise.zone,
      taskForceId: tf._id,
      member: ctx.openid,
      clientKey: input.clientKey,
      createdAt: at,
      location: input.location ?? null,
      located,
      distanceMeters: distance,
      offSite: distance !== null && distance > d.settings.offSiteMeters,
      photos: input.photos,
      checklist: input.checklist,
      needIds: planned.map((n) => n._id),
    };
    try {
      await ctx.db.collection('visits').add({ data: visit });
    } catch (err) {
      if (!isDuplicateWrite(err)) throw err;
      // Sent before (the offline queue retries until it lands): the first one stands.
      const first = await getDoc<VisitDoc>(ctx.db, 'visits', id);
      return { ...toVisit(first ?? visit), needs: [] as Need[] };
    }
    // Judged only for a new check-in: a queued one replayed days later keeps the dates it was made with.
    try {
      checkNeedDates(input.needs, new Date(at));
      await ctx.countCall();
    } catch (err) {
      await ctx.db.collection('visits').doc(id).remove();
      throw err;
    }
    // Need ids come from the visit's: a retry after a failure here adds only what is missing.
    const { fresh } = planned.length ? await insertNeeds(ctx, planned) : { fresh: [] as NeedDoc[] };
    // Only a measured position may become the enterprise's: a visit without one leaves it as it was.
    const seen = !enterprise.location && input.location ? { lastVisitAt: at, location: input.location } : { lastVisitAt: at };
    await ctx.db.collection('enterprises').doc(enterprise._id).update({ data: seen });
    return { ...toVisit(visit), needs: await announce(ctx, fresh) };
  },
});

/** Who made each visit of a page, as their task-force invite named them. */
async function memberNames(ctx: Context, visits: VisitDoc[]): Promise<Map<string, string>> {
  const ids = [...new Set(visits.map((v) => v.member))];
  if (!ids.length) return new Map();
  const people = await docsOf<StoredUser>(ctx.db.collection('users').where({ _id: ctx.db.command.in(ids) }).limit(ids.length));
  const byId = new Map(people.map((u) => [u._id, u]));
  return new Map(
    visits.flatMap((v) => {
      const u = byId.get(v.member);
      return u ? [[v.member, memberName(u, 'taskforce', v.taskForceId)] as const] : [];
    }),
  );
}

export const list = defineAction({
  roles: ['taskforce', 'admin'],
  input: z.object({ enterpriseId: z.string().min(1).optional(), taskForceId: z.string().min(1).optional(), cursor: z.string().max(200).optional() }),
  async run(ctx, input) {
    const filter: Record<string, unknown> = {};
    if (isAdmin(ctx.session)) {
      if (input.taskForceId) filter.taskForceId = input.taskForceId;
    } else {
      // A task-force member sees their own task force's visits only.
      if (input.taskForceId && input.taskForceId !== ctx.session.taskForceId) throw forbidden('只能查看本专班的走访记录');
      filter.taskForceId = ctx.session.taskForceId;
    }
    if (input.enterpriseId) {
      const e = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', input.enterpriseId);
      if (!e) throw notFound('企业不存在');
      if (!isAdmin(ctx.session) && !(await taskForceCovers(ctx, e.zone))) throw forbidden('只能查看本专班辖区的企业');
      filter.enterpriseId = input.enterpriseId;
    }
    if (filter.taskForceId === undefined && filter.enterpriseId === undefined) {
      // An admin's list of every visit, pinned to the task forces (which cannot be deleted) so that
      // pages after the first (a range on createdAt) stay on an index: unpinned, the second page
      // was refused by the embedded store's coverage rule and answered INTERNAL (found by fuzz.test.ts).
      filter.taskForceId = ctx.db.command.in([...(await district(ctx)).taskForces.keys()]);
    }
    const page = await pageOf<VisitDoc>(ctx.db, 'visits', filter, 'desc', input.cursor);
    // Storage is private: photos reach whoever may read the visit as short-lived links, one storage request a page;
    // the members' names beside them, one database request a page.
    const [links, names] = await Promise.all([photoLinks(ctx, page.docs.flatMap((v) => v.photos)), memberNames(ctx, page.docs)]);
    const admin = isAdmin(ctx.session);
    const items = page.docs.map((v) => {
      const { member, ...visit } = toVisit(v);
      const who = { memberName: names.get(member) ?? UNNAMED, mine: member === ctx.openid };
      // OPENIDs reach admins only (issue: identity): others read the member's name.
      return { ...visit, ...who, ...(admin ? { member } : {}), photoUrls: v.photos.map((id) => links.get(id)?.url ?? '') };
    });
    return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
  },
});
