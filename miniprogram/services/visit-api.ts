/**
 * The task force's calls (走访签到) and photo upload. Kept apart from
 * services/api.ts so the task-force subpackage owns its contract; it goes
 * through the same `call`, so envelope and error handling are the shared ones.
 */
import type { GeoPoint, Need, NeedInput, Page } from '../../typings/api';
import { config } from '../config';
import type { ApiFailure } from './api';
import { apiError, call, isApiFailure, NETWORK_MESSAGE } from './api';

/** visit.myEnterprises row: an enterprise in the member's zone and when it was last visited. */
export interface ZoneEnterprise {
  id: string;
  name: string;
  zone: string;
  industry: string;
  address: string;
  location: GeoPoint | null;
  contactName: string;
  contactPhone: string;
  verified: boolean;
  lastVisitAt: string | null;
  overdue: boolean;
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
  location: GeoPoint;
  /** Cloud fileIDs (cloud://…), at most 9. */
  photos: string[];
  checklist: VisitChecklist;
  needs?: NeedInput[];
}

export interface Visit {
  id: string;
  enterpriseId: string;
  enterpriseName?: string;
  memberOpenid?: string;
  location?: GeoPoint;
  distanceMeters: number | null;
  offSite: boolean;
  photos?: string[];
  checklist?: VisitChecklist;
  needIds?: string[];
  createdAt: string;
}

export interface CheckInResult extends Visit {
  needs: Need[];
}

export interface PolicySummary {
  id: string;
  title: string;
  level: string;
  summary: string;
  tags: string[];
  industries: string[];
}

export const MAX_PHOTOS = 9;

export const visitApi = {
  myEnterprises: () => call<{ items: ZoneEnterprise[] }>('visit', 'myEnterprises'),
  checkIn: (input: CheckInInput) => call<CheckInResult>('visit', 'checkIn', input),
  list: (enterpriseId?: string, cursor?: string) =>
    call<Page<Visit>>('visit', 'list', { ...(enterpriseId ? { enterpriseId } : {}), ...(cursor ? { cursor } : {}) }),
  policies: () => call<{ items: PolicySummary[] }>('policy', 'list'),
};

/**
 * A failure of the transport itself (no answer from the server), as opposed
 * to the server refusing: only these are worth queueing and resending.
 */
export function isNetworkFailure(err: unknown): boolean {
  if (!isApiFailure(err)) return true;
  return err.code === 'INTERNAL' && err.message === NETWORK_MESSAGE;
}

/**
 * Deterministic per visit and photo: re-uploading after a lost answer
 * overwrites instead of piling up copies. Under uploads/, the one folder the
 * storage rule lets a phone write (and only files it owns); the local
 * gateway keeps just the last segment and files it in the caller's folder.
 */
export function photoCloudPath(enterpriseId: string, clientKey: string, index: number, filePath: string): string {
  const ext = (/\.([A-Za-z0-9]{1,5})$/.exec(filePath) || [])[1] || 'jpg';
  return `uploads/visits/${enterpriseId}/${clientKey}-${index}.${ext.toLowerCase()}`;
}

function uploadViaCloud(cloudPath: string, filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.cloud.uploadFile({
      cloudPath,
      filePath,
      success: (res) => resolve(res.fileID),
      fail: () => reject(apiError('INTERNAL', NETWORK_MESSAGE)),
    });
  });
}

function readBase64(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().readFile({
      filePath,
      encoding: 'base64',
      success: (res) => resolve(String(res.data)),
      // The temp file is gone (e.g. the phone cleaned it): resending cannot fix that.
      fail: () => reject(apiError('FAILED_PRECONDITION', '照片文件已丢失，请重新拍照')),
    });
  });
}

async function uploadViaGateway(cloudPath: string, filePath: string): Promise<string> {
  const contentBase64 = await readBase64(filePath);
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${config.gatewayUrl}/upload`,
      method: 'POST',
      header: { 'content-type': 'application/json', 'x-openid': config.devOpenid },
      data: { cloudPath, contentBase64 },
      success: (res) => {
        const body = res.data as { ok?: boolean; data?: { fileID?: string }; error?: { code?: string; message?: string } };
        if (body && body.ok && body.data && body.data.fileID) resolve(body.data.fileID);
        else if (body && body.ok === false && body.error) {
          reject(apiError((body.error.code as ApiFailure['code']) || 'INTERNAL', body.error.message || NETWORK_MESSAGE));
        } else reject(apiError('INTERNAL', NETWORK_MESSAGE));
      },
      fail: () => reject(apiError('INTERNAL', NETWORK_MESSAGE)),
    });
  });
}

/** Uploads one local photo and resolves with its fileID; rejects with an ApiFailure. */
export function uploadPhoto(cloudPath: string, filePath: string): Promise<string> {
  return config.mode === 'cloud' ? uploadViaCloud(cloudPath, filePath) : uploadViaGateway(cloudPath, filePath);
}
