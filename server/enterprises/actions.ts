import { z } from 'zod';
import type { EnterpriseOptions, Session } from '../../typings/api';
import { INDUSTRY_LABELS } from '../../typings/labels';
import { defineAction } from '../core/actions';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import type { Context } from '../core/ports';
import { countOf, getDoc, isDuplicateWrite } from '../core/tx';
import { newDocId } from '../core/ids';
import { taskForceCovers } from '../access/zones';
import { isAdmin } from '../access/session';
import { applyGrant } from '../users/memberships';
import { writeAudit } from '../users/audit';
import { district, unitName } from '../config/district';
import { enterpriseInput } from './schema';
import { toEnterprise, type EnterpriseDoc } from './store';
import { INDUSTRIES } from './schema';

const MEMBER_UNIT_KINDS = ['chamber', 'association'];

/** What the registration form offers, from the instance's configuration cache: no round trip when warm. */
export async function enterpriseOptions(ports: Pick<Context, 'db' | 'clock'>): Promise<EnterpriseOptions> {
  const d = await district(ports);
  return {
    industries: INDUSTRIES.map((code) => ({ code, name: INDUSTRY_LABELS[code] })),
    zones: [...d.zones.values()].map((z) => ({ code: z._id, name: z.name })),
    chambers: [...d.units.values()].filter((u) => MEMBER_UNIT_KINDS.includes(u.kind)).map((c) => ({ code: c._id, name: c.name })),
  };
}

export const options = defineAction({
  roles: 'signedIn',
  input: z.object({}),
  run: (ctx) => enterpriseOptions(ctx),
});

/** How long a registration may sit between its lock and its enterprise before someone else may take the code over. */
export const STALLED_REGISTRATION_MS = 10 * 60_000;

export interface CreditCodeLock {
  _id: string;
  enterpriseId: string;
  /** The registrant (absent for imported and seeded enterprises). */
  ownerOpenid?: string;
  createdAt: string;
}

/**
 * A taken code names no person (whoever took it may not be the enterprise):
 * it says whom in the district to ask — the task force of the zone the
 * enterprise registered in, which can verify it on site, and the federation,
 * whose admins reassign a wrongly registered enterprise to its real owner
 * (admin.reassignEnterprise). A colleague of a rightly registered one asks
 * its owner for an invite, as before.
 */
async function conflictOf(ctx: Context, lock: CreditCodeLock | null): Promise<Error> {
  const held = lock ? await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', lock.enterpriseId) : null;
  const d = await district(ctx);
  const taskForce = held ? [...d.taskForces.values()].find((tf) => tf.zoneCodes.includes(held.zone)) : undefined;
  const federation = unitName(d, d.settings.triageUnitCode);
  const whom = taskForce ? `所在区域的${taskForce.name}或${federation}` : federation;
  return conflict(
    `该统一社会信用代码已有企业登记。如您是该企业的员工，请向本企业的登记人索取邀请码；如登记有误，请携营业执照联系${whom}核实处理`,
  );
}

/**
 * The creditCodes lock for this registration: a new one (the insert is the
 * check: of racing registrations of one code exactly one inserts it), this
 * caller's own from a registration that stopped half-way, or a stalled one
 * taken over. Anything else is the CONFLICT that says whom to ask.
 */
async function takeLock(ctx: Context, creditCode: string, now: string): Promise<CreditCodeLock> {
  const lock: CreditCodeLock = { _id: creditCode, enterpriseId: newDocId(), ownerOpenid: ctx.openid, createdAt: now };
  try {
    await ctx.db.collection('creditCodes').add({ data: lock });
    return lock;
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
  }
  const held = await getDoc<CreditCodeLock>(ctx.db, 'creditCodes', creditCode);
  if (held && held.ownerOpenid === ctx.openid) return held;
  if (!held || held.ownerOpenid === undefined) throw await conflictOf(ctx, held);
  const enterprise = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', held.enterpriseId);
  if (enterprise) throw await conflictOf(ctx, held);
  // A lock without its enterprise: a registration under way, or one that stopped half-way and was never retried.
  if (Date.parse(now) - Date.parse(held.createdAt) < STALLED_REGISTRATION_MS) throw conflict('该统一社会信用代码正在登记中，请稍后再试');
  const res = (await ctx.db
    .collection('creditCodes')
    .where({ _id: creditCode, enterpriseId: held.enterpriseId })
    .update({ data: { enterpriseId: lock.enterpriseId, ownerOpenid: ctx.openid, createdAt: now } })) as { stats: { updated: number } };
  if (res.stats.updated !== 1) throw conflict('该统一社会信用代码正在登记中，请稍后再试');
  return lock;
}

