/** What the enterprise does with its own need: answer a question, confirm or reopen, cancel. */
import { z } from 'zod';
import type { Context } from '../core/ports';
import { id, text } from '../core/validation';
import { district } from '../config/district';
import { callerOf } from './access';
import { step } from './lifecycle';
import { transition } from './transition';
import { freshLease } from './lease';
import { lifecycleAction, replayOf } from './replay';

/**
 * Settings and the caller from the cached district: an owner's action spends
 * no read on them. `caller` takes the context of each attempt (transition.ts).
 */
async function owning(ctx: Context) {
  const d = await district(ctx);
  return { settings: d.settings, caller: (live: Context) => callerOf(live, d) };
}

export const answer = lifecycleAction({
  roles: ['enterprise'],
  input: z.object({ id, text: text({ max: 1000, required: '请填写答复', multiline: true }) }),
  async run(ctx, input) {
    const { settings, caller } = await owning(ctx);
    return transition(ctx, input.id, (need, live) => {
      const to = step('answer', need, caller(live));
      const now = ctx.clock.now();
      // The SLA clock resumes: the deadline moves on by exactly the time spent waiting.
      const paused = need.pausedAt ? now.getTime() - Date.parse(need.pausedAt) : 0;
      return {
        to,
        role: 'enterprise',
        note: input.text,
        set: {
          waitAnswer: input.text,
          pausedAt: null,
          dueAt: new Date(Date.parse(need.dueAt) + paused).toISOString(),
          // The handler picks the work up again: a whole lease, not what was left before the question.
          ...freshLease(ctx, settings, need.type),
        },
      };
    }, undefined, { replay: replayOf(ctx, 'answer', input) });
  },
});

export const confirm = lifecycleAction({
  roles: ['enterprise'],
  input: z.object({
    id,
    rating: z.number().int('评分应为 1–5 的整数').min(1, '评分应为 1–5').max(5, '评分应为 1–5'),
    comment: text({ max: 500, multiline: true }).optional(),
  }),
  async run(ctx, input) {
    const { caller } = await owning(ctx);
    return transition(ctx, input.id, (need, live) => {
      const to = step('confirm', need, caller(live));
      return { to, role: 'enterprise', note: input.comment, set: { rating: input.rating, comment: input.comment } };
    }, undefined, { replay: replayOf(ctx, 'confirm', input) });
  },
});

export const reopen = lifecycleAction({
  roles: ['enterprise'],
  input: z.object({ id, reason: text({ max: 500, required: '请填写重新办理的原因', multiline: true }) }),
  async run(ctx, input) {
    const { settings, caller } = await owning(ctx);
    return transition(ctx, input.id, (need, live) => {
      const to = step('reopen', need, caller(live));
      // Back to the same handler, who holds it again under a fresh lease of the need's type.
      return { to, role: 'enterprise', note: input.reason, set: freshLease(ctx, settings, need.type) };
    }, undefined, { replay: replayOf(ctx, 'reopen', input) });
  },
});

export const cancel = lifecycleAction({
  roles: ['enterprise'],
  input: z.object({ id, reason: text({ max: 500, multiline: true }).optional() }),
  async run(ctx, input) {
    const { caller } = await owning(ctx);
    return transition(ctx, input.id, (need, live) => {
      const to = step('cancel', need, caller(live));
      return { to, role: 'enterprise', note: input.reason ?? '企业撤销', set: { leaseUntil: null, leaseWarnedFor: null } };
    }, undefined, { replay: replayOf(ctx, 'cancel', input) });
  },
});
