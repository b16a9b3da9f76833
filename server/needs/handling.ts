/**
 * What a unit does with a need: claim (a renewable lease), renew, release,
 * progress, wait on the enterprise, fulfil (partly, for supplies), transfer,
 * reject. Each goes through `transition`, so state and timeline move together.
 */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { invalid } from '../core/errors';
import type { Context } from '../core/ports';
import { getDoc } from '../core/tx';
import { id, money, text } from '../core/validation';
import { district } from '../config/district';
import { freshLease, UNCLAIMED } from './lease';
import { callerOf } from './access';
import { step } from './lifecycle';
import { transition, type Decision } from './transition';
import { notifySubmitter } from '../notify/notify';
import { deliveryOf, ensureRemainder, remainderIdOf, remainderOpen, writeWithRemainder } from './remainder';
import { checkDelivered, checkGranted } from './schema';
import { lifecycleAction, replayOf } from './replay';
import type { NeedDoc } from './model';
import { firstResponseDueAt, resolutionDueAt } from '../sla/due';
import { chinaTime } from '../core/time';

// Reasons, progress notes and questions go into the timeline the enterprise reads: one text rule, lines allowed.
const reason = (message: string) => text({ max: 500, required: message, multiline: true });
const optionalReason = () => text({ max: 500, multiline: true }).optional();

/**
 * What every handler needs, from the cached district: no round trip. `caller`
 * takes the context `transition` hands each attempt, whose session was read
 * with the need (a revocation since the call began is seen).
 */
async function handling(ctx: Context) {
  const d = await district(ctx);
  return { settings: d.settings, district: d, caller: (now: Context) => callerOf(now, d) };
}

export const claim = lifecycleAction({
  roles: ['unit'],
  input: z.object({ id }),
  async run(ctx, input) {
    const { settings, caller } = await handling(ctx);
    return transition(
      ctx,
      input.id,
      (need, live) => {
        const to = step('claim', need, caller(live));
        return { to, role: 'unit', set: { claimedBy: ctx.openid, ...freshLease(ctx, settings, need.type) } };
      },
      (doc, need) => notifySubmitter(ctx, doc.createdBy, need, 'needClaimed', '您的需求已有专人认领'),
      { replay: replayOf(ctx, 'claim', input) },
    );
  },
});

export const renew = lifecycleAction({
  roles: ['unit'],
  input: z.object({ id }),
  async run(ctx, input) {
    const { settings, caller } = await handling(ctx);
    return transition(ctx, input.id, (need, live) => {
      const to = step('renew', need, caller(live));
      const lease = freshLease(ctx, settings, need.type);
      return { to, role: 'unit', note: `认领续期至 ${chinaTime(lease.leaseUntil, 'M月D日 HH:mm')}`, set: lease };
    }, undefined, { replay: replayOf(ctx, 'renew', input) });
  },
});

export const release = lifecycleAction({
  roles: ['unit'],
  input: z.object({ id, reason: optionalReason() }),
  async run(ctx, input) {
    const { caller } = await handling(ctx);
    return transition(ctx, input.id, (need, live) => {
      const to = step('release', need, caller(live));
      return { to, role: 'unit', note: input.reason ?? '放弃认领，退回队列', set: UNCLAIMED };
    }, undefined, { replay: replayOf(ctx, 'release', input) });
  },
});

export const progress = lifecycleAction({
  roles: ['unit'],
  input: z.object({ id, note: reason('请填写进展') }),
  async run(ctx, input) {
    const { settings, caller } = await handling(ctx);
    return transition(
      ctx,
      input.id,
      (need, live) => {
        const to = step('progress', need, caller(live));
        // Progress is what keeps a lease alive (spec: "without progress before it runs out").
        return { to, role: 'unit', note: input.note, set: freshLease(ctx, settings, need.type) };
      },
      (doc, need) => notifySubmitter(ctx, doc.createdBy, need, 'needProgress', input.note),
      { replay: replayOf(ctx, 'progress', input) },
    );
  },
});

