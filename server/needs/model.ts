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
  /** Sequence and hash of the last timeline event: the chain is extended under the need's own write. */
  eventSeq: number;
  lastHash: string;
  [field: string]: unknown;
}

export interface NeedEventDoc extends TimelineEvent {
  _id: string;
  needId: string;
  seq: number;
  prevHash: string;
  hash: string;
}

export const OPEN_STATUSES: NeedStatus[] = ['routed', 'claimed', 'in_progress', 'waiting'];

const INTERNAL_FIELDS = ['_id', 'eventSeq', 'lastHash', 'createdBy', 'leaseWarnedFor', 'pausedAt'] as const;

export function toNeed(doc: NeedDoc, extra: { unitName?: string; timeline?: TimelineEvent[] } = {}): Need {
  const out: Record<string, unknown> = { id: doc._id };
  for (const [k, v] of Object.entries(doc)) {
    if (!(INTERNAL_FIELDS as readonly string[]).includes(k) && v !== null && v !== undefined) out[k] = v;
  }
  if (extra.unitName) out.unitName = extra.unitName;
  if (extra.timeline) out.timeline = extra.timeline;
  return out as unknown as Need;
}

export function toTimelineEvent(e: NeedEventDoc): TimelineEvent {
  const event: TimelineEvent = { at: e.at, actor: e.actor, role: e.role, from: e.from, to: e.to };
  if (e.note) event.note = e.note;
  return event;
}

export type ActorRole = Role | 'system';
