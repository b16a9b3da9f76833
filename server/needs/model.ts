import type { Need, NeedStatus, NeedType, RouteDecision, Role, TimelineEvent } from '../../typings/api';

export interface NeedDoc {
  _id: string;
  type: NeedType;
  status: NeedStatus;
  unitCode: string;
  enterpriseId: string;
  enterpriseName: string;
  enterpriseVerified: boolean;
  submissionId: string;
  route: RouteDecision;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  dueAt: string;
  escalated: boolean;
  claimedBy?: string | null;
  leaseUntil?: string | null;
  duplicateOf?: string;
  parentId?: string;
  fulfilNote?: string;
  quantityDelivered?: number;
  rating?: number;
  comment?: string;
  /** Zone of the enterprise at submission: the task force of that zone may follow the need. */
  zone?: string;
  /** Every unit that has held the need: past handlers keep read access (spec: loan amounts). */
  handledUnits?: string[];
  /** The question while waiting on the enterprise, and its answer. */
  waitQuestion?: string | null;
  waitAnswer?: string | null;
  /** When the SLA clock was paused (status waiting). */
  pausedAt?: string | null;
  rejectReason?: string | null;
  /** Set when the triage unit itself rejects: the refusal is final. */
  rejectFinal?: boolean;
  remainderId?: string;
  escalatedAt?: string;
  /** leaseUntil for which the claimer was already warned (the scheduler warns once per lease). */
  leaseWarnedFor?: string | null;
  /** An escalation written whose message has not gone out yet (the scheduler sends it, then clears this). */
  noticePending?: 'firstResponse' | 'resolution';
  /**
   * The timeline lives in the need document: one atomic write moves the state
   * and appends its event, with no transaction and no second collection to
   * keep in step. `eventSeq`/`lastHash` are the chain's head; the update that
   * appends is conditional on `eventSeq`, so two writers cannot fork it.
   */
  timeline: NeedEventDoc[];
  eventSeq: number;
  lastHash: string;
  [field: string]: unknown;
}

export interface NeedEventDoc {
  seq: number;
  at: string;
  /** OPENID of who acted ('system' for the scheduler); shown to people as a name, never as the id. */
  actor: string;
  role: ActorRole;
  /** The unit, enterprise or task force the actor acted for, as a name people read. */
  actorName: string;
  from: NeedStatus | null;
  to: NeedStatus;
  note?: string;
  /** Hash of the need's own fields as this event left them: an edit behind the functions' back shows. */
  stateHash: string;
  prevHash: string;
  /** Which history key the hash was made with (first 8 hex of its sha256): a rotated key is recognised, not mistaken for an edit. */
  keyId?: string;
  /** A keyed action's mark (server/needs/replay.ts): who sent which clientKey, and a hash of what it asked. */
  replay?: string;
  hash: string;
}


const INTERNAL_FIELDS = ['_id', 'timeline', 'eventSeq', 'lastHash', 'createdBy', 'leaseWarnedFor', 'noticePending', 'pausedAt', 'contentHash'] as const;
/** OPENIDs on the need: admins read them, nobody else (issue: identity). */
const IDENTITY_FIELDS = ['claimedBy'] as const;

/** Who a need is shown to, as far as identities go. */
export interface NeedReader {
  openid: string;
  admin: boolean;
}

/**
 * The need as the API shows it. Without a reader nothing identifies a
 * person; with one, admins get `claimedBy` (the OPENID) and everyone gets
 * `claimedByMe`; `claimerName` (need.get reads it) is the claimer as people
 * name them. The unit holding the claim is the need's own unit (`unitName`).
 */
export function toNeed(doc: NeedDoc, extra: { unitName?: string; timeline?: TimelineEvent[]; reader?: NeedReader; claimerName?: string } = {}): Need {
  const out: Record<string, unknown> = { id: doc._id };
  const hidden: readonly string[] = extra.reader?.admin ? INTERNAL_FIELDS : [...INTERNAL_FIELDS, ...IDENTITY_FIELDS];
  for (const [k, v] of Object.entries(doc)) {
    if (!hidden.includes(k) && v !== null && v !== undefined) out[k] = v;
  }
  if (doc.claimedBy) {
    if (extra.reader) out.claimedByMe = doc.claimedBy === extra.reader.openid;
    if (extra.claimerName) out.claimedByName = extra.claimerName;
  }
  if (extra.unitName) out.unitName = extra.unitName;
  if (extra.timeline) out.timeline = extra.timeline;
  return out as unknown as Need;
}

/** The caller as a reader of needs. */
export const readerOf = (ctx: { openid: string; session: { roles: readonly string[] } }): NeedReader => ({
  openid: ctx.openid,
  admin: ctx.session.roles.includes('admin'),
});

/** People see who acted by name; admins, who audit, also get the OPENID. */
export function toTimelineEvent(e: NeedEventDoc, showActorId = false): TimelineEvent {
  const event: TimelineEvent = { at: e.at, actor: e.actorName, role: e.role, from: e.from, to: e.to };
  if (showActorId) event.actorId = e.actor;
  if (e.note) event.note = e.note;
  return event;
}

export type ActorRole = Role | 'system';
