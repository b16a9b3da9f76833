/**
 * What the multi-need form holds per need type, how it is checked on the
 * phone, and how it becomes the `need.submit` entry. Inputs are kept as
 * typed strings so a failed submit gives back exactly what was typed.
 *
 * No wx APIs here: the checks are plain functions a test can call.
 */
import type { NeedInput, NeedType, SupplyKind, UtilityKind } from '../../typings/api';
import { NEED_TYPE_LABELS, SUPPLY_KIND_DEFAULT_UNIT, SUPPLY_KIND_LABELS, UTILITY_LABELS } from './labels';
import { endOfChinaDay } from './time';

export const NEED_TYPES = Object.keys(NEED_TYPE_LABELS) as NeedType[];

export const SUPPLY_KINDS = (Object.keys(SUPPLY_KIND_LABELS) as SupplyKind[]).map((code) => ({ code, name: SUPPLY_KIND_LABELS[code] }));
export const UTILITIES = (Object.keys(UTILITY_LABELS) as UtilityKind[]).map((code) => ({ code, name: UTILITY_LABELS[code] }));

export interface ItemRow {
  kind: SupplyKind;
  kindLabel: string;
  kindIndex: number;
  quantity: string;
  unit: string;
  error: string;
}

export interface PositionRow {
  title: string;
  count: string;
  salaryMin: string;
  salaryMax: string;
  error: string;
}

export interface NeedForms {
  supplies: { items: ItemRow[]; neededBy: string; deliveryAddress: string };
  financing: { amountWan: string; purpose: string; termMonths: string; preferredBank: string };
  hiring: { positions: PositionRow[] };
  rent: { landlord: string; areaSqm: string; monthlyRentYuan: string };
  utilities: { utility: UtilityKind; utilityIndex: number; utilityLabel: string; issue: string };
  logistics: { from: string; to: string; goods: string };
  legal: { topic: string; description: string };
  health: { headcount: string; preferredDate: string };
  policy: { question: string };
  other: { description: string };
}

/** Errors by type, then by field name as the server names it (`amountWan`, `neededBy`, …). */
export type FormErrors = Record<NeedType, Record<string, string>>;

export function newItem(kindIndex = 0): ItemRow {
  const kind = SUPPLY_KINDS[kindIndex].code;
  return { kind, kindLabel: SUPPLY_KINDS[kindIndex].name, kindIndex, quantity: '', unit: SUPPLY_KIND_DEFAULT_UNIT[kind], error: '' };
}

export function newPosition(): PositionRow {
  return { title: '', count: '', salaryMin: '', salaryMax: '', error: '' };
}

export function emptyForms(): NeedForms {
  return {
    supplies: { items: [newItem()], neededBy: '', deliveryAddress: '' },
    financing: { amountWan: '', purpose: '', termMonths: '', preferredBank: '' },
    hiring: { positions: [newPosition()] },
    rent: { landlord: '', areaSqm: '', monthlyRentYuan: '' },
    // Power is what most factories mean when they say "水电气" trouble at resumption.
    utilities: { utility: 'power', utilityIndex: 1, utilityLabel: UTILITY_LABELS.power, issue: '' },
    logistics: { from: '', to: '', goods: '' },
    legal: { topic: '', description: '' },
    health: { headcount: '', preferredDate: '' },
    policy: { question: '' },
    other: { description: '' },
  };
}

export function emptyErrors(): FormErrors {
  return NEED_TYPES.reduce((acc, t) => ({ ...acc, [t]: {} }), {} as FormErrors);
}

