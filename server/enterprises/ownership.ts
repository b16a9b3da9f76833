/**
 * An enterprise belongs to its owner (issue: credit-code squatting). Anyone
 * may register a valid, unregistered credit code, so the district needs a
 * way back when someone registered an enterprise that is not theirs: an
 * admin, having seen the business licence, reassigns the registrant or
 * retires the enterprise and frees its code. Each says why, in the audit log.
 *
 * No transaction (the writes touch several people and a `where` on needs):
 * each write is conditional on what it replaces, and the order is chosen so
 * that a stop half-way leaves the new owner holding the enterprise (reassign)
 * or the code free and the enterprise marked (retire); repeating the call
 * finishes the rest.
 */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { conflict, notFound, precondition } from '../core/errors';
import type { Context } from '../core/ports';
import { docsOf, getDoc } from '../core/tx';
import { text } from '../core/validation';
import { loadUser } from '../access/session';
import { district } from '../config/district';
import type { NeedDoc } from '../needs/model';
import { IN_HAND } from '../../typings/statuses';
import { applyDecision } from '../needs/transition';
import { UNCLAIMED } from '../needs/lease';
import { applyGrant, type StoredUser } from '../users/memberships';
import { revokeAndSettle } from '../users/revocation';
import { writeAudit } from '../users/audit';
import { enterpriseInput } from './schema';
import type { EnterpriseDoc } from './store';

const id = z.string().min(1).max(64);
const reason = text({ min: 2, max: 200, required: '请写明原因（至少 2 个字）' });
/** An enterprise's people fit one page (as enterprise.members lists them). */
const PEOPLE_LIMIT = 200;
/** Open needs of one enterprise: a handful; a squatter's, a few dozen at most. */
const NEEDS_LIMIT = 1000;

interface RetiredFields {
  retiredAt?: string;
  retiredBy?: string;
  retiredReason?: string;
}

async function loadEnterprise(ctx: Context, enterpriseId: string): Promise<EnterpriseDoc & RetiredFields> {
  const e = await getDoc<EnterpriseDoc & RetiredFields>(ctx.db, 'enterprises', enterpriseId);
  if (!e) throw notFound('企业不存在');
  return e;
}

