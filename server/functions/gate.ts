/**
 * What the dispatcher (server/core/actions.ts) asks of the floors above it:
 * the caller's session from the users collection, and the district's
 * per-minute overrides. One gate for the deployed entry and the local runtime.
 */
import type { Gate } from '../core/actions';
import { loadUser, sessionOf } from '../access/session';
import { district } from '../config/district';

export const gate: Gate = {
  async identify(ports, openid) {
    const user = await loadUser(ports.db, openid);
    return { session: sessionOf(openid, user), known: user !== null };
  },
  async perMinute(ports, action, fallback) {
    return (await district(ports)).settings.rateLimits[action] ?? fallback;
  },
};
