/**
 * Types shared by the mini-program and the cloud functions.
 * The mini-program imports these with `import type` only, so nothing here
 * reaches its runtime bundle; keep this file free of runtime values that
 * the pages would need (those live in typings/labels.ts).
 */

import type { NeedStatus } from './statuses';

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
  /** The position the verifier vouched for: visits are measured from it. */
  verifiedLocation?: GeoPoint;
  /** Retired by an admin (admin.retireEnterprise): its credit code is free again. */
  retiredAt?: string;
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

/** Declared once, with the named sets of statuses, in miniprogram/contract/statuses.ts. */
export type { NeedStatus };

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
  /** Calendar hours to resolve (the fallback when `resolutionWorkdays` is absent). */
  slaHours: number;
  /** Calendar hours to first contact the enterprise. */
  firstResponseHours?: number;
  /** Working days to resolve, with the district's holiday calendar. */
  resolutionWorkdays?: number;
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
  /** When the resolution falls due (working days with the holiday calendar, or the rule's calendar hours). */
  dueAt: string;
  /** When the handler must first have contacted the enterprise; firstResponseAt once they did. */
  firstResponseDueAt?: string;
  firstResponseAt?: string;
  /** The latest fulfilment (a reopened need keeps it until fulfilled again). */
  fulfilledAt?: string;
  /** How many times the enterprise reopened it. */
  reopened?: number;
  escalated: boolean;
  /** What the latest escalation was for: no contact in time, or not resolved in time. */
  escalatedFor?: 'firstResponse' | 'resolution';
  /** The claimer's OPENID: admins only. */
  claimedBy?: string;
  /** Everyone else: whether the claim is the caller's own, and the claimer as people name them (need.get). */
  claimedByMe?: boolean;
  claimedByName?: string;
  leaseUntil?: string;
  duplicateOf?: string;
  parentId?: string;
  fulfilNote?: string;
  /** Supplies: what this need delivered over all its fulfils (its remainder asks for the rest). */
  quantityDelivered?: number;
  /** A fulfilled loan: the amount the bank granted (万元), at most amountWan. */
  grantedWan?: number;
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
  /** When these figures were computed (UTC ISO): the dashboard says 数据截至 HH:mm. */
  asOf: string;
}

/** ledger.trend: one China-time day's figures as they stood at its end (today: as they stand now). */
export interface TrendDay {
  /** 'YYYY-MM-DD', China time. */
  date: string;
  enterprises: number;
  reported: number;
  resumed: number;
  resumptionRate: number;
  employeesTotal: number;
  employeesBack: number;
  workforceReturnRate: number;
  /** False for a past day the scheduler has not recorded yet (figures 0): a chart leaves it out. */
  recorded: boolean;
}

export interface LedgerTrend {
  days: TrendDay[];
  /** 'district' for admins; 'zones' for a task force (the sum of its zones). */
  scope: 'district' | 'zones';
  asOf: string;
}

/** ledger.units: one unit's or task force's work over the period. Rates are 0–1; null where nothing was there to measure. */
export interface UnitKpi {
  /** The unit's or task force's name (its code never reaches a screen). */
  name: string;
  /** Needs raised in the period. */
  received: number;
  /** Needs fulfilled in the period (and not reopened since). */
  closed: number;
  /** Of the needs received in the period, the share fulfilled or confirmed now. */
  closureRate: number | null;
  medianFirstResponseHours: number | null;
  medianCloseHours: number | null;
  /** Of the needs received in the period, the share that missed the resolution deadline. */
  overdueRate: number | null;
  /** Mean rating 1–5 of the needs closed in the period that the enterprise rated. */
  ratingMean: number | null;
  /** Of those rated, the share rated 4 or 5. */
  ratingGoodShare: number | null;
  /** Needs received in the period that the enterprise reopened at least once. */
  reopened: number;
}

export interface UnitsReport {
  from: string;
  to: string;
  /** Ranked: higher closure rate first, then lower overdue rate, then more received. */
  units: Array<UnitKpi & { unitCode: string }>;
  taskForces: Array<UnitKpi & { taskForceId: string }>;
}

/** admin.listHolidays: the calendar's marked days of a year. */
export interface HolidayItem {
  /** 'YYYY-MM-DD' */
  date: string;
  /** holiday: no work even on a weekday; workday: a make-up working day, even on a weekend. */
  kind: 'holiday' | 'workday';
  name: string;
}

// ---- task-force visits ---------------------------------------------------------

/** visit.myEnterprises row: an enterprise of the member's zones and when it was last visited. */
export interface ZoneEnterprise {
  id: string;
  name: string;
  zone: string;
  industry: string;
  address: string;
  /** Null for an enterprise imported without a position (shown under the map as 未标注位置). */
  location: GeoPoint | null;
  contactName: string;
  contactPhone: string;
  verified: boolean;
  lastVisitAt: string | null;
  overdue: boolean;
  /** Another, verified enterprise has this exact name: check it on the visit before trusting the record. */
  nameMatchesVerified: boolean;
}

