/**
 * The admin screens' calls and types. Kept apart from services/api.ts so the
 * admin subpackage brings its own contract and the other roles' pages do not
 * grow with it; it goes through the same `call`, so both modes and the
 * error envelope behave exactly as everywhere else.
 */
import type { EnterpriseOptions, IndustryCode, LedgerSummary, NeedType, Rates } from '../../typings/api';

export type { LedgerSummary, Rates };
import { config } from '../config';
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
  fileName: string;
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
export const OPEN_FAILED = '无法打开文件，请确认手机上有可以打开 Excel 的应用';

/** The local gateway serves stored files at /files/<cloudPath>; the ID's `cloud://<env>/` prefix is not part of it. */
export function localFileUrl(fileID: string): string {
  const cloudPath = fileID.replace(/^cloud:\/\/[^/]+\//, '');
  return `${config.gatewayUrl}/files/${cloudPath.split('/').map(encodeURIComponent).join('/')}`;
}

/** Gets the file onto the phone; reports download progress (0–100) when the platform gives it. */
export function downloadExport(fileID: string, onProgress?: (percent: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = () => reject(apiError('INTERNAL', DOWNLOAD_FAILED));
    let task: WechatMiniprogram.DownloadTask | undefined;
    if (config.mode === 'cloud') {
      task = wx.cloud.downloadFile({
        fileID,
        success: (res) => resolve(res.tempFilePath),
        fail,
      }) as unknown as WechatMiniprogram.DownloadTask | undefined;
    } else {
      task = wx.downloadFile({
        url: localFileUrl(fileID),
        // wx.downloadFile "succeeds" on a 404 too, with the error page as the file.
        success: (res) => (res.statusCode === 200 ? resolve(res.tempFilePath) : fail()),
        fail,
      });
    }
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
