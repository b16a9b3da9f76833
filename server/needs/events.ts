/**
 * The timeline: append-only events inside the need document, each carrying
 * the hash of the one before and the hash of the need as the event left it.
 * An edited or removed event breaks the chain; a field of the need edited
 * behind the functions' back no longer matches the last event's state hash.
 */
import type { NeedStatus } from '../../typings/api';
import { sha256 } from '../core/ids';
import type { ActorRole, NeedDoc, NeedEventDoc } from './model';

export const GENESIS_HASH = '0'.repeat(64);

export interface EventInput {
  at: string;
  actor: string;
  role: ActorRole;
  actorName: string;
  from: NeedStatus | null;
  to: NeedStatus;
  note?: string;
}

/**
 * Fields that are not part of the need's own state: the chain itself, and
 * annotations legitimately written outside a transition (the verified mark
 * copied from the enterprise, the enterprise's display name, the scheduler's
 * once-per-lease warning marker).
 */
const OUTSIDE_STATE = new Set(['timeline', 'eventSeq', 'lastHash', 'enterpriseVerified', 'enterpriseName', 'leaseWarnedFor']);

/** JSON with sorted keys and without absent values, so the same state always hashes the same. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function stateHash(need: Record<string, unknown>): string {
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(need)) if (!OUTSIDE_STATE.has(k)) own[k] = v;
  return sha256(canonical(own));
}

export function hashEvent(needId: string, e: Omit<NeedEventDoc, 'hash'>): string {
  return sha256(canonical([needId, e.seq, e.at, e.actor, e.role, e.actorName, e.from, e.to, e.note ?? '', e.stateHash, e.prevHash]));
}

/**
 * The need as a change leaves it, with its new event appended: `changes` are
 * the fields the change sets (status included). Answers the fields to write.
 */
export function appendEvent(need: NeedDoc, changes: Record<string, unknown>, e: EventInput) {
  const next = { ...need, ...changes };
  const seq = need.eventSeq + 1;
  const body: Omit<NeedEventDoc, 'hash'> = { seq, ...e, stateHash: stateHash(next), prevHash: need.lastHash };
  if (body.note === undefined) delete body.note;
  const event: NeedEventDoc = { ...body, hash: hashEvent(need._id, body) };
  return { event, head: { eventSeq: seq, lastHash: event.hash } };
}

/** A new need with its first event: the document as it will be inserted. */
export function withFirstEvent(need: Omit<NeedDoc, 'timeline' | 'eventSeq' | 'lastHash'>, e: EventInput): NeedDoc {
  const blank = { ...need, timeline: [], eventSeq: 0, lastHash: GENESIS_HASH } as unknown as NeedDoc;
  const { event, head } = appendEvent(blank, {}, e);
  return { ...blank, ...head, timeline: [event] };
}

export type ChainCheck = 'event hash' | 'state hash';

export interface ChainFailure {
  check: ChainCheck;
  /** Sequence number of the first event that fails (eventSeq + 1 when the head itself does not match). */
  at: number;
}

/** Recomputes the chain and the state hash; answers the first failure, or null when intact. */
export function verifyChain(need: NeedDoc): ChainFailure | null {
  let prev = GENESIS_HASH;
  const events = need.timeline ?? [];
  for (const [i, e] of events.entries()) {
    const { hash, ...body } = e;
    if (e.seq !== i + 1 || e.prevHash !== prev || hashEvent(need._id, body) !== hash) return { check: 'event hash', at: i + 1 };
    prev = hash;
  }
  if (events.length !== need.eventSeq || prev !== need.lastHash) return { check: 'event hash', at: events.length + 1 };
  const last = events[events.length - 1];
  if (last && last.stateHash !== stateHash(need)) return { check: 'state hash', at: last.seq };
  return null;
}
