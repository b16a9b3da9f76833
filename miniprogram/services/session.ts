/**
 * The caller's session (roles, enterprise, units), fetched once and shared
 * by every page: user.login is the same answer until a role changes, and
 * the pages that change it (registration, invites) call `refreshSession`.
 */
import type { Session } from '../../typings/api';
import { api } from './api';

let pending: Promise<Session> | null = null;

export function getSession(): Promise<Session> {
  if (!pending) {
    pending = api.login().catch((err) => {
      pending = null; // a failed login must not stick: the next page retries
      throw err;
    });
  }
  return pending;
}

export function refreshSession(): Promise<Session> {
  pending = null;
  return getSession();
}
