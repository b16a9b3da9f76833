import { cloudEntry } from '../../../server/functions/entry';
import { policyActions } from '../../../server/functions/policy';

export const main = cloudEntry('policy', policyActions);
