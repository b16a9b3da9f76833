import { z } from 'zod';
import { defineAction } from '../core/actions';
import { conflict, forbidden, precondition } from '../core/errors';
import { id } from '../core/validation';
import { loadSettings } from '../settings';
import { handlerUnits, requireHandler } from './access';
import { transition } from './transition';
import type { NeedDoc } from './model';
import { notifySubmitter } from '../notify/notify';

function requireClaimer(need: NeedDoc, openid: string): void {
  if (need.claimedBy !== openid) throw forbidden('只有认领人可以办理该需求');
}

export const claim = defineAction({
  roles: ['unit'],
  input: z.object({ id }),
  async run(ctx, input) {
    const settings = await loadSettings(ctx.db);
    const units = await handlerUnits(ctx, settings);
    const leaseUntil = new Date(ctx.clock.now().getTime() + settings.leaseMinutes * 60_000).toISOString();
    return transition(ctx, input.id, (need) => {
      requireHandler(units, need);
      if (need.status !== 'routed') {
        if (need.claimedBy) throw conflict('该需求已被他人认领');
        throw precondition('该需求当前不可认领');
      }
      return { to: 'claimed', role: 'unit', set: { claimedBy: ctx.openid, leaseUntil } };
    }, (doc, need) => notifySubmitter(ctx, doc.createdBy, need, 'needClaimed', '您的需求已有专人认领'));
  },
});

export const fulfil = defineAction({
  roles: ['unit'],
  input: z.object({
    id,
    note: z.string().trim().min(1, '请填写办理结果').max(500),
    quantityDelivered: z.number().int().nonnegative().optional(),
  }),
  async run(ctx, input) {
    return transition(ctx, input.id, (need) => {
      requireClaimer(need, ctx.openid);
      if (need.status !== 'claimed' && need.status !== 'in_progress') throw precondition('该需求当前不可办结');
      return {
        to: 'fulfilled',
        role: 'unit',
        note: input.note,
        set: { fulfilNote: input.note, quantityDelivered: input.quantityDelivered, leaseUntil: null },
      };
    }, (doc, need) => notifySubmitter(ctx, doc.createdBy, need, 'needFulfilled', input.note));
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
      if (need.enterpriseId !== ctx.session.enterpriseId) throw forbidden('只能确认本企业的需求');
      if (need.status !== 'fulfilled') throw precondition('需求办结后才能确认');
      return {
        to: 'confirmed',
        role: 'enterprise',
        note: input.comment,
        set: { rating: input.rating, comment: input.comment },
      };
    });
  },
});
