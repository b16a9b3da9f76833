/**
 * Messages whose send failed for a reason that may pass (the network, the
 * platform busy): kept in `pendingMessages` and sent again by the scheduler
 * until they go out once, or until MAX_ATTEMPTS. A refusal that will not pass
 * — the person never subscribed or used up their consent (43101), a value
 * outside its keyword's rule (47003, MessageRefused), an unknown openid or
 * template — is not kept: sending it again could not succeed.
 *
 * Each retry first claims the record (a conditional write on its attempt
 * count), so two scheduler runs never both send it; the record is removed once
 * the message is out. A run dying between the send and the removal would send
 * it once more at the next run: at least once, at most twice in that case.
 */
import type { Context, SubscribeMessage } from '../core/ports';
import { sha256 } from '../core/ids';
import { docsOf, isDuplicateWrite } from '../core/tx';

/** The platform's answers that no retry changes. */
const FINAL_ERRCODES = new Set([43101, 47003, 40003, 40037, 41030, 43107]);
export const MAX_ATTEMPTS = 5;
/** Minutes to wait before attempt n (1-based): 10, 20, 40, 80 … */
const backoffMinutes = (attempt: number) => 10 * 2 ** (attempt - 1);
const PAGE = 50;

export interface PendingMessageDoc {
  _id: string;
  /** Always 'pending' while kept: the index's first field, so the due ones are sought, not scanned. */
  state: 'pending';
  message: SubscribeMessage;
  attempts: number;
  nextAt: string;
  lastError: string;
  createdAt: string;
}

function errCodeOf(err: unknown): number | undefined {
  const e = err as { errCode?: unknown; errcode?: unknown } | null;
  const code = e?.errCode ?? e?.errcode;
  return typeof code === 'number' ? code : typeof code === 'string' && /^-?\d+$/.test(code) ? Number(code) : undefined;
}

/** Whether a failed send may succeed later. */
export function mayPass(err: unknown): boolean {
  if ((err as Error)?.name === 'MessageRefused') return false;
  const code = errCodeOf(err);
  return code === undefined || !FINAL_ERRCODES.has(code);
}

const errorText = (err: unknown) => String((err as Error)?.message ?? err).slice(0, 200);

/** Keeps a message whose first send failed; the same message kept twice is kept once. */
export async function keepForRetry(ctx: Context, message: SubscribeMessage, err: unknown): Promise<void> {
  const now = ctx.clock.now();
  const doc: PendingMessageDoc = {
    _id: sha256(JSON.stringify([message.touser, message.template, message.page ?? '', message.data, now.toISOString()])).slice(0, 32),
    state: 'pending',
    message,
    attempts: 1,
    nextAt: new Date(now.getTime() + backoffMinutes(1) * 60_000).toISOString(),
    lastError: errorText(err),
    createdAt: now.toISOString(),
  };
  try {
    await ctx.db.collection('pendingMessages').add({ data: doc });
  } catch (e) {
    if (!isDuplicateWrite(e)) throw e;
  }
}

export interface RetryReport {
  sent: number;
  kept: number;
  dropped: number;
}

/** One scheduler step: sends again what is due, within the run's budget. */
export async function retryPendingMessages(ctx: Context, outOfTime: () => boolean): Promise<RetryReport & { unfinished: boolean }> {
  const _ = ctx.db.command;
  const report = { sent: 0, kept: 0, dropped: 0 };
  const now = ctx.clock.now();
  const due = await docsOf<PendingMessageDoc>(
    ctx.db.collection('pendingMessages').where({ state: 'pending', nextAt: _.lte(now.toISOString()) }).orderBy('nextAt', 'asc').limit(PAGE),
  );
  for (const doc of due) {
    if (outOfTime()) return { ...report, unfinished: true };
    const attempt = doc.attempts + 1;
    // Claimed for this attempt: another run reading the same page finds the count moved on.
    const claimed = (await ctx.db
      .collection('pendingMessages')
      .where({ _id: doc._id, attempts: doc.attempts })
      .update({ data: { attempts: attempt, nextAt: new Date(now.getTime() + backoffMinutes(attempt) * 60_000).toISOString() } })) as {
      stats: { updated: number };
    };
    if (claimed.stats.updated !== 1) continue;
    try {
      await ctx.messenger.send(doc.message);
      await ctx.db.collection('pendingMessages').doc(doc._id).remove();
      report.sent++;
    } catch (err) {
      if (!mayPass(err) || attempt >= MAX_ATTEMPTS) {
        console.error(`[notify] ${doc.message.template} to ${doc.message.touser} given up after ${attempt} attempts`, err);
        await ctx.db.collection('pendingMessages').doc(doc._id).remove();
        report.dropped++;
      } else {
        await ctx.db.collection('pendingMessages').doc(doc._id).update({ data: { lastError: errorText(err) } });
        report.kept++;
      }
    }
  }
  return { ...report, unfinished: due.length === PAGE };
}
