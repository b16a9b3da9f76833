/**
 * Turns API needs into what templates print. WXML cannot call functions,
 * so labels, China-time strings and the per-type field lists are computed
 * here once for every page.
 */
import type { HiringPosition, Need, NeedAction, NeedDetail, NeedStatus, SupplyItem, TimelineEvent } from '../../typings/api';
import { label, NEED_TYPE_LABELS, ROLE_LABELS, statusWord, SUPPLY_KIND_LABELS, UTILITY_LABELS, type StatusReader } from './labels';
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
  unitCode: string;
  unitName: string;
  summary: string;
  createdAt: string;
  dueAt: string;
  escalated: boolean;
  duplicate: boolean;
  /** What the server says this reader may do now (need.get / list rows). */
  actions: NeedAction[];
  /** 认领 straight from a queue row. */
  claimable: boolean;
}

export interface StepView {
  text: string;
  desc: string;
}

/** One line of a need's own fields: a title, and a short value or a long label under it. */
export interface FieldView {
  title: string;
  value: string;
  /** Long text (addresses, descriptions) goes under the title so it can wrap at large font sizes. */
  long: boolean;
}

export interface NeedView extends NeedRow {
  items: { text: string }[];
  neededBy: string;
  deliveryAddress: string;
  /** The fields of the need's type, in the order the form asked them. */
  fields: FieldView[];
  /** Who holds the claim, as people name them (never an OPENID). */
  claimedBy: string;
  leaseUntil: string;
  fulfilNote: string;
  quantityDelivered: string;
  rating: number;
  comment: string;
  steps: StepView[];
  isSupplies: boolean;
  /** Total quantity asked for (supplies), for "delivered less than asked" hints. */
  quantityRequested: number;
  /** What is still owed by this need itself (supplies): asked for, less what it delivered before a reopen. */
  quantityOwed: number;
  isLoan: boolean;
  /** The loan's amount asked for (万元), '' for other needs; and what was granted once fulfilled. */
  amountWan: string;
  grantedWan: string;
  /** The handler's open question (status waiting) and the enterprise's answer. */
  question: string;
  answer: string;
  rejectReason: string;
  parentId: string;
  remainderId: string;
  duplicateOf: string;
  contactName: string;
  contactPhone: string;
  /** A masked number (138****0001) cannot be dialled. */
  canCall: boolean;
  /** Where to go: the delivery address of supplies, else the enterprise's registered address. */
  address: string;
  /** The enterprise's position, for wx.openLocation; 导航 shows only with one. */
  canNavigate: boolean;
  latitude: number;
  longitude: number;
}

export function itemText(item: SupplyItem): string {
  return `${label(SUPPLY_KIND_LABELS, item.kind)} ${item.quantity} ${item.unit}`;
}

export function positionText(p: HiringPosition): string {
  const hasMin = typeof p.salaryMin === 'number';
  const hasMax = typeof p.salaryMax === 'number';
  const salary =
    hasMin && hasMax ? `月薪 ${p.salaryMin}–${p.salaryMax} 元` : hasMin ? `月薪 ${p.salaryMin} 元起` : hasMax ? `月薪至 ${p.salaryMax} 元` : '';
  return [`${p.title} ${p.count} 人`, salary].filter(Boolean).join('，');
}

const short = (title: string, value: unknown): FieldView => ({ title, value: value === undefined || value === null ? '' : String(value), long: false });
const long = (title: string, value: unknown): FieldView => ({ title, value: value === undefined || value === null ? '' : String(value), long: true });

function policyQuestion(need: NeedDetail): string {
  return need.question || '';
}

export function fieldsOf(need: NeedDetail): FieldView[] {
  const fields: FieldView[] = (() => {
    switch (need.type) {
      case 'supplies':
        return [
          ...(need.items || []).map((item) => short('物资', itemText(item))),
          short('最晚需要', formatDate(need.neededBy)),
          long('送货地址', need.deliveryAddress),
        ];
      case 'financing':
        return [
          short('融资金额', typeof need.amountWan === 'number' ? `${need.amountWan} 万元` : ''),
          short('期限', typeof need.termMonths === 'number' ? `${need.termMonths} 个月` : ''),
          long('用途', need.purpose),
          short('意向银行', need.preferredBank),
        ];
      case 'hiring':
        return (need.positions || []).map((p) => short('岗位', positionText(p)));
      case 'rent':
        return [
          short('出租方', need.landlord),
          short('面积', typeof need.areaSqm === 'number' ? `${need.areaSqm} 平方米` : ''),
          short('月租金', typeof need.monthlyRentYuan === 'number' ? `${need.monthlyRentYuan} 元` : ''),
        ];
      case 'utilities':
        return [short('类别', label(UTILITY_LABELS, need.utility)), long('问题', need.issue)];
      case 'logistics':
        return [short('起点', need.from), short('终点', need.to), long('货物', need.goods)];
      case 'legal':
        return [short('主题', need.topic), long('情况', need.description)];
      case 'health':
        return [
          short('体检人数', typeof need.headcount === 'number' ? `${need.headcount} 人` : ''),
          short('希望日期', formatDate(need.preferredDate)),
        ];
      case 'policy':
        return [long('咨询问题', policyQuestion(need))];
      case 'other':
        return [long('困难', need.description)];
      default:
        return [];
    }
  })();
  return fields.filter((f) => f.value !== '');
}

