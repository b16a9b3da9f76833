/**
 * The timeline: append-only events inside the need document. Each event
 * carries the hash of the one before, the hash of the need as the event left
 * it, and its own hash — an HMAC under the history key (server/history/key.ts),
 * which the database does not hold. So:
 * - an edited, inserted or removed event breaks the chain ('event hash');
 * - a chain rewritten and re-hashed by someone without the key shows ('key');
 * - a field of the need edited behind the functions' back no longer matches
 *   the last event's state hash ('state hash');
 * - a tail cut off with the head rolled back no longer contains the head the
 *   latest anchor recorded ('anchor', server/history/anchors.ts).
 * docs/history.md says what this proves and what it cannot.
 */
import { sha256 } from '../core/ids';
import { keyed, type HistoryKey } from '../history/key';
import type { NeedDoc, NeedEventDoc } from './model';

export const GENESIS_HASH = '0'.repeat(64);

/** What the caller says about an event; the chain adds its place and hashes. */
export type EventInput = Omit<NeedEventDoc, 'seq' | 'stateHash' | 'prevHash' | 'keyId' | 'hash'>;

/**
 * Fields that are not part of the need's own state: the chain itself, and
 * annotations legitimately written outside a transition (the verified mark
 * copied from the enterprise, the enterprise's display name, the scheduler's
 * once-per-lease warning marker).
 */
export const OUTSIDE_STATE: ReadonlySet<string> = new Set(['timeline', 'eventSeq', 'lastHash', 'enterpriseVerified', 'enterpriseName', 'leaseWarnedFor', 'noticePending']);

/** JSON with sorted keys and without absent values, so the same state always hashes the same. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/**
 * The need's own fields as an HMAC under the history key: without the key
 * nobody can test a guessed earlier state against an event's stateHash, so
 * a rolled-back document cannot be checked offline before it is written.
 */
export function stateHash(key: HistoryKey, need: Record<string, unknown>): string {
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(need)) if (!OUTSIDE_STATE.has(k)) own[k] = v;
  return keyed(key, canonical(own));
}

/** What an event's hash covers: everything it says, the need it belongs to, and the key it was written under. */
export function eventBody(needId: string, e: Omit<NeedEventDoc, 'hash'>): string {
  // A keyed action's mark is covered too; events without one hash as they always did.
  const mark = e.replay ? [e.replay] : [];
  return canonical([needId, e.seq, e.at, e.actor, e.role, e.actorName, e.from, e.to, e.note ?? '', e.stateHash, e.prevHash, e.keyId ?? '', ...mark]);
}

export function hashEvent(key: HistoryKey, needId: string, e: Omit<NeedEventDoc, 'hash'>): string {
  return keyed(key, eventBody(needId, e));
}

/**
 * The need as a change leaves it, with its new event appended: `changes` are
 * the fields the change sets (status included). Answers the fields to write.
 */
export function appendEvent(key: HistoryKey, need: NeedDoc, changes: Record<string, unknown>, e: EventInput) {
  const next = { ...need, ...changes };
  const seq = need.eventSeq + 1;
  const body: Omit<NeedEventDoc, 'hash'> = { seq, ...e, stateHash: stateHash(key, next), prevHash: need.lastHash, keyId: key.id };
  if (body.note === undefined) delete body.note;
  const event: NeedEventDoc = { ...body, hash: hashEvent(key, need._id, body) };
  return { event, head: { eventSeq: seq, lastHash: event.hash } };
}

/** A new need with its first event: the document as it will be inserted. */
export function withFirstEvent(key: HistoryKey, need: Omit<NeedDoc, 'timeline' | 'eventSeq' | 'lastHash'>, e: EventInput): NeedDoc {
  const blank = { ...need, timeline: [], eventSeq: 0, lastHash: GENESIS_HASH } as unknown as NeedDoc;
  const { event, head } = appendEvent(key, blank, {}, e);
  return { ...blank, ...head, timeline: [event] };
}

export type ChainCheck = 'event hash' | 'state hash' | 'key' | 'anchor';

export interface ChainFailure {
  check: ChainCheck;
  /** Sequence number of the first event that fails (eventSeq + 1 when the head itself does not match). */
  at: number;
}

/** A head the latest anchor recorded for this need: the chain must still hold this event with this hash. */
export interface AnchoredHead {
  eventSeq: number;
  lastHash: string;
}

/**
 * Recomputes the chain under `key`; answers the first failure, or null when
 * intact. In order: each event in turn (its place, its link, its key, its
 * hash), then the head, then the anchored head, then the state.
 *
 * 'key' means the event was not written under this key: it names another
 * key (or none), or its hash is the plain, unkeyed sha256 of its body — what
 * a rewrite by someone without the key leaves. An event whose HMAC fails
 * otherwise is 'event hash': an edit and a re-hash under a wrong key that
 * copied the key id cannot be told apart, and need not be.
 */
export function verifyChain(key: HistoryKey, need: NeedDoc, anchored?: AnchoredHead | null): ChainFailure | null {
  let prev = GENESIS_HASH;
  const events = need.timeline ?? [];
  for (const [i, e] of events.entries()) {
    const at = i + 1;
    if (e.seq !== at || e.prevHash !== prev) return { check: 'event hash', at };
    const { hash, ...body } = e;
    if (e.keyId !== key.id) return { check: 'key', at };
    if (hashEvent(key, need._id, body) !== hash) return { check: hash === sha256(eventBody(need._id, body)) ? 'key' : 'event hash', at };
    prev = hash;
  }
  if (events.length !== need.eventSeq || prev !== need.lastHash) return { check: 'event hash', at: events.length + 1 };
  if (anchored && events[anchored.eventSeq - 1]?.hash !== anchored.lastHash) return { check: 'anchor', at: anchored.eventSeq };
  const last = events[events.length - 1];
  if (last && last.stateHash !== stateHash(key, need)) return { check: 'state hash', at: last.seq };
  return null;
}
