import { cloudEntry } from '../../../server/core/entry';
import { policyActions } from '../../../server/functions/policy';

export const main = cloudEntry('policy', policyActions);
