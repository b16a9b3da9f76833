/**
 * Who belongs to a unit or task force, and taking a hold back: admin.members
 * lists the people, admin.revoke removes one hold (a unit, a task force, the
 * admin role, an enterprise membership) with what it brings along: the open
 * invites the person issued under it are withdrawn and the needs they held
 * in the units they lost return to the queue (users/revocation.ts). The
 * person's next call reads their document afresh (the dispatcher reads the
 * session per call), so it is FORBIDDEN at once.
 */
import { z } from 'zod';
import type { UnitMember } from '../../typings/api';
import { defineAction } from '../core/actions';
import { invalid, precondition } from '../core/errors';
import { getDoc } from '../core/tx';
import { pageBy } from '../core/paging';
import { district } from '../config/district';
import type { EnterpriseDoc } from '../enterprises/store';
import { joinedAt, memberName, refuseLastAdmin, revokeHold, type StoredUser } from '../users/memberships';
import { settle, settledDetails } from '../users/revocation';
import { writeAudit } from '../users/audit';

const code = z.string().min(1).max(64);
/** A unit or task force has a few dozen people; a page holds them all, and the cursor is there for a large one. */
const MEMBERS_PAGE = 200;

export const members = defineAction({
  roles: ['admin'],
  input: z
    .object({ unitCode: code.optional(), taskForceId: code.optional(), cursor: z.string().max(500).optional() })
    .refine((v) => (v.unitCode === undefined) !== (v.taskForceId === undefined), { message: '请指定一个单位或一个服务专班', path: ['unitCode'] }),
  async run(ctx, input) {
    const d = await district(ctx);
    if (input.unitCode !== undefined && !d.units.has(input.unitCode)) throw invalid('单位不存在', 'unitCode');
    if (input.taskForceId !== undefined && !d.taskForces.has(input.taskForceId)) throw invalid('服务专班不存在', 'taskForceId');
    const filter = input.unitCode !== undefined ? { unitCodes: input.unitCode } : { taskForceId: input.taskForceId };
    const page = await pageBy<StoredUser>(ctx.db, 'users', filter, [], input.cursor, MEMBERS_PAGE);
    const items: UnitMember[] = page.docs.map((u) =>
      input.unitCode !== undefined
        ? { openid: u._id, name: memberName(u, 'unit', input.unitCode), head: u.headOf.includes(input.unitCode), joinedAt: joinedAt(u, 'unit', input.unitCode) }
        : { openid: u._id, name: memberName(u, 'taskforce', input.taskForceId), head: false, joinedAt: joinedAt(u, 'taskforce', input.taskForceId) },
    );
    return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
  },
});

export const revoke = defineAction({
  roles: ['admin'],
  input: z.object({
    openid: z.string().min(1).max(128),
    role: z.enum(['unit', 'taskforce', 'admin', 'enterprise']),
    unitCode: code.optional(),
    taskForceId: code.optional(),
  }),
  async run(ctx, input) {
    if (input.role === 'unit' && !input.unitCode) throw invalid('请指定单位', 'unitCode');
    if (input.role === 'admin' && input.openid === ctx.openid) throw precondition('不能撤销自己的管理员身份；请另一位管理员操作');
    const revoked = await revokeHold(ctx, input.openid, input, async (current) => {
      if (input.role === 'admin') await refuseLastAdmin(ctx.db, input.openid);
      if (input.role === 'enterprise' && current.enterpriseId) {
        const e = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', current.enterpriseId);
        if (e?.ownerOpenid === input.openid) throw precondition('该用户是企业的登记人，不能撤销；如需更换，请联系企业重新登记');
      }
    });
    // Two admins revoking each other at once could each see the other still there: check after, and undo.
    if (input.role === 'admin' && (await countAdmins(ctx)) === 0) {
      await ctx.db.collection('users').doc(input.openid).update({ data: { roles: ctx.db.command.addToSet('admin') } });
      throw precondition('这是最后一位管理员，不能撤销；请先邀请另一位管理员');
    }
    // Only a revocation that stands takes its invites and claims along.
    const settled = await settle(ctx, input.openid, revoked);
    const { user, removed } = settled;
    await writeAudit(ctx, {
      action: 'revoke',
      target: input.openid,
      targetName: memberName(user, removed.role, removed.unitCode ?? removed.taskForceId ?? removed.enterpriseId),
      details: {
        role: removed.role,
        ...(removed.unitCode ? { unitCode: removed.unitCode } : {}),
        ...(removed.taskForceId ? { taskForceId: removed.taskForceId } : {}),
        ...(removed.enterpriseId ? { enterpriseId: removed.enterpriseId } : {}),
        ...settledDetails(settled),
      },
    });
    return { revoked: true };
  },
});

async function countAdmins(ctx: { db: import('../core/ports').Db }): Promise<number> {
  const res = (await ctx.db.collection('users').where({ roles: 'admin' }).count()) as { total: number };
  return res.total;
}
