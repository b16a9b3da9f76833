import { cloudEntry } from '../../../server/core/entry';
import { enterpriseActions } from '../../../server/functions/enterprise';

export const main = cloudEntry('enterprise', enterpriseActions);
