/**
 * The people of one enterprise: the owner who registered it and the
 * colleagues they invited. Everyone of the enterprise sees the list; only
 * the owner removes a colleague (never themselves: an enterprise always has
 * someone who can manage it).
 */
import { z } from 'zod';
import type { EnterpriseMember } from '../../typings/api';
import { defineAction } from '../core/actions';
import { invalid, forbidden, notFound, precondition } from '../core/errors';
import { sha256 } from '../core/ids';
import { docsOf, getDoc } from '../core/tx';
import { pageBy } from '../core/paging';
import { requireEnterprise, sessionOf } from '../access/session';
import { joinedAt, memberName, revokeHold, UNNAMED, type StoredUser } from '../users/memberships';
import { withdrawIssuedBy } from '../users/invites';
import { writeAudit } from '../users/audit';
import type { EnterpriseDoc } from './store';

const MEMBERS_PAGE = 200;

/**
 * What names a member to their colleagues: derived from the enterprise and
 * the OPENID, so it is stable and needs no storage, and it is not the OPENID
 * (OPENIDs reach admins only). Not a secret either: it only means something
 * to the enterprise's own owner, inside enterprise.removeMember.
 */
export function memberIdOf(enterpriseId: string, openid: string): string {
  return sha256(`member\n${enterpriseId}\n${openid}`).slice(0, 16);
}

export const members = defineAction({
  roles: ['enterprise'],
  input: z.object({ cursor: z.string().max(500).optional() }),
  async run(ctx, { cursor }) {
    const enterpriseId = requireEnterprise(ctx.session);
    const [enterprise, page] = await Promise.all([
      getDoc<EnterpriseDoc>(ctx.db, 'enterprises', enterpriseId),
      pageBy<StoredUser>(ctx.db, 'users', { enterpriseId }, [], cursor, MEMBERS_PAGE),
    ]);
    const owner = enterprise?.ownerOpenid ?? null;
    const items: EnterpriseMember[] = page.docs.map((u) => {
      const isOwner = u._id === owner;
      // The owner's name is the contact they registered with, unless their membership names them.
      const name = memberName(u, 'enterprise', enterpriseId);
      return {
        memberId: memberIdOf(enterpriseId, u._id),
        me: u._id === ctx.openid,
        name: isOwner && name === UNNAMED && enterprise ? enterprise.contactName : name,
        owner: isOwner,
        joinedAt: joinedAt(u, 'enterprise', enterpriseId),
      };
    });
    // The owner first: the one person the others turn to.
    items.sort((a, b) => Number(b.owner) - Number(a.owner));
    return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
  },
});

/** The colleague a member id names: one read of the enterprise's people (a page holds them all). */
async function openidOfMember(ctx: import('../core/ports').Context, enterpriseId: string, memberId: string): Promise<string> {
  const people = await docsOf<StoredUser>(ctx.db.collection('users').where({ enterpriseId }).limit(MEMBERS_PAGE));
  const found = people.find((u) => memberIdOf(enterpriseId, u._id) === memberId);
  if (!found) throw notFound('该用户不是本企业的成员');
  return found._id;
}

export const removeMember = defineAction({
  roles: ['enterprise'],
  input: z.object({
    memberId: z.string().min(1).max(64).optional(),
    /** Accepted from clients written before memberId existed. */
    openid: z.string().min(1).max(128).optional(),
  }),
  async run(ctx, input) {
    const enterpriseId = requireEnterprise(ctx.session);
    if (!input.memberId && !input.openid) throw invalid('请指定要移除的成员', 'memberId');
    const enterprise = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', enterpriseId);
    if (!enterprise || enterprise.ownerOpenid !== ctx.openid) throw forbidden('只有企业登记人可以移除成员');
    const openid = input.memberId ? await openidOfMember(ctx, enterpriseId, input.memberId) : input.openid!;
    if (openid === ctx.openid) throw precondition('不能移除自己');
    const { user, after } = await revokeHold(ctx, openid, { role: 'enterprise' }, async (current) => {
      // Only a colleague of this enterprise: anyone else is not the owner's to remove.
      if (current.enterpriseId !== enterpriseId) throw notFound('该用户不是本企业的成员');
    });
    // The codes they issued into the enterprise go with them. (An enterprise hold carries no unit
    // claims, so nothing to release: this function stays clear of the needs' machinery.)
    const codes = await withdrawIssuedBy(ctx, openid, sessionOf(openid, after));
    await writeAudit(ctx, {
      action: 'removeMember',
      target: openid,
      targetName: memberName(user, 'enterprise', enterpriseId),
      details: { role: 'enterprise', enterpriseId, ...(codes.length ? { codes } : {}) },
    });
    return { removed: true };
  },
});
