import type { ActionTable } from '../core/actions';
import { exportLedger, summary } from '../ledger/actions';

export const ledgerActions: ActionTable = { summary, export: exportLedger };
