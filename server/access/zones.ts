import type { Context } from '../core/ports';
import { getDoc } from '../core/tx';

/** Whether the caller is in the task force whose zones include `zone` (spec: a task force sees its zone). */
export async function taskForceCovers(ctx: Context, zone: string | undefined): Promise<boolean> {
  if (!ctx.session.taskForceId || !zone) return false;
  const tf = await getDoc<{ zoneCodes: string[] }>(ctx.db, 'taskForces', ctx.session.taskForceId);
  return !!tf?.zoneCodes.includes(zone);
}
