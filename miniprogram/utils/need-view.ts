/**
 * Turns API needs into what templates print. WXML cannot call functions,
 * so labels and China-time strings are computed here once for every page.
 */
import type { Need, NeedStatus, SupplyItem, TimelineEvent } from '../../typings/api';
import {
  label,
  NEED_STATUS_LABELS,
  NEED_TYPE_LABELS,
  ROLE_LABELS,
  SUPPLY_KIND_LABELS,
} from './labels';
import { formatDate, formatDateTime } from './time';

/** Vant tag types by status: the eye finds "needs action" before reading. */
const STATUS_TAG: Record<NeedStatus, string> = {
  routed: 'warning',
  claimed: 'primary',
  in_progress: 'primary',
  waiting: 'warning',
  fulfilled: 'success',
  confirmed: 'success',
  rejected: 'danger',
  cancelled: 'default',
};

export interface NeedRow {
  id: string;
  typeLabel: string;
  status: NeedStatus;
  statusLabel: string;
  statusTag: string;
  enterpriseName: string;
  enterpriseVerified: boolean;
  unitName: string;
  summary: string;
  createdAt: string;
  dueAt: string;
  escalated: boolean;
}

export interface StepView {
  text: string;
  desc: string;
}

export interface NeedView extends NeedRow {
  items: { text: string }[];
  neededBy: string;
  deliveryAddress: string;
  claimedBy: string;
  leaseUntil: string;
  fulfilNote: string;
  rating: number;
  comment: string;
  steps: StepView[];
  isSupplies: boolean;
}

export function itemText(item: SupplyItem): string {
  return `${label(SUPPLY_KIND_LABELS, item.kind)} ${item.quantity} ${item.unit}`;
}

export function toRow(need: Need): NeedRow {
  return {
    id: need.id,
    typeLabel: label(NEED_TYPE_LABELS, need.type),
    status: need.status,
    statusLabel: label(NEED_STATUS_LABELS, need.status),
    statusTag: STATUS_TAG[need.status] || 'default',
    enterpriseName: need.enterpriseName || '',
    enterpriseVerified: need.enterpriseVerified !== false,
    unitName: need.unitName || need.unitCode || '',
    summary: (need.items || []).map(itemText).join('，'),
    createdAt: formatDateTime(need.createdAt),
    dueAt: formatDateTime(need.dueAt),
    escalated: !!need.escalated,
  };
}

export function toStep(event: TimelineEvent): StepView {
  const to = label(NEED_STATUS_LABELS, event.to);
  const text = event.from ? `${label(NEED_STATUS_LABELS, event.from)} → ${to}` : to;
  const who = label(ROLE_LABELS, event.role);
  const parts = [formatDateTime(event.at), who, event.note || ''].filter(Boolean);
  return { text, desc: parts.join(' · ') };
}

export function toView(need: Need): NeedView {
  return {
    ...toRow(need),
    items: (need.items || []).map((item) => ({ text: itemText(item) })),
    neededBy: formatDate(need.neededBy),
    deliveryAddress: need.deliveryAddress || '',
    claimedBy: need.claimedBy || '',
    leaseUntil: formatDateTime(need.leaseUntil),
    fulfilNote: need.fulfilNote || '',
    rating: need.rating || 0,
    comment: need.comment || '',
    steps: (need.timeline || []).map(toStep),
    isSupplies: need.type === 'supplies',
  };
}
