/**
 * One table of actions per function: name → {roles, input schema, run}.
 * The dispatcher, the access check and the action list in the docs all come
 * from the table, so an action cannot exist without its guard.
 */
import type { z } from 'zod';
import type { Envelope, Role, Session } from '../../typings/api';
import { AppError, unauthenticated } from './errors';
import type { Context, Ports } from './ports';
import { parseInput } from './validation';
import { checkRate } from './rateLimit';

/** `signedIn`: any WeChat user, even one holding no role yet (login, register). */
export type Audience = Role[] | 'signedIn';

export interface ActionDef<S extends z.ZodTypeAny = z.ZodTypeAny, R = unknown> {
  roles: Audience;
  input: S;
  /** Calls per caller per minute, for actions worth abusing (code guessing, flooding a queue). */
  perMinute?: number;
  /**
   * The action answers a replay (the same clientKey again, as a phone's
   * offline queue sends it) with the first result, and a replay must not
   * count against the limit: the handler calls `ctx.countCall()` itself once
   * it knows the call is new. Otherwise the dispatcher counts before `run`.
   */
  countsItself?: boolean;
  run(ctx: Context, input: z.infer<S>): Promise<R>;
}

export type ActionTable = Record<string, ActionDef<any, any>>;

export function defineAction<S extends z.ZodTypeAny, R>(def: ActionDef<S, R>): ActionDef<S, R> {
  return def;
}

export function allows(audience: Audience, session: Session): boolean {
  return audience === 'signedIn' || audience.some((role) => session.roles.includes(role));
}

/**
 * Who the caller is and which per-minute limit applies: what the dispatcher
 * needs from the floors above it (the users collection, the district's
 * settings), handed in by whoever composes a function — server/functions/gate.ts
 * for the deployed entry and the local runtime alike — so the ground floor
 * imports nothing above it.
 */
export interface Gate {
  identify(ports: Ports, openid: string): Promise<{ session: Session; known: boolean }>;
  /** The limit an action runs under: the district's override, or the action's own. */
  perMinute(ports: Ports, action: string, fallback: number): Promise<number>;
}

export interface CallLog {
  fn: string;
  action: string;
  openid: string;
  ms: number;
  outcome: string;
  /** Database round trips the call made (the local runtime counts them; the cloud's own log has none). */
  db?: number;
}

export async function dispatch(
  fn: string,
  table: ActionTable,
  event: unknown,
  ports: Ports,
  openid: string | undefined,
  gate: Gate,
  log?: (entry: CallLog) => void,
): Promise<Envelope<unknown>> {
  const started = Date.now();
  const payload = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
  const name = typeof payload.action === 'string' ? payload.action : '';
  let envelope: Envelope<unknown>;
  try {
    if (!openid) throw unauthenticated();
    const def = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
    if (!def) throw new AppError('NOT_FOUND', `云函数 ${fn} 没有操作「${name || '（未指定）'}」`, 'action');
    const { session, known } = await gate.identify(ports, openid);
    if (!allows(def.roles, session)) throw new AppError('FORBIDDEN', '您的身份无权执行此操作');
    const { action: _omit, ...rest } = payload;
    const input = parseInput(def.input, rest);
    const countCall = async () => {
      if (!def.perMinute) return;
      const limit = await gate.perMinute(ports, `${fn}.${name}`, def.perMinute);
      await checkRate(ports.db, ports.clock, `${fn}.${name}:${openid}`, limit);
    };
    if (!def.countsItself) await countCall();
    const data = await def.run({ ...ports, openid, session, known, countCall }, input);
    envelope = { ok: true, data: data ?? null };
  } catch (err) {
    envelope = { ok: false, error: toApiError(err) };
  }
  log?.({
    fn,
    action: name,
    openid: openid ?? '-',
    ms: Date.now() - started,
    outcome: envelope.ok ? 'ok' : envelope.error.code,
  });
  return envelope;
}

export function toApiError(err: unknown) {
  if (err instanceof AppError) return err.toJSON();
  // Never leak internals (stack, SDK messages) to the phone; the server log keeps them.
  console.error('[internal]', err);
  return { code: 'INTERNAL' as const, message: '服务暂时不可用，请稍后重试' };
}
