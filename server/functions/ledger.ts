import type { ActionTable } from '../core/actions';
import { exportLedger, summary, trend, units } from '../ledger/actions';

export const ledgerActions: ActionTable = { summary, trend, units, export: exportLedger };
