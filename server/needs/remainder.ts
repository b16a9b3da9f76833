/**
 * Partial fulfilment of supplies (spec): what was not delivered becomes a new
 * claimable need in the same queue, linked both ways (parentId / remainderId).
 *
 * Quantities are conserved (issue 20). A need's `quantityDelivered` is what
 * it delivered over all its fulfils (each fulfil states what that delivery
 * brought; none stated means all it still owed). Its remainder asks for
 * exactly what is still owed:
 *
 *     requested(need) = quantityDelivered(need) + requested(remainder)
 *
 * and the remainder, in turn, splits the same way. A reopened need that
 * delivers again takes that delivery off its remainder (shrinks it, or
 * settles it when nothing is owed) in the same transaction as its own write,
 * so a remainder being fulfilled at the same moment cannot be delivered
 * twice. Once the remainder is closed (fulfilled, cancelled, refused for
 * good) it carried the shortfall away: the parent may deliver nothing more.
 *
 * A remainder follows its parent's write: its id is derived from the
 * parent's, the parent names it in its own conditional write, and only then
 * is it inserted. A crash in between leaves a parent naming a remainder not
 * yet written — never a remainder no parent names — and any retry (a keyed
 * replay, or the same fulfil refused because it already landed) inserts it;
 * two inserts collide on the id. Nothing ever removes a remainder.
 */
import type { SupplyItem } from '../../typings/api';
import { invalid } from '../core/errors';
import { sha256 } from '../core/ids';
import type { Context } from '../core/ports';
import { getDoc, inTransaction, isDuplicateWrite } from '../core/tx';
import { district, unitName, type District } from '../config/district';
import { withFirstEvent } from './events';
import { historyKey } from '../history/key';
import { allows, type Caller } from './lifecycle';
import type { NeedDoc } from './model';
import { applyDecision, planChange, type Decision } from './transition';
import type { Replay } from './replay';

export const remainderIdOf = (parentId: string) => sha256(`${parentId}:remainder`).slice(0, 32);

const itemsOf = (need: Record<string, unknown>) => (need.items as SupplyItem[] | undefined) ?? [];
export const totalOf = (items: SupplyItem[]) => items.reduce((sum, i) => sum + i.quantity, 0);

/** Items still owed after delivering `delivered` units in all, taken from the list in order; null when nothing is owed. */
export function owedAfter(need: Record<string, unknown>, delivered: number): SupplyItem[] | null {
  let left = delivered;
  const owed: SupplyItem[] = [];
  for (const item of itemsOf(need)) {
    const covered = Math.min(item.quantity, left);
    left -= covered;
    if (item.quantity > covered) owed.push({ ...item, quantity: item.quantity - covered });
  }
  return owed.length ? owed : null;
}

/** The scheduler-like capacity in which a remainder is reconciled with its parent (the lifecycle table's system rows). */
const RECONCILER: Caller = { openid: 'system', handlerUnits: [], headOf: [], admin: false, system: true };

/** The remainder still owes its items (not fulfilled, cancelled or refused for good). */
export const remainderOpen = (r: NeedDoc) => allows('shrinkRemainder', r, RECONCILER);

/**
 * What a fulfil of a supplies need sets, given this delivery (`stated`, or
 * everything still owed when not stated) and the remainder as read (null:
 * none, or named but not yet written). Throws INVALID_ARGUMENT when the
 * delivery is more than is owed.
 */
export function deliveryOf(need: NeedDoc, stated: number | undefined, remainder: NeedDoc | null) {
  const requested = totalOf(itemsOf(need));
  const before = typeof need.quantityDelivered === 'number' ? need.quantityDelivered : 0;
  const closed = !!remainder && !remainderOpen(remainder);
  const owed = closed ? 0 : requested - before;
  const delivery = stated ?? owed;
  if (delivery > owed) {
    if (closed) throw invalid('剩余物资已由接续需求办结或关闭，本次交付数量应为 0', 'quantityDelivered');
    throw invalid(before ? `本次交付数量不能超过尚欠的 ${owed}` : `交付数量不能超过申请总数 ${requested}`, 'quantityDelivered');
  }
  const total = before + delivery;
  return { delivery, total, owes: requested - total > 0 && !closed };
}

