/**
 * need.contacted: the handler page reports a call to the enterprise (after
 * wx.makePhoneCall). The call is the first response hotline practice asks
 * for within the hour, so it stops the first-response clock
 * (transition.ts derives firstResponseAt) and leaves a line in the timeline;
 * the status stays as it is.
 *
 * A person who taps the number three times in a minute made one call as far
 * as the timeline is concerned: within CONTACT_QUIET_MS of the unit's last
 * recorded call, nothing is written and the need is answered as it is.
 */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { AppError, notFound } from '../core/errors';
import { getDoc } from '../core/tx';
import { id } from '../core/validation';
import { district } from '../config/district';
import { callerOf } from './access';
import { step } from './lifecycle';
import { readerOf, toNeed, type NeedDoc } from './model';
import { applyDecision } from './transition';

export const CONTACT_NOTE = '已电话联系企业';
export const CONTACT_QUIET_MS = 10 * 60_000;

const MAX_ATTEMPTS = 8;

function recentCall(need: NeedDoc, now: number): boolean {
  for (let i = need.timeline.length - 1; i >= 0; i--) {
    const e = need.timeline[i];
    if (now - Date.parse(e.at) >= CONTACT_QUIET_MS) return false;
    if (e.note === CONTACT_NOTE && e.role === 'unit') return true;
  }
  return false;
}

export const contacted = defineAction({
  roles: ['unit'],
  input: z.object({ id }),
  async run(ctx, input) {
    const d = await district(ctx);
    const caller = callerOf(ctx, d);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const need = await getDoc<NeedDoc>(ctx.db, 'needs', input.id);
      if (!need) throw notFound('需求不存在');
      // The one lifecycle table decides: the claimer, or any handler of the unit before anyone claims.
      step('contacted', need, caller);
      if (recentCall(need, ctx.clock.now().getTime())) return toNeed(need, { reader: readerOf(ctx) });
      const written = await applyDecision(ctx, d, need, { to: need.status, role: 'unit', note: CONTACT_NOTE, responds: true });
      if (written) return toNeed(written, { reader: readerOf(ctx) });
    }
    throw new AppError('CONFLICT', '该需求正被他人同时办理，请刷新后重试');
  },
});
