import { randomInt } from 'crypto';
import { z } from 'zod';
import type { InviteItem, Role, Session } from '../../typings/api';
import { defineAction } from '../core/actions';
import { AppError, conflict, forbidden, invalid, notFound, precondition } from '../core/errors';
import type { Context } from '../core/ports';
import { docsOf, getDoc, isDuplicateWrite } from '../core/tx';
import { text } from '../core/validation';
import { pageOf } from '../core/paging';
import { isAdmin, loadUser, sessionOf } from '../access/session';
import type { EnterpriseDoc } from '../enterprises/store';
import { district, taskForceName, unitName } from '../config/district';
import { applyGrant, blankUser, granted, UNNAMED, type Grant } from './memberships';
import { writeAudit } from './audit';

export { blankUser } from './memberships';

export interface InviteDoc {
  _id: string;
  role: Role;
  unitCode?: string;
  taskForceId?: string;
  enterpriseId?: string;
  head: boolean;
  /** Who the code is for; it becomes the member's name in admin.members. */
  name?: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  usedBy?: string;
  usedAt?: string;
  revokedBy?: string;
  revokedAt?: string;
  /** Why it was withdrawn when not by hand (its issuer lost the hold it was issued under). */
  revokedFor?: string;
  /**
   * Set by the claim: the grant is tracked on the person (`users.redeemed`),
   * so a retry after a stop between claim and grant applies it only until it
   * has landed. Codes used before this existed have no retry at all.
   */
  oneGrant?: true;
}

/** No 0/O, 1/I/L: codes are read aloud and typed on phones. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/**
 * 31^12 ≈ 7.9 × 10^17 codes: with every open invite of a district (a few
 * thousand) as targets, a guess hits with odds below 1 in 10^14, so no limit
 * across callers is needed (docs/access.md). Codes of 8 issued before stay
 * valid until they expire (14 days at most).
 */
export const CODE_LENGTH = 12;
const INVITE_DAYS = 14;
const ROLES = ['enterprise', 'taskforce', 'unit', 'admin'] as const;

function newCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

const code = z.string().min(1).max(64);

const createInviteInput = z.object({
  role: z.enum(ROLES),
  unitCode: code.optional(),
  taskForceId: code.optional(),
  enterpriseId: code.optional(),
  head: z.boolean().optional(),
  name: text({ min: 2, max: 20, required: '姓名至少 2 个字' }).optional(),
});

type CreateInviteInput = z.infer<typeof createInviteInput>;
type InviteTarget = Pick<CreateInviteInput, 'role' | 'unitCode' | 'enterpriseId' | 'head'>;

/**
 * Admins invite anyone; a unit head only members of their own unit; someone
 * of an enterprise only colleagues into that enterprise. Checked again when
 * a code is redeemed, against its issuer as they are then: an invite does
 * not outlive its issuer's hold.
 */
export function mayInvite(session: Session, input: InviteTarget): boolean {
  if (isAdmin(session)) return true;
  if (input.role === 'unit') return !!input.unitCode && session.headOf.includes(input.unitCode) && !input.head;
  if (input.role === 'enterprise') return !!session.enterpriseId && input.enterpriseId === session.enterpriseId;
  return false;
}

async function checkTarget(ctx: Context, input: CreateInviteInput): Promise<void> {
  const d = await district(ctx);
  if (input.role === 'unit') {
    if (!input.unitCode) throw invalid('请指定单位', 'unitCode');
    if (!d.units.has(input.unitCode)) throw invalid('单位不存在', 'unitCode');
  }
  if (input.role === 'taskforce') {
    if (!input.taskForceId) throw invalid('请指定服务专班', 'taskForceId');
    if (!d.taskForces.has(input.taskForceId)) throw invalid('服务专班不存在', 'taskForceId');
  }
  if (input.role === 'enterprise' && input.enterpriseId && !(await getDoc(ctx.db, 'enterprises', input.enterpriseId))) {
    throw invalid('企业不存在', 'enterpriseId');
  }
}

/** Fields that apply to the role only, and none left undefined: the stored document says what the code grants. */
function inviteDoc(ctx: Context, input: CreateInviteInput): InviteDoc {
  const now = ctx.clock.now();
  const doc: InviteDoc = {
    _id: newCode(),
    role: input.role,
    head: input.role === 'unit' && (input.head ?? false),
    createdBy: ctx.openid,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITE_DAYS * 86400_000).toISOString(),
  };
  if (input.role === 'unit') doc.unitCode = input.unitCode;
  if (input.role === 'taskforce') doc.taskForceId = input.taskForceId;
  if (input.role === 'enterprise' && input.enterpriseId) doc.enterpriseId = input.enterpriseId;
  if (input.name) doc.name = input.name;
  return doc;
}

