/**
 * The server's view of the template table (miniprogram/subscribe-templates.ts,
 * through typings/templates.ts): ids, keywords and kinds come from there and
 * nowhere else.
 */
import { SUBSCRIBE_TEMPLATES, type SubscribeTemplate, type TemplateKey } from '../../typings/templates';

export type { TemplateKey } from '../../typings/templates';

export function isTemplateKey(key: string): key is TemplateKey {
  return Object.prototype.hasOwnProperty.call(SUBSCRIBE_TEMPLATES, key);
}

export function templateOf(key: string): SubscribeTemplate {
  if (!isTemplateKey(key)) throw new Error(`unknown subscribe-message template ${key}`);
  return SUBSCRIBE_TEMPLATES[key];
}
