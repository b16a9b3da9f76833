/**
 * The one place to point the mini-program at a backend.
 *
 * - `mode: 'cloud'` calls the deployed cloud functions through
 *   `wx.cloud.callFunction`; set `envId` to your CloudBase environment.
 *   The appid lives in /project.config.json ("appid"; "touristappid" is a
 *   placeholder that cannot use cloud functions).
 * - `mode: 'local'` posts to the local gateway started by `npm start`
 *   (`gatewayUrl`) and sends `devOpenid` as the caller, so DevTools can act
 *   as any seeded demo identity (demo-enterprise, demo-chamber-head, …).
 *   Only DevTools reaches 127.0.0.1 (with URL checking off), never a phone.
 *
 * Local is the default because a fresh checkout has neither an appid nor
 * a cloud environment.
 */
export interface AppConfig {
  mode: 'cloud' | 'local';
  envId: string;
  gatewayUrl: string;
  devOpenid: string;
  /**
   * Subscribe-message template ids (订阅消息), from the mini-program's admin
   * console. Placeholders until an appid has its templates: WeChat then
   * refuses the request, which the pages ignore. The server's sender
   * (server/notify/templates.ts) must use the same ids under the same keys.
   */
  templates: Record<TemplateName, string>;
}

/** Which messages the phone asks permission for, by the moment they are asked. */
export type TemplateName = 'needRouted' | 'needClaimed' | 'needFulfilled' | 'needWaiting' | 'leaseExpiring' | 'needEscalated';

export const config: AppConfig = {
  mode: 'local',
  envId: 'your-env-id',
  gatewayUrl: 'http://127.0.0.1:3000',
  devOpenid: 'demo-enterprise',
  templates: {
    needRouted: 'TEMPLATE_ID_NEED_ROUTED',
    needClaimed: 'TEMPLATE_ID_NEED_CLAIMED',
    needFulfilled: 'TEMPLATE_ID_NEED_FULFILLED',
    needWaiting: 'TEMPLATE_ID_NEED_WAITING',
    leaseExpiring: 'TEMPLATE_ID_LEASE_EXPIRING',
    needEscalated: 'TEMPLATE_ID_NEED_ESCALATED',
  },
};

export default config;
