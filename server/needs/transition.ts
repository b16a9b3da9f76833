/**
 * Every change of a need's state goes through `transition`: read the need,
 * let the action decide (or refuse), then write the new state and its
 * timeline event in ONE conditional update — applied only if nobody moved the
 * need since it was read (`eventSeq` unchanged). A lost race reads again and
 * decides again, so the second of two claimers is told the need is taken.
 * Two round trips, no transaction, and half a transition is never written.
 */
import type { Need, NeedStatus } from '../../typings/api';
import { AppError, notFound } from '../core/errors';
import type { Context } from '../core/ports';
import { getDoc } from '../core/tx';
import { district, taskForceName, unitName, type District } from '../config/district';
import { appendEvent } from './events';
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
export async function applyDecision(ctx: Context, d: District, need: NeedDoc, decision: Decision): Promise<NeedDoc | null> {
  const at = ctx.clock.now().toISOString();
  const changes = { ...derivedFields(need, decision, at), ...decision.set, status: decision.to, updatedAt: at };
  const { event, head } = appendEvent(historyKey(ctx), need, changes, {
    at,
    actor: ctx.openid,
    role: decision.role,
    actorName: actorNameOf(ctx, d, decision.role, need),
    from: need.status,
    to: decision.to,
    note: decision.note,
  });
  const written = await compareAndSet(ctx, need, { ...changes, ...head, timeline: ctx.db.command.push([event]) });
  return written ? ({ ...need, ...changes, ...head, timeline: [...need.timeline, event] } as NeedDoc) : null;
}

export async function transition(
  ctx: Context,
  id: string,
  decide: (need: NeedDoc) => Decision | Promise<Decision>,
  /** Runs once the change is written (notifications). */
  after?: (doc: NeedDoc, need: Need) => Promise<void>,
  /** Runs when a decision was made but never written (a lost race ended in a refusal): undo side effects. */
  abandon?: () => Promise<void>,
): Promise<Need> {
  // No key, no change: refused before anything is read or written.
  historyKey(ctx);
  const d = await district(ctx);
  let written: NeedDoc | null = null;
  try {
    for (let attempt = 1; !written; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new AppError('CONFLICT', '该需求正被他人同时办理，请刷新后重试');
      const need = await getDoc<NeedDoc>(ctx.db, 'needs', id);
      if (!need) throw notFound('需求不存在');
      written = await applyDecision(ctx, d, need, await decide(need));
    }
  } catch (err) {
    if (abandon) await abandon();
    throw err;
  }
  const view = toNeed(written, { reader: readerOf(ctx) });
  if (after) await after(written, view);
  return view;
}
