/**
 * Partial fulfilment of supplies (spec): what was not delivered becomes a new
 * claimable need in the same queue, linked both ways (parentId / remainderId).
 * A need has at most one remainder, whose id is derived from the parent's:
 * fulfilling again after a reopen cannot create a second one for the same
 * shortfall, and a retried fulfil finds the remainder it already wrote.
 */
import type { SupplyItem } from '../../typings/api';
import { invalid } from '../core/errors';
import { sha256 } from '../core/ids';
import type { Context } from '../core/ports';
import { isDuplicateWrite } from '../core/tx';
import { district, unitName } from '../config/district';
import { withFirstEvent } from './events';
import { historyKey } from '../history/key';
import type { NeedDoc } from './model';

export const remainderIdOf = (parentId: string) => sha256(`${parentId}:remainder`).slice(0, 32);

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

const CARRIED_OVER_NOT = ['claimedBy', 'leaseUntil', 'leaseWarnedFor', 'fulfilNote', 'quantityDelivered', 'remainderId', 'duplicateOf', 'escalatedAt', 'waitQuestion', 'waitAnswer', 'pausedAt', 'rating', 'comment', 'timeline', 'eventSeq', 'lastHash'];


/** Writes the remainder need (once per parent); answers its id and whether this call wrote it. */
export async function createRemainder(ctx: Context, parent: NeedDoc, items: SupplyItem[]): Promise<{ id: string; wrote: boolean }> {
  const d = await district(ctx);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const fields: Record<string, unknown> = { ...parent };
  for (const k of CARRIED_OVER_NOT) delete fields[k];
  const id = remainderIdOf(parent._id);
  const doc = withFirstEvent(
    historyKey(ctx),
    {
      ...(fields as Omit<NeedDoc, 'timeline' | 'eventSeq' | 'lastHash'>),
      _id: id,
      items,
      status: 'routed',
      escalated: false,
      parentId: parent._id,
      createdAt: at,
      updatedAt: at,
      dueAt: new Date(now.getTime() + parent.route.slaHours * 3600_000).toISOString(),
    },
    {
      at,
      actor: ctx.openid,
      role: 'unit',
      actorName: unitName(d, parent.unitCode),
      from: null,
      to: 'routed',
      note: '部分办结后的剩余物资，接续原需求办理',
    },
  );
  try {
    await ctx.db.collection('needs').add({ data: doc });
    return { id, wrote: true };
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
    return { id, wrote: false };
  }
}
