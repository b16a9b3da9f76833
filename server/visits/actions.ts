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
import { docsOf, getDoc, inTransaction } from '../core/tx';
import { pageOf } from '../core/paging';
import { isAdmin } from '../access/session';
import { taskForceCovers } from '../access/zones';
import type { EnterpriseDoc } from '../enterprises/store';
import { loadSettings } from '../settings';
import { announce, planNeeds, writeNeeds } from '../needs/create';
import { needEntry } from '../needs/schema';
import { distanceMeters } from './geo';

interface VisitDoc {
  _id: string;
  enterpriseId: string;
  enterpriseName: string;
  zone: string;
  taskForceId: string;
  member: string;
  clientKey: string;
  createdAt: string;
  location: { latitude: number; longitude: number };
  /** Null when the enterprise had no position yet (imported without one): this visit sets it. */
  distanceMeters: number | null;
  offSite: boolean;
  photos: string[];
  checklist: { look: string; check: string; ask: string; guide: string[] };
  needIds: string[];
}

const toVisit = ({ _id, clientKey: _key, ...v }: VisitDoc) => ({ id: _id, ...v });

async function myTaskForce(ctx: Context): Promise<{ _id: string; zoneCodes: string[] }> {
  const id = ctx.session.taskForceId;
  const tf = id ? await getDoc<{ zoneCodes: string[] }>(ctx.db, 'taskForces', id) : null;
  if (!tf) throw forbidden('您还没有加入服务专班');
  return tf;
}

/** The enterprises of the caller's task-force zones, overdue for a visit first. */
export async function zoneEnterprises(ctx: Context) {
  const _ = ctx.db.command;
  const [tf, settings] = await Promise.all([myTaskForce(ctx), loadSettings(ctx.db)]);
  const enterprises = await docsOf<EnterpriseDoc>(ctx.db.collection('enterprises').where({ zone: _.in(tf.zoneCodes) }).limit(1000));
  const visits = enterprises.length
    ? await docsOf<VisitDoc>(
        ctx.db
          .collection('visits')
          .where({ enterpriseId: _.in(enterprises.map((e) => e._id)) })
          .orderBy('createdAt', 'desc')
          .field({ enterpriseId: true, createdAt: true })
          .limit(1000),
      )
    : [];
  const last = new Map<string, string>();
  for (const v of visits) if (!last.has(v.enterpriseId)) last.set(v.enterpriseId, v.createdAt);
  const dueBefore = new Date(ctx.clock.now().getTime() - settings.visitIntervalDays * 86400_000).toISOString();
  const items = enterprises.map((e) => {
    const lastVisitAt = last.get(e._id);
    return {
      id: e._id,
      name: e.name,
      zone: e.zone,
      industry: e.industry,
      address: e.address,
      location: e.location,
      contactName: e.contactName,
      contactPhone: e.contactPhone,
      verified: e.verified,
      lastVisitAt: lastVisitAt ?? null,
      overdue: !lastVisitAt || lastVisitAt < dueBefore,
    };
  });
  // Overdue first, the longest unvisited (never first) at the top.
  items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.lastVisitAt ?? '').localeCompare(b.lastVisitAt ?? ''));
  return items;
}

export const myEnterprises = defineAction({
  roles: ['taskforce'],
  input: z.object({}),
  async run(ctx) {
    return { items: await zoneEnterprises(ctx) };
  },
});

const checkInInput = z.object({
  enterpriseId: z.string().min(1),
  clientKey: z.string().trim().min(8, '提交编号无效').max(64),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  photos: z.array(z.string().regex(/^cloud:\/\//, '照片应为云存储文件')).max(9, '最多 9 张照片').default([]),
  checklist: z.object({
    look: z.string().trim().max(1000).default(''),
    check: z.string().trim().max(1000).default(''),
    ask: z.string().trim().max(1000).default(''),
    /** Policies explained, by id. */
    guide: z.array(z.string().min(1)).max(20).default([]),
  }),
  needs: z.array(needEntry).max(10).default([]),
});

export const checkIn = defineAction({
  roles: ['taskforce'],
  perMinute: 30,
  input: checkInInput,
  async run(ctx, input) {
    const tf = await myTaskForce(ctx);
    // A check-in queued offline is sent again until it lands: the same key is the same visit.
    const id = sha256(`${ctx.openid}\nvisit\n${input.clientKey}`);
    const earlier = await getDoc<VisitDoc>(ctx.db, 'visits', id);
    if (earlier) return { ...toVisit(earlier), needs: [] as Need[] };
    const enterprise = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', input.enterpriseId);
    if (!enterprise) throw notFound('企业不存在');
    if (!tf.zoneCodes.includes(enterprise.zone)) throw forbidden('只能走访本专班辖区的企业');
    for (const [i, policyId] of input.checklist.guide.entries()) {
      if (!(await getDoc(ctx.db, 'policies', policyId))) throw invalid('政策不存在', `checklist.guide.${i}`);
    }
    const settings = await loadSettings(ctx.db);
    const distance = enterprise.location ? Math.round(distanceMeters(input.location, enterprise.location)) : null;
    const planned = await planNeeds(ctx, enterprise, input.needs, id);
    const visit: VisitDoc = {
      _id: id,
      enterpriseId: enterprise._id,
      enterpriseName: enterprise.name,
      zone: enterprise.zone,
      taskForceId: tf._id,
      member: ctx.openid,
      clientKey: input.clientKey,
      createdAt: ctx.clock.now().toISOString(),
      location: input.location,
      distanceMeters: distance,
      offSite: distance !== null && distance > settings.offSiteMeters,
      photos: input.photos,
      checklist: input.checklist,
      needIds: planned.map((n) => n._id),
    };
    const outcome = await inTransaction(ctx.db, async (tx) => {
      const raced = await getDoc<VisitDoc>(tx, 'visits', id);
      if (raced) return raced;
      const created = await writeNeeds(ctx, tx, planned, 'taskforce');
      await tx.collection('visits').add({ data: visit });
      if (!enterprise.location) await tx.collection('enterprises').doc(enterprise._id).update({ data: { location: input.location } });
      return created;
    });
    if (!Array.isArray(outcome)) return { ...toVisit(outcome), needs: [] as Need[] };
    return { ...toVisit(visit), needs: await announce(ctx, outcome) };
  },
});

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
    const page = await pageOf<VisitDoc>(ctx.db, 'visits', filter, 'desc', input.cursor);
    const items = page.docs.map(toVisit);
    return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
  },
});
