/**
 * What a person holds, as the users document stores it, and the two ways it
 * changes: a grant (an invite redeemed, an enterprise registered) and a
 * revocation (an admin or an enterprise owner taking access back).
 *
 * Grants are operator updates (add to a set, set a field): they commute, so a
 * grant needs no read of the document and two grants racing each other both
 * land. A revocation decides from what the person holds (the last unit goes,
 * so does the role), so it reads the document and writes on the condition
 * that nothing changed since: every writer here bumps `rev`, and the
 * revocation's write is `where({_id, rev}).update(...)`, retried afresh when
 * another write came between.
 */
import type { Role } from '../../typings/api';
import type { UserDoc } from '../access/session';
import type { Context, Db } from '../core/ports';
import { conflict, invalid, notFound, precondition } from '../core/errors';
import { countOf, getDoc, isDuplicateWrite } from '../core/tx';
import { clearRecipientCache } from '../notify/recipients';

/** One hold a person was given, and by which invite: where admin.members finds the name. */
export interface Membership {
  role: Role;
  /** unitCode, taskForceId or enterpriseId; absent for admin. */
  of?: string;
  /** Who the invite was for (2–20 characters), or the contact named at registration. */
  name?: string;
  joinedAt: string;
  /** The invite redeemed; absent for a registration. */
  invite?: string;
}

export interface StoredUser extends UserDoc {
  memberships?: Membership[];
  /**
   * Every invite whose grant landed on this person. Never removed (a
   * revocation leaves it): a grant carrying an invite applies only while its
   * code is not here, so a used code never grants twice.
   */
  redeemed?: string[];
  /** Set on a document that a wrong invite code created (a person never seen before): the scheduler may remove it later. */
  guessOnly?: boolean;
  /** The minute of the latest wrong invite code, and how many that minute (server/users/invites.ts). */
  missMinute?: number;
  misses?: number;
  /** Bumped by every write of this module: a revocation writes only if it is unchanged since its read. */
  rev?: number;
}

export const UNNAMED = '未署名成员';

/** The latest membership of this role (and unit / task force / enterprise). */
export function membershipOf(user: StoredUser, role: Role, of?: string): Membership | undefined {
  const found = (user.memberships ?? []).filter((m) => m.role === role && (of === undefined || m.of === of));
  return found.sort((a, b) => (a.joinedAt < b.joinedAt ? -1 : a.joinedAt > b.joinedAt ? 1 : 0))[found.length - 1];
}

export function memberName(user: StoredUser, role: Role, of?: string): string {
  return membershipOf(user, role, of)?.name || UNNAMED;
}

export function joinedAt(user: StoredUser, role: Role, of?: string): string {
  return membershipOf(user, role, of)?.joinedAt ?? user.createdAt;
}

/** What a grant adds: the role and where. `head` makes a unit member its head. */
export interface Grant {
  role: Role;
  unitCode?: string;
  taskForceId?: string;
  enterpriseId?: string;
  head?: boolean;
  membership: Membership;
}

/** The grant as an operator update: safe to apply twice (a retry after a lost answer) and to race another grant. */
function grantUpdate(db: Db, g: Grant, now: string): Record<string, unknown> {
  const _ = db.command;
  const data: Record<string, unknown> = {
    roles: _.addToSet(g.role),
    memberships: _.addToSet(g.membership),
    rev: _.inc(1),
    updatedAt: now,
    // Whatever the person's first trace was, they now hold something: not a guesser's leftover.
    guessOnly: _.remove(),
  };
  if (g.membership.invite) data.redeemed = _.addToSet(g.membership.invite);
  if (g.role === 'unit' && g.unitCode) {
    data.unitCodes = _.addToSet(g.unitCode);
    if (g.head) data.headOf = _.addToSet(g.unitCode);
  }
  if (g.role === 'taskforce' && g.taskForceId) data.taskForceId = g.taskForceId;
  if (g.role === 'enterprise' && g.enterpriseId) data.enterpriseId = g.enterpriseId;
  return data;
}

