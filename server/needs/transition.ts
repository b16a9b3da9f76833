/**
 * Every change of a need's state goes through `transition`: read the need,
 * let the action decide (or refuse), then write the new state and its
 * timeline event in ONE conditional update — applied only if nobody moved the
 * need since it was read (`eventSeq` unchanged). A lost race reads again and
 * decides again, so the second of two claimers is told the need is taken.
 * No transaction, and half a transition is never written.
 *
 * Each attempt decides on the caller's session as it is now: the person's
 * document is read again beside the need (one request each, in parallel),
 * so a revocation that landed while the call was under way — or between a
 * lost race and its retry — is what the decision sees (FORBIDDEN), never
 * the session the call started with. What is left is the flight of the one
 * conditional write; docs/architecture.md says what that means.
 *
 * An action sent with a `clientKey` leaves the key (hashed with its content)
 * on its event: the same key again answers the need as it stands instead of
 * being refused as a change that no longer applies, and the same key with
 * other content is CONFLICT (server/needs/replay.ts).
 */
import type { Need, NeedStatus } from '../../typings/api';
import { AppError, conflict, notFound } from '../core/errors';
import type { Context } from '../core/ports';
import { getDoc } from '../core/tx';
import { loadUser, sessionOf } from '../access/session';
import { landed, type Replay } from './replay';
import { callerOf } from './access';
import { district, taskForceName, unitName, type District } from '../config/district';
import { appendEvent } from './events';
import { checkBounds } from './bounds';
import { historyKey } from '../history/key';
import { readerOf, toNeed, type ActorRole, type NeedDoc } from './model';

export interface Decision {
  to: NeedStatus;
  role: ActorRole;
  note?: string;
  /** Fields to set besides status; null clears a field. */
  set?: Partial<Record<keyof NeedDoc, unknown>>;
  /**
   * The handler reached the enterprise (a call from the handler page): counts
   * as the first response even without a change of state. A unit moving the
   * need to in_progress or waiting (a progress note, a question) counts anyway.
   */
  responds?: boolean;
  /**
   * Writes the decision instead of the one conditional update (a fulfil that
   * also settles its remainder does it in a transaction): answers the need as
   * written, or null when it had moved and the decision must be made again.
   */
  write?: (ctx: Context, d: District, need: NeedDoc, decision: Decision, replay?: Replay) => Promise<NeedDoc | null>;
}

const MINUTE_MS = 60_000;

/**
 * What the desk's figures (server/ledger/units.ts) and the escalation sweep
 * read, maintained here — the one place every change passes — from the change
 * itself, so no handler can forget them and no report has to replay timelines:
 * - firstResponseAt (+ minutes since creation): the first time a unit reached
 *   the enterprise — a progress note, a question, or a recorded call;
 * - fulfilledAt (+ minutes since creation): the latest fulfilment; `overdue`
 *   when it came after dueAt;
 * - reopened: how many times the enterprise sent it back;
 * - an escalation flag cleared (a transfer re-bases the SLA) clears what it was for.
 */
function derivedFields(need: NeedDoc, decision: Decision, at: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const since = (iso: string) => Math.max(0, Math.round((Date.parse(at) - Date.parse(iso)) / MINUTE_MS));
  const responds = decision.responds || (decision.role === 'unit' && (decision.to === 'in_progress' || decision.to === 'waiting'));
  if (responds && !need.firstResponseAt) {
    out.firstResponseAt = at;
    out.firstResponseMinutes = since(need.createdAt);
  }
  if (decision.to === 'fulfilled' && need.status !== 'fulfilled') {
    out.fulfilledAt = at;
    out.closeMinutes = since(need.createdAt);
    if (need.dueAt && at > need.dueAt) out.overdue = true;
  }
  if (need.status === 'fulfilled' && decision.to === 'in_progress' && decision.role === 'enterprise') {
    out.reopened = (typeof need.reopened === 'number' ? need.reopened : 0) + 1;
  }
  if (decision.set?.escalated === false && need.escalatedFor) out.escalatedFor = null;
  return out;
}

/** How many times a change is re-decided after losing a race before giving up. */
const MAX_ATTEMPTS = 8;

/** Who acted, as people name them: the unit, the enterprise, the task force — never an OPENID. */
export function actorNameOf(ctx: Context, d: District, role: ActorRole, need: NeedDoc): string {
  switch (role) {
    case 'unit':
      return unitName(d, need.unitCode);
    case 'enterprise':
      return need.enterpriseName;
    case 'taskforce':
      return taskForceName(d, ctx.session.taskForceId);
    case 'admin':
      return '管理员';
    case 'system':
      return '系统';
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** Writes `changes` and the event only if the need is still at `need.eventSeq`; answers whether it did. */
async function compareAndSet(ctx: Context, need: NeedDoc, changes: Record<string, unknown>): Promise<boolean> {
  const _ = ctx.db.command;
  // An object value (a new `route`) replaces the stored one: CloudBase's update would merge it field by field,
  // leaving fields of the old object behind that the event's state hash does not know.
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes)) data[k] = isPlainObject(v) ? _.set(v) : v;
  const res = (await ctx.db
    .collection('needs')
    .where({ _id: need._id, eventSeq: need.eventSeq })
    .update({ data })) as { stats: { updated: number } };
  return res.stats.updated === 1;
}

