/**
 * The fields of each need type (spec: "Needs and where they go"). One
 * submission carries one or several needs, at most one per type.
 */
import { z } from 'zod';
import type { NeedType } from '../../typings/api';
import { invalid } from '../core/errors';
import { calendarDate, checkDateWindow, count, money, text, type DateWindow } from '../core/validation';
import { clientKey } from './replay';

const required = (max: number, message: string, multiline = false) => text({ max, required: message, multiline });
const optional = (max: number) => text({ max }).optional();

const MAX_SUPPLY_ITEMS = 20;
const MAX_SUPPLY_QUANTITY = 10_000_000;

/** Monthly salary in yuan: a figure, not a wish list of zeros. */
const salary = () => money({ min: 1, max: 1_000_000, unit: ' 元' });

export const NEED_FIELDS = {
  supplies: z.object({
    items: z
      .array(
        z.object({
          kind: z.enum(['mask', 'disinfectant', 'thermometer', 'protective_suit', 'other'], {
            errorMap: () => ({ message: '请选择物资种类' }),
          }),
          quantity: count(MAX_SUPPLY_QUANTITY),
          unit: required(8, '请填写单位'),
        }),
      )
      .min(1, '请至少填写一项物资')
      .max(MAX_SUPPLY_ITEMS),
    neededBy: calendarDate(),
    deliveryAddress: required(120, '请填写收货地址'),
  }),
  financing: z.object({
    // 万元: at least 0.01 (100 yuan), at most 1,000,000 (10 billion yuan).
    amountWan: money({ min: 0.01, max: 1_000_000, unit: ' 万元' }),
    purpose: required(200, '请填写用途', true),
    termMonths: count(360, { unit: ' 个月' }),
    preferredBank: optional(40),
  }),
  hiring: z.object({
    positions: z
      .array(
        z
          .object({
            title: required(30, '请填写岗位'),
            count: count(10_000, { unit: ' 人' }),
            salaryMin: salary().optional(),
            salaryMax: salary().optional(),
          })
          .superRefine((p, ctx) => {
            if (p.salaryMin !== undefined && p.salaryMax !== undefined && p.salaryMin > p.salaryMax) {
              ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['salaryMax'], message: '最高月薪不能低于最低月薪' });
            }
          }),
      )
      .min(1, '请至少填写一个岗位')
      .max(20),
  }),
  rent: z.object({
    landlord: required(60, '请填写出租方'),
    areaSqm: money({ min: 1, max: 1_000_000, unit: ' 平方米' }),
    monthlyRentYuan: money({ min: 1, max: 100_000_000, unit: ' 元' }),
  }),
  utilities: z.object({
    utility: z.enum(['water', 'power', 'gas'], { errorMap: () => ({ message: '请选择水、电或气' }) }),
    issue: required(500, '请描述问题', true),
  }),
  logistics: z.object({
    from: required(60, '请填写起点'),
    to: required(60, '请填写终点'),
    goods: required(200, '请填写货物', true),
  }),
  legal: z.object({ topic: required(60, '请填写主题'), description: required(1000, '请描述问题', true) }),
  health: z.object({ headcount: count(100_000, { unit: ' 人' }), preferredDate: calendarDate() }),
  policy: z.object({ question: required(1000, '请填写问题', true) }),
  other: z.object({ description: required(1000, '请描述困难', true) }),
} satisfies Record<NeedType, z.ZodTypeAny>;

/**
 * Dates of a need that must lie near today (zod schemas are static, so these
 * are checked with the injected clock once the input has parsed): a delivery
 * wanted from yesterday to a year ahead, not in 1970 or 9999.
 */
export const NEED_DATE_WINDOWS: Partial<Record<NeedType, Record<string, DateWindow & { label: string }>>> = {
  supplies: { neededBy: { daysBefore: 1, daysAfter: 366, label: '需要日期' } },
  health: { preferredDate: { daysBefore: 1, daysAfter: 366, label: '期望日期' } },
};

/**
 * Throws INVALID_ARGUMENT naming the field when a need's date lies outside
 * its window. `prefix` is how the form names the need: '' on the single-need
 * form, 'needs.<i>.' on the several-needs form and in a check-in.
 */
