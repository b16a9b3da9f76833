/**
 * Names the admin pages show for the configuration's codes (unit kinds,
 * zone kinds, policy levels, rate-limited actions), and the one way a new
 * record gets its code: people never type or read codes (issue 10).
 */
import type { IndustryCode, NeedType, Option } from '../../../typings/api';
import type { PolicyLevel, UnitKind, ZoneKind } from '../../services/admin-api';
import { INDUSTRY_LABELS, NEED_TYPE_LABELS } from '../../utils/labels';

export interface Choice<C extends string = string> {
  code: C;
  name: string;
}

export const UNIT_KINDS: Choice<UnitKind>[] = [
  { code: 'chamber', name: '商会' },
  { code: 'association', name: '协会' },
  { code: 'department', name: '政府部门' },
  { code: 'bank', name: '银行' },
  { code: 'desk', name: '工商联业务科室' },
  { code: 'federation', name: '工商联' },
  { code: 'pool', name: '物资统筹池' },
  { code: 'legal', name: '法律服务' },
  { code: 'health', name: '体检机构' },
];

export const ZONE_KINDS: Choice<ZoneKind>[] = [
  { code: 'park', name: '园区' },
  { code: 'street', name: '街道' },
  { code: 'town', name: '镇' },
];

export const POLICY_LEVELS: Choice<PolicyLevel>[] = [
  { code: 'national', name: '国家级' },
  { code: 'city', name: '市级' },
  { code: 'district', name: '区级' },
];

export const NEED_TYPES: Choice<NeedType>[] = (Object.keys(NEED_TYPE_LABELS) as NeedType[]).map((code) => ({ code, name: NEED_TYPE_LABELS[code] }));
export const INDUSTRIES: Choice<IndustryCode>[] = (Object.keys(INDUSTRY_LABELS) as IndustryCode[]).map((code) => ({ code, name: INDUSTRY_LABELS[code] }));

/** The actions that have a per-minute limit, by their people's names; the default is the built-in limit. */
export const RATE_LIMITED: { key: string; name: string; defaultPerMinute: number }[] = [
  { key: 'need.submit', name: '提交需求', defaultPerMinute: 30 },
  { key: 'visit.checkIn', name: '走访签到', defaultPerMinute: 30 },
  { key: 'enterprise.register', name: '企业登记', defaultPerMinute: 10 },
  { key: 'user.redeemInvite', name: '使用邀请码', defaultPerMinute: 10 },
];

/** enterprise.options gives zones without their kind: …镇 is a town, …街道 a street, anything else a park. */
export function guessZoneKind(name: string): ZoneKind {
  if (/镇$/.test(name)) return 'town';
  if (/街道$/.test(name)) return 'street';
  return 'park';
}

export function nameOf<C extends string>(choices: Choice<C>[], code: string | undefined, fallback = ''): string {
  const found = choices.find((c) => c.code === code);
  return found ? found.name : fallback;
}

/** Index of a code in a list of options, -1 when absent (a picker then shows 请选择). */
export function indexOf(options: Option[] | Choice[], code: string | undefined): number {
  if (!code) return -1;
  return (options as Option[]).findIndex((o) => o.code === code);
}

/**
 * A code for a new record: the server keys records by a code of lower-case
 * letters, digits and hyphens, which nobody should have to invent or read.
 */
export function newCode(prefix: string, now: number = Date.now()): string {
  const salt = Math.floor(Math.random() * 1296).toString(36).padStart(2, '0');
  return `${prefix}-${now.toString(36)}${salt}`;
}

/** "85.0%", or a dash for a rate over nothing. */
export function pct(rate: number | null | undefined): string {
  if (typeof rate !== 'number' || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(1)}%`;
}

/** Hours as people say them: "36 分钟", "5.5 小时", "3.2 天". */
export function duration(hours: number | null | undefined): string {
  if (typeof hours !== 'number' || !Number.isFinite(hours)) return '—';
  if (hours < 1) return `${Math.round(hours * 60)} 分钟`;
  if (hours < 48) return `${Number(hours.toFixed(1))} 小时`;
  return `${Number((hours / 24).toFixed(1))} 天`;
}
