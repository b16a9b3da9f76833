import type { ActionTable } from '../core/actions';
import { submit } from '../needs/submit';
import { get, mine, queue } from '../needs/queries';
import { claim, confirm, fulfil } from '../needs/handling';

export const needActions: ActionTable = { submit, mine, get, queue, claim, fulfil, confirm };