export function makeClientKey(): string {
  return `need-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

const isBlank = (s: string) => !String(s || '').trim();
const num = (s: string) => (isBlank(s) ? NaN : Number(String(s).trim()));
const positiveInt = (s: string) => Number.isInteger(num(s)) && num(s) > 0;
const positive = (s: string) => Number.isFinite(num(s)) && num(s) > 0;
const nonNegative = (s: string) => Number.isFinite(num(s)) && num(s) >= 0;

export interface Built {
  input?: NeedInput;
  /** Field errors of this section (flat fields). */
  errors: Record<string, string>;
  /** Row errors for the section's list (supplies items, hiring positions), by index; '' when fine. */
  rowErrors?: string[];
}

function section(errors: Record<string, string>, input: NeedInput, rowErrors?: string[]): Built {
  const bad = Object.keys(errors).length > 0 || (rowErrors || []).some(Boolean);
  return bad ? { errors, rowErrors } : { input, errors, rowErrors };
}

/** Checks one section and, when it is fine, builds its `need.submit` entry. */
export function buildNeed(type: NeedType, forms: NeedForms): Built {
  const e: Record<string, string> = {};
  switch (type) {
    case 'supplies': {
      const f = forms.supplies;
      const rowErrors = f.items.map((item) =>
        !positiveInt(item.quantity) ? '请填写数量（整数）' : isBlank(item.unit) ? '请填写单位' : '',
      );
      if (!f.neededBy) e.neededBy = '请选择需要的日期';
      if (isBlank(f.deliveryAddress)) e.deliveryAddress = '请填写送货地址';
      return section(
        e,
        {
          type,
          items: f.items.map((i) => ({ kind: i.kind, quantity: num(i.quantity), unit: i.unit.trim() })),
          neededBy: f.neededBy ? endOfChinaDay(f.neededBy) : '',
          deliveryAddress: f.deliveryAddress.trim(),
        },
        rowErrors,
      );
    }
    case 'financing': {
      const f = forms.financing;
      if (!positive(f.amountWan)) e.amountWan = '请填写金额（万元）';
      if (isBlank(f.purpose)) e.purpose = '请填写用途';
      if (!positiveInt(f.termMonths) || num(f.termMonths) > 360) e.termMonths = '请填写 1–360 个月';
      return section(e, {
        type,
        amountWan: num(f.amountWan),
        purpose: f.purpose.trim(),
        termMonths: num(f.termMonths),
        ...(isBlank(f.preferredBank) ? {} : { preferredBank: f.preferredBank.trim() }),
      });
    }
    case 'hiring': {
      const rows = forms.hiring.positions;
      const rowErrors = rows.map((p) => {
        if (isBlank(p.title)) return '请填写岗位';
        if (!positiveInt(p.count)) return '请填写人数';
        if (!isBlank(p.salaryMin) && !nonNegative(p.salaryMin)) return '月薪请填数字';
        if (!isBlank(p.salaryMax) && !nonNegative(p.salaryMax)) return '月薪请填数字';
        if (!isBlank(p.salaryMin) && !isBlank(p.salaryMax) && num(p.salaryMin) > num(p.salaryMax)) return '最低月薪高于最高月薪';
        return '';
      });
      return section(
        e,
        {
          type,
          positions: rows.map((p) => ({
            title: p.title.trim(),
            count: num(p.count),
            ...(isBlank(p.salaryMin) ? {} : { salaryMin: num(p.salaryMin) }),
            ...(isBlank(p.salaryMax) ? {} : { salaryMax: num(p.salaryMax) }),
          })),
        },
        rowErrors,
      );
    }
    case 'rent': {
      const f = forms.rent;
      if (isBlank(f.landlord)) e.landlord = '请填写出租方';
      if (!positive(f.areaSqm)) e.areaSqm = '请填写面积';
      if (!nonNegative(f.monthlyRentYuan)) e.monthlyRentYuan = '请填写月租金';
      return section(e, { type, landlord: f.landlord.trim(), areaSqm: num(f.areaSqm), monthlyRentYuan: num(f.monthlyRentYuan) });
    }
    case 'utilities': {
      const f = forms.utilities;
      if (isBlank(f.issue)) e.issue = '请描述问题';
      return section(e, { type, utility: f.utility, issue: f.issue.trim() });
    }
    case 'logistics': {
      const f = forms.logistics;
      if (isBlank(f.from)) e.from = '请填写起点';
      if (isBlank(f.to)) e.to = '请填写终点';
      if (isBlank(f.goods)) e.goods = '请填写货物';
      return section(e, { type, from: f.from.trim(), to: f.to.trim(), goods: f.goods.trim() });
    }
    case 'legal': {
      const f = forms.legal;
      if (isBlank(f.topic)) e.topic = '请填写主题';
      if (isBlank(f.description)) e.description = '请描述问题';
      return section(e, { type, topic: f.topic.trim(), description: f.description.trim() });
    }
    case 'health': {
      const f = forms.health;
      if (!positiveInt(f.headcount)) e.headcount = '请填写人数';
      if (!f.preferredDate) e.preferredDate = '请选择日期';
      return section(e, { type, headcount: num(f.headcount), preferredDate: f.preferredDate ? endOfChinaDay(f.preferredDate) : '' });
    }
    case 'policy': {
      if (isBlank(forms.policy.question)) e.question = '请填写想咨询的问题';
      return section(e, { type, question: forms.policy.question.trim() });
    }
    case 'other':
    default: {
      if (isBlank(forms.other.description)) e.description = '请描述遇到的困难';
      return section(e, { type: 'other', description: forms.other.description.trim() });
    }
  }
}

/** The list inside a section whose rows carry their own error line. */
const ROW_LISTS: Partial<Record<NeedType, 'items' | 'positions'>> = { supplies: 'items', hiring: 'positions' };

export interface FieldTarget {
  type: NeedType;
  /** `forms.<type>.<list>[<index>].error` for a row, else `errors.<type>.<field>`. */
  path: string;
}

/**
 * Where a server field error belongs. `needs.1.amountWan` means the second
 * entry *as sent*, so the caller passes the types in the order it sent them.
 */
export function fieldTarget(field: string, sentTypes: NeedType[]): FieldTarget | null {
  const m = /^needs\.(\d+)\.([A-Za-z]+)(?:\.(\d+))?/.exec(field);
  if (!m) return null;
  const type = sentTypes[Number(m[1])];
  if (!type) return null;
  const [, , name, row] = m;
  if (ROW_LISTS[type] === name) {
    return { type, path: row !== undefined ? `forms.${type}.${name}[${row}].error` : `errors.${type}.${name}` };
  }
  if (name === 'type') return null;
  return { type, path: `errors.${type}.${name}` };
}
