/**
 * Admins edit the district's configuration, which is data (spec: "units, task
 * forces, zones, routing rules and policies are data"): routing rules, units
 * and the global settings. Every write is validated against what it refers to.
 */
import { z } from 'zod';
import { text } from '../core/validation';
import { defineAction } from '../core/actions';
import { AppError, invalid, notFound } from '../core/errors';
import type { Context } from '../core/ports';
import { docsOf, getDoc } from '../core/tx';
import { INDUSTRIES } from '../enterprises/schema';
import { NEED_TYPES } from '../needs/schema';
import type { NeedType } from '../../typings/api';
import { loadRules } from '../routing/rules';
import { loadSettings, storedSettings } from '../settings';
import { forgetDistrict, holidaysQuery, type HolidayDoc } from '../config/district';
import { isDay } from '../sla/calendar';
import type { HolidayItem } from '../../typings/api';

const code = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, '编码只能用小写字母、数字和连字符，2–40 位');

/**
 * A rule or setting pointing at a unit that is not there routes needs to
 * nobody: the edit is refused as a precondition the admin must fix first
 * (create the unit, or pick another), naming what was asked for.
 */
async function requireUnit(ctx: Context, unitCode: string, field: string): Promise<void> {
  if (!(await getDoc(ctx.db, 'units', unitCode))) throw new AppError('FAILED_PRECONDITION', `单位「${unitCode}」不存在，请先添加该单位或另选单位`, field);
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
    /** Calendar hours to resolve: the fallback when resolutionWorkdays is absent (docs/sla.md). */
    slaHours: z.number().positive('时限应大于 0').max(24 * 90),
    /** Calendar hours within which the handler must first contact the enterprise. */
    firstResponseHours: z.number().positive('首次响应时限应大于 0').max(24 * 7, '首次响应时限不能超过 168 小时').optional(),
    /** Working days to resolve, counted with the holiday calendar. */
    resolutionWorkdays: z.number().int('办结时限应为整数个工作日').min(1, '办结时限至少 1 个工作日').max(90, '办结时限不能超过 90 个工作日').optional(),
    enabled: z.boolean().default(true),
    note: text({ max: 200, multiline: true, label: '备注' }).optional(),
  }),
  async run(ctx, { id, ...rule }) {
    await requireUnit(ctx, rule.unitCode, 'unitCode');
    if (rule.match.chamberMember) await requireUnit(ctx, rule.match.chamberMember, 'match.chamberMember');
    if (rule.match.zone && !(await getDoc(ctx.db, 'zones', rule.match.zone))) throw new AppError('FAILED_PRECONDITION', `区域「${rule.match.zone}」不存在，请先添加该区域或另选区域`, 'match.zone');
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

/**
 * A unit can go only when nothing points at it: a rule that routes to it (or
 * matches its members), or the triage and supplies-pool settings. The refusal
 * names the rule, so the admin knows what to change first.
 */
export const deleteUnit = defineAction({
  roles: ['admin'],
  input: z.object({ code: z.string().min(1) }),
  async run(ctx, { code: unitCode }) {
    const [rules, settings] = await Promise.all([loadRules(ctx.db), loadSettings(ctx.db)]);
    const rule = rules.find((r) => r.unitCode === unitCode || r.match?.chamberMember === unitCode);
    if (rule) {
      const what = rule.note ? `「${rule.note}」（${rule._id}）` : `「${rule._id}」`;
      throw new AppError('FAILED_PRECONDITION', `分派规则${what}仍指向该单位，请先修改或删除该规则`, 'code');
    }
    if (settings.triageUnitCode === unitCode) throw new AppError('FAILED_PRECONDITION', '该单位是分诊单位，请先在设置中另选分诊单位', 'code');
    if (settings.supplyPoolUnitCode === unitCode) throw new AppError('FAILED_PRECONDITION', '该单位是物资统筹池，请先在设置中另选统筹单位', 'code');
    const res = (await ctx.db.collection('units').doc(unitCode).remove()) as { stats: { removed: number } };
    forgetDistrict(ctx.db);
    if (res.stats.removed !== 1) throw notFound('单位不存在');
    return { code: unitCode, removed: true };
  },
});

export const saveUnit = defineAction({
  roles: ['admin'],
  input: z.object({
    code,
    name: text({ min: 2, max: 40, required: '请填写单位名称', label: '单位名称' }),
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
    triageFirstResponseHours: z.number().positive('首次响应时限应大于 0').max(24 * 7).optional(),
    triageResolutionWorkdays: z.number().int().min(1).max(90).optional(),
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
    openNeedsPerType: z.number().int().min(1, '至少为 1').max(1_000, '最多 1000').optional(),
    needsPerEnterprisePerDay: z.number().int().min(1, '至少为 1').max(100_000, '最多 100000').optional(),
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
    name: text({ min: 2, max: 40, required: '请填写区域名称', label: '区域名称' }),
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
    name: text({ min: 2, max: 60, required: '请填写专班名称', label: '专班名称' }),
    leadOrg: text({ min: 2, max: 40, required: '请填写牵头单位', label: '牵头单位' }),
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
    title: text({ min: 2, max: 80, required: '请填写政策标题', label: '政策标题' }),
    level: z.enum(['national', 'city', 'district'], { errorMap: () => ({ message: '发文层级应为国家、市或区' }) }),
    summary: text({ max: 1000, required: '请填写摘要', multiline: true, label: '政策摘要' }),
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

// ---- the holiday calendar ---------------------------------------------------

/** A day that exists, 'YYYY-MM-DD', within the years the calendar can hold. */
const day = z
  .string({ invalid_type_error: '日期格式不正确' })
  .refine((v) => isDay(v) && v >= '2000-01-01' && v <= '2099-12-31', '不是存在的日期，请按 年-月-日 填写');

export const listHolidays = defineAction({
  roles: ['admin'],
  input: z.object({ year: z.number().int('年份应为整数').min(2000, '年份应在 2000–2099 之间').max(2099, '年份应在 2000–2099 之间') }),
  async run(ctx, { year }) {
    // Read afresh rather than from the cached district: the admin sees their own edit at once.
    const all = await docsOf<HolidayDoc>(holidaysQuery(ctx.db));
    const items: HolidayItem[] = all
      .filter((h) => h._id.startsWith(`${year}-`))
      .sort((a, b) => a._id.localeCompare(b._id))
      .map((h) => ({ date: h._id, kind: h.kind, name: h.name }));
    return { items };
  },
});

export const saveHoliday = defineAction({
  roles: ['admin'],
  input: z.object({
    date: day,
    kind: z.enum(['holiday', 'workday'], { errorMap: () => ({ message: '请选择放假或调休上班' }) }),
    name: text({ max: 20, required: '请填写名称，如 春节', label: '假日名称' }),
  }),
  async run(ctx, { date, kind, name }) {
    await ctx.db.collection('holidays').doc(date).set({ data: { kind, name, updatedAt: ctx.clock.now().toISOString(), updatedBy: ctx.openid } });
    forgetDistrict(ctx.db);
    return { date, kind, name } satisfies HolidayItem;
  },
});

export const deleteHoliday = defineAction({
  roles: ['admin'],
  input: z.object({ date: day }),
  async run(ctx, { date }) {
    const res = (await ctx.db.collection('holidays').doc(date).remove()) as { stats: { removed: number } };
    forgetDistrict(ctx.db);
    if (res.stats.removed !== 1) throw notFound('日历中没有这一天');
    return { date, removed: true };
  },
});
