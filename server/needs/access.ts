import type { Context } from '../core/ports';
import { forbidden } from '../core/errors';
import { taskForceCovers } from '../access/zones';
import { isAdmin } from '../access/session';
import type { District } from '../config/district';
import type { NeedDoc } from './model';
import type { Caller } from './lifecycle';

const CHAMBER_KINDS = ['chamber', 'association'];

/**
 * The units whose queue the caller works: their own units, plus the
 * federation's supplies pool for every chamber head (spec: "which every
 * chamber head may claim from").
 */
export function handlerUnits(ctx: Context, d: District): string[] {
  const units = new Set(ctx.session.unitCodes);
  const headsAChamber = ctx.session.headOf.some((code) => CHAMBER_KINDS.includes(d.units.get(code)?.kind ?? ''));
  if (headsAChamber) units.add(d.settings.supplyPoolUnitCode);
  return [...units];
}

/**
 * The caller as the lifecycle table sees them. Capacities follow the roles
 * the action table checks: unit work needs the `unit` role, owner work the
 * `enterprise` role, so `allowedActions` never offers what the entry refuses.
 */
export function callerOf(ctx: Context, d: District): Caller {
  const s = ctx.session;
  const unit = s.roles.includes('unit');
  return {
    openid: ctx.openid,
    handlerUnits: unit ? handlerUnits(ctx, d) : [],
    headOf: unit ? s.headOf : [],
    admin: isAdmin(s),
    enterpriseId: s.roles.includes('enterprise') ? s.enterpriseId : undefined,
  };
}

/**
 * Who reads a need, and so what they see of it:
 * - `enterprise`: the enterprise itself;
 * - `handler`: a unit that can act on it now;
 * - `pastHandler`: a unit that held it before (a finance desk after the bank took over);
 * - `taskforce`: the task force of the enterprise's zone;
 * - `admin`.
 */
export type NeedViewer = 'enterprise' | 'handler' | 'pastHandler' | 'taskforce' | 'admin';

export async function viewerOf(ctx: Context, units: string[], need: NeedDoc): Promise<NeedViewer> {
  const s = ctx.session;
  if (s.enterpriseId === need.enterpriseId) return 'enterprise';
  if (units.includes(need.unitCode)) return 'handler';
  if (need.handledUnits?.some((u) => s.unitCodes.includes(u))) return 'pastHandler';
  if (isAdmin(s)) return 'admin';
  if (await taskForceCovers(ctx, need.zone)) return 'taskforce';
  throw forbidden('无权查看该需求');
}

/** Spec: phones in full to the enterprise, its task force and the unit handling the need. */
export const seesPhone = (v: NeedViewer) => v === 'enterprise' || v === 'handler' || v === 'taskforce';

/** Spec: loan amounts to the enterprise, the units that handle or handled the loan, and admins. */
export const seesLoanAmount = (v: NeedViewer) => v !== 'taskforce';
