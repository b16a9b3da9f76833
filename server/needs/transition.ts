/**
 * Every change of a need's state goes through `transition`: read the need in
 * a transaction, let the action decide (or refuse), write the new state and
 * its timeline event together. Half a transition is never written.
 */
import type { Need, NeedStatus } from '../../typings/api';
import { notFound } from '../core/errors';
import type { Context } from '../core/ports';
import { getDoc, inTransaction, type Tx } from '../core/tx';
import { appendEvent } from './events';
import { toNeed, type ActorRole, type NeedDoc } from './model';

export interface Decision {
  to: NeedStatus;
  role: ActorRole;
  note?: string;
  /** Fields to set besides status; null clears a field. */
  set?: Partial<Record<keyof NeedDoc, unknown>>;
}

export async function transition(
  ctx: Context,
  id: string,
  decide: (need: NeedDoc, tx: Tx) => Decision | Promise<Decision>,
  /** Runs once the change is committed (notifications): never inside the retried transaction. */
  after?: (doc: NeedDoc, need: Need) => Promise<void>,
): Promise<Need> {
  const updated = await inTransaction(ctx.db, async (tx) => {
    const need = await getDoc<NeedDoc>(tx, 'needs', id);
    if (!need) throw notFound('需求不存在');
    const d = await decide(need, tx);
    const at = ctx.clock.now().toISOString();
    const head = await appendEvent(tx, need._id, need, {
      at,
      actor: ctx.openid,
      role: d.role,
      from: need.status,
      to: d.to,
      note: d.note,
    });
    const changes = { ...d.set, status: d.to, updatedAt: at, ...head };
    await tx.collection('needs').doc(id).update({ data: changes });
    return { ...need, ...changes } as NeedDoc;
  });
  const need = toNeed(updated);
  if (after) await after(updated, need);
  return need;
}
