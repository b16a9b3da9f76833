import type { ActionTable } from '../core/actions';
import { submit } from '../needs/submit';
import { get, mine, queue } from '../needs/queries';
import { claim, fulfil, progress, reject, release, renew, transfer, units, wait } from '../needs/handling';
import { answer, cancel, confirm, reopen } from '../needs/owner';
import { breakClaim, routePreview } from '../needs/oversight';
import { contacted } from '../needs/contact';

export const needActions: ActionTable = {
  submit,
  mine,
  get,
  queue,
  claim,
  renew,
  release,
  progress,
  wait,
  answer,
  fulfil,
  transfer,
  reject,
  contacted,
  cancel,
  confirm,
  reopen,
  units,
  routePreview,
  breakClaim,
};
