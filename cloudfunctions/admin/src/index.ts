import { cloudEntry } from '../../../server/functions/entry';
import { adminActions } from '../../../server/functions/admin';

export const main = cloudEntry('admin', adminActions);
