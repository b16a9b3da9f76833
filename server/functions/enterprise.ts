import type { ActionTable } from '../core/actions';
import { get, options, register } from '../enterprises/actions';
import { reportStatus, update, verify } from '../enterprises/status';
import { members, removeMember } from '../enterprises/members';

export const enterpriseActions: ActionTable = { options, register, get, update, reportStatus, verify, members, removeMember };
