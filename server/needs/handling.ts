/**
 * What a unit does with a need: claim (a renewable lease), renew, release,
 * progress, wait on the enterprise, fulfil (partly, for supplies), transfer,
 * reject. Each goes through `transition`, so state and timeline move together.
 */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { invalid } from '../core/errors';
import type { Context } from '../core/ports';
import { id, text } from '../core/validation';
import { district } from '../config/district';
import { freshLease, UNCLAIMED } from './lease';
import { callerOf } from './access';
import { step } from './lifecycle';
import { transition } from './transition';
import { notifySubmitter } from '../notify/notify';
import { createRemainder, remainderOf } from './remainder';
import { checkDelivered } from './schema';
import { firstResponseDueAt, resolutionDueAt } from '../sla/due';
import { chinaTime } from '../core/time';

// Reasons, progress notes and questions go into the timeline the enterprise reads: one text rule, lines allowed.
const reason = (message: string) => text({ max: 500, required: message, multiline: true });
const optionalReason = () => text({ max: 500, multiline: true }).optional();

/** What every handler needs, from the cached district: no round trip. */
async function handling(ctx: Context) {
  const d = await district(ctx);
  return { settings: d.settings, district: d, caller: callerOf(ctx, d) };
}

export const claim = defineAction({
  roles: ['unit'],
  input: z.object({ id }),
  async run(ctx, input) {
    const { settings, caller } = await handling(ctx);
    return transition(
      ctx,
      input.id,
      (need) => {
        const to = step('claim', need, caller);
        return { to, role: 'unit', set: { claimedBy: ctx.openid, ...freshLease(ctx, settings, need.type) } };
      },
      (doc, need) => notifySubmitter(ctx, doc.createdBy, need, 'needClaimed', '您的需求已有专人认领'),
    );
  },
});

export const renew = defineAction({
  roles: ['unit'],
  input: z.object({ id }),
  async run(ctx, input) {
    const { settings, caller } = await handling(ctx);
    return transition(ctx, input.id, (need) => {
      const to = step('renew', need, caller);
      const lease = freshLease(ctx, settings, need.type);
      return { to, role: 'unit', note: `认领续期至 ${chinaTime(lease.leaseUntil, 'M月D日 HH:mm')}`, set: lease };
    });
  },
});

export const release = defineAction({
  roles: ['unit'],
  input: z.object({ id, reason: optionalReason() }),
  async run(ctx, input) {
    const { caller } = await handling(ctx);
    return transition(ctx, input.id, (need) => {
      const to = step('release', need, caller);
      return { to, role: 'unit', note: input.reason ?? '放弃认领，退回队列', set: UNCLAIMED };
    });
  },
});

export const progress = defineAction({
  roles: ['unit'],
  input: z.object({ id, note: reason('请填写进展') }),
  async run(ctx, input) {
    const { settings, caller } = await handling(ctx);
    return transition(
      ctx,
      input.id,
      (need) => {
        const to = step('progress', need, caller);
        // Progress is what keeps a lease alive (spec: "without progress before it runs out").
        return { to, role: 'unit', note: input.note, set: freshLease(ctx, settings, need.type) };
      },
      (doc, need) => notifySubmitter(ctx, doc.createdBy, need, 'needProgress', input.note),
    );
  },
});

export const wait = defineAction({
  roles: ['unit'],
  input: z.object({ id, question: reason('请填写需要企业答复的问题') }),
  async run(ctx, input) {
    const { caller } = await handling(ctx);
    return transition(
      ctx,
      input.id,
      (need) => {
        const to = step('wait', need, caller);
        // The SLA clock stops while the enterprise is asked; `answer` moves dueAt on by the pause.
        return {
          to,
          role: 'unit',
          note: input.question,
          set: { waitQuestion: input.question, waitAnswer: null, pausedAt: ctx.clock.now().toISOString() },
        };
      },
      (doc, need) => notifySubmitter(ctx, doc.createdBy, need, 'needWaiting', input.question),
    );
  },
});

