import type { ActionTable } from '../core/actions';
import { get, list, matched } from '../policies/actions';

export const policyActions: ActionTable = { list, get, matched };
