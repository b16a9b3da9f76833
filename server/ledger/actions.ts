import { z } from 'zod';
import { defineAction } from '../core/actions';
import { chinaTime } from '../core/time';
import { loadLedgerRows, loadNames, loadSummary } from './data';
import { ledgerWorkbook, reportWorkbook } from './export';

const summaryInput = z.object({
  /** The headline counts verified enterprises; this folds the self-reported, unverified ones in. */
  includeUnverified: z.boolean().default(false),
});

export const summary = defineAction({
  roles: ['admin'],
  input: summaryInput,
  run: (ctx, options) => loadSummary(ctx, options),
});

export const exportLedger = defineAction({
  roles: ['admin'],
  input: summaryInput.extend({ kind: z.enum(['ledger', 'report'], { errorMap: () => ({ message: '请选择导出台账或专报' }) }) }),
  async run(ctx, { kind, includeUnverified }) {
    const now = ctx.clock.now().toISOString();
    const names = await loadNames(ctx.db);
    let enterprises: number;
    let wb;
    if (kind === 'ledger') {
      const rows = await loadLedgerRows(ctx.db);
      enterprises = rows.enterprises.length;
      wb = ledgerWorkbook(rows, names);
    } else {
      const figures = await loadSummary(ctx, { includeUnverified });
      enterprises = figures.overall.enterprises + (includeUnverified ? 0 : figures.unverified.enterprises);
      wb = reportWorkbook(figures, names, now);
    }
    const stamp = chinaTime(now, 'YYYYMMDD-HHmm');
    const fileName = `${kind === 'ledger' ? '复工台账' : '民企复工达产专报'}-${stamp}.xlsx`;
    const content = Buffer.from(await wb.xlsx.writeBuffer());
    const fileID = await ctx.files.upload(`exports/${stamp}-${kind}.xlsx`, content);
    return { fileID, fileName, bytes: content.length, enterprises };
  },
});