/** One line for list rows: what was asked, without opening the need. */
export function summaryOf(need: NeedDetail): string {
  switch (need.type) {
    case 'supplies':
      return (need.items || []).map(itemText).join('，');
    case 'financing':
      return [typeof need.amountWan === 'number' ? `${need.amountWan} 万元` : '', need.purpose || ''].filter(Boolean).join('，');
    case 'hiring':
      return (need.positions || []).map((p) => `${p.title} ${p.count} 人`).join('，');
    case 'rent':
      return need.landlord || '';
    case 'utilities':
      return [label(UTILITY_LABELS, need.utility), need.issue || ''].filter(Boolean).join('：');
    case 'logistics':
      return need.from && need.to ? `${need.from} → ${need.to}` : '';
    case 'legal':
      return need.topic || '';
    case 'health':
      return typeof need.headcount === 'number' ? `${need.headcount} 人` : '';
    case 'policy':
      return policyQuestion(need);
    case 'other':
      return need.description || '';
    default:
      return '';
  }
}

/** A row for `reader`: the owner's list and the handler's queue word the same status differently. */
export function toRow(need: Need, reader: StatusReader = 'handler'): NeedRow {
  const detail = need as NeedDetail;
  const actions = need.allowedActions || [];
  return {
    id: need.id,
    typeLabel: label(NEED_TYPE_LABELS, need.type),
    status: need.status,
    statusLabel: statusWord(reader, need.status, !!detail.rejectFinal),
    statusTag: STATUS_TAG[need.status] || 'default',
    enterpriseName: need.enterpriseName || '',
    enterpriseVerified: need.enterpriseVerified !== false,
    unitCode: need.unitCode || '',
    unitName: need.unitName || need.unitCode || '',
    summary: summaryOf(detail),
    createdAt: formatDateTime(need.createdAt),
    dueAt: formatDateTime(need.dueAt),
    escalated: !!need.escalated,
    duplicate: !!need.duplicateOf,
    actions,
    claimable: actions.includes('claim'),
  };
}

/**
 * One timeline step in the reader's words, and who acted by name (区医药商会,
 * the enterprise, 系统) rather than by role. A step that leaves the reader's
 * word unchanged (已认领 → 办理中 reads 正在办理 → 正在办理 to the owner) shows once.
 */
export function toStep(event: TimelineEvent, reader: StatusReader = 'handler'): StepView {
  const to = statusWord(reader, event.to);
  const from = event.from ? statusWord(reader, event.from) : '';
  const text = from && from !== to ? `${from} → ${to}` : to;
  const who = event.role === 'system' || !event.actor ? label(ROLE_LABELS, event.role) : event.actor;
  const parts = [formatDateTime(event.at), who, event.note || ''].filter(Boolean);
  return { text, desc: parts.join(' · ') };
}

export function toView(need: NeedDetail, reader: StatusReader = 'handler'): NeedView {
  const items = need.items || [];
  const location = need.contact?.location;
  return {
    ...toRow(need, reader),
    items: items.map((item) => ({ text: itemText(item) })),
    neededBy: formatDate(need.neededBy),
    deliveryAddress: need.deliveryAddress || '',
    fields: fieldsOf(need),
    claimedBy: need.claimedByName || '',
    leaseUntil: formatDateTime(need.leaseUntil),
    fulfilNote: need.fulfilNote || '',
    quantityDelivered: typeof need.quantityDelivered === 'number' ? String(need.quantityDelivered) : '',
    rating: need.rating || 0,
    comment: need.comment || '',
    steps: (need.timeline || []).map((e) => toStep(e, reader)),
    isSupplies: need.type === 'supplies',
    quantityRequested: items.reduce((sum, i) => sum + (Number(i.quantity) || 0), 0),
    quantityOwed: Math.max(0, items.reduce((sum, i) => sum + (Number(i.quantity) || 0), 0) - (Number(need.quantityDelivered) || 0)),
    isLoan: need.type === 'financing',
    amountWan: typeof need.amountWan === 'number' ? String(need.amountWan) : '',
    grantedWan: typeof need.grantedWan === 'number' ? String(need.grantedWan) : '',
    question: need.status === 'waiting' ? need.waitQuestion || '' : '',
    answer: need.waitAnswer || '',
    rejectReason: need.rejectReason || '',
    parentId: need.parentId || '',
    remainderId: need.remainderId || '',
    duplicateOf: need.duplicateOf || '',
    contactName: need.contact?.name || '',
    contactPhone: need.contact?.phone || '',
    canCall: !!need.contact?.phone && !need.contact.phone.includes('*'),
    address: need.deliveryAddress || need.contact?.address || '',
    canNavigate: !!location && Number.isFinite(location.latitude) && Number.isFinite(location.longitude),
    latitude: location ? location.latitude : 0,
    longitude: location ? location.longitude : 0,
  };
}

/** What a handler does with a need as a button (`contacted` is recorded by the call itself). */
export type HandlerAction = Exclude<NeedAction, 'contacted' | 'answer' | 'cancel' | 'confirm' | 'reopen'>;

/** The handler's actions in the order the 更多操作 sheet lists them. */
export const HANDLER_ACTIONS: HandlerAction[] = ['claim', 'progress', 'fulfil', 'wait', 'renew', 'transfer', 'reject', 'release', 'breakClaim'];

/**
 * The next step, the one big button on the handler's page: claim what is
 * free; record progress right after claiming; then fulfil; at triage, pass
 * a refused need on. Everything else the server allows goes in the sheet.
 */
export function primaryOf(status: NeedStatus, allowed: readonly NeedAction[]): HandlerAction | '' {
  const has = (a: HandlerAction) => allowed.includes(a);
  if (has('claim')) return 'claim';
  if (status === 'claimed' && has('progress')) return 'progress';
  if (has('fulfil')) return 'fulfil';
  if (has('progress')) return 'progress';
  if (status === 'rejected' && has('transfer')) return 'transfer';
  return '';
}