export const createInvite = defineAction({
  roles: ['admin', 'unit', 'enterprise'],
  input: createInviteInput,
  async run(ctx, input) {
    if (!mayInvite(ctx.session, input)) throw forbidden('只能为本单位或本企业的成员发放邀请码');
    await checkTarget(ctx, input);
    const invite = inviteDoc(ctx, input);
    await ctx.db.collection('invites').add({ data: invite });
    return { code: invite._id, expiresAt: invite.expiresAt };
  },
});

/** Spaces and hyphens are dropped: a 12-character code read out or typed in groups of four (ABCD-EFGH-JKMN) works. */
const inviteCode = z
  .string()
  .max(64)
  .transform((v) => v.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().min(4).max(16));

/** A revoked code answers like one that never existed: whoever holds it learns nothing from trying. */
const unknownCode = () => notFound('邀请码不存在，请核对后重试');

/** Marks the open invite used by the caller: the conditional update is the check (of racing redeemers one wins). */
async function claim(ctx: Context, code: string, now: string): Promise<boolean> {
  const _ = ctx.db.command;
  const res = (await ctx.db
    .collection('invites')
    .where({ _id: code, usedBy: _.exists(false), revokedAt: _.exists(false), expiresAt: _.gt(now) })
    .update({ data: { usedBy: ctx.openid, usedAt: now, oneGrant: true } })) as { stats: { updated: number } };
  return res.stats.updated === 1;
}

/** Gives an invite back when the redeemer turned out unable to use it. */
async function release(ctx: Context, code: string): Promise<void> {
  const _ = ctx.db.command;
  await ctx.db.collection('invites').where({ _id: code, usedBy: ctx.openid }).update({ data: { usedBy: _.remove(), usedAt: _.remove(), oneGrant: _.remove() } });
}

export function grantOf(invite: InviteDoc, usedAt: string): Grant {
  const of = invite.unitCode ?? invite.taskForceId ?? invite.enterpriseId;
  return {
    role: invite.role,
    unitCode: invite.unitCode,
    taskForceId: invite.taskForceId,
    enterpriseId: invite.enterpriseId,
    head: invite.head,
    membership: {
      role: invite.role,
      ...(of ? { of } : {}),
      ...(invite.name ? { name: invite.name } : {}),
      joinedAt: usedAt,
      invite: invite._id,
    },
  };
}

// ---- guessing ------------------------------------------------------------

/**
 * Wrong codes a person may try per minute. The count lives on the person's
 * own document (fields `missMinute`, `misses`), not in rateLimits: a right
 * code's grant is a write to that document anyway, so the grant itself
 * carries the check ("under the limit this minute") and a redemption pays no
 * round trip for the limit. Over the limit, a right code is refused too, so
 * the answer tells a guesser nothing.
 */
const DEFAULT_MISSES_PER_MINUTE = 10;
const RATE_KEY = 'user.redeemInvite';

const limited = () => new AppError('RATE_LIMITED', '操作太频繁，请一分钟后再试');

async function missLimit(ctx: Context): Promise<number> {
  return (await district(ctx)).settings.rateLimits[RATE_KEY] ?? DEFAULT_MISSES_PER_MINUTE;
}

function underLimit(ctx: Context, minute: number, limit: number): Record<string, unknown> {
  const _ = ctx.db.command;
  return _.or([{ missMinute: _.neq(minute) }, { misses: _.lt(limit) }]) as unknown as Record<string, unknown>;
}

