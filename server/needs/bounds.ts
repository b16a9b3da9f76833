/**
 * What one need may grow to (issue 13: a handler's `progress` in a loop grew
 * one need to 2,000 events and 1.2 MB sent to the owner's phone, each write
 * slower than the last). Decided on the need as read, so they cost no round
 * trip:
 * - notes that change nothing else (a progress note on work in progress, a
 *   renewed claim, a logged call) at most MAX_NOTES_PER_DAY per need and
 *   China day;
 * - the stored timeline at most MAX_TIMELINE_EVENTS events: within the last
 *   CLOSING_RESERVE of them only changes that close the need are taken, so
 *   it can always still be finished, and at the bound nothing but the
 *   system's own steps.
 * docs/lifecycle.md states the bounds.
 */
import type { NeedStatus } from '../../typings/api';
import { AppError } from '../core/errors';
import { chinaTime } from '../core/time';
import type { NeedDoc } from './model';

export const MAX_TIMELINE_EVENTS = 200;
export const CLOSING_RESERVE = 10;
export const MAX_NOTES_PER_DAY = 20;

/** Where a need ends: taking these is always possible while the reserve lasts. */
const CLOSING: ReadonlySet<NeedStatus> = new Set<NeedStatus>(['fulfilled', 'confirmed', 'cancelled', 'rejected']);

const dayOf = (iso: string) => chinaTime(iso, 'YYYY-MM-DD');

export function checkBounds(need: NeedDoc, decision: { to: NeedStatus; role: string }, at: string): void {
  if (decision.role === 'system') return;
  const events = need.eventSeq;
  if (events >= MAX_TIMELINE_EVENTS || (events >= MAX_TIMELINE_EVENTS - CLOSING_RESERVE && !CLOSING.has(decision.to))) {
    throw new AppError(
      'FAILED_PRECONDITION',
      `这项需求的办理记录已达 ${events} 条，只能办结、撤销或退回；如还有新的困难，请另外提交一项需求`,
    );
  }
  if (decision.to !== need.status) return;
  const today = dayOf(at);
  const notes = (need.timeline ?? []).filter((e) => e.from === e.to && e.role !== 'system' && dayOf(e.at) === today).length;
  if (notes >= MAX_NOTES_PER_DAY) {
    throw new AppError('RATE_LIMITED', `这项需求今天已记录 ${notes} 条进展，请明天再记录，或直接办结`);
  }
}
