/**
 * The admin screens' calls and types. Kept apart from services/api.ts so the
 * admin subpackage brings its own contract and the other roles' pages do not
 * grow with it; it goes through the same `call`, so both modes and the
 * error envelope behave exactly as everywhere else.
 */
import type { EnterpriseOptions, IndustryCode, LedgerSummary, NeedType, Rates } from '../../typings/api';

export type { LedgerSummary, Rates };
import { apiError, call } from './api';

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
}

export interface Invite {
  code: string;
  expiresAt: string;
}

export interface UnitOption {
  code: string;
  name: string;
  kind: string;
}

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

export const adminApi = {
  summary: () => call<LedgerSummary>('ledger', 'summary'),
  exportFile: (kind: ExportKind) => call<ExportResult>('ledger', 'export', { kind }),
  createInvite: (input: InviteInput) => call<Invite>('admin', 'createInvite', input),
  listUnits: () => call<{ items: UnitOption[] }>('admin', 'listUnits'),
  listTaskForces: () => call<{ items: TaskForceOption[] }>('admin', 'listTaskForces'),
  routePreview: (input: RoutePreviewInput) => call<RoutePreview>('need', 'routePreview', input),
  enterpriseOptions: () => call<EnterpriseOptions>('enterprise', 'options'),
};

export type AdminApi = typeof adminApi;

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
