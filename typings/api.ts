/**
 * Types shared by the mini-program and the cloud functions.
 * The mini-program imports these with `import type` only, so nothing here
 * reaches its runtime bundle; keep this file free of runtime values that
 * the pages would need (those live in typings/labels.ts).
 */

export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FAILED_PRECONDITION'
  | 'RATE_LIMITED'
  | 'INTERNAL';

export interface ApiError {
  code: ErrorCode;
  message: string;
  field?: string;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** user.todo: what is this person's to do now, per hat (absent when they do not wear it). */
export interface Todo {
  enterprise?: { open: number; waiting: number; toConfirm: number };
  unit?: { toClaim: number; mine: number; escalated: number };
  taskforce?: { overdue: number };
}

export type Role = 'enterprise' | 'taskforce' | 'unit' | 'admin';

export type FunctionName = 'user' | 'enterprise' | 'need' | 'admin' | 'policy' | 'visit' | 'ledger' | 'scheduler';

export interface Session {
  openid: string;
  roles: Role[];
  enterpriseId?: string;
  unitCodes: string[];
  /** Units of which the caller is the head. */
  headOf: string[];
  taskForceId?: string;
}

export type IndustryCode =
  | 'manufacturing'
  | 'medical'
  | 'catering'
  | 'retail'
  | 'logistics'
  | 'construction'
  | 'real_estate'
  | 'technology'
  | 'services'
  | 'beauty'
  | 'other';

export interface Option {
  code: string;
  name: string;
}

export interface EnterpriseOptions {
  industries: Option[];
  zones: Option[];
  chambers: Option[];
}

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface EnterpriseInput {
  name: string;
  creditCode: string;
  industry: IndustryCode;
  zone: string;
  address: string;
  location: GeoPoint;
  contactName: string;
  contactPhone: string;
  employees: number;
  chamberCodes: string[];
}

export interface Enterprise extends EnterpriseInput {
  id: string;
  verified: boolean;
  /** Who verified it, as people read it (区工商联, or the task force's name); never an OPENID. */
  verifiedByName?: string;
  verifiedAt?: string;
  /** OPENIDs: answered to admins only. */
  ownerOpenid?: string | null;
  verifiedBy?: string;
  createdAt: string;
  updatedAt: string;
}

export type NeedType =
  | 'supplies'
  | 'financing'
  | 'hiring'
  | 'rent'
  | 'utilities'
  | 'logistics'
  | 'legal'
  | 'health'
  | 'policy'
  | 'other';

export type NeedStatus =
  | 'routed'
  | 'claimed'
  | 'in_progress'
  | 'waiting'
  | 'fulfilled'
  | 'confirmed'
  | 'rejected'
  | 'cancelled';

export type SupplyKind = 'mask' | 'disinfectant' | 'thermometer' | 'protective_suit' | 'other';

export interface SupplyItem {
  kind: SupplyKind;
  quantity: number;
  unit: string;
}

export interface SuppliesFields {
  items: SupplyItem[];
  neededBy: string;
  deliveryAddress: string;
}

export interface RouteDecision {
  unitCode: string;
  ruleId: string | null;
  slaHours: number;
  reason: string;
}

export interface TimelineEvent {
  at: string;
  /** Who acted, as people name them (a unit, the enterprise, a task force, 系统) — never an OPENID. */
  actor: string;
  /** The actor's OPENID, for admins only. */
  actorId?: string;
  role: Role | 'system';
  from: NeedStatus | null;
  to: NeedStatus;
  note?: string;
}

/** The actions of the need lifecycle a person can take (server/needs/lifecycle.ts). */
export type NeedAction =
  | 'claim'
  | 'renew'
  | 'release'
  | 'breakClaim'
  | 'progress'
  | 'wait'
  | 'contacted'
  | 'answer'
  | 'fulfil'
  | 'transfer'
  | 'reject'
  | 'cancel'
  | 'confirm'
  | 'reopen';

export interface NeedContact {
  name: string;
  phone: string;
  /** The enterprise's registered address and position: where a handler drives to. */
  address?: string;
  location?: GeoPoint;
}

export interface Need extends Partial<SuppliesFields> {
  id: string;
  type: NeedType;
  status: NeedStatus;
  unitCode: string;
  unitName?: string;
  enterpriseId: string;
  enterpriseName: string;
  enterpriseVerified: boolean;
  submissionId: string;
  route: RouteDecision;
  createdAt: string;
  updatedAt: string;
  dueAt: string;
  escalated: boolean;
  claimedBy?: string;
  leaseUntil?: string;
  duplicateOf?: string;
  parentId?: string;
  fulfilNote?: string;
  quantityDelivered?: number;
  rating?: number;
  comment?: string;
  timeline?: TimelineEvent[];
  /** Enterprise contact, from need.get: the phone in full only for those the spec allows. */
  contact?: NeedContact;
  /** What this caller may do with this need now (need.get, need.queue, need.mine): the server's lifecycle table decides. */
  allowedActions?: NeedAction[];
  /** The handler's question while waiting, and the enterprise's answer (not a policy need's own `question`). */
  waitQuestion?: string;
  waitAnswer?: string;
  rejectReason?: string;
  remainderId?: string;
  handledUnits?: string[];
  zone?: string;
}

export interface SubmitResult {
  submissionId: string;
  needs: Need[];
}

// ---- Multi-need submission and the handler's actions (added with the need-new form) ----

export interface FinancingFields {
  /** 万元 */
  amountWan: number;
  purpose: string;
  termMonths: number;
  preferredBank?: string;
}

export interface HiringPosition {
  title: string;
  count: number;
  /** 元/月 */
  salaryMin?: number;
  salaryMax?: number;
}

export interface HiringFields {
  positions: HiringPosition[];
}

export interface RentFields {
  landlord: string;
  areaSqm: number;
  monthlyRentYuan: number;
}

export type UtilityKind = 'water' | 'power' | 'gas';

export interface UtilitiesFields {
  utility: UtilityKind;
  issue: string;
}

export interface LogisticsFields {
  from: string;
  to: string;
  goods: string;
}

export interface LegalFields {
  topic: string;
  description: string;
}

export interface HealthFields {
  headcount: number;
  preferredDate: string;
}

export interface PolicyFields {
  question: string;
}

export interface OtherFields {
  description: string;
}

export interface NeedFieldsByType {
  supplies: SuppliesFields;
  financing: FinancingFields;
  hiring: HiringFields;
  rent: RentFields;
  utilities: UtilitiesFields;
  logistics: LogisticsFields;
  legal: LegalFields;
  health: HealthFields;
  policy: PolicyFields;
  other: OtherFields;
}

/** One entry of `need.submit {clientKey, needs[]}`: the type and that type's fields, flat. */
export type NeedInput = { [T in NeedType]: { type: T } & NeedFieldsByType[T] }[NeedType];

export interface MultiNeedSubmission {
  clientKey: string;
  needs: NeedInput[];
}

/**
 * A need as `need.get` answers it: the fields of whichever type it is, plus
 * the handling state that only some statuses carry.
 */
export interface NeedDetail
  extends Need,
    Partial<FinancingFields>,
    Partial<HiringFields>,
    Partial<RentFields>,
    Partial<UtilitiesFields>,
    Partial<LogisticsFields>,
    Partial<LegalFields>,
    Partial<HealthFields>,
    Partial<PolicyFields> {
  remainderId?: string;
  rejectReason?: string;
  /** Rejected by the triage unit itself: nobody can claim it again. */
  rejectFinal?: boolean;
}

/** `need.mine` filter; a list of statuses is one tab covering several (处理中, 已关闭). */
export interface MineFilter {
  status?: NeedStatus | NeedStatus[];
}

/** `need.queue` filter; without status the server answers the open statuses. */
export interface QueueFilter {
  /** A list is one tab covering several statuses (已完成). */
  status?: NeedStatus | NeedStatus[];
  type?: NeedType;
  escalated?: boolean;
  mine?: boolean;
}

export interface UnitSummary {
  code: string;
  name: string;
  kind: string;
}

/** ledger.summary: resumption figures, for the whole district or one zone / industry. */
export interface Rates {
  enterprises: number;
  reported: number;
  resumed: number;
  employeesTotal: number;
  employeesBack: number;
  /** resumed / enterprises, 0–1, rounded to 3 places. */
  resumptionRate: number;
  /** employeesBack / employeesTotal of the reporting enterprises, 0–1. */
  workforceReturnRate: number;
}

export interface LedgerSummary {
  /** The headline: verified enterprises only, unless `includesUnverified`. */
  overall: Rates;
  /** Self-registered enterprises no task force or admin has verified yet, shown apart. */
  unverified: Rates;
  includesUnverified: boolean;
  byZone: Record<string, Rates>;
  byIndustry: Record<string, Rates>;
  openNeeds: { total: number; byType: Record<string, number>; byUnit: Record<string, number> };
  slaBreaches: number;
  suppliesDelivered: number;
  financingGrantedWan: number;
  visitCoverage: Record<string, { enterprises: number; visited: number; rate: number }>;
}
