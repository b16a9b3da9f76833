/**
 * What is this person's to do now (spec: "the home page shows each person
 * what is theirs to do now"): counts for each hat they wear, from a handful
 * of count queries rather than whole lists.
 */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import type { Context } from '../core/ports';
import { countOf } from '../core/tx';
import { loadSettings } from '../settings';
import { handlerUnits } from '../needs/access';
import { OPEN_STATUSES } from '../needs/model';
import { zoneEnterprises } from '../visits/actions';

export interface Todo {
  enterprise?: { open: number; waiting: number; toConfirm: number };
  unit?: { toClaim: number; mine: number; escalated: number };
  taskforce?: { overdue: number };
}

const needs = (ctx: Context, where: Record<string, unknown>) => countOf(ctx.db.collection('needs').where(where));

export const todo = defineAction({
  roles: 'signedIn',
  input: z.object({}),
  async run(ctx): Promise<Todo> {
    const _ = ctx.db.command;
    const out: Todo = {};
    const enterpriseId = ctx.session.enterpriseId;
    if (enterpriseId) {
      const [open, waiting, toConfirm] = await Promise.all([
        needs(ctx, { enterpriseId, status: _.in(OPEN_STATUSES) }),
        needs(ctx, { enterpriseId, status: 'waiting' }),
        needs(ctx, { enterpriseId, status: 'fulfilled' }),
      ]);
      out.enterprise = { open, waiting, toConfirm };
    }
    if (ctx.session.roles.includes('unit')) {
      const units = await handlerUnits(ctx, await loadSettings(ctx.db));
      const [toClaim, mine, escalated] = await Promise.all([
        needs(ctx, { unitCode: _.in(units), status: 'routed' }),
        needs(ctx, { claimedBy: ctx.openid, status: _.in(['claimed', 'in_progress', 'waiting']) }),
        needs(ctx, { unitCode: _.in(units), escalated: true, status: _.in(OPEN_STATUSES) }),
      ]);
      out.unit = { toClaim, mine, escalated };
    }
    if (ctx.session.taskForceId) {
      out.taskforce = { overdue: (await zoneEnterprises(ctx)).filter((e) => e.overdue).length };
    }
    return out;
  },
});
