/**
 * ledger.flow {days}: needs opened and closed (fulfilled) on each of the last
 * `days` China-time days, for the dashboard's chart. Two grouped counts —
 * one round trip each, however many needs — bucketed by the instants at
 * which China days begin (ISO strings order as the instants they name).
 */
import { ALL_STATUSES } from '../../typings/statuses';
import { defineAction } from '../core/actions';
import type { Context } from '../core/ports';
import { addDays, chinaDayOf, chinaDayStart } from '../sla/calendar';
import { daysInput } from './trend';

/** Every status: the count is by date, and the status index is what lets the database seek. */

export interface FlowDay {
  date: string;
  opened: number;
  closed: number;
}

async function perDay(ctx: Context, field: 'createdAt' | 'fulfilledAt', boundaries: string[]): Promise<Map<string, number>> {
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const res = (await ctx.db
    .collection('needs')
    .aggregate()
    .match({ status: _.in(ALL_STATUSES), [field]: _.gte(boundaries[0]).and(_.lt(boundaries[boundaries.length - 1])) })
    .bucket({ groupBy: `$${field}`, boundaries, default: 'outside', output: { n: $.sum(1) } })
    // A bucket per day plus 'outside': 91 rows over 90 days, where a cloud function answers 20 without a limit.
    .limit(boundaries.length)
    .end()) as { list: Array<{ _id: string; n: number }> };
  return new Map(res.list.map((b) => [b._id, b.n]));
}

export const flow = defineAction({
  roles: ['admin'],
  input: daysInput,
  async run(ctx, { days }): Promise<{ days: FlowDay[] }> {
    const today = chinaDayOf(ctx.clock.now());
    const dates = Array.from({ length: days }, (_, i) => addDays(today, i - (days - 1)));
    const boundaries = [...dates, addDays(today, 1)].map((day) => chinaDayStart(day).toISOString());
    const [opened, closed] = await Promise.all([perDay(ctx, 'createdAt', boundaries), perDay(ctx, 'fulfilledAt', boundaries)]);
    return { days: dates.map((date, i) => ({ date, opened: opened.get(boundaries[i]) ?? 0, closed: closed.get(boundaries[i]) ?? 0 })) };
  },
});
