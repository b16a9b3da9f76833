/**
 * Admins edit the district's configuration, which is data (spec: "units, task
 * forces, zones, routing rules and policies are data"): routing rules, units
 * and the global settings. Every write is validated against what it refers to.
 */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { invalid, notFound } from '../core/errors';
import type { Context } from '../core/ports';
import { docsOf, getDoc } from '../core/tx';
import { INDUSTRIES } from '../enterprises/schema';
import { NEED_TYPES } from '../needs/schema';
import type { NeedType } from '../../typings/api';
import { loadRules } from '../routing/rules';
import { loadSettings, storedSettings } from '../settings';
import { forgetDistrict } from '../config/district';

const code = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, '编码只能用小写字母、数字和连字符，2–40 位');

async function requireUnit(ctx: Context, unitCode: string, field: string): Promise<void> {
  if (!(await getDoc(ctx.db, 'units', unitCode))) throw invalid(`单位「${unitCode}」不存在`, field);
}

export const listRules = defineAction({
  roles: ['admin'],
  input: z.object({}),
  async run(ctx) {
    const rules = await loadRules(ctx.db);
    return { items: rules.map(({ _id, ...r }) => ({ id: _id, ...r })) };
  },
});

export const saveRule = defineAction({
  roles: ['admin'],
  input: z.object({
    id: code,
    order: z.number().int().min(0).max(100_000),
    match: z.object({
      type: z.enum(NEED_TYPES as [string, ...string[]], { errorMap: () => ({ message: '不支持的需求类型' }) }),
      industry: z.enum(INDUSTRIES).optional(),
      zone: z.string().min(1).optional(),
      chamberMember: z.string().min(1).optional(),
    }),
    unitCode: z.string().min(1),
    slaHours: z.number().positive('时限应大于 0').max(24 * 90),
    enabled: z.boolean().default(true),
    note: z.string().trim().max(200).optional(),
  }),
  async run(ctx, { id, ...rule }) {
    await requireUnit(ctx, rule.unitCode, 'unitCode');
    if (rule.match.chamberMember) await requireUnit(ctx, rule.match.chamberMember, 'match.chamberMember');
    if (rule.match.zone && !(await getDoc(ctx.db, 'zones', rule.match.zone))) throw invalid('区域不存在', 'match.zone');
    const data = { ...rule, updatedAt: ctx.clock.now().toISOString(), updatedBy: ctx.openid };
    await ctx.db.collection('routingRules').doc(id).set({ data });
    forgetDistrict(ctx.db);
    return { id, ...data };
  },
});

/** A delete action for one configuration collection. */
function deleteFrom(collection: string, missing: string) {
  return defineAction({
    roles: ['admin'],
    input: z.object({ id: z.string().min(1) }),
    async run(ctx, { id }) {
      const res = (await ctx.db.collection(collection).doc(id).remove()) as { stats: { removed: number } };
      forgetDistrict(ctx.db);
      if (res.stats.removed !== 1) throw notFound(missing);
      return { id, removed: true };
    },
  });
}

export const deleteRule = deleteFrom('routingRules', '规则不存在');

const UNIT_KINDS = ['federation', 'desk', 'pool', 'chamber', 'association', 'department', 'bank', 'legal', 'health'] as const;

export const listUnits = defineAction({
  roles: ['admin'],
  input: z.object({}),
  async run(ctx) {
    const units = await docsOf<{ _id: string }>(ctx.db.collection('units').orderBy('order', 'asc').limit(1000));
    return { items: units.map(({ _id, ...u }) => ({ code: _id, ...u })) };
  },
});

export const listTaskForces = defineAction({
  roles: ['admin'],
  input: z.object({}),
  async run(ctx) {
    const list = await docsOf<{ _id: string; name: string; leadOrg: string; zoneCodes: string[] }>(
      ctx.db.collection('taskForces').orderBy('order', 'asc').limit(1000),
    );
    return { items: list.map(({ _id, ...tf }) => ({ id: _id, ...tf })) };
  },
});

export const saveUnit = defineAction({
  roles: ['admin'],
  input: z.object({
    code,
    name: z.string().trim().min(2, '请填写单位名称').max(40),
    kind: z.enum(UNIT_KINDS, { errorMap: () => ({ message: '不是可选的单位类型' }) }),
    order: z.number().int().min(0).max(100_000).default(100),
  }),
  async run(ctx, { code: unitCode, ...unit }) {
    const data = { ...unit, updatedAt: ctx.clock.now().toISOString() };
    await ctx.db.collection('units').doc(unitCode).set({ data });
    forgetDistrict(ctx.db);
    return { code: unitCode, ...data };
  },
});

