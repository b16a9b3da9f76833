/**
 * The fields of each need type (spec: "Needs and where they go"). One
 * submission carries one or several needs, at most one per type.
 */
import { z } from 'zod';
import type { NeedType } from '../../typings/api';
import { isoDate } from '../core/validation';

const text = (max: number, message: string) => z.string().trim().min(1, message).max(max);

export const NEED_FIELDS = {
  supplies: z.object({
    items: z
      .array(
        z.object({
          kind: z.enum(['mask', 'disinfectant', 'thermometer', 'protective_suit', 'other'], {
            errorMap: () => ({ message: '请选择物资种类' }),
          }),
          quantity: z.number().int('数量应为整数').positive('数量应大于 0').max(10_000_000),
          unit: text(8, '请填写单位'),
        }),
      )
      .min(1, '请至少填写一项物资')
      .max(20),
    neededBy: isoDate,
    deliveryAddress: text(120, '请填写收货地址'),
  }),
  financing: z.object({
    amountWan: z.number().positive('金额应大于 0').max(1_000_000),
    purpose: text(200, '请填写用途'),
    termMonths: z.number().int().min(1).max(360),
    preferredBank: z.string().trim().max(40).optional(),
  }),
  hiring: z.object({
    positions: z
      .array(
        z.object({
          title: text(30, '请填写岗位'),
          count: z.number().int().positive('人数应大于 0').max(10_000),
          salaryMin: z.number().nonnegative().optional(),
          salaryMax: z.number().nonnegative().optional(),
        }),
      )
      .min(1, '请至少填写一个岗位')
      .max(20),
  }),
  rent: z.object({
    landlord: text(60, '请填写出租方'),
    areaSqm: z.number().positive().max(1_000_000),
    monthlyRentYuan: z.number().nonnegative().max(100_000_000),
  }),
  utilities: z.object({
    utility: z.enum(['water', 'power', 'gas'], { errorMap: () => ({ message: '请选择水、电或气' }) }),
    issue: text(500, '请描述问题'),
  }),
  logistics: z.object({
    from: text(60, '请填写起点'),
    to: text(60, '请填写终点'),
    goods: text(200, '请填写货物'),
  }),
  legal: z.object({ topic: text(60, '请填写主题'), description: text(1000, '请描述问题') }),
  health: z.object({ headcount: z.number().int().positive().max(100_000), preferredDate: isoDate }),
  policy: z.object({ question: text(1000, '请填写问题') }),
  other: z.object({ description: text(1000, '请描述困难') }),
} satisfies Record<NeedType, z.ZodTypeAny>;

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

const clientKey = z.string().trim().min(8, '提交编号无效').max(64);

const multiInput = z
  .object({ clientKey, needs: z.array(needEntry).min(1, '请至少填写一项需求').max(NEED_TYPES.length) })
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

