/** Unit heads' and admins' tools: break a claim, preview routing, verify a timeline. */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { id, text } from '../core/validation';
import { INDUSTRIES } from '../enterprises/schema';
import { route } from '../routing/engine';
import { district, unitName } from '../config/district';
import { verifyHistory } from '../history/verify';
import { step } from './lifecycle';
import { callerOf } from './access';
import { NEED_TYPES } from './schema';
import { transition } from './transition';
import { UNCLAIMED } from './lease';
import { notifyClaimer } from '../notify/notify';

export const breakClaim = defineAction({
  roles: ['unit', 'admin'],
  input: z.object({ id, reason: text({ max: 500, multiline: true }).optional() }),
  async run(ctx, input) {
    const caller = callerOf(ctx, await district(ctx));
    let claimer: string | undefined;
    return transition(
      ctx,
      input.id,
      (need) => {
        const to = step('breakClaim', need, caller);
        claimer = need.claimedBy ?? undefined;
        return {
          to,
          role: caller.admin ? 'admin' : 'unit',
          note: input.reason ?? '负责人解除认领',
          set: UNCLAIMED,
        };
      },
      async (_doc, need) => {
        if (claimer) await notifyClaimer(ctx, claimer, need, 'leaseExpiring', '您的认领已被负责人解除');
      },
    );
  },
});

export const routePreview = defineAction({
  roles: ['admin'],
  input: z.object({
    type: z.enum(NEED_TYPES as [string, ...string[]]),
    industry: z.enum(INDUSTRIES),
    zone: z.string().min(1),
    chamberCodes: z.array(z.string()).default([]),
  }),
  async run(ctx, input) {
    const d = await district(ctx);
    const decision = route(input as never, d.rules, { unitCode: d.settings.triageUnitCode, slaHours: d.settings.triageSlaHours });
    return { ...decision, unitName: unitName(d, decision.unitCode) };
  },
});

export const verifyTimeline = defineAction({
  roles: ['admin'],
  input: z.object({ id }),
  async run(ctx, input) {
    // `failed` names the check (event hash, state hash, key, anchor); brokenAt stays for clients of the first contract.
    return verifyHistory(ctx, input.id);
  },
});