/** Counts a wrong code against the caller; throws RATE_LIMITED once over the limit. */
async function countMiss(ctx: Context, minute: number): Promise<void> {
  const _ = ctx.db.command;
  const limit = await missLimit(ctx);
  const users = ctx.db.collection('users');
  const updated = (res: unknown) => (res as { stats: { updated: number } }).stats.updated === 1;
  for (let attempt = 0; attempt < 3; attempt++) {
    // Counted only while under the limit: one request both counts and decides.
    if (updated(await users.where({ _id: ctx.openid, missMinute: minute, misses: _.lt(limit) }).update({ data: { misses: _.inc(1) } }))) return;
    if (limit >= 1 && updated(await users.where({ _id: ctx.openid, missMinute: _.neq(minute) }).update({ data: { missMinute: minute, misses: 1 } }))) return;
    const me = await getDoc<{ missMinute?: number }>(ctx.db, 'users', ctx.openid);
    if (me || limit < 1) {
      if (limit < 1 || me?.missMinute === minute) throw limited();
      continue;
    }
    try {
      // Marked: if nothing else ever lands on it, the scheduler removes it (server/scheduler/housekeeping.ts).
      await users.add({ data: { ...blankUser(ctx.openid, ctx.clock.now().toISOString()), missMinute: minute, misses: 1, guessOnly: true } });
      return;
    } catch (err) {
      // A first login inserted the document meanwhile: count on it.
      if (!isDuplicateWrite(err)) throw err;
    }
  }
  throw limited();
}

/** Whether the person already holds what the invite grants (a retry of a redemption whose answer was lost). */
function holds(s: Session, invite: InviteDoc): boolean {
  if (!s.roles.includes(invite.role)) return false;
  switch (invite.role) {
    case 'unit':
      return !!invite.unitCode && s.unitCodes.includes(invite.unitCode) && (!invite.head || s.headOf.includes(invite.unitCode));
    case 'taskforce':
      return s.taskForceId === invite.taskForceId;
    case 'enterprise':
      return !invite.enterpriseId || s.enterpriseId === invite.enterpriseId;
    case 'admin':
      return true;
  }
}

/** Whether the issuer may still issue this invite: someone removed from the hold they issued it under has no codes left. */
async function issuerStands(ctx: Context, invite: InviteDoc): Promise<boolean> {
  if (invite.createdBy === ctx.openid) return mayInvite(ctx.session, invite);
  return mayInvite(sessionOf(invite.createdBy, await loadUser(ctx.db, invite.createdBy)), invite);
}

/** Marks an invite withdrawn because its issuer no longer stands behind it, and says so in the audit log. */
async function withdrawOrphan(ctx: Context, invite: InviteDoc, now: string): Promise<void> {
  const _ = ctx.db.command;
  const res = (await ctx.db
    .collection('invites')
    .where({ _id: invite._id, usedBy: _.exists(false), revokedAt: _.exists(false) })
    .update({ data: { revokedAt: now, revokedBy: 'system', revokedFor: 'issuer' } })) as { stats: { updated: number } };
  if (res.stats.updated !== 1) return;
  await writeAudit(ctx, {
    action: 'revokeInvite',
    actor: 'system',
    actorName: '系统',
    targetName: invite.name,
    details: { ...holdDetails(invite), code: invite._id, reason: '发放人已不再拥有相应身份' },
  });
}

const usedCode = () => conflict('该邀请码已被使用，请向发放人重新索取');

/**
 * Writes without a transaction: the invite is claimed (a conditional update:
 * exactly one of racing redeemers wins), then the grant is applied to the
 * person, conditional on that invite never having landed on them
 * (`users.redeemed`), then the audit entry. A stop between claim and grant
 * leaves the invite used by this person and nothing granted; their retry,
 * while the code is unexpired, applies the grant — once: after it landed, a
 * retry only answers the session if the person still holds it, and a
 * revoked person is told the code is used. The issuer is checked at
 * redemption too: a code whose issuer has since lost the hold it was issued
 * under answers like an unknown code. Warm: the session, the invite, the
 * issuer, the claim, the grant, the audit entry — 6 round trips (one more
 * for a person never seen before).
 */
