import type { Context } from '../core/ports';
import { district } from '../config/district';

/** Whether the caller is in the task force whose zones include `zone` (spec: a task force sees its zone). */
export async function taskForceCovers(ctx: Context, zone: string | undefined): Promise<boolean> {
  if (!ctx.session.taskForceId || !zone) return false;
  const tf = (await district(ctx)).taskForces.get(ctx.session.taskForceId);
  return !!tf?.zoneCodes.includes(zone);
}
