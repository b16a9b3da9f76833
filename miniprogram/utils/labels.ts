/**
 * Chinese labels for the codes the API uses.
 *
 * This file is the source; typings/labels.ts re-exports it for the server.
 * It lives inside miniprogram/ because WeChat can only require files under
 * miniprogramRoot, while the server can import from anywhere in the repo.
 * Keep it free of wx APIs so both sides can load it.
 */
import type { IndustryCode, NeedAction, NeedStatus, NeedType, Role, SupplyKind, UtilityKind } from '../../typings/api';

export const INDUSTRY_LABELS: Record<IndustryCode, string> = {
  manufacturing: '制造业',
  medical: '医药医疗',
  catering: '餐饮',
  retail: '批发零售',
  logistics: '物流运输',
  construction: '建筑',
  real_estate: '房地产',
  technology: '科技',
  services: '商务服务',
  beauty: '美容美发',
  other: '其他',
};

export const NEED_TYPE_LABELS: Record<NeedType, string> = {
  supplies: '防疫物资',
  financing: '融资',
  hiring: '招工',
  rent: '房租减免',
  utilities: '水电气',
  logistics: '物流运输',
  legal: '法律服务',
  health: '员工健康检查',
  policy: '政策咨询',
  other: '其他困难',
};

export const NEED_STATUS_LABELS: Record<NeedStatus, string> = {
  routed: '待认领',
  claimed: '已认领',
  in_progress: '处理中',
  waiting: '等待企业答复',
  fulfilled: '已办结',
  confirmed: '已确认',
  rejected: '已退回',
  cancelled: '已撤销',
};

/** Who reads a status: the enterprise about its own need, or the unit handling it. */
export type StatusReader = 'owner' | 'handler';

/**
 * A status in the words its reader uses (issue 9): the owner reads what
 * happens to them (待您答复), the handler what they do next (待认领). A need
 * rejected for good reads differently from one passed to triage.
 */
export function statusWord(reader: StatusReader, status: NeedStatus, rejectFinal = false): string {
  const owner = reader === 'owner';
  switch (status) {
    case 'routed':
      return owner ? '已提交，等待受理' : '待认领';
    case 'claimed':
      return owner ? '正在办理' : '已认领';
    case 'in_progress':
      return owner ? '正在办理' : '办理中';
    case 'waiting':
      return owner ? '待您答复' : '等待企业答复';
    case 'fulfilled':
      return owner ? '已办结，请确认' : '待企业确认';
    case 'confirmed':
      return '已完成';
    case 'rejected':
      if (owner) return rejectFinal ? '未能办理' : '已转交分诊';
      return rejectFinal ? '已最终退回' : '已退回，待分诊';
    case 'cancelled':
      return owner ? '已撤销' : '企业已撤销';
    default:
      return unknownStatus(status);
  }
}

/** A status the compiler does not know cannot reach here; one from a newer server shows a neutral word, never its code. */
function unknownStatus(status: never): string {
  void status;
  return '办理中';
}

/** Button words for the lifecycle's actions; `contacted` is recorded by the 拨打电话 tap, never a button. */
export const NEED_ACTION_LABELS: Record<NeedAction, string> = {
  claim: '认领',
  renew: '认领续期',
  release: '放弃认领',
  breakClaim: '解除认领',
  progress: '更新进展',
  wait: '询问企业',
  contacted: '已联系企业',
  answer: '答复',
  fulfil: '办结',
  transfer: '转办',
  reject: '退回',
  cancel: '撤销需求',
  confirm: '确认并评价',
  reopen: '重新办理',
};

export const SUPPLY_KIND_LABELS: Record<SupplyKind, string> = {
  mask: '口罩',
  disinfectant: '消毒液',
  thermometer: '体温计',
  protective_suit: '防护服',
  other: '其他',
};

/** The unit a requester most likely means, so the form is one tap shorter. */
export const SUPPLY_KIND_DEFAULT_UNIT: Record<SupplyKind, string> = {
  mask: '个',
  disinfectant: '瓶',
  thermometer: '支',
  protective_suit: '件',
  other: '件',
};

export const UTILITY_LABELS: Record<UtilityKind, string> = {
  water: '用水',
  power: '用电',
  gas: '用气',
};

export const ROLE_LABELS: Record<Role | 'system', string> = {
  enterprise: '企业',
  taskforce: '服务专班',
  unit: '责任单位',
  admin: '工商联',
  system: '系统',
};

/** Falls back to the code itself so a new code from the server still shows something. */
export function label<K extends string>(map: Record<K, string>, code: string | null | undefined): string {
  if (!code) return '';
  return (map as Record<string, string>)[code] ?? code;
}