/** The same grant applied to a document in memory (a first document, or the session answered). */
export function granted<T extends Omit<UserDoc, '_id' | 'createdAt' | 'updatedAt'>>(user: T, g: Grant): T {
  const union = (list: string[], item: string | undefined) => (item === undefined || list.includes(item) ? list : [...list, item]);
  return {
    ...user,
    roles: union(user.roles, g.role) as Role[],
    unitCodes: g.role === 'unit' ? union(user.unitCodes, g.unitCode) : user.unitCodes,
    headOf: g.role === 'unit' && g.head ? union(user.headOf, g.unitCode) : user.headOf,
    taskForceId: g.role === 'taskforce' && g.taskForceId ? g.taskForceId : user.taskForceId,
    enterpriseId: g.role === 'enterprise' && g.enterpriseId ? g.enterpriseId : user.enterpriseId,
  };
}

export function blankUser(openid: string, now: string): StoredUser {
  return { _id: openid, roles: [], unitCodes: [], headOf: [], createdAt: now, updatedAt: now };
}

/**
 * Applies a grant to `ctx.openid`: one conditional update of the person's
 * document (it exists for anyone who has opened the app: login records
 * them), one insert more for a person never seen. An enterprise grant
 * requires the person to hold no other enterprise; a grant carrying an
 * invite requires that invite not to have landed on them before (`redeemed`);
 * `extra` adds a condition of the caller's (the redemption's guessing limit).
 * Answers null when granted, otherwise why not (nothing written).
 */
export async function applyGrant(
  ctx: Pick<Context, 'db' | 'openid'>,
  g: Grant,
  now: string,
  extra?: Record<string, unknown>,
): Promise<null | 'other enterprise' | 'redeemed' | 'condition'> {
  const _ = ctx.db.command;
  const users = ctx.db.collection('users');
  const conditions: Record<string, unknown>[] = [{ _id: ctx.openid }];
  if (g.role === 'enterprise' && g.enterpriseId) conditions.push(_.or([{ enterpriseId: _.exists(false) }, { enterpriseId: g.enterpriseId }]) as never);
  if (g.membership.invite) conditions.push({ redeemed: _.neq(g.membership.invite) });
  if (extra) conditions.push(extra);
  const where = conditions.length === 1 ? conditions[0] : _.and(conditions);
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = (await users.where(where as never).update({ data: grantUpdate(ctx.db, g, now) })) as { stats: { updated: number } };
    // `rev` always changes, so a matched document is an updated one.
    if (res.stats.updated === 1) return null;
    // Nothing matched: a person never seen (insert their first document), or a condition refused.
    try {
      const first = granted(blankUser(ctx.openid, now), g);
      await users.add({ data: { ...first, memberships: [g.membership], rev: 1, ...(g.membership.invite ? { redeemed: [g.membership.invite] } : {}) } });
      return null;
    } catch (err) {
      if (!isDuplicateWrite(err)) throw err;
    }
    const current = await getDoc<StoredUser>(ctx.db, 'users', ctx.openid);
    // Gone again between the two requests is not a case people meet; try afresh.
    if (!current) continue;
    if (g.membership.invite && current.redeemed?.includes(g.membership.invite)) return 'redeemed';
    if (g.role === 'enterprise' && g.enterpriseId && current.enterpriseId && current.enterpriseId !== g.enterpriseId) return 'other enterprise';
    // Refused twice with the document there: the caller's condition. (Once could be a first login
    // inserting the document between our update and our insert.)
    if (extra && attempt > 0) return 'condition';
  }
  throw conflict('操作冲突，请稍后重试');
}

// ---- revocation ------------------------------------------------------

export interface Revocation {
  role: Role;
  unitCode?: string;
  taskForceId?: string;
}