export const redeemInvite = defineAction({
  roles: 'signedIn',
  // Wrong codes are what is limited, and the handler counts them itself (see countMiss).
  perMinute: DEFAULT_MISSES_PER_MINUTE,
  countsItself: true,
  input: z.object({ code: inviteCode }),
  async run(ctx, { code }) {
    const nowDate = ctx.clock.now();
    const now = nowDate.toISOString();
    const minute = Math.floor(nowDate.getTime() / 60_000);
    const invite = await getDoc<InviteDoc>(ctx.db, 'invites', code);
    const mine = !!invite && !invite.revokedAt && invite.usedBy === ctx.openid;
    // A lost answer retried: what the code grants is already held, nothing to write.
    if (mine && holds(ctx.session, invite)) return ctx.session;
    const open = !!invite && !invite.revokedAt && !invite.usedBy && invite.expiresAt > now;
    // Claimed by this person, grant not landed, code unexpired: the one retry there is.
    const retry = mine && invite.oneGrant === true && invite.expiresAt > now;
    if (!invite || (!open && !retry)) {
      await countMiss(ctx, minute);
      if (!invite || invite.revokedAt) throw unknownCode();
      const expired = () => precondition('该邀请码已过期，请向发放人重新索取');
      // A claim of one's own whose grant never landed, now past its date: the retry window is over.
      if (mine && invite.oneGrant === true) throw expired();
      if (invite.usedBy) throw usedCode();
      throw expired();
    }
    if (!(await issuerStands(ctx, invite))) {
      if (open) await withdrawOrphan(ctx, invite, now);
      await countMiss(ctx, minute);
      throw unknownCode();
    }
    if (open && !(await claim(ctx, code, now))) throw usedCode();
    const grant = grantOf(invite, retry && invite.usedAt ? invite.usedAt : now);
    const s = ctx.session;
    const otherEnterprise = invite.role === 'enterprise' && !!invite.enterpriseId && !!s.enterpriseId && s.enterpriseId !== invite.enterpriseId;
    const blocked = otherEnterprise ? 'other enterprise' : await applyGrant(ctx, grant, now, underLimit(ctx, minute, await missLimit(ctx)));
    if (blocked === 'redeemed') throw usedCode();
    if (blocked) {
      await release(ctx, code);
      throw blocked === 'other enterprise' ? precondition('您已绑定其他企业') : limited();
    }
    await writeAudit(ctx, {
      action: retry ? 'regrant' : 'grant',
      target: ctx.openid,
      targetName: invite.name,
      actorName: invite.name ?? UNNAMED,
      details: { ...holdDetails(invite), code },
    });
    const { openid: _o, ...held } = s;
    return sessionOf(ctx.openid, { _id: ctx.openid, createdAt: now, updatedAt: now, ...granted(held, grant) });
  },
});

function holdDetails(invite: Pick<InviteDoc, 'role' | 'unitCode' | 'taskForceId' | 'enterpriseId'>) {
  return {
    role: invite.role,
    ...(invite.unitCode ? { unitCode: invite.unitCode } : {}),
    ...(invite.taskForceId ? { taskForceId: invite.taskForceId } : {}),
    ...(invite.enterpriseId ? { enterpriseId: invite.enterpriseId } : {}),
  };
}

// ---- listing and revoking ----------------------------------------------

function statusOf(doc: InviteDoc): InviteItem['status'] {
  if (doc.revokedAt) return 'revoked';
  if (doc.usedBy) return 'used';
  return 'open';
}

