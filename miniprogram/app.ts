import { config } from './config';

App<WechatMiniprogram.IAnyObject>({
  onLaunch() {
    // wx.cloud must be initialised before the first callFunction; local mode never touches it.
    if (config.mode === 'cloud') {
      wx.cloud.init({ env: config.envId, traceUser: true });
    }
  },
});