/** Writes the remainder need (once per parent: the id is derived); answers whether this call wrote it. */
export async function createRemainder(ctx: Context, parent: NeedDoc, items: SupplyItem[]): Promise<boolean> {
  const d = await district(ctx);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const fields: Record<string, unknown> = { ...parent };
  for (const k of CARRIED_OVER_NOT) delete fields[k];
  const doc = withFirstEvent(
    historyKey(ctx),
    {
      ...(fields as Omit<NeedDoc, 'timeline' | 'eventSeq' | 'lastHash'>),
      _id: remainderIdOf(parent._id),
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
    return true;
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
    return false;
  }
}

/** The parent's own: its handling, its chain, and what its fulfil derived (the remainder is made from the parent as written). */
const CARRIED_OVER_NOT = [
  'claimedBy', 'leaseUntil', 'leaseWarnedFor', 'fulfilNote', 'quantityDelivered', 'remainderId', 'duplicateOf', 'escalatedAt',
  'waitQuestion', 'waitAnswer', 'pausedAt', 'rating', 'comment', 'timeline', 'eventSeq', 'lastHash', 'contentHash',
  'fulfilledAt', 'closeMinutes', 'overdue', 'reopened', 'grantedWan',
];

/** The remainder's decision when the parent now owes `owed` (null: nothing): shrink, settle, or null when it already agrees. */
function reconcileDecision(remainder: NeedDoc, owed: SupplyItem[] | null): Decision | null {
  const now = totalOf(itemsOf(remainder));
  const left = owed ? totalOf(owed) : 0;
  // Owed only ever falls (deliveries add up): a reconciliation that read an older parent never raises it again.
  if (left >= now || !remainderOpen(remainder)) return null;
  if (!owed) {
    return {
      to: 'cancelled',
      role: 'unit',
      note: '原需求已补足交付，剩余物资需求随之关闭',
      set: { items: [], claimedBy: null, leaseUntil: null, leaseWarnedFor: null, pausedAt: null },
    };
  }
  return { to: remainder.status, role: 'unit', note: `原需求又交付 ${now - left}，剩余物资改为 ${left}`, set: { items: owed } };
}

/**
 * A reopened parent delivering again while its remainder is open: the
 * parent's change and the remainder's shrink (or settlement) in ONE
 * transaction, each on the version the decision was made on. Answers null
 * when either had moved (the caller decides again).
 */
export function writeWithRemainder(remainder: NeedDoc) {
  return async (ctx: Context, d: District, need: NeedDoc, decision: Decision, replay?: Replay): Promise<NeedDoc | null> => {
    const parent = planChange(ctx, d, need, decision, replay);
    const reconcile = reconcileDecision(remainder, owedAfter(need, parent.written.quantityDelivered as number));
    const rest = reconcile ? planChange(ctx, d, remainder, reconcile) : null;
    // Whole documents: the transaction holds both as read, so each is replaced by what its event says it became.
    const whole = ({ _id, ...doc }: NeedDoc) => doc;
    return inTransaction(ctx.db, async (tx) => {
      const [p, r] = [await getDoc<NeedDoc>(tx, 'needs', need._id), await getDoc<NeedDoc>(tx, 'needs', remainder._id)];
      if (p?.eventSeq !== need.eventSeq || r?.eventSeq !== remainder.eventSeq) return null;
      await tx.collection('needs').doc(need._id).set({ data: whole(parent.written) });
      if (rest) await tx.collection('needs').doc(remainder._id).set({ data: whole(rest.written) });
      return parent.written;
    });
  };
}

/**
 * Makes the remainder agree with its parent as written: inserts it when the
 * parent names one not yet written, shrinks or settles it when the parent
 * delivered more. Idempotent, so any retry may call it. `known` skips the
 * read when the caller knows the remainder does not exist yet.
 */
export async function ensureRemainder(ctx: Context, parent: NeedDoc, known?: 'absent'): Promise<void> {
  if (parent.type !== 'supplies' || !parent.remainderId) return;
  const owed = owedAfter(parent, typeof parent.quantityDelivered === 'number' ? parent.quantityDelivered : 0);
  const d = await district(ctx);
  for (let attempt = 0; attempt < 8; attempt++) {
    const remainder = known === 'absent' && attempt === 0 ? null : await getDoc<NeedDoc>(ctx.db, 'needs', parent.remainderId);
    if (!remainder) {
      if (!owed) return;
      if (await createRemainder(ctx, parent, owed)) return;
      continue; // someone wrote it first: reconcile what is there
    }
    const decision = reconcileDecision(remainder, owed);
    if (!decision || (await applyDecision(ctx, d, remainder, decision))) return;
  }
}
