import { z } from 'zod';
import { defineAction } from '../core/actions';
import { loadLedgerRows, loadNames, loadSummary } from './data';
import { ledgerWorkbook, reportWorkbook, saveExport } from './export';
import { latestSealedAnchor } from '../history/latest';

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
      wb = await ledgerWorkbook(rows, names);
    } else {
      const figures = await loadSummary(ctx, { includeUnverified });
      enterprises = figures.overall.enterprises + (includeUnverified ? 0 : figures.unverified.enterprises);
      wb = await reportWorkbook(figures, names, now, await latestSealedAnchor(ctx.db));
    }
    return { ...(await saveExport(ctx, kind, wb, now)), enterprises };
  },
});
