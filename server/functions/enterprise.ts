import type { ActionTable } from '../core/actions';
import { get, options, register } from '../enterprises/actions';

export const enterpriseActions: ActionTable = { options, register, get };