/** Takes the enterprise hold from one person, if they still have it (a repeated call finds them gone). */
async function dropHold(ctx: Context, openid: string, enterpriseId: string) {
  try {
    return await revokeAndSettle(ctx, openid, { role: 'enterprise' }, async (current) => {
      if (current.enterpriseId !== enterpriseId) throw notFound('该用户不是本企业的成员');
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'NOT_FOUND') return null;
    throw err;
  }
}

/**
 * admin.reassignEnterprise {enterpriseId, openid, reason, contactName?,
 * contactPhone?}: `openid` becomes the registrant (someone who has opened
 * the app and holds no other enterprise). In this order: the new owner is
 * granted the enterprise, the enterprise and its credit-code lock name them
 * (conditional on the owner they replace), the previous registrant loses the
 * enterprise with their invites into it, and the audit entry is written.
 */
export const reassignEnterprise = defineAction({
  roles: ['admin'],
  input: z.object({
    enterpriseId: id,
    openid: z.string().min(1).max(128),
    reason,
    contactName: enterpriseInput.shape.contactName.optional(),
    contactPhone: enterpriseInput.shape.contactPhone.optional(),
  }),
  async run(ctx, input) {
    const e = await loadEnterprise(ctx, input.enterpriseId);
    if (e.retiredAt) throw precondition('该企业已注销登记，不能再指定登记人');
    const previous = e.ownerOpenid ?? null;
    if (previous === input.openid) throw precondition('该用户已是这家企业的登记人');
    const target = await loadUser(ctx.db, input.openid);
    if (!target) throw notFound('该用户还没有使用过服务台，请先请其打开小程序');
    if (target.enterpriseId && target.enterpriseId !== e._id) throw precondition('该用户已绑定其他企业，请先解除');
    const now = ctx.clock.now().toISOString();
    const grant = {
      role: 'enterprise' as const,
      enterpriseId: e._id,
      membership: { role: 'enterprise' as const, of: e._id, ...(input.contactName ? { name: input.contactName } : {}), joinedAt: now },
    };
    const refused = await applyGrant({ db: ctx.db, openid: input.openid }, grant, now);
    if (refused) throw precondition('该用户已绑定其他企业，请先解除');
    const contact = { ...(input.contactName ? { contactName: input.contactName } : {}), ...(input.contactPhone ? { contactPhone: input.contactPhone } : {}) };
    const res = (await ctx.db
      .collection('enterprises')
      .where({ _id: e._id, ownerOpenid: previous })
      .update({ data: { ownerOpenid: input.openid, ...contact, updatedAt: now } })) as { stats: { updated: number } };
    if (res.stats.updated !== 1) throw conflict('该企业的登记人刚刚发生变化，请刷新后重试');
    await ctx.db.collection('creditCodes').where({ _id: e.creditCode, enterpriseId: e._id }).update({ data: { ownerOpenid: input.openid } });
    const settled = previous ? await dropHold(ctx, previous, e._id) : null;
    await writeAudit(ctx, {
      action: 'reassignEnterprise',
      target: input.openid,
      targetName: input.contactName ?? e.contactName,
      details: {
        role: 'enterprise',
        enterpriseId: e._id,
        reason: input.reason,
        ...(previous ? { previousOwner: previous } : {}),
        ...(settled?.codes.length ? { codes: settled.codes } : {}),
      },
    });
    return { enterpriseId: e._id, ownerOpenid: input.openid };
  },
});

/**
 * admin.retireEnterprise {enterpriseId, reason}: the enterprise stays (its
 * needs' timelines and visits are history) but is marked retired and no
 * longer verified; its credit code is free for the real enterprise to
 * register; everyone who held it loses it, with the invites they issued into
 * it; its open needs are cancelled, each with a timeline event. Repeating
 * the call on a retired enterprise finishes what a stop left undone.
 */
export const retireEnterprise = defineAction({
  roles: ['admin'],
  input: z.object({ enterpriseId: id, reason }),
  async run(ctx, input) {
    const e = await loadEnterprise(ctx, input.enterpriseId);
    const now = ctx.clock.now().toISOString();
    const _ = ctx.db.command;
    if (!e.retiredAt) {
      await ctx.db
        .collection('enterprises')
        .where({ _id: e._id, retiredAt: _.exists(false) })
        .update({ data: { retiredAt: now, retiredBy: ctx.openid, retiredReason: input.reason, verified: false, updatedAt: now } });
    }
    // The lock only if it still names this enterprise: a code another enterprise registered since stays theirs.
    await ctx.db.collection('creditCodes').where({ _id: e.creditCode, enterpriseId: e._id }).remove();
    const people = await docsOf<StoredUser>(ctx.db.collection('users').where({ enterpriseId: e._id }).limit(PEOPLE_LIMIT));
    const codes: string[] = [];
    for (const person of people) {
      const settled = await dropHold(ctx, person._id, e._id);
      if (settled) codes.push(...settled.codes);
    }
    const cancelled = await cancelOpenNeeds(ctx, e._id, input.reason);
    if (!e.retiredAt) {
      await writeAudit(ctx, {
        action: 'retireEnterprise',
        targetName: e.name,
        details: {
          role: 'enterprise',
          enterpriseId: e._id,
          reason: input.reason,
          ...(e.ownerOpenid ? { previousOwner: e.ownerOpenid } : {}),
          ...(codes.length ? { codes } : {}),
        },
      });
    }
    return { retired: true, removedMembers: people.length, cancelledNeeds: cancelled };
  },
});

/** Cancels the retired enterprise's open needs (nobody is left to confirm them), each with its event. */
async function cancelOpenNeeds(ctx: Context, enterpriseId: string, why: string): Promise<number> {
  const _ = ctx.db.command;
  const d = await district(ctx);
  const open = await docsOf<NeedDoc>(ctx.db.collection('needs').where({ enterpriseId, status: _.in(IN_HAND) }).limit(NEEDS_LIMIT));
  let cancelled = 0;
  for (const need of open) {
    const written = await applyDecision(ctx, d, need, { to: 'cancelled', role: 'admin', note: `企业登记已注销：${why}`, set: UNCLAIMED });
    if (written) cancelled++;
  }
  return cancelled;
}
