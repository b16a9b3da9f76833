/**
 * What a revocation brings with it besides the hold itself (issue: revocation
 * is final): the open invites the person issued under the hold are withdrawn,
 * and the needs they hold in the units they lose go back to those units'
 * queues, each with its timeline event, the unit's members told. Both run
 * after the hold is gone, so a stop half-way leaves access taken back and at
 * worst a claim that its lease expiry returns later (and which the person can
 * no longer act on: handling checks their units on every call).
 */
import type { Context } from '../core/ports';
import { docsOf, getDoc } from '../core/tx';
import { sessionOf } from '../access/session';
import { district } from '../config/district';
import { handlerUnits } from '../needs/access';
import { statesFor } from '../needs/lifecycle';
import { applyDecision } from '../needs/transition';
import { UNCLAIMED } from '../needs/lease';
import { toNeed, type NeedDoc } from '../needs/model';
import { notifyUnit } from '../notify/notify';
import { withdrawIssuedBy } from './invites';
import { revokeHold, type Revocation, type StoredUser } from './memberships';

/** Claims a person may hold at once are a few dozen; one read covers them. */
const HELD_LIMIT = 1000;
const ATTEMPTS = 4;
export const RELEASE_NOTE = '认领人已不再负责该单位，需求退回队列';

/** The units whose needs a person works, as their document stands. */
function unitsOf(ctx: Context, d: Awaited<ReturnType<typeof district>>, openid: string, user: StoredUser): string[] {
  return handlerUnits({ ...ctx, session: sessionOf(openid, user) }, d);
}

/** Returns to the queue every need the person holds in a unit they no longer work; answers the ids. */
export async function releaseClaims(ctx: Context, openid: string, before: StoredUser, after: StoredUser): Promise<string[]> {
  const d = await district(ctx);
  const keeps = new Set(unitsOf(ctx, d, openid, after));
  const lost = new Set(unitsOf(ctx, d, openid, before).filter((u) => !keeps.has(u)));
  if (!lost.size) return [];
  const _ = ctx.db.command;
  const held = await docsOf<NeedDoc>(
    ctx.db.collection('needs').where({ claimedBy: openid, status: _.in(statesFor('expireLease')) }).limit(HELD_LIMIT),
  );
  const released: string[] = [];
  for (let need of held.filter((n) => lost.has(n.unitCode))) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const written = await applyDecision(ctx, d, need, { to: 'routed', role: 'admin', note: RELEASE_NOTE, set: UNCLAIMED });
      if (written) {
        released.push(need._id);
        await notifyUnit(ctx, toNeed(written), 'needRouted', '需求已退回队列，请重新认领');
        break;
      }
      // Moved meanwhile: read again; released, transferred or closed by someone else, it is no longer theirs.
      const fresh = await getDoc<NeedDoc>(ctx.db, 'needs', need._id);
      if (!fresh || fresh.claimedBy !== openid || !lost.has(fresh.unitCode) || !statesFor('expireLease').includes(fresh.status)) break;
      need = fresh;
    }
  }
  return released;
}

type Revoked = Awaited<ReturnType<typeof revokeHold>>;

/** A revocation's consequences, once it stands: the invites withdrawn and the needs released, answered so the audit entry names them. */
export async function settle(ctx: Context, openid: string, revoked: Revoked): Promise<Revoked & { codes: string[]; releasedNeeds: string[] }> {
  const codes = await withdrawIssuedBy(ctx, openid, sessionOf(openid, revoked.after));
  const releasedNeeds = await releaseClaims(ctx, openid, revoked.user, revoked.after);
  return { ...revoked, codes, releasedNeeds };
}

/** revokeHold, then settle. */
export async function revokeAndSettle(ctx: Context, openid: string, r: Revocation, check?: (user: StoredUser) => Promise<void>) {
  return settle(ctx, openid, await revokeHold(ctx, openid, r, check));
}

/** The audit entry's part about consequences, present only when there were any. */
export function settledDetails(r: { codes: string[]; releasedNeeds: string[] }) {
  return { ...(r.codes.length ? { codes: r.codes } : {}), ...(r.releasedNeeds.length ? { releasedNeeds: r.releasedNeeds } : {}) };
}
