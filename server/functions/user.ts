import type { ActionTable } from '../core/actions';
import { login } from '../users/login';
import { redeemInvite } from '../users/invites';

export const userActions: ActionTable = { login, redeemInvite };
