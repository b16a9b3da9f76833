/**
 * Subscribe messages (订阅消息): the one table of templates, read by the
 * phone (which ids to ask for, and when) and by the cloud functions (which
 * keywords each message carries and what fills them). typings/templates.ts
 * re-exports it for the server; it lives here because WeChat can only
 * require files under miniprogramRoot. Keep it free of wx APIs.
 *
 * Template ids are the only thing to change at deploy: pick each template in
 * the mini-program console (订阅消息 → 公共模板库, search the title, choose
 * the keywords listed here in this order), then copy the id from 我的模板.
 * The keyword names (`thing1`, `time4`, …) are fixed by the console when the
 * keywords are chosen: if the console numbers them differently, change
 * `name` here, never the kind. docs/notifications.md is checked against
 * this table by a test.
 */

/** The value kinds of the platform; each has its own rule (see server/notify/values.ts). */
export const KEYWORD_KINDS = ['thing', 'phrase', 'time', 'date', 'number', 'letter', 'character_string', 'name', 'amount', 'phone_number'] as const;
export type KeywordKind = (typeof KEYWORD_KINDS)[number];

/**
 * What fills a keyword. A message about a need takes these from the need:
 * - `needType`: the type's label (防疫物资);
 * - `status`: the status as a short phrase worded for the reader (待答复);
 * - `enterpriseName`, `unitName`: names, never codes;
 * - `note`: what the sender wrote (the progress note, the question, the reason);
 * - `updatedAt`, `createdAt`, `dueAt`, `leaseUntil`: times, shown in China time.
 * The daily digest is not about one need: the scheduler hands in
 * `pending` (待办 3 件), `detail` (待认领 1 件，超时 0 件) and `date`.
 */
export const FILLS = [
  'needType',
  'status',
  'enterpriseName',
  'unitName',
  'note',
  'updatedAt',
  'createdAt',
  'dueAt',
  'leaseUntil',
  'pending',
  'detail',
  'date',
] as const;
export type Fill = (typeof FILLS)[number];

export interface TemplateKeyword {
  /** The keyword's name in the console, e.g. `thing1`: the key of the data sent. */
  name: string;
  kind: KeywordKind;
  /** The keyword's title as the console shows it (工单类型). */
  label: string;
  fills: Fill;
}

export interface SubscribeTemplate {
  /** 我的模板 → 模板ID. Placeholders until deploy: WeChat refuses them, which the pages ignore. */
  id: string;
  /** The template's title in 公共模板库. */
  title: string;
  keywords: readonly TemplateKeyword[];
  /** Who receives it, in words for docs/notifications.md. */
  receivers: string;
  /** When it is sent. */
  sentWhen: string;
}

const kw = (name: string, kind: KeywordKind, label: string, fills: Fill): TemplateKeyword => ({ name, kind, label, fills });