/**
 * One attempt: the decision applied to the need as it was read, written only
 * if nobody moved it since. Answers the need as written, or null when the
 * need had moved (the caller re-reads, or — the scheduler — leaves it for
 * the next run).
 */
export async function applyDecision(ctx: Context, d: District, need: NeedDoc, decision: Decision, replay?: Replay): Promise<NeedDoc | null> {
  const { changes, event, written } = planChange(ctx, d, need, decision, replay);
  return (await compareAndSet(ctx, need, { ...changes, timeline: ctx.db.command.push([event]) })) ? written : null;
}

/**
 * The fields a decision writes (its event's chain head included), the event,
 * and the need as it will read once written — for writers that are not the
 * one conditional update (a transaction).
 */
export function planChange(ctx: Context, d: District, need: NeedDoc, decision: Decision, replay?: Replay) {
  const at = ctx.clock.now().toISOString();
  checkBounds(need, decision, at);
  const changes = { ...derivedFields(need, decision, at), ...decision.set, status: decision.to, updatedAt: at };
  const { event, head } = appendEvent(historyKey(ctx), need, changes, {
    at,
    actor: ctx.openid,
    role: decision.role,
    actorName: actorNameOf(ctx, d, decision.role, need),
    from: need.status,
    to: decision.to,
    note: decision.note,
    ...(replay ? { replay: replay.mark } : {}),
  });
  const written = { ...need, ...changes, ...head, timeline: [...need.timeline, event] } as NeedDoc;
  return { changes: { ...changes, ...head } as Record<string, unknown>, event, written };
}

/** Whether the caller (as now) still holds the need's enterprise, one of its units, or is an admin. */
function stillReaches(ctx: Context, d: District, need: NeedDoc): boolean {
  const caller = callerOf(ctx, d);
  const units = new Set([need.unitCode, ...(need.handledUnits ?? [])]);
  return caller.admin || caller.enterpriseId === need.enterpriseId || caller.handlerUnits.some((u) => units.has(u)) || caller.headOf.some((u) => units.has(u));
}

/** The caller's session as the database holds it now (see the header). */
async function freshContext(ctx: Context): Promise<Context> {
  const user = await loadUser(ctx.db, ctx.openid);
  return { ...ctx, session: sessionOf(ctx.openid, user), known: user !== null };
}

export interface TransitionOptions {
  /** The action's clientKey and content, when it was sent with one. */
  replay?: Replay;
  /** Runs when a keyed action is answered as a replay of the one that landed (finish what it may have left). */
  replayed?: (doc: NeedDoc) => Promise<void>;
}

/**
 * `decide` gets the need as read and the context with the session as read in
 * the same attempt (use its session, not the one the call started with). It
 * may answer null: nothing to write, the need is answered as it stands.
 */
export async function transition(
  ctx: Context,
  id: string,
  decide: (need: NeedDoc, ctx: Context) => Decision | null | Promise<Decision | null>,
  /** Runs once the change is written (notifications). */
  after?: (doc: NeedDoc, need: Need) => Promise<void>,
  options: TransitionOptions = {},
): Promise<Need> {
  // No key, no change: refused before anything is read or written.
  historyKey(ctx);
  const d = await district(ctx);
  let written: NeedDoc | null = null;
  for (let attempt = 1; !written; attempt++) {
    if (attempt > MAX_ATTEMPTS) throw new AppError('CONFLICT', '该需求正被他人同时办理，请刷新后重试');
    const [need, live] = await Promise.all([getDoc<NeedDoc>(ctx.db, 'needs', id), freshContext(ctx)]);
    if (!need) throw notFound('需求不存在');
    // A replay of the caller's own action that already landed (a retry, a double tap): its result, not a refusal.
    if (options.replay && landed(need, options.replay)) {
      // Only to someone still within reach of the need: not after a move to another enterprise, not after a revoke.
      if (!stillReaches(live, d, need)) throw conflict('该操作编号已不适用于您当前的身份，请刷新后重试');
      if (options.replayed) await options.replayed(need);
      return toNeed(need, { reader: readerOf(ctx) });
    }
    const decision = await decide(need, live);
    if (!decision) return toNeed(need, { reader: readerOf(ctx) });
    written = await (decision.write ?? applyDecision)(live, d, need, decision, options.replay);
  }
  const view = toNeed(written, { reader: readerOf(ctx) });
  if (after) await after(written, view);
  return view;
}
