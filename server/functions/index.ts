/** Every deployable function and its action table; the gateway and the docs read this list. */
import type { ActionTable } from '../core/actions';
import { adminActions } from './admin';
import { enterpriseActions } from './enterprise';
import { needActions } from './need';
import { userActions } from './user';
import { schedulerActions } from './scheduler';
import { policyActions } from './policy';
import { visitActions } from './visit';
import { ledgerActions } from './ledger';

export const functions: Record<string, ActionTable> = {
  user: userActions,
  enterprise: enterpriseActions,
  need: needActions,
  admin: adminActions,
  scheduler: schedulerActions,
  policy: policyActions,
  visit: visitActions,
  ledger: ledgerActions,
};