export const SUBSCRIBE_TEMPLATES = {
  needRouted: {
    id: 'TEMPLATE_ID_NEED_ROUTED',
    title: '新工单提醒',
    keywords: [
      kw('thing1', 'thing', '工单类型', 'needType'),
      kw('thing2', 'thing', '提交单位', 'enterpriseName'),
      kw('time3', 'time', '处理时限', 'dueAt'),
      kw('thing4', 'thing', '备注', 'note'),
    ],
    receivers: '需求所在单位的成员；物资统筹池的需求发给每位商会、协会负责人',
    sentWhen: '需求分派到单位（提交、转办、退回重派）',
  },
  needClaimed: {
    id: 'TEMPLATE_ID_NEED_CLAIMED',
    title: '工单受理通知',
    keywords: [
      kw('thing1', 'thing', '工单类型', 'needType'),
      kw('thing2', 'thing', '受理单位', 'unitName'),
      kw('phrase3', 'phrase', '受理状态', 'status'),
      kw('time4', 'time', '受理时间', 'updatedAt'),
    ],
    receivers: '提交需求的企业人员',
    sentWhen: '需求被认领',
  },
  needProgress: {
    id: 'TEMPLATE_ID_NEED_PROGRESS',
    title: '工单进度通知',
    keywords: [
      kw('thing1', 'thing', '工单类型', 'needType'),
      kw('phrase2', 'phrase', '当前进度', 'status'),
      kw('thing3', 'thing', '进度说明', 'note'),
      kw('time4', 'time', '更新时间', 'updatedAt'),
    ],
    receivers: '提交需求的企业人员',
    sentWhen: '办理人更新进展',
  },
  needWaiting: {
    id: 'TEMPLATE_ID_NEED_WAITING',
    title: '待补充信息提醒',
    keywords: [
      kw('thing1', 'thing', '工单类型', 'needType'),
      kw('thing2', 'thing', '需补充内容', 'note'),
      kw('thing3', 'thing', '办理单位', 'unitName'),
      kw('time4', 'time', '提醒时间', 'updatedAt'),
    ],
    receivers: '提交需求的企业人员',
    sentWhen: '办理人向企业提问（等待企业答复）',
  },
  needFulfilled: {
    id: 'TEMPLATE_ID_NEED_FULFILLED',
    title: '工单完成通知',
    keywords: [
      kw('thing1', 'thing', '工单类型', 'needType'),
      kw('thing2', 'thing', '办理单位', 'unitName'),
      kw('thing3', 'thing', '处理结果', 'note'),
      kw('time4', 'time', '完成时间', 'updatedAt'),
    ],
    receivers: '提交需求的企业人员',
    sentWhen: '需求办结（全部或部分）',
  },
  needEscalated: {
    id: 'TEMPLATE_ID_NEED_ESCALATED',
    title: '工单超时提醒',
    keywords: [
      kw('thing1', 'thing', '工单类型', 'needType'),
      kw('thing2', 'thing', '企业名称', 'enterpriseName'),
      kw('phrase3', 'phrase', '工单状态', 'status'),
      kw('time4', 'time', '截止时间', 'dueAt'),
    ],
    receivers: '需求所在单位的负责人和所有管理员',
    sentWhen: '需求超过办理时限未认领或未办结（升级）',
  },
  leaseExpiring: {
    id: 'TEMPLATE_ID_LEASE_EXPIRING',
    title: '任务到期提醒',
    keywords: [
      kw('thing1', 'thing', '任务名称', 'needType'),
      kw('time2', 'time', '到期时间', 'leaseUntil'),
      kw('thing3', 'thing', '温馨提示', 'note'),
    ],
    receivers: '认领需求的人',
    sentWhen: '认领即将到期、已到期退回队列、被负责人解除',
  },
  dailyDigest: {
    id: 'TEMPLATE_ID_DAILY_DIGEST',
    title: '每日待办提醒',
    keywords: [
      kw('thing1', 'thing', '待办事项', 'pending'),
      kw('thing2', 'thing', '待办说明', 'detail'),
      kw('date3', 'date', '提醒日期', 'date'),
    ],
    receivers: '每个单位的成员和负责人',
    sentWhen: '每天早上（北京时间 8 点后）一次',
  },
} as const satisfies Record<string, SubscribeTemplate>;

export type TemplateKey = keyof typeof SUBSCRIBE_TEMPLATES;

export const TEMPLATE_KEYS = Object.keys(SUBSCRIBE_TEMPLATES) as TemplateKey[];

/**
 * The moments the phone asks, each from a tap, and for which templates.
 * At most 3 per moment: wx.requestSubscribeMessage takes no more at once,
 * and each acceptance allows one message, so a person is asked for what the
 * next few changes will send them.
 */
export interface SubscribeMoment {
  templates: readonly TemplateKey[];
  /** Who is asked and where, in words for docs/notifications.md. */
  who: string;
}

export const SUBSCRIBE_MOMENTS = {
  /** The owner submitting needs: what happens to them next. */
  submit: { templates: ['needClaimed', 'needWaiting', 'needFulfilled'], who: '企业提交需求时（提交按钮）' },
  /** The owner answering a question or reopening: the handler's next moves. */
  followUp: { templates: ['needProgress', 'needWaiting', 'needFulfilled'], who: '企业答复问题、或退回重办时（需求详情页的按钮）' },
  /** A unit member, right after an invite made them one, and from the queue. */
  unitMember: { templates: ['needRouted', 'dailyDigest'], who: '单位成员绑定邀请码后（首页「开启新需求提醒」）和打开需求队列时（队列页「开启新需求提醒」）' },
  /** A unit head also hears about escalations of their unit. */
  unitHead: { templates: ['needRouted', 'dailyDigest', 'needEscalated'], who: '单位负责人绑定邀请码后和打开需求队列时（同上）' },
  /** A claimer: before the lease runs out. */
  claim: { templates: ['leaseExpiring'], who: '认领需求时（认领按钮）' },
  /** An admin: escalations anywhere. */
  admin: { templates: ['needEscalated'], who: '管理员在复工数据看板（「开启超时提醒」）' },
} as const satisfies Record<string, SubscribeMoment>;

export type SubscribeMomentKey = keyof typeof SUBSCRIBE_MOMENTS;

/** The template ids one moment asks for, in the table's order. */
export function templateIdsFor(moment: SubscribeMomentKey): string[] {
  return SUBSCRIBE_MOMENTS[moment].templates.map((key) => SUBSCRIBE_TEMPLATES[key].id);
}