export const getSettings = defineAction({
  roles: ['admin'],
  input: z.object({}),
  run: (ctx) => loadSettings(ctx.db),
});

export const saveSettings = defineAction({
  roles: ['admin'],
  input: z.object({
    triageUnitCode: z.string().min(1).optional(),
    triageSlaHours: z.number().positive().max(24 * 90).optional(),
    supplyPoolUnitCode: z.string().min(1).optional(),
    leaseMinutes: z.number().int().min(10, '认领时长至少 10 分钟').max(7 * 24 * 60).optional(),
    /** Minutes by need type; a type left out takes leaseMinutes. */
    leaseMinutesByType: z
      .record(
        z.enum(NEED_TYPES as [NeedType, ...NeedType[]], { errorMap: () => ({ message: '不支持的需求类型' }) }),
        z.number().int().min(10, '认领时长至少 10 分钟').max(30 * 24 * 60, '认领时长最多 30 天'),
      )
      .optional(),
    visitIntervalDays: z.number().int().min(1).max(90).optional(),
    offSiteMeters: z.number().int().min(50).max(10_000).optional(),
    /** By `function.action`, e.g. {"need.submit": 60}. */
    rateLimits: z.record(z.string().regex(/^[a-z]+\.[A-Za-z]+$/, '应为「云函数.操作」'), z.number().int().min(1).max(100_000)).optional(),
  }),
  async run(ctx, input) {
    if (input.triageUnitCode) await requireUnit(ctx, input.triageUnitCode, 'triageUnitCode');
    if (input.supplyPoolUnitCode) await requireUnit(ctx, input.supplyPoolUnitCode, 'supplyPoolUnitCode');
    const next = { ...(await loadSettings(ctx.db)), ...input };
    await ctx.db.collection('settings').doc('global').set({ data: storedSettings(next) });
    forgetDistrict(ctx.db);
    return next;
  },
});

export const saveZone = defineAction({
  roles: ['admin'],
  input: z.object({
    code,
    name: z.string().trim().min(2, '请填写区域名称').max(40),
    kind: z.enum(['park', 'street', 'town'], { errorMap: () => ({ message: '区域类型应为园区、街道或镇' }) }),
    order: z.number().int().min(0).max(100_000).default(100),
  }),
  async run(ctx, { code: zoneCode, ...zone }) {
    await ctx.db.collection('zones').doc(zoneCode).set({ data: zone });
    forgetDistrict(ctx.db);
    return { code: zoneCode, ...zone };
  },
});

export const saveTaskForce = defineAction({
  roles: ['admin'],
  input: z.object({
    id: code,
    name: z.string().trim().min(2, '请填写专班名称').max(60),
    leadOrg: z.string().trim().min(2, '请填写牵头单位').max(40),
    zoneCodes: z.array(z.string().min(1)).min(1, '至少负责一个区域').max(20),
    order: z.number().int().min(0).max(100_000).default(100),
  }),
  async run(ctx, { id, ...tf }) {
    for (const [i, zone] of tf.zoneCodes.entries()) {
      if (!(await getDoc(ctx.db, 'zones', zone))) throw invalid(`区域「${zone}」不存在`, `zoneCodes.${i}`);
    }
    await ctx.db.collection('taskForces').doc(id).set({ data: tf });
    forgetDistrict(ctx.db);
    return { id, ...tf };
  },
});

export const savePolicy = defineAction({
  roles: ['admin'],
  input: z.object({
    id: code,
    title: z.string().trim().min(2, '请填写政策标题').max(80),
    level: z.enum(['national', 'city', 'district'], { errorMap: () => ({ message: '发文层级应为国家、市或区' }) }),
    summary: z.string().trim().min(1, '请填写摘要').max(1000),
    tags: z.array(z.enum(NEED_TYPES as [string, ...string[]])).max(10).default([]),
    industries: z.array(z.enum(INDUSTRIES)).max(11).default([]),
    effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
    effectiveTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
    link: z.string().url('链接格式不正确').optional(),
  }),
  async run(ctx, { id, ...policy }) {
    if (policy.effectiveTo && policy.effectiveTo < policy.effectiveFrom) throw invalid('截止日期不能早于生效日期', 'effectiveTo');
    const data = { ...policy, updatedAt: ctx.clock.now().toISOString() };
    await ctx.db.collection('policies').doc(id).set({ data });
    forgetDistrict(ctx.db);
    return { id, ...data };
  },
});

export const deletePolicy = deleteFrom('policies', '政策不存在');
