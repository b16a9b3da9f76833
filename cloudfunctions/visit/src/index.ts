import { cloudEntry } from '../../../server/functions/entry';
import { visitActions } from '../../../server/functions/visit';

export const main = cloudEntry('visit', visitActions);
