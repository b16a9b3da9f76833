import { cloudEntry } from '../../../server/core/entry';
import { ledgerActions } from '../../../server/functions/ledger';

export const main = cloudEntry('ledger', ledgerActions);