export const fulfil = defineAction({
  roles: ['unit'],
  input: z.object({
    id,
    note: reason('请填写办理结果'),
    quantityDelivered: z.number().int('数量应为整数').nonnegative().optional(),
  }),
  async run(ctx, input) {
    const { caller } = await handling(ctx);
    let wroteRemainder: string | undefined;
    return transition(
      ctx,
      input.id,
      async (need) => {
        const to = step('fulfil', need, caller);
        checkDelivered(need.type, input.quantityDelivered);
        const owed = remainderOf(need, input.quantityDelivered);
        const set: Record<string, unknown> = { fulfilNote: input.note, quantityDelivered: input.quantityDelivered, leaseUntil: null, leaseWarnedFor: null };
        // One remainder per shortfall: after a reopen, fulfilling short again leaves the existing one.
        if (owed && !need.remainderId) {
          const remainder = await createRemainder(ctx, need, owed);
          if (remainder.wrote) wroteRemainder = remainder.id;
          set.remainderId = remainder.id;
        }
        return { to, role: 'unit', note: input.note, set };
      },
      (doc, need) => notifySubmitter(ctx, doc.createdBy, need, 'needFulfilled', input.note),
      // The fulfil lost a race and was refused: the remainder it wrote must not stay behind.
      async () => {
        if (wroteRemainder) await ctx.db.collection('needs').doc(wroteRemainder).remove();
      },
    );
  },
});

export const transfer = defineAction({
  roles: ['unit'],
  input: z.object({ id, toUnitCode: z.string().trim().min(1, '请选择转办单位'), reason: reason('请填写转办原因') }),
  async run(ctx, input) {
    const { caller, district: d } = await handling(ctx);
    const target = d.units.get(input.toUnitCode);
    if (!target) throw invalid('转办单位不存在', 'toUnitCode');
    return transition(ctx, input.id, (need) => {
      // A rejected need always sits at triage (reject moves it there), so its handlers are triage's.
      const to = step('transfer', need, caller);
      if (input.toUnitCode === need.unitCode) throw invalid('不能转办给当前单位', 'toUnitCode');
      const now = ctx.clock.now();
      // The new unit gets the need's own terms afresh, counted in working days on the holiday calendar;
      // a need nobody has responded to yet gets a fresh first-response deadline too.
      const terms = { slaHours: need.route.slaHours, resolutionWorkdays: need.route.resolutionWorkdays, firstResponseHours: need.route.firstResponseHours };
      return {
        to,
        role: 'unit',
        note: `转办至 ${target.name}：${input.reason}`,
        set: {
          ...UNCLAIMED,
          unitCode: input.toUnitCode,
          handledUnits: [...new Set([...(need.handledUnits ?? [need.unitCode]), input.toUnitCode])],
          route: { ...terms, unitCode: input.toUnitCode, ruleId: null, reason: `转办：${input.reason}` },
          dueAt: resolutionDueAt(d, now, terms),
          ...(need.firstResponseAt ? {} : { firstResponseDueAt: firstResponseDueAt(now, terms) }),
          escalated: false,
          rejectReason: null,
        },
      };
    });
  },
});

export const reject = defineAction({
  roles: ['unit'],
  input: z.object({ id, reason: reason('请填写退回原因') }),
  async run(ctx, input) {
    const { caller, settings } = await handling(ctx);
    return transition(ctx, input.id, (need) => {
      const to = step('reject', need, caller);
      // Rejected needs go to federation triage; a rejection by triage itself is final.
      const final = need.unitCode === settings.triageUnitCode;
      return {
        to,
        role: 'unit',
        note: input.reason,
        set: {
          ...UNCLAIMED,
          unitCode: settings.triageUnitCode,
          handledUnits: [...new Set([...(need.handledUnits ?? [need.unitCode]), settings.triageUnitCode])],
          rejectReason: input.reason,
          rejectFinal: final,
        },
      };
    });
  },
});

/** Units a need can be transferred to, for the handler's picker. */
export const units = defineAction({
  roles: ['unit', 'admin'],
  input: z.object({}),
  async run(ctx) {
    const all = [...(await district(ctx)).units.values()];
    return { items: all.map((u) => ({ code: u._id, name: u.name, kind: u.kind })) };
  },
});
