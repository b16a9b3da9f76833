import { z } from 'zod';
import { defineAction } from '../core/actions';
import { loadLedger } from './data';
import { ledgerWorkbook, reportWorkbook, saveExport } from './export';

export const summary = defineAction({
  roles: ['admin'],
  input: z.object({}),
  async run(ctx) {
    return (await loadLedger(ctx)).summary;
  },
});

export const exportLedger = defineAction({
  roles: ['admin'],
  input: z.object({ kind: z.enum(['ledger', 'report'], { errorMap: () => ({ message: '请选择导出台账或专报' }) }) }),
  async run(ctx, { kind }) {
    const ledger = await loadLedger(ctx);
    const now = ctx.clock.now().toISOString();
    const wb = await (kind === 'ledger' ? ledgerWorkbook(ledger) : reportWorkbook(ledger, now));
    return { ...(await saveExport(ctx, kind, wb, now)), enterprises: ledger.enterprises.length };
  },
});
