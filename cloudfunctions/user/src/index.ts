import { cloudEntry } from '../../../server/functions/entry';
import { userActions } from '../../../server/functions/user';

export const main = cloudEntry('user', userActions);
