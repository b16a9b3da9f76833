/** What the enterprise does with its own need: answer a question, confirm or reopen, cancel. */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { forbidden } from '../core/errors';
import type { Context } from '../core/ports';
import { id } from '../core/validation';
import { loadSettings } from '../settings';
import { requireFrom } from './lifecycle';
import type { NeedDoc } from './model';
import { transition } from './transition';
import { freshLease } from './lease';

function requireOwner(ctx: Context, need: NeedDoc): void {
  if (need.enterpriseId !== ctx.session.enterpriseId) throw forbidden('只能处理本企业的需求');
}

export const answer = defineAction({
  roles: ['enterprise'],
  input: z.object({ id, text: z.string().trim().min(1, '请填写答复').max(1000) }),
  async run(ctx, input) {
    const settings = await loadSettings(ctx.db);
    return transition(ctx, input.id, (need) => {
      requireOwner(ctx, need);
      requireFrom('answer', need.status);
      const now = ctx.clock.now();
      // The SLA clock resumes: the deadline moves on by exactly the time spent waiting.
      const paused = need.pausedAt ? now.getTime() - Date.parse(need.pausedAt) : 0;
      return {
        to: 'in_progress',
        role: 'enterprise',
        note: input.text,
        set: {
          waitAnswer: input.text,
          pausedAt: null,
          dueAt: new Date(Date.parse(need.dueAt) + paused).toISOString(),
          ...freshLease(ctx, settings),
        },
      };
    });
  },
});

export const confirm = defineAction({
  roles: ['enterprise'],
  input: z.object({
    id,
    rating: z.number().int('评分应为 1–5 的整数').min(1, '评分应为 1–5').max(5, '评分应为 1–5'),
    comment: z.string().trim().max(500).optional(),
  }),
  async run(ctx, input) {
    return transition(ctx, input.id, (need) => {
      requireOwner(ctx, need);
      requireFrom('confirm', need.status);
      return { to: 'confirmed', role: 'enterprise', note: input.comment, set: { rating: input.rating, comment: input.comment } };
    });
  },
});

export const reopen = defineAction({
  roles: ['enterprise'],
  input: z.object({ id, reason: z.string().trim().min(1, '请填写重新办理的原因').max(500) }),
  async run(ctx, input) {
    const settings = await loadSettings(ctx.db);
    return transition(ctx, input.id, (need) => {
      requireOwner(ctx, need);
      requireFrom('reopen', need.status);
      // Back to the same handler, who holds it again under a fresh lease.
      return {
        to: 'in_progress',
        role: 'enterprise',
        note: input.reason,
        set: freshLease(ctx, settings),
      };
    });
  },
});

export const cancel = defineAction({
  roles: ['enterprise'],
  input: z.object({ id, reason: z.string().trim().max(500).optional() }),
  async run(ctx, input) {
    return transition(ctx, input.id, (need) => {
      requireOwner(ctx, need);
      requireFrom('cancel', need.status);
      return { to: 'cancelled', role: 'enterprise', note: input.reason ?? '企业撤销', set: { leaseUntil: null, leaseWarnedFor: null } };
    });
  },
});
