/**
 * Subscribe-message templates, in one place: the key the code uses → the
 * template id from the mini-program's admin console (订阅消息 → 我的模板).
 * Replace the placeholders before deploying; locally they only label the outbox.
 */
export const TEMPLATES = {
  needRouted: 'TEMPLATE_ID_NEED_ROUTED',
  needClaimed: 'TEMPLATE_ID_NEED_CLAIMED',
  needProgress: 'TEMPLATE_ID_NEED_PROGRESS',
  needWaiting: 'TEMPLATE_ID_NEED_WAITING',
  needFulfilled: 'TEMPLATE_ID_NEED_FULFILLED',
  needEscalated: 'TEMPLATE_ID_NEED_ESCALATED',
  leaseExpiring: 'TEMPLATE_ID_LEASE_EXPIRING',
  dailyDigest: 'TEMPLATE_ID_DAILY_DIGEST',
} as const;

export type TemplateKey = keyof typeof TEMPLATES;

export function templateIdOf(key: string): string {
  const id = (TEMPLATES as Record<string, string>)[key];
  if (!id) throw new Error(`unknown subscribe-message template ${key}`);
  return id;
}
