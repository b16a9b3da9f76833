/**
 * The task force's calls (走访签到) and photo upload. Kept apart from
 * services/api.ts so the task-force subpackage owns its contract; it goes
 * through the same `call`, so envelope and error handling are the shared ones.
 */
import type { CheckInInput, CheckInResult, Enterprise, Page, Visit, VisitProfile, ZoneEnterprise, ZoneEnterprisePage } from '../../typings/api';
import { ageOf, CACHE_KEYS, cachedFetch, clearCache, readCache, writeCache, type Cached, type Loaded } from '../utils/offline-cache';
import { call, isApiFailure, uploadFile } from './api';

export type { CheckInInput, CheckInResult, Visit, VisitChecklist, VisitProfile, ZoneEnterprise } from '../../typings/api';

export interface PolicySummary {
  id: string;
  title: string;
  level: string;
  summary: string;
  tags: string[];
  industries: string[];
}

/** The whole zone as the phone keeps it. */
export interface ZoneList {
  items: ZoneEnterprise[];
  total: number;
  overdue: number;
}

/** The largest page the server gives: a zone of 1,100 enterprises comes in six calls. */
export const ZONE_PAGE_SIZE = 200;

export const MAX_PHOTOS = 9;

export const visitApi = {
  profile: () => call<VisitProfile>('visit', 'profile'),
  myEnterprises: (cursor?: string, limit = ZONE_PAGE_SIZE) =>
    call<ZoneEnterprisePage>('visit', 'myEnterprises', { limit, ...(cursor ? { cursor } : {}) }),
  verify: (enterpriseId: string) => call<Enterprise>('enterprise', 'verify', { enterpriseId }),
  checkIn: (input: CheckInInput) => call<CheckInResult>('visit', 'checkIn', input),
  list: (enterpriseId?: string, cursor?: string) =>
    call<Page<Visit>>('visit', 'list', { ...(enterpriseId ? { enterpriseId } : {}), ...(cursor ? { cursor } : {}) }),
  policies: () => call<{ items: PolicySummary[] }>('policy', 'list'),
};

/**
 * Every enterprise of the member's zones, page after page (overdue first, as
 * the server orders them). All or nothing: a list cut off halfway would
 * hide the enterprises due last, so a failed page fails the whole fetch and
 * the stored copy is shown instead.
 */
export async function fetchZone(onProgress?: (loaded: number, total: number) => void): Promise<ZoneList> {
  const items: ZoneEnterprise[] = [];
  let cursor: string | undefined;
  let total = 0;
  let overdue = 0;
  const seen = new Set<string>();
  do {
    const page: ZoneEnterprisePage = await visitApi.myEnterprises(cursor);
    total = page.total;
    overdue = page.overdue;
    for (const e of page.items) {
      if (seen.has(e.id)) continue; // an enterprise visited while paging moves in the order: keep it once
      seen.add(e.id);
      items.push(e);
    }
    if (onProgress) onProgress(items.length, total);
    cursor = page.nextCursor;
  } while (cursor);
  return { items, total, overdue };
}

export const loadZone = (onProgress?: (loaded: number, total: number) => void): Promise<Loaded<ZoneList>> =>
  cachedFetch(CACHE_KEYS.zone, () => fetchZone(onProgress));
export const loadProfile = (): Promise<Loaded<VisitProfile>> => cachedFetch(CACHE_KEYS.profile, visitApi.profile);
export const loadPolicies = (): Promise<Loaded<{ items: PolicySummary[] }>> => cachedFetch(CACHE_KEYS.policies, visitApi.policies);

export const storedZone = (): Cached<ZoneList> | null => readCache<ZoneList>(CACHE_KEYS.zone);
export const storedProfile = (): Cached<VisitProfile> | null => readCache<VisitProfile>(CACHE_KEYS.profile);

export function storedEnterprise(id: string): ZoneEnterprise | null {
  const zone = storedZone();
  return (zone && zone.data.items.find((e) => e.id === id)) || null;
}

/** Changes one enterprise in the stored zone (a check-in or verify just landed), keeping the copy's age. */
export function patchStoredEnterprise(id: string, patch: Partial<ZoneEnterprise>): void {
  const zone = storedZone();
  if (!zone) return;
  const items = zone.data.items.map((e) => (e.id === id ? { ...e, ...patch } : e));
  const overdue = items.filter((e) => e.overdue).length;
  writeCache(CACHE_KEYS.zone, { ...zone.data, items, overdue }, new Date(zone.at));
}

/** Copies younger than this are not fetched again just because a page was shown. */
export const FRESH_MS = 30 * 60_000;

/**
 * Fills the phone with what the member needs offline, while there is a
 * signal (home page): the profile, the zone and the policies, each only
 * when its copy is older than FRESH_MS. Failures are silent: this is a help.
 */
export async function warmTaskforceCache(now: Date = new Date()): Promise<void> {
  const stale = (key: string) => ageOf(readCache(key), now) > FRESH_MS;
  const jobs: Promise<unknown>[] = [];
  if (stale(CACHE_KEYS.profile)) jobs.push(loadProfile());
  if (stale(CACHE_KEYS.zone)) jobs.push(loadZone());
  if (stale(CACHE_KEYS.policies)) jobs.push(loadPolicies());
  await Promise.all(jobs.map((j) => j.catch(() => undefined)));
}

/** Drops what only a task-force member may keep (the session says they no longer are one). */
export function forgetTaskforceCache(): void {
  for (const key of [CACHE_KEYS.profile, CACHE_KEYS.zone, CACHE_KEYS.policies, CACHE_KEYS.visits()]) clearCache(key);
}

export function loadVisits(enterpriseId?: string, cursor?: string): Promise<Loaded<Page<Visit>>> {
  // Only the first page is kept: "what happened last time" is what a member checks before going again.
  if (cursor) return visitApi.list(enterpriseId, cursor).then((data) => ({ data, at: new Date().toISOString(), offline: false, offlineText: '' }));
  return cachedFetch(CACHE_KEYS.visits(enterpriseId), () => visitApi.list(enterpriseId));
}

/**
 * No answer from the server, as opposed to the server refusing or failing:
 * only these are worth queueing and resending. A timed-out call counts: it
 * may have landed, and the resend's clientKey answers the visit it made.
 */
export function isNetworkFailure(err: unknown): boolean {
  if (!isApiFailure(err)) return true;
  return err.transport === 'network' || err.transport === 'timeout';
}

/**
 * Deterministic per visit and photo: re-uploading after a lost answer
 * overwrites instead of piling up copies. In the member's own folder under
 * uploads/ (the profile names it): a check-in attaches only photos from
 * there. The local gateway keeps just the last segment and files it in the
 * caller's folder itself.
 */
export function photoCloudPath(enterpriseId: string, clientKey: string, index: number, filePath: string): string {
  const ext = (/\.([A-Za-z0-9]{1,5})$/.exec(filePath) || [])[1] || 'jpg';
  const profile = storedProfile();
  // A profile cached before it named the folder: the server refuses such a photo in the cloud until the profile is fetched again.
  const folder = (profile && profile.data.uploadFolder) || 'uploads/';
  return `${folder}visits/${enterpriseId}/${clientKey}-${index}.${ext.toLowerCase()}`;
}

/** Uploads one local photo and resolves with its fileID; rejects with an ApiFailure. */
export function uploadPhoto(cloudPath: string, filePath: string): Promise<string> {
  return uploadFile(cloudPath, filePath, '照片文件已丢失，请重新拍照');
}
