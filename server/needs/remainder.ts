/**
 * Partial fulfilment of supplies (spec): what was not delivered becomes a new
 * claimable need in the same queue, linked both ways (parentId / remainderId).
 */
import type { SupplyItem } from '../../typings/api';
import { invalid } from '../core/errors';
import { newDocId } from '../core/ids';
import type { Context } from '../core/ports';
import type { Tx } from '../core/tx';
import { appendEvent, GENESIS_HASH } from './events';
import type { NeedDoc } from './model';

/** Items still owed after delivering `delivered` units, taken from the list in order; null when nothing is owed. */
export function remainderOf(need: NeedDoc, delivered: number | undefined): SupplyItem[] | null {
  if (need.type !== 'supplies' || delivered === undefined) return null;
  const items = (need.items as SupplyItem[] | undefined) ?? [];
  const total = items.reduce((sum, i) => sum + i.quantity, 0);
  if (delivered > total) throw invalid(`交付数量不能超过申请总数 ${total}`, 'quantityDelivered');
  let left = delivered;
  const owed: SupplyItem[] = [];
  for (const item of items) {
    const covered = Math.min(item.quantity, left);
    left -= covered;
    if (item.quantity > covered) owed.push({ ...item, quantity: item.quantity - covered });
  }
  return owed.length ? owed : null;
}

export async function createRemainder(ctx: Context, tx: Tx, parent: NeedDoc, items: SupplyItem[]): Promise<string> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const doc: NeedDoc = {
    ...parent,
    _id: newDocId(),
    items,
    status: 'routed',
    parentId: parent._id,
    createdBy: parent.createdBy,
    createdAt: at,
    updatedAt: at,
    dueAt: new Date(now.getTime() + parent.route.slaHours * 3600_000).toISOString(),
    escalated: false,
    eventSeq: 0,
    lastHash: GENESIS_HASH,
  };
  for (const k of ['claimedBy', 'leaseUntil', 'leaseWarnedFor', 'fulfilNote', 'quantityDelivered', 'remainderId', 'duplicateOf', 'escalatedAt', 'waitQuestion', 'waitAnswer', 'pausedAt'] as const) {
    delete doc[k];
  }
  const head = await appendEvent(tx, doc._id, doc, {
    at,
    actor: ctx.openid,
    role: 'unit',
    from: null,
    to: 'routed',
    note: `部分办结后的剩余物资（原需求 ${parent._id}）`,
  });
  await tx.collection('needs').add({ data: { ...doc, ...head } });
  return doc._id;
}
