/**
 * The people of one enterprise: the owner who registered it and the
 * colleagues they invited. Everyone of the enterprise sees the list; only
 * the owner removes a colleague (never themselves: an enterprise always has
 * someone who can manage it).
 */
import { z } from 'zod';
import type { EnterpriseMember } from '../../typings/api';
import { defineAction } from '../core/actions';
import { forbidden, notFound, precondition } from '../core/errors';
import { getDoc } from '../core/tx';
import { pageBy } from '../core/paging';
import { requireEnterprise } from '../access/session';
import { joinedAt, memberName, revokeHold, type StoredUser } from '../users/memberships';
import { writeAudit } from '../users/audit';
import type { EnterpriseDoc } from './store';

const MEMBERS_PAGE = 200;

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
        openid: u._id,
        name: isOwner && name === '未署名成员' && enterprise ? enterprise.contactName : name,
        owner: isOwner,
        joinedAt: joinedAt(u, 'enterprise', enterpriseId),
      };
    });
    // The owner first: the one person the others turn to.
    items.sort((a, b) => Number(b.owner) - Number(a.owner));
    return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
  },
});

export const removeMember = defineAction({
  roles: ['enterprise'],
  input: z.object({ openid: z.string().min(1).max(128) }),
  async run(ctx, { openid }) {
    const enterpriseId = requireEnterprise(ctx.session);
    const enterprise = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', enterpriseId);
    if (!enterprise || enterprise.ownerOpenid !== ctx.openid) throw forbidden('只有企业登记人可以移除成员');
    if (openid === ctx.openid) throw precondition('不能移除自己');
    const { user } = await revokeHold(ctx, openid, { role: 'enterprise' }, async (current) => {
      // Only a colleague of this enterprise: anyone else is not the owner's to remove.
      if (current.enterpriseId !== enterpriseId) throw notFound('该用户不是本企业的成员');
    });
    await writeAudit(ctx, {
      action: 'removeMember',
      target: openid,
      targetName: memberName(user, 'enterprise', enterpriseId),
      details: { role: 'enterprise', enterpriseId },
    });
    return { removed: true };
  },
});
