/**
 * Asks for subscribe-message permission. WeChat only shows the dialog when
 * the call is made from a tap, takes at most 3 template ids per call, and
 * each acceptance allows a single message, so pages call this at the start
 * of the tap that leads to the messages (submit, claim, the reminder
 * buttons). Whatever the user picks, or if the call fails (placeholder ids,
 * old base library), the action goes on: a message is a courtesy, the need
 * is the point.
 *
 * Which ids each moment asks for is in the one template table
 * (miniprogram/subscribe-templates.ts), the same one the functions send by.
 */
import type { SubscribeMomentKey, TemplateKey } from '../subscribe-templates';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES, templateIdsFor } from '../subscribe-templates';
import { todayInChina } from './time';

/** The platform's limit on template ids per request. */
export const MAX_IDS_PER_REQUEST = 3;

/** Asks for the templates of `moment`; answers the ones the person accepted (none when the call failed). */
export function requestSubscribe(moment: SubscribeMomentKey): Promise<TemplateKey[]> {
  const keys: readonly TemplateKey[] = SUBSCRIBE_MOMENTS[moment].templates.slice(0, MAX_IDS_PER_REQUEST);
  const tmplIds = templateIdsFor(moment).slice(0, MAX_IDS_PER_REQUEST);
  return new Promise<TemplateKey[]>((resolve) => {
    if (!tmplIds.length || typeof wx.requestSubscribeMessage !== 'function') {
      resolve([]);
      return;
    }
    let accepted: TemplateKey[] = [];
    try {
      wx.requestSubscribeMessage({
        tmplIds,
        success: (res: Record<string, string>) => {
          accepted = keys.filter((key) => res[SUBSCRIBE_TEMPLATES[key].id] === 'accept');
        },
        complete: () => resolve(accepted),
      } as unknown as WechatMiniprogram.RequestSubscribeMessageOption);
    } catch {
      resolve([]);
    }
  });
}

const acceptedKey = (moment: SubscribeMomentKey) => `subscribe.accepted.${moment}`;

/**
 * Whether the reminder button of `moment` has been accepted today. It comes
 * back the next day: one acceptance allows one message, and the digest is daily.
 */
export function acceptedToday(moment: SubscribeMomentKey): boolean {
  try {
    return wx.getStorageSync(acceptedKey(moment)) === todayInChina();
  } catch {
    return false;
  }
}

/**
 * The tap of a reminder button: asks, and remembers for today when every
 * template was accepted, so the button can step aside. Answers whether it did.
 */
export async function requestReminders(moment: SubscribeMomentKey): Promise<boolean> {
  const accepted = await requestSubscribe(moment);
  const all = accepted.length > 0 && accepted.length === Math.min(SUBSCRIBE_MOMENTS[moment].templates.length, MAX_IDS_PER_REQUEST);
  if (all) {
    try {
      wx.setStorageSync(acceptedKey(moment), todayInChina());
    } catch {
      // Without storage the button only stays; nothing is lost.
    }
  }
  return all;
}
