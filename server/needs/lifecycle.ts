/**
 * The lifecycle of a need (spec: "Lifecycle of a need") as one table: for
 * each action, the states it may start from and the state it leads to.
 * Actions check it through `requireFrom`; docs/lifecycle.md is drawn from it.
 * Anything not listed here is refused with FAILED_PRECONDITION.
 */
import type { NeedStatus } from '../../typings/api';
import { precondition } from '../core/errors';
import { NEED_STATUS_LABELS } from '../../typings/labels';

export const LIFECYCLE = {
  claim: { from: ['routed', 'rejected'], to: 'claimed' },
  renew: { from: ['claimed', 'in_progress'], to: 'same' },
  release: { from: ['claimed', 'in_progress'], to: 'routed' },
  breakClaim: { from: ['claimed', 'in_progress'], to: 'routed' },
  progress: { from: ['claimed', 'in_progress'], to: 'in_progress' },
  wait: { from: ['claimed', 'in_progress'], to: 'waiting' },
  answer: { from: ['waiting'], to: 'in_progress' },
  fulfil: { from: ['claimed', 'in_progress'], to: 'fulfilled' },
  transfer: { from: ['routed', 'claimed', 'in_progress', 'rejected'], to: 'routed' },
  reject: { from: ['routed', 'claimed', 'in_progress'], to: 'rejected' },
  cancel: { from: ['routed', 'claimed', 'in_progress', 'waiting'], to: 'cancelled' },
  confirm: { from: ['fulfilled'], to: 'confirmed' },
  reopen: { from: ['fulfilled'], to: 'in_progress' },
  expireLease: { from: ['claimed', 'in_progress'], to: 'routed' },
  escalate: { from: ['routed', 'claimed', 'in_progress'], to: 'same' },
} as const satisfies Record<string, { from: readonly NeedStatus[]; to: NeedStatus | 'same' }>;

export type LifecycleAction = keyof typeof LIFECYCLE;

export function requireFrom(action: LifecycleAction, status: NeedStatus): void {
  if (!(LIFECYCLE[action].from as readonly NeedStatus[]).includes(status)) {
    throw precondition(`需求${NEED_STATUS_LABELS[status]}，不能执行此操作`);
  }
}
