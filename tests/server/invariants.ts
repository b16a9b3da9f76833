/**
 * Invariants of a supplies need and its chain of remainders (need →
 * remainder → remainder's remainder…), checked by the quantity tests after
 * every step and by the race tests (tests/slow/races.test.ts) after every
 * race:
 * - what a need asked for = what it delivered over all its fulfils + what its
 *   one remainder asks for (so the root's request = everything delivered
 *   along the chain + what the last one still owes);
 * - a need fulfilled short names a remainder, and a remainder exists only if
 *   its parent names it (no orphan);
 * - at most one need of the chain still owes items while open.
 */

export const needDoc = async (db: any, id: string): Promise<any> => {
  const found = (await db.collection('needs').where({ _id: id }).limit(1).get()).data;
  return found[0] ?? null;
};
export const requested = (n: any) => ((n.items ?? []) as Array<{ quantity: number }>).reduce((s, i) => s + i.quantity, 0);
export const delivered = (n: any) => (typeof n.quantityDelivered === 'number' ? n.quantityDelivered : 0);
const OPEN = ['routed', 'claimed', 'in_progress', 'waiting'];
const isOpen = (n: any) => OPEN.includes(n.status) || (n.status === 'rejected' && !n.rejectFinal);

/** The need and its remainders, in order. */
export async function chainOf(db: any, rootId: string): Promise<any[]> {
  const out: any[] = [];
  for (let n = await needDoc(db, rootId); n; n = n.remainderId ? await needDoc(db, n.remainderId) : null) {
    out.push(n);
    if (!n.remainderId) break;
  }
  return out;
}

/** Every need whose parent is in `ids` (an orphan would show here and not in the chain). */
async function children(db: any, ids: string[]): Promise<any[]> {
  return (await db.collection('needs').where({ parentId: db.command.in(ids) }).limit(100).get()).data;
}

/** The conservation invariant (header), with a message naming what broke; answers the chain. */
export async function checkConserved(db: any, rootId: string, options: { allowMissingRemainder?: boolean } = {}): Promise<any[]> {
  const links = await chainOf(db, rootId);
  const root = links[0];
  let deliveredAlong = 0;
  for (const [i, n] of links.entries()) {
    deliveredAlong += delivered(n);
    expect({ need: i, over: delivered(n) > requested(n) }).toEqual({ need: i, over: false });
    const everFulfilled = !!n.fulfilledAt;
    const owes = requested(n) - delivered(n);
    if (everFulfilled && owes > 0) expect({ need: i, names: !!n.remainderId }).toEqual({ need: i, names: true });
    if (n.remainderId) {
      const r = i + 1 < links.length ? links[i + 1] : null;
      if (!r) {
        // Only a crash between the parent's write and the remainder's insert leaves this, and a retry repairs it.
        expect(options.allowMissingRemainder).toBe(true);
        continue;
      }
      expect({ need: i + 1, parentId: r.parentId }).toEqual({ need: i + 1, parentId: n._id });
      expect({ need: i, remainderAsks: requested(r) }).toEqual({ need: i, remainderAsks: owes });
    }
  }
  const last = links[links.length - 1];
  const owedTail = last.remainderId ? requested(root) - deliveredAlong : requested(last) - delivered(last);
  expect({ requested: requested(root) }).toEqual({ requested: deliveredAlong + owedTail });
  // One open remainder at most holds what is owed; a settled one owes nothing.
  const openOwing = links.filter((n) => isOpen(n) && !n.remainderId && requested(n) - delivered(n) > 0);
  expect(openOwing.length).toBeLessThanOrEqual(1);
  for (const n of links) if (n.parentId && n.status === 'cancelled' && requested(n) === 0) expect(n.items).toEqual([]);
  // No remainder that its parent does not name.
  const kids = await children(db, links.map((n) => n._id));
  for (const kid of kids) expect(links.find((n) => n._id === kid.parentId)?.remainderId).toBe(kid._id);
  return links;
}
