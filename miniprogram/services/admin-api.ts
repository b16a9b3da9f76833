/**
 * The admin screens' calls and types. Kept apart from services/api.ts so the
 * admin subpackage brings its own contract and the other roles' pages do not
 * grow with it; it goes through the same `call`, so both modes and the
 * error envelope behave exactly as everywhere else.
 */
import type { ImportLine, UnitKpi as ServerUnitKpi, EnterpriseMember, EnterpriseOptions, IndustryCode, InviteItem, InviteStatus, LedgerSummary, Need, NeedStatus, NeedType, Page, Rates, UnitMember, UnitsReport } from '../../typings/api';
import { apiError, call, uploadFile } from './api';
import type { Policy, PolicyLevel } from './enterprise-api';

export type { LedgerSummary, Rates, Policy, PolicyLevel, EnterpriseMember, InviteStatus, ImportLine };
/** An invite as admin.listInvites lists it. */
export type InviteRow = InviteItem;
/** A person of a unit or task force, as admin.members lists them. */
export type Member = UnitMember;

export interface TaskForceOption {
  id: string;
  name: string;
  leadOrg: string;
  zoneCodes: string[];
}

export type ExportKind = 'ledger' | 'report';

export interface ExportResult {
  fileID: string;
  /** A short-lived link to the file (10 minutes): storage itself is closed to the phone. */
  url: string;
  expiresAt: string;
  name: string;
  bytes: number;
  enterprises: number;
}

export type InviteRole = 'enterprise' | 'taskforce' | 'unit' | 'admin';

export interface InviteInput {
  role: InviteRole;
  unitCode?: string;
  taskForceId?: string;
  head?: boolean;
  /** Who the code is for (2–20 characters), so a list of codes reads as a list of people. */
  name?: string;
  /** An enterprise invites colleagues into its own enterprise only. */
  enterpriseId?: string;
}


export interface Invite {
  code: string;
  expiresAt: string;
}

export interface UnitOption {
  code: string;
  name: string;
  kind: string;
  order?: number;
}

export type UnitKind = 'federation' | 'desk' | 'pool' | 'chamber' | 'association' | 'department' | 'bank' | 'legal' | 'health';
export type ZoneKind = 'park' | 'street' | 'town';

export interface RuleMatch {
  type: NeedType;
  industry?: IndustryCode;
  zone?: string;
  chamberMember?: string;
}

export interface Rule {
  id: string;
  order: number;
  match: RuleMatch;
  unitCode: string;
  slaHours: number;
  /** Hours to the first response (claim); working days to close. */
  firstResponseHours?: number;
  resolutionWorkdays?: number;
  enabled: boolean;
  note?: string;
}

export interface Settings {
  triageUnitCode: string;
  triageSlaHours: number;
  supplyPoolUnitCode: string;
  leaseMinutes: number;
  /** Per need type, where the settings carry it. */
  leaseMinutesByType?: Partial<Record<NeedType, number>>;
  visitIntervalDays: number;
  offSiteMeters: number;
  /** By `function.action`. */
  rateLimits: Record<string, number>;
  /** An enterprise's open needs of one type at most (district default 3). */
  openNeedsPerType: number;
  /** An enterprise's new needs a China day at most, however raised (district default 30). */
  needsPerEnterprisePerDay: number;
}



export type MembersOf = { unitCode: string } | { taskForceId: string };

export type RevokeRole = 'unit' | 'taskforce' | 'admin' | 'enterprise';

export interface RevokeInput {
  openid: string;
  role: RevokeRole;
  unitCode?: string;
  taskForceId?: string;
}

