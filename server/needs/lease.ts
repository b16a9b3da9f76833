/** The claim lease: one place for how long it runs and what ending it clears. */
import type { Context } from '../core/ports';
import type { Settings } from '../settings';

/** A fresh lease from now; `leaseWarnedFor` is reset so the scheduler warns about this lease too. */
export function freshLease(ctx: Context, settings: Settings) {
  return {
    leaseUntil: new Date(ctx.clock.now().getTime() + settings.leaseMinutes * 60_000).toISOString(),
    leaseWarnedFor: null,
  };
}

/** Fields that end a claim (release, break, expiry, transfer, reject). */
export const UNCLAIMED = { claimedBy: null, leaseUntil: null, leaseWarnedFor: null } as const;
