import { z } from 'zod';
import { defineAction } from '../core/actions';
import { invalid } from '../core/errors';
import { calendarDate, calendarDay } from '../core/validation';
import { district } from '../config/district';
import { daysBetween } from '../sla/calendar';
import { loadLedgerRows, loadNames, loadSummary } from './data';
import { ledgerWorkbook, reportWorkbook, saveExport } from './export';
import { printableAnchor } from '../history/anchors';
import { unitsReport } from './units';
import { weekReport } from './week';

export { trend } from './trend';

const summaryInput = z.object({
  /** The headline counts verified enterprises; this folds the self-reported, unverified ones in. */
  includeUnverified: z.boolean().default(false),
});

export const summary = defineAction({
  roles: ['admin'],
  input: summaryInput,
  run: (ctx, options) => loadSummary(ctx, options),
});

/** Spec, "Bounds": a period of at most a year (366 days, both ends included). */
export const MAX_PERIOD_DAYS = 366;

export const units = defineAction({
  roles: ['admin'],
  input: z.object({ from: calendarDate(), to: calendarDate() }),
  async run(ctx, input) {
    const from = calendarDay(input.from)!;
    const to = calendarDay(input.to)!;
    if (from > to) throw invalid('结束日期不能早于开始日期', 'to');
    if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) throw invalid(`统计期间不能超过 ${MAX_PERIOD_DAYS} 天`, 'to');
    return unitsReport(ctx, await district(ctx), from, to);
  },
});

export const exportLedger = defineAction({
  roles: ['admin'],
  input: summaryInput.extend({
    kind: z.enum(['ledger', 'report'], { errorMap: () => ({ message: '请选择导出台账或专报' }) }),
    /** The 专报's ISO week, 'YYYY-Www' (China time); absent, the week in progress. */
    week: z.string().regex(/^\d{4}-W\d{2}$/, '周应写作 2026-W10 这样的格式').optional(),
  }),
  async run(ctx, { kind, includeUnverified, week }) {
    const now = ctx.clock.now().toISOString();
    const names = await loadNames(ctx.db);
    let enterprises: number;
    let wb;
    if (kind === 'ledger') {
      const rows = await loadLedgerRows(ctx);
      enterprises = rows.enterprises.length;
      wb = await ledgerWorkbook(rows, names);
    } else {
      const d = await district(ctx);
      // The week first: a week that does not exist is refused before anything is computed.
      const weekly = await weekReport(ctx, d, week);
      const figures = await loadSummary(ctx, { includeUnverified });
      enterprises = figures.overall.enterprises + (includeUnverified ? 0 : figures.unverified.enterprises);
      wb = await reportWorkbook(figures, names, now, weekly, await printableAnchor(ctx));
    }
    return { ...(await saveExport(ctx, kind, wb, now)), enterprises };
  },
});
