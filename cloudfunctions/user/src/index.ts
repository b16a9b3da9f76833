import { cloudEntry } from '../../../server/core/entry';
import { userActions } from '../../../server/functions/user';

export const main = cloudEntry('user', userActions);
