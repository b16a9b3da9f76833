import { cloudEntry } from '../../../server/core/entry';
import { visitActions } from '../../../server/functions/visit';

export const main = cloudEntry('visit', visitActions);