export interface ZoneEnterprisePage extends Page<ZoneEnterprise> {
  total: number;
  overdue: number;
}

/** visit.profile: names the phone keeps so it can show them with no signal. */
export interface VisitProfile {
  taskForceId: string;
  taskForceName: string;
  zones: { code: string; name: string }[];
  visitIntervalDays: number;
  offSiteMeters: number;
  /** The member's own folder in cloud storage (`uploads/<hash>/`): check-in photos are uploaded there. */
  uploadFolder: string;
}

/** 看 / 查 / 问 / 导: what was seen, checked, asked, and which policies were explained. */
export interface VisitChecklist {
  look: string;
  check: string;
  ask: string;
  guide: string[];
}

export interface CheckInInput {
  enterpriseId: string;
  /** One per form: a resend (retry or offline queue) is the same visit on the server. */
  clientKey: string;
  /** Left out when the phone had no position: the visit is recorded as 未定位. */
  location?: GeoPoint;
  /** Cloud fileIDs (cloud://…), at most 9. */
  photos: string[];
  checklist: VisitChecklist;
  needs?: NeedInput[];
}

export interface Visit {
  id: string;
  enterpriseId: string;
  enterpriseName?: string;
  taskForceId?: string;
  location?: GeoPoint | null;
  /** False for a visit made without a position (未定位); then distanceMeters is null and offSite false. */
  located?: boolean;
  distanceMeters: number | null;
  offSite: boolean;
  photos?: string[];
  checklist?: VisitChecklist;
  needIds?: string[];
  createdAt: string;
  /** visit.list: who checked in, by the name their invite carried; `member` (the OPENID) for admins only. */
  memberName?: string;
  mine?: boolean;
  member?: string;
}

export interface CheckInResult extends Visit {
  needs: Need[];
}

// ---- access: invites, members, revocation ------------------------------

/** admin.members: one person of a unit or task force. */
export interface UnitMember {
  openid: string;
  /** Who the invite was for ('未署名成员' when the invite named nobody). */
  name: string;
  /** Head of the unit (a task force has no head). */
  head: boolean;
  /** When they redeemed the invite (or, for people set up before invites named anyone, when they first appeared). */
  joinedAt: string;
}

/** enterprise.members: the owner and the colleagues they invited. */
export interface EnterpriseMember {
  /** Names the member for enterprise.removeMember; not the OPENID (OPENIDs reach admins only). */
  memberId: string;
  /** The caller themselves. */
  me: boolean;
  name: string;
  owner: boolean;
  joinedAt: string;
}

export type InviteStatus = 'open' | 'used' | 'revoked';

/** admin.listInvites: an invite as its issuer (or an admin) sees it. */
export interface InviteItem {
  code: string;
  role: Role;
  unitCode?: string;
  unitName?: string;
  taskForceId?: string;
  taskForceName?: string;
  enterpriseId?: string;
  head: boolean;
  /** Who the code is for, as the issuer wrote it. */
  name?: string;
  createdAt: string;
  expiresAt: string;
  /** 'open' also covers an expired, unused code: `expiresAt` says whether it still works. */
  status: InviteStatus;
  usedAt?: string;
  revokedAt?: string;
  /** Issued by the caller (owners and unit heads also see invites others issued into their enterprise or unit). */
  issuedByMe: boolean;
}

/** admin.revoke: which hold to take back. */
export interface RevokeInput {
  openid: string;
  role: Role;
  unitCode?: string;
  taskForceId?: string;
}

export type AuditAction =
  | 'grant'
  | 'regrant'
  | 'register'
  | 'revoke'
  | 'revokeInvite'
  | 'removeMember'
  | 'reassignEnterprise'
  | 'retireEnterprise';

/** admin.auditLog: one giving or taking-back of access. Admins only, so OPENIDs are shown beside the names. */
export interface AuditEntry {
  id: string;
  at: string;
  action: AuditAction;
  actor: string;
  actorName: string;
  /** The person whose access was taken back; absent for an invite nobody used. */
  target?: string;
  targetName?: string;
  details: {
    role?: Role;
    unitCode?: string;
    unitName?: string;
    taskForceId?: string;
    taskForceName?: string;
    enterpriseId?: string;
    code?: string;
    /** Invites withdrawn with it (their issuer lost the hold they were issued under). */
    codes?: string[];
    /** Needs the person held in the units they lost, returned to the queue. */
    releasedNeeds?: string[];
    /** Why (admins reassigning or retiring an enterprise say why; an automatic withdrawal names its cause). */
    reason?: string;
    /** reassignEnterprise: the registrant before. */
    previousOwner?: string;
  };
}

/** admin.importEnterprises: what one row of the sheet would do (dry run) or did, with the sheet's own row number. */
export interface ImportLine {
  row: number;
  name: string;
  creditCode: string;
  /** `left`: a written call found the row written first by someone else (another import, a registration) and left it; `reason` says which. */
  action: 'create' | 'update' | 'reject' | 'left';
  reason?: string;
  field?: string;
  /** Fields an update would change. */
  changes?: string[];
}
