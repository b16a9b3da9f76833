/**
 * Chinese labels shared by the server and the mini-program.
 * The source is miniprogram/utils/labels.ts: WeChat cannot require files
 * outside miniprogramRoot, so the shared copy has to live there.
 */
export * from '../miniprogram/utils/labels';