export interface Holiday {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

export interface TrendDay {
  date: string;
  enterprises: number;
  reported: number;
  resumed: number;
  resumptionRate: number | null;
  employeesTotal: number;
  employeesBack: number;
  workforceReturnRate: number | null;
}

/** A row of the dashboard's ranking: the server's figures, with which kind of team and its code. */
export interface UnitKpi extends ServerUnitKpi {
  scope: 'unit' | 'taskforce';
  code: string;
}


export interface ImportResult {
  dryRun: boolean;
  created: number;
  updated: number;
  rejected: number;
  /** Rows a written call left because someone else wrote them first (absent from older answers). */
  left?: number;
  lines: ImportLine[];
  /** A written call: which rows of the sheet it judged and wrote (each answer reports its own rows). */
  written?: { from: number; to: number; of: number };
  /** More to write: call again with this offset (a whole district's sheet is written in chunks). */
  nextOffset?: number;
}

/** What the admin needs list filters by: one count of the dashboard each. */
export interface AdminNeedFilter {
  escalated?: boolean;
  type?: NeedType;
  unitCode?: string;
  status?: NeedStatus | NeedStatus[];
}

/** What the admin enterprise list filters by: one figure of the dashboard each. */
export interface AdminEnterpriseFilter {
  zone?: string;
  industry?: IndustryCode;
  /** A task force's zones (its visit coverage). */
  taskForceId?: string;
  verified?: boolean;
  resumed?: boolean;
  /** Due a visit. */
  overdue?: boolean;
}

export interface AdminEnterpriseRow {
  id: string;
  name: string;
  zone: string;
  zoneName: string;
  industry: IndustryCode;
  verified: boolean;
  resumed: boolean;
  employeesTotal: number;
  employeesBack: number;
  /** Null when never visited. */
  lastVisitAt: string | null;
  contactName: string;
  contactPhone: string;
  /** Another, verified enterprise has this exact name (absent from older answers). */
  nameMatchesVerified?: boolean;
}

export type LedgerSummaryAsOf = LedgerSummary & { asOf?: string };

export interface RoutePreviewInput {
  type: NeedType;
  industry: IndustryCode;
  zone: string;
  chamberCodes: string[];
}

export interface RoutePreview {
  unitCode: string;
  unitName: string;
  /** null when no rule matched and the need goes to triage. */
  ruleId: string | null;
  slaHours: number;
  reason: string;
}

/** The server's report as the dashboard's one list: each row says whether it is a unit or a task force. */
export function unitKpisOf(report: UnitsReport): { items: UnitKpi[] } {
  return {
    items: [
      ...(report.units || []).map(({ unitCode, ...k }) => ({ ...k, scope: 'unit' as const, code: unitCode })),
      ...(report.taskForces || []).map(({ taskForceId, ...k }) => ({ ...k, scope: 'taskforce' as const, code: taskForceId })),
    ],
  };
}

export const adminApi = {
  summary: () => call<LedgerSummaryAsOf>('ledger', 'summary'),
  trend: (days: number) => call<{ days: TrendDay[] }>('ledger', 'trend', { days }),
  flow: (days: number) => call<{ days: Array<{ date: string; opened: number; closed: number }> }>('ledger', 'flow', { days }),
  /** ledger.units answers units and task forces apart (UnitsReport); the ranking shows them as one list. */
  unitKpis: (from: string, to: string) => call<UnitsReport>('ledger', 'units', { from, to }).then(unitKpisOf),
  /** Needs across units for the dashboard's counts; needs the server to open need.queue to admins. */
  needs: (filter: AdminNeedFilter, cursor?: string) =>
    call<Page<Need>>('need', 'queue', { ...filter, ...(cursor ? { cursor } : {}) }),
  /** The enterprises behind the dashboard's figures (admin.enterprises). */
  enterprises: (filter: AdminEnterpriseFilter, cursor?: string) =>
    call<Page<AdminEnterpriseRow> & { total: number }>('admin', 'enterprises', { ...filter, ...(cursor ? { cursor } : {}) }),
  exportFile: (kind: ExportKind) => call<ExportResult>('ledger', 'export', { kind }),
  createInvite: (input: InviteInput) => call<Invite>('admin', 'createInvite', input),
  listInvites: (cursor?: string) => call<Page<InviteRow>>('admin', 'listInvites', cursor ? { cursor } : {}),
  revokeInvite: (code: string) => call<{ revoked: true }>('admin', 'revokeInvite', { code }),
  listUnits: () => call<{ items: UnitOption[] }>('admin', 'listUnits'),
  saveUnit: (unit: { code: string; name: string; kind: UnitKind; order?: number }) => call<UnitOption>('admin', 'saveUnit', unit),
  listTaskForces: () => call<{ items: TaskForceOption[] }>('admin', 'listTaskForces'),
  saveTaskForce: (tf: { id: string; name: string; leadOrg: string; zoneCodes: string[]; order?: number }) =>
    call<TaskForceOption>('admin', 'saveTaskForce', tf),
  saveZone: (zone: { code: string; name: string; kind: ZoneKind; order?: number }) => call<{ code: string; name: string }>('admin', 'saveZone', zone),
  listRules: () => call<{ items: Rule[] }>('admin', 'listRules'),
  saveRule: (rule: Rule) => call<Rule>('admin', 'saveRule', rule),
  deleteRule: (id: string) => call<{ id: string; removed: true }>('admin', 'deleteRule', { id }),
  listPolicies: () => call<{ items: Policy[] }>('policy', 'list'),
  savePolicy: (policy: Policy) => call<Policy>('admin', 'savePolicy', policy),
  deletePolicy: (id: string) => call<{ id: string; removed: true }>('admin', 'deletePolicy', { id }),
  getSettings: () => call<Settings>('admin', 'getSettings'),
  saveSettings: (patch: Partial<Settings>) => call<Settings>('admin', 'saveSettings', patch),
  listHolidays: (year: number) => call<{ items: Holiday[] }>('admin', 'listHolidays', { year }),
  saveHoliday: (holiday: Holiday) => call<Holiday>('admin', 'saveHoliday', holiday),
  deleteHoliday: (date: string) => call<{ removed?: boolean }>('admin', 'deleteHoliday', { date }),
  members: (of: MembersOf) => call<{ items: Member[] }>('admin', 'members', of),
  revoke: (input: RevokeInput) => call<{ revoked: true }>('admin', 'revoke', input),
  importEnterprises: (fileID: string, dryRun: boolean, offset = 0) =>
    call<ImportResult>('admin', 'importEnterprises', { fileID, dryRun, ...(offset ? { offset } : {}) }),
  routePreview: (input: RoutePreviewInput) => call<RoutePreview>('need', 'routePreview', input),
  enterpriseOptions: () => call<EnterpriseOptions>('enterprise', 'options'),
};

/** The enterprise's own people (enterprise/members): the owner sees them and may remove one. */
export const membersApi = {
  list: () => call<{ items: EnterpriseMember[] }>('enterprise', 'members'),
  remove: (memberId: string) => call<{ removed: true }>('enterprise', 'removeMember', { memberId }),
  invite: (enterpriseId: string, name?: string) =>
    call<Invite>('admin', 'createInvite', { role: 'enterprise', enterpriseId, ...(name ? { name } : {}) }),
};


export const DOWNLOAD_FAILED = '文件下载失败，请重试';
export const LINK_EXPIRED = '下载链接已过期，请重新导出';
export const OPEN_FAILED = '无法打开文件，请确认手机上有可以打开 Excel 的应用';

/**
 * Gets the file onto the phone from the link the export answered, the same
 * way in both modes; reports download progress (0–100) when the platform gives it.
 */
export function downloadExport(url: string, onProgress?: (percent: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const task = wx.downloadFile({
      url,
      // wx.downloadFile "succeeds" on an error status too, with the error page as the file.
      success: (res) => {
        if (res.statusCode === 200) resolve(res.tempFilePath);
        else reject(apiError('INTERNAL', res.statusCode === 403 || res.statusCode === 410 ? LINK_EXPIRED : DOWNLOAD_FAILED));
      },
      fail: () => reject(apiError('INTERNAL', DOWNLOAD_FAILED)),
    });
    if (task && typeof task.onProgressUpdate === 'function' && onProgress) {
      task.onProgressUpdate((p) => onProgress(p.progress));
    }
  });
}

/** Opens the workbook with the share menu on, so the admin can forward it in a chat. */
export function openExport(filePath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.openDocument({
      filePath,
      fileType: 'xlsx',
      showMenu: true,
      success: () => resolve(),
      fail: () => reject(apiError('INTERNAL', OPEN_FAILED)),
    });
  });
}

/** The sheet picked from a chat: only what the import reads. */
export const SHEET_EXTENSIONS = ['xlsx', 'csv'];

/**
 * Puts a picked sheet where the import can read it: under uploads/, the
 * one folder the storage rule lets a phone write; the local gateway keeps
 * the last segment and files it in the caller's folder. The extension stays:
 * the import reads a .csv as text and anything else as a workbook.
 */
export function uploadSheet(filePath: string, fileName: string): Promise<string> {
  const ext = ((/\.([A-Za-z0-9]{1,5})$/.exec(fileName) || [])[1] || 'xlsx').toLowerCase();
  return uploadFile(`uploads/imports/${Date.now()}.${ext}`, filePath, '文件已无法读取，请重新选择');
}
