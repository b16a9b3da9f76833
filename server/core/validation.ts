/**
 * Input schemas are zod; this turns zod's first issue into the contract's
 * INVALID_ARGUMENT with the offending field named and a Chinese message,
 * because the phone shows it next to that field.
 */
import { z } from 'zod';
import { invalid } from './errors';

function describe(issue: z.ZodIssue): string {
  if (issue.message && !issue.message.startsWith('Expected') && !/^(Required|Invalid|String|Number|Array)/.test(issue.message)) {
    return issue.message;
  }
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined' ? '不能为空' : '格式不正确';
    case 'too_small':
      if (issue.type === 'string') return Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${issue.minimum} 个字`;
      if (issue.type === 'array') return `至少需要 ${issue.minimum} 项`;
      return `不能小于 ${issue.minimum}`;
    case 'too_big':
      if (issue.type === 'string') return `不能超过 ${issue.maximum} 个字`;
      if (issue.type === 'array') return `最多 ${issue.maximum} 项`;
      return `不能大于 ${issue.maximum}`;
    case 'invalid_enum_value':
      return '不是可选的值';
    case 'invalid_string':
      return '格式不正确';
    default:
      return '格式不正确';
  }
}

const FIELD_LABELS: Record<string, string> = {
  name: '企业名称',
  creditCode: '统一社会信用代码',
  industry: '行业',
  zone: '所在区域',
  address: '地址',
  location: '位置',
  contactName: '联系人',
  contactPhone: '联系电话',
  employees: '员工人数',
  chamberCodes: '所属商会',
  items: '物资清单',
  neededBy: '需要日期',
  deliveryAddress: '收货地址',
  quantity: '数量',
  kind: '物资种类',
  unit: '单位',
  note: '说明',
  rating: '评分',
  code: '邀请码',
  id: '编号',
  clientKey: '提交编号',
  type: '需求类型',
};

function label(path: Array<string | number>): string {
  const last = [...path].reverse().find((p) => typeof p === 'string') as string | undefined;
  return (last && FIELD_LABELS[last]) || '';
}

export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.');
  throw invalid(`${label(issue.path)}${describe(issue)}`, field || undefined);
}

/** ISO-8601 instant or calendar date, as the phone sends it. */
export const isoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), '日期格式不正确');

export const id = z.string().min(1).max(64);
