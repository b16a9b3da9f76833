import { cloudEntry } from '../../../server/core/entry';
import { needActions } from '../../../server/functions/need';

export const main = cloudEntry('need', needActions);
