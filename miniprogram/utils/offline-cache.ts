/**
 * What a task-force member's phone keeps for a factory floor with no signal
 * (issue 9): the session, the task force's and zones' names, every
 * enterprise of the zone, the policies for 导 and the recent visits. Each is
 * stored with the time it was fetched, so a page can say how old it is.
 *
 * - A refresh that fails for want of network (or a server hiccup) falls
 *   back to the stored copy and the page says 「离线 · 更新于 HH:mm」: with a
 *   copy on the phone there is never an error page.
 * - A refusal that means "this is no longer yours" (FORBIDDEN,
 *   UNAUTHENTICATED) is not papered over: the copy is dropped and the error
 *   shown, or a revoked member would keep browsing the zone's phone numbers.
 * - wx storage is per WeChat account on the phone, so another person on the
 *   same phone never reads these copies.
 */
import type { ErrorCode } from '../../typings/api';
import { isApiFailure } from '../services/api';
import { formatDateTime } from './time';

export interface Cached<T> {
  data: T;
  /** When it was fetched, ISO 8601. */
  at: string;
}

export interface Loaded<T> extends Cached<T> {
  /** True when the refresh failed and this is the stored copy. */
  offline: boolean;
  /** 「离线 · 更新于 HH:mm」 when offline, else ''. */
  offlineText: string;
}

export const CACHE_KEYS = {
  session: 'cache.session',
  profile: 'cache.visitProfile',
  zone: 'cache.zoneEnterprises',
  policies: 'cache.policies',
  visits: (enterpriseId?: string) => `cache.visits.${enterpriseId || 'mine'}`,
} as const;

/** Refusals after which the stored copy must not be shown any more. */
const REVOKING: ErrorCode[] = ['FORBIDDEN', 'UNAUTHENTICATED'];

export function readCache<T>(key: string): Cached<T> | null {
  try {
    const v = wx.getStorageSync(key) as Cached<T> | '';
    return v && typeof v === 'object' && 'at' in v && 'data' in v ? v : null;
  } catch {
    return null;
  }
}

export function writeCache<T>(key: string, data: T, at: Date = new Date()): Cached<T> {
  const entry = { data, at: at.toISOString() };
  try {
    wx.setStorageSync(key, entry);
  } catch {
    // Storage full (10 MB per account): the page still shows what it fetched, only not offline later.
  }
  return entry;
}

export function clearCache(key: string): void {
  try {
    wx.removeStorageSync(key);
  } catch {
    // Nothing stored.
  }
}

/** Milliseconds since the copy was fetched; Infinity without one. */
export function ageOf(entry: Cached<unknown> | null, now: Date = new Date()): number {
  if (!entry) return Infinity;
  const ms = Date.parse(entry.at);
  return Number.isNaN(ms) ? Infinity : now.getTime() - ms;
}

/** 「离线 · 更新于 14:30」 for a copy from today (China time), with the date when older. */
export function offlineText(at: string, now: Date = new Date()): string {
  const when = formatDateTime(at);
  if (!when) return '离线';
  const [date, time] = when.split(' ');
  if (date === formatDateTime(now.toISOString()).split(' ')[0]) return `离线 · 更新于 ${time}`;
  const [, m, d] = date.split('-');
  return `离线 · 更新于 ${Number(m)}月${Number(d)}日 ${time}`;
}

export function isRevoking(err: unknown): boolean {
  return isApiFailure(err) && REVOKING.includes(err.code);
}

/** The stored copy as a Loaded (offline), e.g. to show at once while a refresh runs. */
export function offlineCopy<T>(entry: Cached<T>): Loaded<T> {
  return { ...entry, offline: true, offlineText: offlineText(entry.at) };
}

/**
 * Fetches and stores; when the fetch fails, answers the stored copy marked
 * offline. Without a copy (or on a revoking refusal) the failure is thrown.
 */
export async function cachedFetch<T>(key: string, fetch: () => Promise<T>): Promise<Loaded<T>> {
  try {
    const data = await fetch();
    return { ...writeCache(key, data), offline: false, offlineText: '' };
  } catch (err) {
    if (isRevoking(err)) {
      clearCache(key);
      throw err;
    }
    const copy = readCache<T>(key);
    if (!copy) throw err;
    return offlineCopy(copy);
  }
}
