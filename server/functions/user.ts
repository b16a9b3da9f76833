import type { ActionTable } from '../core/actions';
import { login } from '../users/login';
import { redeemInvite } from '../users/invites';
import { todo } from '../users/todo';

export const userActions: ActionTable = { login, redeemInvite, todo };
