/**
 * The caller's session (roles, enterprise, units), fetched once and shared
 * by every page: user.login is the same answer until a role changes, and
 * the pages that change it (registration, invites) call `refreshSession`.
 *
 * The last answer is also kept on the phone: a task-force member who has
 * logged in once opens the app on a factory floor with no signal and still
 * gets their pages (issue 9). Such an offline session is not remembered in
 * memory, so the next page tries the server again.
 */
import type { Session } from '../../typings/api';
import type { Loaded } from '../utils/offline-cache';
import { CACHE_KEYS, cachedFetch } from '../utils/offline-cache';
import { api, isApiFailure } from './api';

/** Said when there is no network and no session on the phone yet: what to do, not a bare 重试. */
export const NEVER_ONLINE_MESSAGE =
  '现在连不上网络。第一次使用需要在有信号的地方打开一次，登录后手机会保存您的资料，之后没有网络也能查看走访企业、登记走访。';

let pending: Promise<Loaded<Session>> | null = null;

export function getSessionStatus(): Promise<Loaded<Session>> {
  if (!pending) {
    const current = cachedFetch(CACHE_KEYS.session, () => api.login()).then(
      (loaded) => {
        if (loaded.offline && pending === current) pending = null; // offline: the next page asks the server again
        return loaded;
      },
      (err) => {
        pending = null; // a failed login must not stick: the next page retries
        if (isApiFailure(err) && err.transport === 'network') err.message = NEVER_ONLINE_MESSAGE;
        throw err;
      },
    );
    pending = current;
  }
  return pending;
}

export function getSession(): Promise<Session> {
  return getSessionStatus().then((s) => s.data);
}

export function refreshSessionStatus(): Promise<Loaded<Session>> {
  pending = null;
  return getSessionStatus();
}

export function refreshSession(): Promise<Session> {
  return refreshSessionStatus().then((s) => s.data);
}
