/**
 * Input schemas are zod; this turns zod's first issue into the contract's
 * INVALID_ARGUMENT with the offending field named and a Chinese message,
 * because the phone shows it next to that field.
 *
 * It also holds the bounded field builders every schema uses (spec, "Bounds":
 * employees 0–1,000,000, capacity 0–100, money and counts positive and
 * finite, dates that exist, minimum ≤ maximum): a figure outside them would
 * be summed into the district's ledger and printed in the 专报.
 */
import { z } from 'zod';
import { invalid } from './errors';
import { addDays, chinaDayOf, isDay } from './time';

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
    case 'not_finite':
      return '应为有限的数';
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
  amountWan: '融资金额',
  termMonths: '期限',
  count: '人数',
  salaryMin: '最低月薪',
  salaryMax: '最高月薪',
  areaSqm: '面积',
  monthlyRentYuan: '月租金',
  headcount: '体检人数',
  preferredDate: '期望日期',
  employeesTotal: '员工总数',
  employeesBack: '返岗人数',
  capacityPercent: '产能',
  quantityDelivered: '交付数量',
  q: '搜索词',
  reason: '原因',
  comment: '评价',
  text: '答复',
  question: '问题',
  look: '「看」',
  check: '「查」',
  ask: '「问」',
  leadOrg: '牵头单位',
  title: '标题',
  summary: '摘要',
};

function label(path: Array<string | number>): string {
  const last = [...path].reverse().find((p) => typeof p === 'string') as string | undefined;
  return (last && Object.prototype.hasOwnProperty.call(FIELD_LABELS, last) && FIELD_LABELS[last]) || '';
}

/** The Chinese sentence for one zod issue, field label first: what a person reads beside the field or in an import report. */
export function issueMessage(issue: z.ZodIssue): string {
  // A field that names itself (text's `label`) has said the whole sentence.
  if ([...SELF_LABELLED].some((l) => issue.message.startsWith(l))) return issue.message;
  const what = label(issue.path);
  const why = describe(issue);
  // Schemas may already say the whole sentence ('请填写单位', '员工总数不能为负数').
  return !what || why.startsWith(what) || why.startsWith('请') ? why : `${what}${why}`;
}

export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.');
  throw invalid(issueMessage(issue), field || undefined);
}

export const id = z.string().min(1).max(64);

// ---- free text -------------------------------------------------------

/*
 * One rule for every free-text field (names, notes, reasons, questions,
 * answers, checklist fields, what admins name things). Refused:
 *  - what XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE, U+FFFF,
 *    lone surrogates): one such name in sharedStrings.xml and the district's
 *    ledger export no longer opens; DEL and the C1 controls too, which no
 *    person types and nobody can see;
 *  - bidi controls (U+202A–202E, U+2066–2069) and zero-width characters
 *    (U+200B–200F, U+FEFF): they make a text read otherwise than it is stored
 *    (a name that looks like another, a note that looks like a timeline line);
 *  - in single-line fields, line breaks (and tabs).
 * Each is answered INVALID_ARGUMENT naming the field, in Chinese.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;

/** Why `text` is refused as a field's content, or undefined when it is acceptable. */
export function textProblem(text: string, multiline = false): string | undefined {
  if (CONTROL.test(text) || LONE_SURROGATE.test(text)) return '含有不可见的控制字符，请删除后重试';
  if (INVISIBLE.test(text)) return '含有不可见的方向控制符或零宽字符，请删除后重试';
  if (!multiline && LINE_BREAK.test(text)) return '不能换行，请写在一行内';
  return undefined;
}

export function hasControlCharacters(text: string, multiline = false): boolean {
  return textProblem(text, multiline) !== undefined;
}

/**
 * Trimmed free text, refused with the field when it breaks the text rule.
 * `label` names the field in every message when the field's key alone does
 * not (an admin's 单位名称 is `name`, like 企业名称).
 */
export function text(options: { max: number; min?: number; required?: string; multiline?: boolean; label?: string }) {
  const { max, min = 0, required, multiline = false, label } = options;
  if (label) SELF_LABELLED.add(label);
  const said = (message: string) => (label && !message.startsWith('请') ? `${label}${message}` : message);
  // Bounds stay on the string itself, where the API reference reads them.
  let s = z.string().trim();
  if (required !== undefined || min > 0) s = s.min(Math.max(min, 1), required ?? said(`至少 ${Math.max(min, 1)} 个字`));
  return s.max(max, said(`不能超过 ${max} 个字`)).superRefine((v, ctx) => {
    const problem = textProblem(v, multiline);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: said(problem) });
  });
}

/** Labels text() fields name themselves by: their messages are whole sentences already. */
const SELF_LABELLED = new Set<string>();

