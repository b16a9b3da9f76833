import { z } from 'zod';
import { defineAction } from '../core/actions';
import { chinaTime } from '../core/time';
import { loadLedger } from './data';
import { ledgerWorkbook, reportWorkbook } from './export';

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
    const stamp = chinaTime(now, 'YYYYMMDD-HHmm');
    const fileName = `${kind === 'ledger' ? '复工台账' : '民企复工达产专报'}-${stamp}.xlsx`;
    const content = Buffer.from(await wb.xlsx.writeBuffer());
    const fileID = await ctx.files.upload(`exports/${stamp}-${kind}.xlsx`, content);
    return { fileID, fileName, bytes: content.length, enterprises: ledger.enterprises.length };
  },
});
