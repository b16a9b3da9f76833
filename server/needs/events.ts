/**
 * The timeline: append-only events, each carrying the hash of the one
 * before, so an edited or removed event breaks the chain. The need document
 * holds the head of the chain, so appending happens under the need's own
 * write in the same transaction and two writers cannot fork it.
 */
import type { NeedStatus } from '../../typings/api';
import { sha256 } from '../core/ids';
import type { Tx } from '../core/tx';
import type { ActorRole, NeedEventDoc } from './model';

export const GENESIS_HASH = '0'.repeat(64);

export interface EventInput {
  at: string;
  actor: string;
  role: ActorRole;
  from: NeedStatus | null;
  to: NeedStatus;
  note?: string;
}

export function hashEvent(needId: string, seq: number, e: EventInput, prevHash: string): string {
  return sha256(JSON.stringify([needId, seq, e.at, e.actor, e.role, e.from, e.to, e.note ?? '', prevHash]));
}

export const eventId = (needId: string, seq: number) => `${needId}-${String(seq).padStart(6, '0')}`;

export function buildEvent(needId: string, head: { eventSeq: number; lastHash: string }, e: EventInput): NeedEventDoc {
  const seq = head.eventSeq + 1;
  const hash = hashEvent(needId, seq, e, head.lastHash);
  const doc: NeedEventDoc = { _id: eventId(needId, seq), needId, seq, ...e, prevHash: head.lastHash, hash };
  if (doc.note === undefined) delete doc.note;
  return doc;
}

/** Writes the event and returns the need fields that move the chain's head. */
export async function appendEvent(tx: Tx, needId: string, head: { eventSeq: number; lastHash: string }, e: EventInput) {
  const event = buildEvent(needId, head, e);
  await tx.collection('needEvents').add({ data: event });
  return { eventSeq: event.seq, lastHash: event.hash };
}

/** Recomputes the chain; returns the first broken sequence number, or null when intact. */
export function verifyChain(events: NeedEventDoc[], head: { eventSeq: number; lastHash: string }): number | null {
  let prev = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1 || e.prevHash !== prev || hashEvent(e.needId, e.seq, e, prev) !== e.hash) return i + 1;
    prev = e.hash;
  }
  if (events.length !== head.eventSeq || prev !== head.lastHash) return events.length + 1;
  return null;
}
