/**
 * ledger.trend {days}: the district's (admins) or a task force's zones'
 * figures for each of the last `days` China-time days, today included. Past
 * days come from the scheduler's ledgerDays (one query for at most 89
 * documents); today from the same aggregation as ledger.summary.
 */
import { z } from 'zod';
import type { LedgerTrend, TrendDay } from '../../typings/api';
import { defineAction } from '../core/actions';
import { forbidden } from '../core/errors';
import { isAdmin } from '../access/session';
import { district } from '../config/district';
import { addDays, chinaDayOf } from '../sla/calendar';
import { liveFigures, readDays, scopeOf, sumZones, withRates, zeroFigures } from './days';

export const TREND_MAX_DAYS = 90;

/** How many China days back a daily series reaches (trend, flow). */
export const daysInput = z.object({
  days: z
    .number({ invalid_type_error: '天数应为数字' })
    .int('天数应为整数')
    .min(1, `天数应在 1–${TREND_MAX_DAYS} 之间`)
    .max(TREND_MAX_DAYS, `天数应在 1–${TREND_MAX_DAYS} 之间`),
});

export const trend = defineAction({
  roles: ['admin', 'taskforce'],
  input: daysInput,
  async run(ctx, { days }): Promise<LedgerTrend> {
    const d = await district(ctx);
    let zones: string[] | undefined;
    if (!isAdmin(ctx.session)) {
      const tf = ctx.session.taskForceId ? d.taskForces.get(ctx.session.taskForceId) : undefined;
      if (!tf) throw forbidden('您尚未加入服务专班');
      zones = [...new Set(tf.zoneCodes ?? [])];
    }
    const now = ctx.clock.now();
    const today = chinaDayOf(now);
    const past = Array.from({ length: days - 1 }, (_, i) => addDays(today, i - (days - 1)));
    const [recorded, live] = await Promise.all([readDays(ctx.db, past), liveFigures(ctx, zones)]);
    const scope = zones ? new Set(zones) : undefined;
    const out: TrendDay[] = past.map((date) => {
      const doc = recorded.get(date);
      return { date, ...withRates(doc ? scopeOf(doc, scope) : zeroFigures()), recorded: Boolean(doc) };
    });
    out.push({ date: today, ...withRates(sumZones(live)), recorded: true });
    return { days: out, scope: zones ? 'zones' : 'district', asOf: now.toISOString() };
  },
});
