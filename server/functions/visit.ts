import type { ActionTable } from '../core/actions';
import { checkIn, list, myEnterprises, profile } from '../visits/actions';

export const visitActions: ActionTable = { profile, myEnterprises, checkIn, list };
