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
import { toNeed, type ActorRole, type NeedDoc } from './model';

export interface Decision {
  to: NeedStatus;
  role: ActorRole;
  note?: string;
  /** Fields to set besides status; null clears a field. */
  set?: Partial<Record<keyof NeedDoc, unknown>>;
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

/** Writes `changes` and the event only if the need is still at `need.eventSeq`; answers whether it did. */
async function compareAndSet(ctx: Context, need: NeedDoc, changes: Record<string, unknown>): Promise<boolean> {
  const res = (await ctx.db
    .collection('needs')
    .where({ _id: need._id, eventSeq: need.eventSeq })
    .update({ data: changes })) as { stats: { updated: number } };
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
  const changes = { ...decision.set, status: decision.to, updatedAt: at };
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
  const view = toNeed(written);
  if (after) await after(written, view);
  return view;
}
