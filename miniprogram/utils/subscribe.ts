/**
 * Asks for subscribe-message permission. WeChat only shows the dialog when
 * the call is made from a tap, and each acceptance allows a single message,
 * so pages call this at the start of the tap that will cause the messages
 * (submit, claim). Whatever the user picks, or if the call fails (placeholder
 * ids, old base library), the action goes on: a message is a courtesy, the
 * need is the point.
 */
import type { TemplateName } from '../config';
import { config } from '../config';

/** The messages each moment leads to (at most 5 per call, a platform limit). */
export const SUBSCRIBE_SETS = {
  /** An enterprise submitting: it hears when its needs move. */
  submit: ['needRouted', 'needClaimed', 'needFulfilled', 'needWaiting'],
  /** A handler claiming: it hears before its lease runs out and when a need escalates. */
  claim: ['leaseExpiring', 'needEscalated'],
} satisfies Record<string, TemplateName[]>;

export function requestSubscribe(set: keyof typeof SUBSCRIBE_SETS): Promise<void> {
  const tmplIds = SUBSCRIBE_SETS[set].map((name) => config.templates[name]).filter(Boolean);
  return new Promise<void>((resolve) => {
    if (!tmplIds.length || typeof wx.requestSubscribeMessage !== 'function') {
      resolve();
      return;
    }
    try {
      wx.requestSubscribeMessage({
        tmplIds,
        complete: () => resolve(),
      } as WechatMiniprogram.RequestSubscribeMessageOption);
    } catch {
      resolve();
    }
  });
}
