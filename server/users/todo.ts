/**
 * What is this person's to do now (spec: "the home page shows each person
 * what is theirs to do now"): counts for each hat they wear. One grouped
 * count per hat, never a list read, so the figures stay right at any size and
 * a person with every role costs four round trips.
 */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import type { Context } from '../core/ports';
import { district } from '../config/district';
import { handlerUnits } from '../needs/access';
import { overdueCount } from '../visits/actions';
import { HELD, IN_HAND } from '../../typings/statuses';

export interface Todo {
  enterprise?: { open: number; waiting: number; toConfirm: number };
  unit?: { toClaim: number; mine: number; escalated: number };
  taskforce?: { overdue: number };
}

type Row = Record<string, number> & { _id: unknown };

/** Sums of 0/1 flags over the matching needs, in one aggregation. */
async function tally(ctx: Context, match: Record<string, unknown>, flags: Record<string, unknown>): Promise<Record<string, number>> {
  const $ = ctx.db.command.aggregate;
  const group: Record<string, unknown> = { _id: null };
  for (const [name, condition] of Object.entries(flags)) group[name] = $.sum($.cond([condition, 1, 0]));
  const res = (await ctx.db.collection('needs').aggregate().match(match).group(group).end()) as { list: Row[] };
  const row = res.list[0];
  return Object.fromEntries(Object.keys(flags).map((k) => [k, row?.[k] ?? 0]));
}

export const todo = defineAction({
  roles: 'signedIn',
  input: z.object({}),
  async run(ctx): Promise<Todo> {
    const _ = ctx.db.command;
    const $ = ctx.db.command.aggregate;
    const out: Todo = {};
    const enterpriseId = ctx.session.enterpriseId;
    const [enterprise, unit, taskforce] = await Promise.all([
      enterpriseId
        ? tally(ctx, { enterpriseId, status: _.in([...IN_HAND, 'fulfilled']) }, {
            open: $.in(['$status', IN_HAND]),
            waiting: $.eq(['$status', 'waiting']),
            toConfirm: $.eq(['$status', 'fulfilled']),
          })
        : undefined,
      ctx.session.roles.includes('unit')
        ? district(ctx).then((d) =>
            tally(ctx, { unitCode: _.in(handlerUnits(ctx, d)), status: _.in(IN_HAND) }, {
              toClaim: $.eq(['$status', 'routed']),
              mine: $.and([$.eq(['$claimedBy', ctx.openid]), $.in(['$status', HELD])]),
              escalated: $.eq(['$escalated', true]),
            }),
          )
        : undefined,
      ctx.session.taskForceId ? overdueCount(ctx) : undefined,
    ]);
    if (enterprise) out.enterprise = enterprise as Todo['enterprise'];
    if (unit) out.unit = unit as Todo['unit'];
    if (taskforce !== undefined) out.taskforce = { overdue: taskforce };
    return out;
  },
});
