import type { ActionTable } from '../core/actions';
import { get, options, register } from '../enterprises/actions';
import { reportStatus, update, verify } from '../enterprises/status';

export const enterpriseActions: ActionTable = { options, register, get, update, reportStatus, verify };