/** What stays after taking the hold away; throws NOT_FOUND when the person does not hold it. */
export function withoutHold(user: StoredUser, r: Revocation): { update: Record<string, unknown>; removed: Revocation & { enterpriseId?: string } } {
  const roles = user.roles.filter((x) => x !== r.role);
  const memberships = user.memberships ?? [];
  switch (r.role) {
    case 'unit': {
      if (!r.unitCode) throw invalid('请指定单位', 'unitCode');
      if (!user.unitCodes.includes(r.unitCode)) throw notFound('该用户不是这个单位的成员');
      const unitCodes = user.unitCodes.filter((c) => c !== r.unitCode);
      return {
        update: {
          unitCodes,
          headOf: user.headOf.filter((c) => c !== r.unitCode),
          roles: unitCodes.length ? user.roles : roles,
          memberships: memberships.filter((m) => !(m.role === 'unit' && m.of === r.unitCode)),
        },
        removed: { role: 'unit', unitCode: r.unitCode },
      };
    }
    case 'taskforce': {
      if (!user.roles.includes('taskforce') && !user.taskForceId) throw notFound('该用户不是服务专班成员');
      if (r.taskForceId && user.taskForceId !== r.taskForceId) throw notFound('该用户不是这个服务专班的成员');
      return {
        update: { taskForceId: '', roles, memberships: memberships.filter((m) => m.role !== 'taskforce') },
        removed: { role: 'taskforce', taskForceId: user.taskForceId },
      };
    }
    case 'enterprise': {
      if (!user.roles.includes('enterprise') && !user.enterpriseId) throw notFound('该用户不是企业成员');
      return {
        update: { enterpriseId: '', roles, memberships: memberships.filter((m) => m.role !== 'enterprise') },
        removed: { role: 'enterprise', enterpriseId: user.enterpriseId },
      };
    }
    case 'admin': {
      if (!user.roles.includes('admin')) throw notFound('该用户不是管理员');
      return { update: { roles, memberships: memberships.filter((m) => m.role !== 'admin') }, removed: { role: 'admin' } };
    }
  }
}

/**
 * Takes one hold away from a person, on the condition that their document is
 * unchanged since it was read (see the header). `check` sees the current
 * document first and may refuse (the owner of an enterprise, the last admin).
 * The notify recipients this instance cached are forgotten; other instances
 * keep theirs for up to a minute (see notify/recipients.ts): a revoked member
 * may still get a message in that minute, and the page it opens checks access.
 */
export async function revokeHold(
  ctx: Pick<Context, 'db' | 'clock'>,
  openid: string,
  r: Revocation,
  check: (user: StoredUser) => Promise<void> = async () => {},
): Promise<{ user: StoredUser; after: StoredUser; removed: Revocation & { enterpriseId?: string } }> {
  const _ = ctx.db.command;
  for (let attempt = 0; attempt < 4; attempt++) {
    const user = await getDoc<StoredUser>(ctx.db, 'users', openid);
    if (!user) throw notFound('没有这个用户');
    const { update, removed } = withoutHold(user, r);
    await check(user);
    // '' marks "none" in the update; the field itself is removed, as it was before it was granted.
    const data: Record<string, unknown> = { ...update, rev: _.inc(1), updatedAt: ctx.clock.now().toISOString() };
    for (const field of ['taskForceId', 'enterpriseId']) if (data[field] === '') data[field] = _.remove();
    const res = (await ctx.db
      .collection('users')
      .where({ _id: openid, rev: user.rev === undefined ? _.exists(false) : user.rev })
      .update({ data })) as { stats: { updated: number } };
    if (res.stats.updated === 1) {
      clearRecipientCache();
      const after = { ...user, ...update } as StoredUser;
      for (const field of ['taskForceId', 'enterpriseId'] as const) if (after[field] === '') delete after[field];
      return { user, after, removed };
    }
  }
  throw conflict('该用户的身份刚刚发生变化，请刷新后重试');
}

/** Admins left besides this one: revoking the last admin would leave the district without anyone to manage it. */
export async function otherAdmins(db: Db, openid: string): Promise<number> {
  const _ = db.command;
  return countOf(db.collection('users').where({ roles: 'admin', _id: _.neq(openid) }));
}

export async function refuseLastAdmin(db: Db, openid: string): Promise<void> {
  if ((await otherAdmins(db, openid)) === 0) throw precondition('这是最后一位管理员，不能撤销；请先邀请另一位管理员');
}
