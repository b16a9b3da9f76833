/**
 * Per-caller rate limits for the actions that invite abuse (guessing invite
 * codes, flooding a unit's queue). A counter document per caller, action and
 * minute, incremented in a transaction so concurrent calls count exactly.
 */
import { AppError } from './errors';
import type { Clock, Db } from './ports';
import { getDoc, inTransaction } from './tx';

export async function checkRate(db: Db, clock: Clock, key: string, perMinute: number): Promise<void> {
  const minute = Math.floor(clock.now().getTime() / 60_000);
  const id = `${key}:${minute}`;
  const count = await inTransaction(db, async (tx) => {
    const current = await getDoc<{ count: number }>(tx, 'rateLimits', id);
    const next = (current?.count ?? 0) + 1;
    if (current) await tx.collection('rateLimits').doc(id).update({ data: { count: next } });
    else await tx.collection('rateLimits').add({ data: { _id: id, count: next, minute } });
    return next;
  });
  if (count > perMinute) throw new AppError('RATE_LIMITED', '操作太频繁，请一分钟后再试');
}
