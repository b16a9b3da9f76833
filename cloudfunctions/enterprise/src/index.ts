import { cloudEntry } from '../../../server/functions/entry';
import { enterpriseActions } from '../../../server/functions/enterprise';

export const main = cloudEntry('enterprise', enterpriseActions);
