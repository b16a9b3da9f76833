import type { ActionTable } from '../core/actions';
import { createInvite } from '../users/invites';
import { breakClaim, routePreview, verifyTimeline } from '../needs/oversight';

export const adminActions: ActionTable = { createInvite, breakClaim, routePreview, verifyTimeline };
