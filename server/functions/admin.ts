import type { ActionTable } from '../core/actions';
import { createInvite } from '../users/invites';

export const adminActions: ActionTable = { createInvite };
