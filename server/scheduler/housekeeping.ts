/**
 * Housekeeping (issue: leftovers): counters and documents that only ever
 * served a minute's limit and would otherwise pile up for good.
 *
 * - `rateLimits`: one counter per caller, action and window, keyed by the
 *   window's start (`minute`). Spent once its window is over; removed a day
 *   after it began, which outlasts any window a limit counts in.
 * - `users` documents that a wrong invite code created for someone never
 *   seen before (`guessOnly`: login records people who open the app; a script
 *   guessing codes never does). Removed a day after the last wrong code, on
 *   the condition that nothing was granted since (a grant clears `guessOnly`
 *   and sets `rev`). The person, should they come back, is simply new again.
 *
 * Each page is one read and one conditional remove; the run stops taking
 * pages when its time budget is spent, and what is left waits for the next
 * tick. Removing twice, or from two runs at once, removes nothing more.
 */
import type { Context } from '../core/ports';
import { docsOf } from '../core/tx';

const PAGE = 100;
/** How long after its window began a counter may still count (a day: no limit counts in a longer window). */
const SPENT_AFTER_MINUTES = 24 * 60;
/** How long after its last wrong code a guesser's document stays. */
const GUESS_KEPT_MINUTES = 24 * 60;
/** Pages per collection and run: a backlog clears over a few ticks rather than holding up the rest. */
const MAX_PAGES = 20;

export interface HousekeepingReport {
  rateLimits: number;
  guessUsers: number;
  unfinished: boolean;
}

/** wx-server-sdk answers a where().remove() with `stats.removed`. */
const removedOf = (res: unknown) => (res as { stats?: { removed?: number } }).stats?.removed ?? 0;

/** Spent counters, oldest window first: an ordered walk of the minute index, stopping at the first live one. */
async function spentCounters(ctx: Pick<Context, 'db'>, nowMinute: number, outOfTime: () => boolean): Promise<{ removed: number; unfinished: boolean }> {
  const _ = ctx.db.command;
  const cutoff = nowMinute - SPENT_AFTER_MINUTES;
  let removed = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    if (outOfTime()) return { removed, unfinished: true };
    const docs = await docsOf<{ _id: string; minute?: number }>(ctx.db.collection('rateLimits').orderBy('minute', 'asc').limit(PAGE));
    const spent = docs.filter((d) => typeof d.minute === 'number' && d.minute < cutoff).map((d) => d._id);
    if (spent.length) removed += removedOf(await ctx.db.collection('rateLimits').where({ _id: _.in(spent), minute: _.lt(cutoff) }).remove());
    // A page not wholly spent reached the live counters: nothing older is left.
    if (spent.length < PAGE) return { removed, unfinished: false };
  }
  return { removed, unfinished: true };
}

async function guessLeftovers(ctx: Pick<Context, 'db'>, nowMinute: number, outOfTime: () => boolean): Promise<{ removed: number; unfinished: boolean }> {
  const _ = ctx.db.command;
  const cutoff = nowMinute - GUESS_KEPT_MINUTES;
  let removed = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    if (outOfTime()) return { removed, unfinished: true };
    const docs = await docsOf<{ _id: string }>(ctx.db.collection('users').where({ guessOnly: true, missMinute: _.lt(cutoff) }).limit(PAGE));
    if (docs.length) {
      const ids = docs.map((d) => d._id);
      // Conditional: a grant that landed since the read (rev set, guessOnly cleared) keeps the document.
      removed += removedOf(
        await ctx.db.collection('users').where({ _id: _.in(ids), guessOnly: true, rev: _.exists(false), missMinute: _.lt(cutoff) }).remove(),
      );
    }
    if (docs.length < PAGE) return { removed, unfinished: false };
  }
  return { removed, unfinished: true };
}

export async function housekeeping(ctx: Pick<Context, 'db'>, now: Date, outOfTime: () => boolean): Promise<HousekeepingReport> {
  const nowMinute = Math.floor(now.getTime() / 60_000);
  const counters = await spentCounters(ctx, nowMinute, outOfTime);
  const guesses = await guessLeftovers(ctx, nowMinute, outOfTime);
  return { rateLimits: counters.removed, guessUsers: guesses.removed, unfinished: counters.unfinished || guesses.unfinished };
}