/**
 * The last line of defence of every workbook writer: whatever reached the
 * database before the text rule (or by another path) is written without the
 * code points XML 1.0 forbids and without bidi and zero-width characters, so
 * one stored name cannot make a report unreadable or misleading. Line breaks
 * stay: a cell may span lines.
 */
const UNWRITABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function sanitiseCell<T>(value: T): T {
  return (typeof value === 'string' ? value.replace(UNWRITABLE, '') : value) as T;
}

// ---- figures ---------------------------------------------------------

/** A whole number of things (people, items, months) within [min, max]; 1e308 is an integer too, hence the maximum. */
export function count(max: number, options: { min?: number; unit?: string } = {}) {
  const { min = 1, unit = '' } = options;
  return z
    .number({ invalid_type_error: '应为数字' })
    .finite('应为有限的数')
    .int('应为整数')
    .min(min, min === 0 ? '不能为负数' : `至少为 ${min}${unit}`)
    .max(max, `不能超过 ${max.toLocaleString('en-US')}${unit}`);
}

/**
 * An amount of money (or an area) in the unit the field names: positive,
 * finite, at least `min` (so 1e-300 is not a loan) and at most `max`, with no
 * more than `decimals` decimal places.
 */
export function money(options: { min: number; max: number; decimals?: number; unit?: string }) {
  const { min, max, decimals = 2, unit = '' } = options;
  const scale = 10 ** decimals;
  return z
    .number({ invalid_type_error: '应为数字' })
    .finite('应为有限的数')
    .min(min, `至少为 ${min}${unit}`)
    .max(max, `不能超过 ${max.toLocaleString('en-US')}${unit}`)
    .refine((v) => Math.abs(Math.round(v * scale) / scale - v) < 1e-9 * Math.max(1, Math.abs(v)), `最多保留 ${decimals} 位小数`);
}

/** A percentage 0–100. */
export const percent = () =>
  z.number({ invalid_type_error: '应为数字' }).finite('应为有限的数').min(0, '应在 0–100 之间').max(100, '应在 0–100 之间');

// ---- dates -----------------------------------------------------------

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:$|T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$)/;

/** The calendar day 'YYYY-MM-DD' a date or instant names, or null when that day does not exist (2026-02-30). */
export function calendarDay(value: string): string | null {
  const m = DATE_RE.exec(value);
  if (!m || !isDay(m[0].slice(0, 10))) return null;
  if (value.length > 10 && Number.isNaN(Date.parse(value))) return null;
  return m[0].slice(0, 10);
}

/**
 * A date ('YYYY-MM-DD', or an ISO instant as the phone may send) that exists
 * and lies within fixed outer bounds. Windows relative to today cannot live in
 * a static schema: `checkDateWindow` applies them with the injected clock.
 */
export function calendarDate(options: { notBefore?: string; notAfter?: string } = {}) {
  const { notBefore = '2000-01-01', notAfter = '2099-12-31' } = options;
  return z
    .string({ invalid_type_error: '格式不正确，请按 年-月-日 填写' })
    .superRefine((value, ctx) => {
      const day = calendarDay(value);
      if (!day) ctx.addIssue({ code: z.ZodIssueCode.custom, message: '不是存在的日期，请按 年-月-日 填写' });
      else if (day < notBefore || day > notAfter) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `应在 ${notBefore} 至 ${notAfter} 之间` });
    });
}


export interface DateWindow {
  /** How many days before today (China time) the date may lie. */
  daysBefore: number;
  /** How many days after today it may lie. */
  daysAfter: number;
}

/** The China-time calendar day `days` days from `now`. */
export function chinaDay(now: Date, days = 0): string {
  return addDays(chinaDayOf(now), days);
}

/** Throws INVALID_ARGUMENT with the field when `value` (already a valid calendarDate) lies outside the window around today. */
export function checkDateWindow(value: string, now: Date, window: DateWindow, field: string, what: string): void {
  const day = calendarDay(value);
  const from = chinaDay(now, -window.daysBefore);
  const to = chinaDay(now, window.daysAfter);
  if (!day) throw invalid(`${what}不是存在的日期`, field);
  if (day < from || day > to) throw invalid(`${what}应在 ${from} 至 ${to} 之间`, field);
}

// ---- structure -------------------------------------------------------

/**
 * Whether `value` nests deeper than `max` objects or arrays, found without
 * recursion so a hostile payload nested 10,000 deep cannot overflow the stack.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let visited = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth >= max) return true;
    // A wide payload is bounded elsewhere (row counts, string lengths); this only guards depth.
    if (++visited > 100_000) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) stack.push([child, depth + 1]);
  }
  return false;
}
