/**
 * The subscribe-message template table, shared by the server and the
 * mini-program. The source is miniprogram/subscribe-templates.ts: WeChat
 * cannot require files outside miniprogramRoot, so the shared copy has to
 * live there.
 */
export * from '../miniprogram/subscribe-templates';