/**
 * Three writes and no transaction, each its own check: the creditCodes lock
 * (insert: one of racing registrations of a code wins), the enterprise
 * (insert under the id the lock names), the grant on the person (a
 * conditional update: only someone holding no enterprise yet). A crash
 * between them leaves a lock naming the registrant, with or without its
 * enterprise; the registrant's retry finds its own lock and finishes the
 * remaining writes (the enterprise insert answers "already there" and is
 * taken as done). Someone else registering the code meanwhile is told it is
 * taken (enterprise there) or under way (not yet); a lock left without its
 * enterprise for ten minutes may be taken over. Then the audit entry. Warm:
 * session, rate counter (one or two), three writes, the entry — at most 7
 * round trips.
 *
 * A registration is not held pending until verified (docs/access.md): the
 * spec lets an enterprise submit as soon as it registers, and handlers see
 * its needs marked unverified. What stops a squatter is that the code names
 * nobody to the real owner, who asks the district, and an admin reassigns or
 * retires the enterprise (enterprises/ownership.ts).
 */
export const register = defineAction({
  roles: 'signedIn',
  perMinute: 10,
  input: enterpriseInput,
  async run(ctx, input) {
    if (ctx.session.enterpriseId) throw conflict('您已登记过企业，无需重复登记');
    const d = await district(ctx);
    if (!d.zones.has(input.zone)) throw invalid('所在区域不存在，请重新选择', 'zone');
    const isChamber = (code: string) => MEMBER_UNIT_KINDS.includes(d.units.get(code)?.kind ?? '');
    const unknownChamber = input.chamberCodes.find((c) => !isChamber(c));
    if (unknownChamber) throw invalid('所选商会不存在，请重新选择', 'chamberCodes');

    const now = ctx.clock.now().toISOString();
    const lock = await takeLock(ctx, input.creditCode, now);
    const doc: EnterpriseDoc = {
      _id: lock.enterpriseId,
      ...input,
      verified: false,
      lastVisitAt: '',
      ownerOpenid: ctx.openid,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await ctx.db.collection('enterprises').add({ data: doc });
    } catch (err) {
      // Our own earlier attempt wrote it: the lock is ours, so the enterprise is too.
      if (!isDuplicateWrite(err)) throw err;
    }
    const grant = {
      role: 'enterprise' as const,
      enterpriseId: lock.enterpriseId,
      membership: { role: 'enterprise' as const, of: lock.enterpriseId, name: input.contactName, joinedAt: now },
    };
    if (await applyGrant(ctx, grant, now)) {
      // The caller registered another enterprise at the same moment (the session check above ran before it landed).
      await ctx.db.collection('enterprises').doc(lock.enterpriseId).remove();
      await ctx.db.collection('creditCodes').where({ _id: input.creditCode, ownerOpenid: ctx.openid }).remove();
      throw conflict('您已登记过企业，无需重复登记');
    }
    await writeAudit(ctx, {
      action: 'register',
      target: ctx.openid,
      targetName: input.contactName,
      actorName: input.contactName,
      details: { role: 'enterprise', enterpriseId: lock.enterpriseId },
    });
    return toEnterprise(doc, { phone: true });
  },
});

/** Whether the caller may see the enterprise at all, and its phone in full. */
export async function enterpriseAccess(ctx: Context, e: EnterpriseDoc): Promise<{ read: boolean; phone: boolean }> {
  const s: Session = ctx.session;
  if (s.enterpriseId === e._id) return { read: true, phone: true };
  if (await taskForceCovers(ctx, e.zone)) return { read: true, phone: true };
  if (s.unitCodes.length) {
    const _ = ctx.db.command;
    const handled = await countOf(ctx.db.collection('needs').where({ enterpriseId: e._id, unitCode: _.in(s.unitCodes) }));
    if (handled > 0) return { read: true, phone: true };
  }
  if (isAdmin(s)) return { read: true, phone: false };
  return { read: false, phone: false };
}

export const get = defineAction({
  roles: 'signedIn',
  input: z.object({ enterpriseId: z.string().min(1).optional() }),
  async run(ctx, { enterpriseId }) {
    const id = enterpriseId ?? ctx.session.enterpriseId;
    if (!id) throw notFound('您还没有登记企业');
    const doc = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', id);
    if (!doc) throw notFound('企业不存在');
    const access = await enterpriseAccess(ctx, doc);
    if (!access.read) throw forbidden('无权查看该企业');
    return toEnterprise(doc, { phone: access.phone, identities: isAdmin(ctx.session) });
  },
});