export const wait = lifecycleAction({
  roles: ['unit'],
  input: z.object({ id, question: reason('请填写需要企业答复的问题') }),
  async run(ctx, input) {
    const { caller } = await handling(ctx);
    return transition(
      ctx,
      input.id,
      (need, live) => {
        const to = step('wait', need, caller(live));
        // The SLA clock stops while the enterprise is asked; `answer` moves dueAt on by the pause.
        return {
          to,
          role: 'unit',
          note: input.question,
          set: { waitQuestion: input.question, waitAnswer: null, pausedAt: ctx.clock.now().toISOString() },
        };
      },
      (doc, need) => notifySubmitter(ctx, doc.createdBy, need, 'needWaiting', input.question),
      { replay: replayOf(ctx, 'wait', input) },
    );
  },
});

export const fulfil = lifecycleAction({
  roles: ['unit'],
  input: z.object({
    id,
    note: reason('请填写办理结果'),
    quantityDelivered: z.number().int('数量应为整数').nonnegative().optional(),
    /** A loan: the amount the bank actually granted (万元), at most what was asked. */
    grantedWan: money({ min: 0.01, max: 1_000_000, unit: ' 万元' }).optional(),
  }),
  async run(ctx, input) {
    const { caller } = await handling(ctx);
    // Whether the winning write named a remainder not written yet, or settled it in its own transaction.
    let remainder: 'absent' | 'settled' | undefined;
    return transition(
      ctx,
      input.id,
      async (need, live) => {
        // The same fulfil sent again after it landed (no key): finish what a crash may have left first.
        if (need.remainderId && (need.status === 'fulfilled' || need.status === 'confirmed')) await ensureRemainder(ctx, need);
        const to = step('fulfil', need, caller(live));
        checkDelivered(need.type, input.quantityDelivered);
        const set: Record<string, unknown> = { fulfilNote: input.note, leaseUntil: null, leaseWarnedFor: null, ...checkGranted(need, input.grantedWan) };
        const decision: Decision = { to, role: 'unit', note: input.note, set };
        remainder = undefined;
        if (need.type !== 'supplies') return decision;
        const existing = need.remainderId ? await getDoc<NeedDoc>(ctx.db, 'needs', need.remainderId) : null;
        const { delivery, total, owes } = deliveryOf(need, input.quantityDelivered, existing);
        set.quantityDelivered = total;
        // The remainder follows this write (remainder.ts): named here, inserted once the write has landed.
        if (owes && !need.remainderId) {
          set.remainderId = remainderIdOf(need._id);
          remainder = 'absent';
        }
        // A reopened need delivering again takes the delivery off its open remainder in the same transaction.
        if (existing && delivery > 0 && remainderOpen(existing)) {
          decision.write = writeWithRemainder(existing);
          remainder = 'settled';
        }
        return decision;
      },
      async (doc, need) => {
        if (remainder !== 'settled') await ensureRemainder(ctx, doc, remainder);
        await notifySubmitter(ctx, doc.createdBy, need, 'needFulfilled', input.note);
      },
      { replay: replayOf(ctx, 'fulfil', input), replayed: (doc) => ensureRemainder(ctx, doc) },
    );
  },
});

export const transfer = lifecycleAction({
  roles: ['unit'],
  input: z.object({ id, toUnitCode: z.string().trim().min(1, '请选择转办单位'), reason: reason('请填写转办原因') }),
  async run(ctx, input) {
    const { caller, district: d } = await handling(ctx);
    const target = d.units.get(input.toUnitCode);
    if (!target) throw invalid('转办单位不存在', 'toUnitCode');
    return transition(ctx, input.id, (need, live) => {
      // A rejected need always sits at triage (reject moves it there), so its handlers are triage's.
      const to = step('transfer', need, caller(live));
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
    }, undefined, { replay: replayOf(ctx, 'transfer', input) });
  },
});

export const reject = lifecycleAction({
  roles: ['unit'],
  input: z.object({ id, reason: reason('请填写退回原因') }),
  async run(ctx, input) {
    const { caller, settings } = await handling(ctx);
    return transition(ctx, input.id, (need, live) => {
      const to = step('reject', need, caller(live));
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
    }, undefined, { replay: replayOf(ctx, 'reject', input) });
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
