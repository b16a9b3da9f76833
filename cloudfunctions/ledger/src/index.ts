import { cloudEntry } from '../../../server/functions/entry';
import { ledgerActions } from '../../../server/functions/ledger';

export const main = cloudEntry('ledger', ledgerActions);
