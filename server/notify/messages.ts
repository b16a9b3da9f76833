/**
 * A message's data, built from its template's own keywords: each keyword
 * says what fills it, and each value is fitted to the keyword's kind. The
 * send payload (`toSubscribeSend`) checks every value again, so a message the
 * platform would refuse (errcode 47003) is refused here first, with the
 * keyword that broke the rule.
 */
import type { Need, NeedStatus } from '../../typings/api';
import { NEED_TYPE_LABELS } from '../../typings/labels';
import type { Fill, TemplateKey } from '../../typings/templates';
import type { SubscribeMessage } from '../core/ports';
import { templateOf } from './templates';
import { checkValue, fitValue } from './values';

/** Whose view a message speaks from: the enterprise's, or the people who handle the need. */
export type Audience = 'enterprise' | 'handler';

/**
 * Status in at most five Chinese characters (a phrase keyword's limit),
 * worded for the reader: the enterprise hears its need was accepted, a
 * handler that it waits to be claimed.
 */
export const STATUS_PHRASES: Record<Audience, Record<NeedStatus, string>> = {
  enterprise: {
    routed: '待受理',
    claimed: '已受理',
    in_progress: '办理中',
    waiting: '待答复',
    fulfilled: '已办结',
    confirmed: '已确认',
    rejected: '转办中',
    cancelled: '已撤销',
  },
  handler: {
    routed: '待认领',
    claimed: '已认领',
    in_progress: '处理中',
    waiting: '待答复',
    fulfilled: '已办结',
    confirmed: '已确认',
    rejected: '已退回',
    cancelled: '已撤销',
  },
};

export type FillValues = Partial<Record<Fill, string>>;

/** The values a need offers, by what they fill; `unitName` is looked up by the caller. */
export function needValues(need: Need, note: string, audience: Audience, unitName?: string): FillValues {
  return {
    needType: NEED_TYPE_LABELS[need.type] ?? '企业需求',
    status: STATUS_PHRASES[audience][need.status] ?? '有更新',
    enterpriseName: need.enterpriseName,
    unitName,
    note,
    updatedAt: need.updatedAt,
    createdAt: need.createdAt,
    dueAt: need.dueAt,
    // An expired or broken lease no longer has an end: the change itself is the moment.
    leaseUntil: need.leaseUntil ?? need.updatedAt,
  };
}

/**
 * Data for `template`: one entry per keyword, named as the console names it.
 * Values may come by what they fill (`note`) or, from older callers, by the
 * keyword's own name (`thing3`).
 */
export function buildData(template: TemplateKey, values: Record<string, string | undefined>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const keyword of templateOf(template).keywords) {
    data[keyword.name] = fitValue(keyword.kind, values[keyword.fills] ?? values[keyword.name]);
  }
  return data;
}

export function usesFill(template: TemplateKey, fill: Fill): boolean {
  return templateOf(template).keywords.some((k) => k.fills === fill);
}

/** What the platform answers for a value outside its kind's rule. */
export const REFUSED_ERRCODE = 47003;

export class MessageRefused extends Error {
  readonly errCode = REFUSED_ERRCODE;
  constructor(
    readonly template: string,
    readonly problems: string[],
  ) {
    super(`${REFUSED_ERRCODE} ${template}: ${problems.join('; ')}`);
    this.name = 'MessageRefused';
  }
}

/** Which version of the mini-program a tapped message opens: the released one, the trial build, or the developer build. */
export const MINIPROGRAM_STATES = ['formal', 'trial', 'developer'] as const;
export type MiniprogramState = (typeof MINIPROGRAM_STATES)[number];

/**
 * The deployment's MINIPROGRAM_STATE (a function environment variable, from
 * `.env` on the CLI path): `trial` while the district pilots a trial build,
 * so that a tapped message opens the build people actually have. Unset is
 * `formal`; anything else is a deployment mistake, refused loudly.
 */
export function miniprogramState(value: string | undefined): MiniprogramState {
  if (!value) return 'formal';
  if ((MINIPROGRAM_STATES as readonly string[]).includes(value)) return value as MiniprogramState;
  throw new Error(`MINIPROGRAM_STATE must be one of ${MINIPROGRAM_STATES.join(', ')} (or unset for formal), not ${JSON.stringify(value)}`);
}

export interface SubscribeSendPayload {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogramState: MiniprogramState;
  lang: 'zh_CN';
}

/**
 * The argument of cloud.openapi.subscribeMessage.send for `message`: the
 * template id from the table, every keyword of the template and no other,
 * each value within its kind's rule. Throws MessageRefused otherwise.
 */
export function toSubscribeSend(message: SubscribeMessage, state: MiniprogramState = 'formal'): SubscribeSendPayload {
  const template = templateOf(message.template);
  const problems: string[] = [];
  const names = new Set(template.keywords.map((k) => k.name));
  for (const key of Object.keys(message.data)) if (!names.has(key)) problems.push(`${key} is not a keyword of the template`);
  for (const keyword of template.keywords) {
    const reason = checkValue(keyword.kind, message.data[keyword.name]);
    if (reason) problems.push(`${keyword.name} (${JSON.stringify(message.data[keyword.name] ?? null)}) ${reason}`);
  }
  if (problems.length) throw new MessageRefused(message.template, problems);
  return {
    touser: message.touser,
    templateId: template.id,
    ...(message.page ? { page: message.page } : {}),
    data: Object.fromEntries(template.keywords.map((k) => [k.name, { value: message.data[k.name] }])),
    miniprogramState: state,
    lang: 'zh_CN',
  };
}
