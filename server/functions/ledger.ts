import type { ActionTable } from '../core/actions';
import { exportLedger, summary, trend, units } from '../ledger/actions';
import { flow } from '../ledger/flow';

export const ledgerActions: ActionTable = { summary, trend, flow, units, export: exportLedger };
