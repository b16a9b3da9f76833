import type { Context } from '../core/ports';
import { forbidden } from '../core/errors';
import { countOf } from '../core/tx';
import { isAdmin } from '../access/session';
import type { Settings } from '../settings';
import type { NeedDoc } from './model';

const CHAMBER_KINDS = ['chamber', 'association'];

/**
 * The units whose queue the caller works: their own units, plus the
 * federation's supplies pool for every chamber head (spec: "which every
 * chamber head may claim from").
 */
export async function handlerUnits(ctx: Context, settings: Settings): Promise<string[]> {
  const units = new Set(ctx.session.unitCodes);
  if (ctx.session.headOf.length) {
    const _ = ctx.db.command;
    const heads = await countOf(ctx.db.collection('units').where({ _id: _.in(ctx.session.headOf), kind: _.in(CHAMBER_KINDS) }));
    if (heads > 0) units.add(settings.supplyPoolUnitCode);
  }
  return [...units];
}

export function requireHandler(units: string[], need: NeedDoc): void {
  if (!units.includes(need.unitCode)) throw forbidden('该需求不属于您所在单位');
}

export type NeedViewer = 'enterprise' | 'handler' | 'admin';

/** Who may read a need: its enterprise, the units that can act on it, admins. */
export function viewerOf(ctx: Context, units: string[], need: NeedDoc): NeedViewer {
  if (ctx.session.enterpriseId === need.enterpriseId) return 'enterprise';
  if (units.includes(need.unitCode)) return 'handler';
  if (isAdmin(ctx.session)) return 'admin';
  throw forbidden('无权查看该需求');
}
