/** The claim lease: one place for how long it runs and what ending it clears. */
import type { NeedType } from '../../typings/api';
import type { Context } from '../core/ports';
import type { Settings } from '../settings';

/**
 * How long a claim on a need of this type lasts: a mask delivery takes two
 * days and a loan three, so one short lease for everything had handlers
 * renewing all day (issue 9). Types the settings leave out take `leaseMinutes`.
 */
export function leaseMinutesFor(settings: Settings, type: NeedType): number {
  return settings.leaseMinutesByType?.[type] ?? settings.leaseMinutes;
}

/** A fresh lease from now; `leaseWarnedFor` is reset so the scheduler warns about this lease too. */
export function freshLease(ctx: Context, settings: Settings, type: NeedType) {
  return {
    leaseUntil: new Date(ctx.clock.now().getTime() + leaseMinutesFor(settings, type) * 60_000).toISOString(),
    leaseWarnedFor: null,
  };
}

/** Fields that end a claim (release, break, expiry, transfer, reject). */
export const UNCLAIMED = { claimedBy: null, leaseUntil: null, leaseWarnedFor: null } as const;
