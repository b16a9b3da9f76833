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
}

export const config: AppConfig = {
  mode: 'local',
  envId: 'your-env-id',
  gatewayUrl: 'http://127.0.0.1:3000',
  devOpenid: 'demo-enterprise',
};

export default config;
