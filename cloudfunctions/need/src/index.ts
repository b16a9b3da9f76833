import { cloudEntry } from '../../../server/functions/entry';
import { needActions } from '../../../server/functions/need';

export const main = cloudEntry('need', needActions);
