/**
 * Per-caller rate limits for the actions that invite abuse (guessing invite
 * codes, flooding a unit's queue): a counter document per caller, action and
 * minute. The increment is conditional on the counter being under the limit,
 * so one request both counts and decides — one round trip, two for a
 * caller's first call of a minute.
 */
import { AppError } from './errors';
import type { Clock, Db } from './ports';
import { isDuplicateWrite } from './tx';
import { addDays, chinaDayOf, chinaDayStart } from './time';

const limited = (message = '操作太频繁，请一分钟后再试') => new AppError('RATE_LIMITED', message);

/** A counter's window: a minute (actions), or a China-time day (the upload quota, an enterprise's needs). */
export interface RateWindow {
  window?: 'minute' | 'day';
  message?: string;
  /** How much this call counts (needs counted by need, not by call); 1 by default. */
  amount?: number;
}

/**
 * The window's name and the minute it ends: a counter document keeps its
 * last `minute`, so whatever removes spent counters by `minute` removes a
 * day's counter once its day (China time) is over.
 */
function windowOf(clock: Clock, window: 'minute' | 'day'): { n: string; lastMinute: number } {
  const now = clock.now();
  const minute = Math.floor(now.getTime() / 60_000);
  if (window === 'minute') return { n: String(minute), lastMinute: minute };
  const day = chinaDayOf(now);
  return { n: day, lastMinute: Math.floor(chinaDayStart(addDays(day, 1)).getTime() / 60_000) - 1 };
}

/** Counts `amount` if the counter stays within `limit` with it; answers whether it did. */
async function countUnder(db: Db, id: string, limit: number, amount: number): Promise<boolean> {
  const _ = db.command;
  const res = (await db.collection('rateLimits').where({ _id: id, count: _.lte(limit - amount) }).update({ data: { count: _.inc(amount) } })) as {
    stats: { updated: number };
  };
  return res.stats.updated === 1;
}

export async function checkRate(db: Db, clock: Clock, key: string, perMinute: number, options: RateWindow = {}): Promise<void> {
  const { window = 'minute', message, amount = 1 } = options;
  const { n, lastMinute } = windowOf(clock, window);
  const id = window === 'minute' ? `${key}:${n}` : `${key}:day${n}`;
  if (await countUnder(db, id, perMinute, amount)) return;
  // Nothing counted: either this window's counter is full, or it does not exist yet.
  try {
    if (perMinute < amount) throw limited(message);
    await db.collection('rateLimits').add({ data: { _id: id, count: amount, minute: lastMinute } });
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
    // It existed: full, or created a moment ago by a concurrent call of the same caller.
    if (!(await countUnder(db, id, perMinute, amount))) throw limited(message);
  }
}
