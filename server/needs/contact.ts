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
import type { NeedStatus } from '../../typings/api';
import { defineAction } from '../core/actions';
import { AppError, forbidden, notFound, precondition } from '../core/errors';
import { getDoc } from '../core/tx';
import { id } from '../core/validation';
import { district } from '../config/district';
import { NEED_STATUS_LABELS } from '../../typings/labels';
import { handlerUnits } from './access';
import { OPEN_STATUSES, toNeed, type NeedDoc } from './model';
import { applyDecision } from './transition';

export const CONTACT_NOTE = '已电话联系企业';
export const CONTACT_QUIET_MS = 10 * 60_000;

/** A need that is open can be called about; a closed one has nothing left to contact the enterprise for. */
const CONTACTABLE: readonly NeedStatus[] = [...OPEN_STATUSES, 'rejected'];

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
    const units = handlerUnits(ctx, d);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const need = await getDoc<NeedDoc>(ctx.db, 'needs', input.id);
      if (!need) throw notFound('需求不存在');
      // The claimer, or — before anyone claims it — any handler of the unit that holds it.
      const claimer = need.claimedBy === ctx.openid;
      if (!claimer && (!units.includes(need.unitCode) || (need.claimedBy && need.claimedBy !== ctx.openid))) {
        throw forbidden(need.claimedBy && units.includes(need.unitCode) ? '该需求已由他人认领，请由认领人联系企业' : '该需求不属于您所在单位');
      }
      if (!CONTACTABLE.includes(need.status)) throw precondition(`需求${NEED_STATUS_LABELS[need.status]}，无需再联系企业`);
      if (recentCall(need, ctx.clock.now().getTime())) return toNeed(need);
      const written = await applyDecision(ctx, d, need, { to: need.status, role: 'unit', note: CONTACT_NOTE, responds: true });
      if (written) return toNeed(written);
    }
    throw new AppError('CONFLICT', '该需求正被他人同时办理，请刷新后重试');
  },
});