export function checkNeedDates(
  needs: ReadonlyArray<{ type: NeedType; fields: Record<string, unknown> }>,
  now: Date,
  prefix: (index: number) => string = (i) => `needs.${i}.`,
): void {
  needs.forEach((need, i) => {
    for (const [field, window] of Object.entries(NEED_DATE_WINDOWS[need.type] ?? {})) {
      const value = need.fields[field];
      if (typeof value === 'string') checkDateWindow(value, now, window, `${prefix(i)}${field}`, window.label);
    }
  });
}

/** The date windows of a parsed `need.submit` input, fields named as that form names them. */
export function checkSubmitDates(input: { single: boolean; needs: Array<{ type: NeedType; fields: Record<string, unknown> }> }, now: Date): void {
  checkNeedDates(input.needs, now, input.single ? () => '' : undefined);
}

/**
 * `need.fulfil`'s quantityDelivered: only supplies have a quantity to
 * deliver, and it is a whole, finite number of items (its upper bound against
 * the need's own total is the remainder's business).
 */
export function checkDelivered(needType: NeedType, quantityDelivered: unknown): void {
  if (quantityDelivered === undefined || quantityDelivered === null) return;
  if (needType !== 'supplies') throw invalid('只有防疫物资需求可以填写交付数量', 'quantityDelivered');
  const parsed = count(MAX_SUPPLY_ITEMS * MAX_SUPPLY_QUANTITY, { min: 0 }).safeParse(quantityDelivered);
  if (!parsed.success) throw invalid(`交付数量${parsed.error.issues[0].message}`, 'quantityDelivered');
}

/**
 * `need.fulfil`'s grantedWan: a loan is fulfilled with the amount the bank
 * actually granted, at most what was asked (the ledger sums it, not the
 * request); no other type has one. Answers the field to set.
 */
export function checkGranted(need: { type: NeedType; amountWan?: unknown }, grantedWan: number | undefined): { grantedWan?: number } {
  if (need.type !== 'financing') {
    if (grantedWan !== undefined) throw invalid('只有融资需求可以填写获批金额', 'grantedWan');
    return {};
  }
  if (grantedWan === undefined) throw invalid('请填写实际获批金额（万元）', 'grantedWan');
  const asked = Number(need.amountWan);
  if (Number.isFinite(asked) && grantedWan > asked) throw invalid(`获批金额不能超过申请的 ${asked} 万元`, 'grantedWan');
  return { grantedWan };
}

export const NEED_TYPES = Object.keys(NEED_FIELDS) as NeedType[];

export const needEntry = z
  .object({ type: z.enum(NEED_TYPES as [NeedType, ...NeedType[]], { errorMap: () => ({ message: '不支持的需求类型' }) }) })
  .passthrough()
  .transform((entry, ctx) => {
    const parsed = NEED_FIELDS[entry.type].safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue(issue);
      return z.NEVER;
    }
    return { type: entry.type, fields: parsed.data as Record<string, unknown> };
  });


const multiInput = z
  .object({ clientKey, needs: z.array(needEntry).min(1, '请至少填写一项需求').max(NEED_TYPES.length) })
  .transform((input) => ({ ...input, single: false }))
  .superRefine((input, ctx) => {
    const seen = new Set<NeedType>();
    input.needs.forEach((n, i) => {
      if (seen.has(n.type)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['needs', i, 'type'], message: '同一类型的需求每次只能提交一项' });
      }
      seen.add(n.type);
    });
  });

const singleInput = z.object({ clientKey }).and(needEntry).transform((input) => ({
  clientKey: input.clientKey,
  needs: [{ type: input.type, fields: input.fields }],
  single: true,
}));

/**
 * Either one need ({type, clientKey, ...fields}, whose field errors are named
 * as they are on the single form) or several ({clientKey, needs: [...]}).
 */
export const submitInput = z.unknown().transform((raw, ctx) => {
  const isMulti = !!raw && typeof raw === 'object' && 'needs' in raw;
  const parsed = isMulti ? multiInput.safeParse(raw) : singleInput.safeParse(raw);
  if (!parsed.success) {
    parsed.error.issues.forEach((issue) => ctx.addIssue(issue));
    return z.NEVER;
  }
  return parsed.data;
});