/** Whether the caller registered their enterprise: its owner sees and withdraws every invite into it. */
async function ownsEnterprise(ctx: Context, enterpriseId: string | undefined): Promise<boolean> {
  if (!enterpriseId || ctx.session.enterpriseId !== enterpriseId || !ctx.session.roles.includes('enterprise')) return false;
  return (await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', enterpriseId))?.ownerOpenid === ctx.openid;
}

/**
 * Admins: every invite. Others: the ones they issued, and every invite into
 * the units they head and, for an enterprise's owner, into the enterprise —
 * whoever issued it (a colleague about to leave may have minted one).
 */
async function listScope(ctx: Context): Promise<Record<string, unknown>> {
  const _ = ctx.db.command;
  // The role filter names every role, so the listing walks one index.
  if (isAdmin(ctx.session)) return { role: _.in([...ROLES]) };
  const branches: Record<string, unknown>[] = [{ createdBy: ctx.openid }];
  if (ctx.session.headOf.length) branches.push({ unitCode: _.in(ctx.session.headOf) });
  if (await ownsEnterprise(ctx, ctx.session.enterpriseId)) branches.push({ enterpriseId: ctx.session.enterpriseId });
  return branches.length === 1 ? branches[0] : (_.or(branches) as unknown as Record<string, unknown>);
}

export const listInvites = defineAction({
  roles: ['admin', 'unit', 'enterprise'],
  input: z.object({ cursor: z.string().max(500).optional() }),
  async run(ctx, { cursor }) {
    const page = await pageOf<InviteDoc>(ctx.db, 'invites', await listScope(ctx), 'desc', cursor);
    const d = await district(ctx);
    const items: InviteItem[] = page.docs.map((doc) => {
      const item: InviteItem = {
        code: doc._id,
        role: doc.role,
        head: doc.head,
        createdAt: doc.createdAt,
        expiresAt: doc.expiresAt,
        status: statusOf(doc),
        issuedByMe: doc.createdBy === ctx.openid,
      };
      if (doc.unitCode) Object.assign(item, { unitCode: doc.unitCode, unitName: unitName(d, doc.unitCode) });
      if (doc.taskForceId) Object.assign(item, { taskForceId: doc.taskForceId, taskForceName: taskForceName(d, doc.taskForceId) });
      if (doc.enterpriseId) item.enterpriseId = doc.enterpriseId;
      if (doc.name) item.name = doc.name;
      if (doc.usedAt) item.usedAt = doc.usedAt;
      if (doc.revokedAt) item.revokedAt = doc.revokedAt;
      return item;
    });
    return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
  },
});

/** Who withdraws an invite: an admin, its issuer, the head of the unit it is for, the owner of the enterprise it is for. */
async function mayWithdraw(ctx: Context, invite: InviteDoc): Promise<boolean> {
  if (isAdmin(ctx.session) || invite.createdBy === ctx.openid) return true;
  if (invite.unitCode && ctx.session.headOf.includes(invite.unitCode)) return true;
  return ownsEnterprise(ctx, invite.enterpriseId);
}

/**
 * An unused invite is withdrawn by whoever mayWithdraw names: a conditional
 * update (unused and not revoked), so a redemption racing it either wins
 * (and the withdrawal answers FAILED_PRECONDITION) or finds it revoked.
 */
export const revokeInvite = defineAction({
  roles: ['admin', 'unit', 'enterprise'],
  input: z.object({ code: inviteCode }),
  async run(ctx, { code }) {
    const _ = ctx.db.command;
    const invite = await getDoc<InviteDoc>(ctx.db, 'invites', code);
    if (!invite || !(await mayWithdraw(ctx, invite))) throw notFound('没有这个邀请码');
    if (invite.revokedAt) return { revoked: true };
    if (invite.usedBy) throw precondition('该邀请码已被使用，不能撤销；如需收回权限，请撤销该成员的身份');
    const now = ctx.clock.now().toISOString();
    const res = (await ctx.db
      .collection('invites')
      .where({ _id: code, usedBy: _.exists(false), revokedAt: _.exists(false) })
      .update({ data: { revokedAt: now, revokedBy: ctx.openid } })) as { stats: { updated: number } };
    if (res.stats.updated !== 1) {
      const after = await getDoc<InviteDoc>(ctx.db, 'invites', code);
      if (after?.revokedAt) return { revoked: true };
      throw precondition('该邀请码已被使用，不能撤销；如需收回权限，请撤销该成员的身份');
    }
    await writeAudit(ctx, { action: 'revokeInvite', details: { ...holdDetails(invite), code }, targetName: invite.name });
    return { revoked: true };
  },
});

/** How many open invites of one person a revocation reads at once (people issue a handful). */
const ISSUED_PAGE = 100;

/**
 * After a revocation: withdraws every open invite the person issued that
 * they could no longer issue (`after` is what they hold now), so a colleague
 * or unit head cannot mint a spare code on their way out. Answers the codes
 * withdrawn. A code minted at the very moment of the revocation escapes this
 * sweep, and is refused at redemption all the same (issuerStands).
 */
export async function withdrawIssuedBy(ctx: Pick<Context, 'db' | 'clock' | 'openid'>, issuer: string, after: Session): Promise<string[]> {
  const _ = ctx.db.command;
  const now = ctx.clock.now().toISOString();
  const withdrawn: string[] = [];
  let before = '';
  for (;;) {
    const where: Record<string, unknown> = { createdBy: issuer, usedBy: _.exists(false), revokedAt: _.exists(false) };
    if (before) where.createdAt = _.lt(before);
    const docs = await docsOf<InviteDoc>(ctx.db.collection('invites').where(where as never).orderBy('createdAt', 'desc').limit(ISSUED_PAGE));
    const orphans = docs.filter((doc) => !mayInvite(after, doc)).map((doc) => doc._id);
    if (orphans.length) {
      const res = (await ctx.db
        .collection('invites')
        .where({ _id: _.in(orphans), usedBy: _.exists(false), revokedAt: _.exists(false) })
        .update({ data: { revokedAt: now, revokedBy: ctx.openid, revokedFor: 'issuer' } })) as { stats: { updated: number } };
      if (res.stats.updated) withdrawn.push(...orphans);
    }
    if (docs.length < ISSUED_PAGE) return withdrawn;
    before = docs[docs.length - 1].createdAt;
  }
}
