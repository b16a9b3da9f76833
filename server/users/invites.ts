import { randomInt } from 'crypto';
import { z } from 'zod';
import type { Role, Session } from '../../typings/api';
import { defineAction } from '../core/actions';
import { conflict, forbidden, invalid, notFound, precondition } from '../core/errors';
import type { Context } from '../core/ports';
import { getDoc, inTransaction } from '../core/tx';
import { isAdmin, sessionOf, type UserDoc } from '../access/session';

export interface InviteDoc {
  _id: string;
  role: Role;
  unitCode?: string;
  taskForceId?: string;
  enterpriseId?: string;
  head: boolean;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  usedBy?: string;
  usedAt?: string;
}

/** No 0/O, 1/I/L: codes are read aloud and typed on phones. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const INVITE_DAYS = 14;

function newCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

const createInviteInput = z.object({
  role: z.enum(['enterprise', 'taskforce', 'unit', 'admin']),
  unitCode: z.string().min(1).optional(),
  taskForceId: z.string().min(1).optional(),
  enterpriseId: z.string().min(1).optional(),
  head: z.boolean().optional(),
});

type CreateInviteInput = z.infer<typeof createInviteInput>;

/**
 * Admins invite anyone; a unit head only members of their own unit; someone
 * of an enterprise only colleagues into that enterprise (the CONFLICT of a
 * second registration tells people to ask them).
 */
function mayInvite(session: Session, input: CreateInviteInput): boolean {
  if (isAdmin(session)) return true;
  if (input.role === 'unit') return !!input.unitCode && session.headOf.includes(input.unitCode) && !input.head;
  if (input.role === 'enterprise') return !!session.enterpriseId && input.enterpriseId === session.enterpriseId;
  return false;
}

async function checkTarget(ctx: Context, input: CreateInviteInput): Promise<void> {
  if (input.role === 'unit') {
    if (!input.unitCode) throw invalid('请指定单位', 'unitCode');
    if (!(await getDoc(ctx.db, 'units', input.unitCode))) throw invalid('单位不存在', 'unitCode');
  }
  if (input.role === 'taskforce') {
    if (!input.taskForceId) throw invalid('请指定服务专班', 'taskForceId');
    if (!(await getDoc(ctx.db, 'taskForces', input.taskForceId))) throw invalid('服务专班不存在', 'taskForceId');
  }
  if (input.role === 'enterprise' && input.enterpriseId && !(await getDoc(ctx.db, 'enterprises', input.enterpriseId))) {
    throw invalid('企业不存在', 'enterpriseId');
  }
}

export const createInvite = defineAction({
  roles: ['admin', 'unit', 'enterprise'],
  input: createInviteInput,
  async run(ctx, input) {
    if (!mayInvite(ctx.session, input)) throw forbidden('只能为本单位或本企业的成员发放邀请码');
    await checkTarget(ctx, input);
    const now = ctx.clock.now();
    const invite: InviteDoc = {
      _id: newCode(),
      role: input.role,
      unitCode: input.unitCode,
      taskForceId: input.taskForceId,
      enterpriseId: input.enterpriseId,
      head: input.head ?? false,
      createdBy: ctx.openid,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + INVITE_DAYS * 86400_000).toISOString(),
    };
    await ctx.db.collection('invites').add({ data: invite });
    return { code: invite._id, expiresAt: invite.expiresAt };
  },
});

const union = <T>(list: T[], item: T | undefined) => (item === undefined || list.includes(item) ? list : [...list, item]);

export function grant(user: UserDoc, invite: InviteDoc): UserDoc {
  return {
    ...user,
    roles: union(user.roles, invite.role),
    unitCodes: invite.role === 'unit' ? union(user.unitCodes, invite.unitCode) : user.unitCodes,
    headOf: invite.role === 'unit' && invite.head ? union(user.headOf, invite.unitCode) : user.headOf,
    taskForceId: invite.role === 'taskforce' ? invite.taskForceId : user.taskForceId,
    enterpriseId: invite.role === 'enterprise' && invite.enterpriseId ? invite.enterpriseId : user.enterpriseId,
  };
}

export function blankUser(openid: string, now: string): UserDoc {
  return { _id: openid, roles: [], unitCodes: [], headOf: [], createdAt: now, updatedAt: now };
}

export const redeemInvite = defineAction({
  roles: 'signedIn',
  perMinute: 10,
  input: z.object({ code: z.string().trim().toUpperCase().pipe(z.string().min(4).max(16)) }),
  async run(ctx, { code }) {
    const now = ctx.clock.now().toISOString();
    const user = await inTransaction(ctx.db, async (tx) => {
      const invite = await getDoc<InviteDoc>(tx, 'invites', code);
      if (!invite) throw notFound('邀请码不存在，请核对后重试');
      if (invite.usedBy) throw conflict('该邀请码已被使用，请向发放人重新索取');
      if (invite.expiresAt < now) throw precondition('该邀请码已过期，请向发放人重新索取');
      const current = (await getDoc<UserDoc>(tx, 'users', ctx.openid)) ?? blankUser(ctx.openid, now);
      if (invite.role === 'enterprise' && invite.enterpriseId && current.enterpriseId && current.enterpriseId !== invite.enterpriseId) {
        throw precondition('您已绑定其他企业');
      }
      const next = { ...grant(current, invite), updatedAt: now };
      const { _id, ...fields } = next;
      await tx.collection('users').doc(_id).set({ data: fields });
      await tx.collection('invites').doc(code).update({ data: { usedBy: ctx.openid, usedAt: now } });
      return next;
    });
    return sessionOf(ctx.openid, user);
  },
});
