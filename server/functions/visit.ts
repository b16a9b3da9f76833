import type { ActionTable } from '../core/actions';
import { checkIn, list, myEnterprises } from '../visits/actions';

export const visitActions: ActionTable = { myEnterprises, checkIn, list };
