/**
 * A clientKey names one content (issue 20). The phone sends a key with an
 * action it may have to send again (a timeout, a double tap, the offline
 * queue); the key, hashed with the caller, and a hash of what the action
 * asked are left on the event the action wrote. Then:
 * - the same key with the same content finds its event and answers the need
 *   as it stands — "done by me", not CONFLICT or FAILED_PRECONDITION;
 * - the same key with other content is CONFLICT: a key is never reused for
 *   something else, so a mistake on the phone cannot pass for a replay.
 *
 * Lifecycle actions take the key optionally (`lifecycleAction` adds it to
 * the input), so existing clients keep working; need.submit and
 * visit.checkIn require theirs and compare content the same way
 * (`contentHash`).
 */
import { z } from 'zod';
import { defineAction, type ActionDef, type Audience } from '../core/actions';
import { conflict } from '../core/errors';
import { sha256 } from '../core/ids';
import type { Context } from '../core/ports';
import { canonical } from './events';
import type { NeedDoc } from './model';

export const clientKey = z.string().trim().min(8, '提交编号无效').max(64);

export interface Replay {
  /** Who sent which key: `sha256(openid, key)`, so one person's key never matches another's. */
  key: string;
  /** `key.content`: what the event carries. */
  mark: string;
}

/** A hash of content as canonical JSON (sorted keys, absent values dropped): the same request always hashes the same. */
export const contentHash = (content: unknown) => sha256(canonical(content)).slice(0, 32);

/** The mark for `action` with `input` (its clientKey left out of the content), or undefined without a key. */
export function replayOf(ctx: Context, action: string, input: { clientKey?: string } & Record<string, unknown>): Replay | undefined {
  const { clientKey: sent, ...content } = input;
  if (!sent) return undefined;
  const key = sha256(`${ctx.openid}\nneed-action\n${sent}`).slice(0, 32);
  return { key, mark: `${key}.${contentHash({ action, ...content })}` };
}

const KEY_USED = '该操作编号已用于另一项操作，请刷新后重试';

/**
 * Whether the keyed action already landed on this need: true for its own
 * event; CONFLICT when the key was used for another content; false when the
 * key is new here.
 */
export function landed(need: NeedDoc, replay: Replay): boolean {
  const prefix = `${replay.key}.`;
  for (let i = need.timeline.length - 1; i >= 0; i--) {
    const mark = need.timeline[i].replay;
    if (!mark?.startsWith(prefix)) continue;
    if (mark === replay.mark) return true;
    throw conflict(KEY_USED);
  }
  return false;
}

/**
 * `defineAction` for an action of the need lifecycle: its input also takes
 * an optional `clientKey`, which the handler hands to `transition` through
 * `replayOf`.
 */
export function lifecycleAction<S extends z.AnyZodObject, R>(def: {
  roles: Audience;
  input: S;
  perMinute?: number;
  run(ctx: Context, input: z.infer<S> & { clientKey?: string }): Promise<R>;
}): ActionDef {
  return defineAction({ ...def, input: def.input.extend({ clientKey: clientKey.optional() }) });
}
