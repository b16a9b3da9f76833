import { cloudEntry } from '../../../server/core/entry';
import { adminActions } from '../../../server/functions/admin';

export const main = cloudEntry('admin', adminActions);
