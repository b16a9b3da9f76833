/** Unit heads' and admins' tools: break a claim, preview routing, verify a timeline and the anchor chain. */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { id, text } from '../core/validation';
import { INDUSTRIES } from '../enterprises/schema';
import { route } from '../routing/engine';
import { district, triageOf, unitName } from '../config/district';
import { verifyHistory } from '../history/verify';
import { verifyAnchors as verifyAnchorChain } from '../history/anchors';
import { chinaTime } from '../core/time';
import { step } from './lifecycle';
import { callerOf } from './access';
import { NEED_TYPES } from './schema';
import { transition } from './transition';
import { UNCLAIMED } from './lease';
import { notifyClaimer } from '../notify/notify';
import { lifecycleAction, replayOf } from './replay';

export const breakClaim = lifecycleAction({
  roles: ['unit', 'admin'],
  input: z.object({ id, reason: text({ max: 500, multiline: true }).optional() }),
  async run(ctx, input) {
    const d = await district(ctx);
    let claimer: string | undefined;
    return transition(
      ctx,
      input.id,
      (need, live) => {
        const caller = callerOf(live, d);
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
      { replay: replayOf(ctx, 'breakClaim', input) },
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
    // The very decision need.submit makes (server/needs/create.ts): the same rules and the same triage terms.
    const decision = route(input as never, d.rules, triageOf(d));
    return { ...decision, unitName: unitName(d, decision.unitCode) };
  },
});

/** A China day's stretch of the anchor chain, recomputed: every anchor's MAC, link and digest, every record's HMAC. */
export const verifyAnchors = defineAction({
  roles: ['admin'],
  input: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional() }),
  async run(ctx, input) {
    return verifyAnchorChain(ctx, input.day ?? chinaTime(ctx.clock.now().toISOString(), 'YYYY-MM-DD'));
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
