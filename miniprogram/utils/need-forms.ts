/**
 * What the multi-need form holds per need type, how it is checked on the
 * phone, and how it becomes the `need.submit` entry. Inputs are kept as
 * typed strings so a failed submit gives back exactly what was typed.
 *
 * No wx APIs here: the checks are plain functions a test can call.
 */
import type { NeedInput, NeedType, SupplyKind, UtilityKind } from '../../typings/api';
import { NEED_TYPE_LABELS, SUPPLY_KIND_DEFAULT_UNIT, SUPPLY_KIND_LABELS, UTILITY_LABELS } from './labels';
import { endOfChinaDay, todayInChina } from './time';

export const NEED_TYPES = Object.keys(NEED_TYPE_LABELS) as NeedType[];

export const SUPPLY_KINDS = (Object.keys(SUPPLY_KIND_LABELS) as SupplyKind[]).map((code) => ({ code, name: SUPPLY_KIND_LABELS[code] }));
export const UTILITIES = (Object.keys(UTILITY_LABELS) as UtilityKind[]).map((code) => ({ code, name: UTILITY_LABELS[code] }));

export interface ItemRow {
  kind: SupplyKind;
  kindLabel: string;
  kindIndex: number;
  quantity: string;
  unit: string;
}

export interface PositionRow {
  title: string;
  count: string;
  salaryMin: string;
  salaryMax: string;
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

/** A new need type without a form section is a compile error here, not a silent 其他 on the phone. */
type MissingSections = Exclude<NeedType, keyof NeedForms>;
export const EVERY_TYPE_HAS_A_SECTION: [MissingSections] extends [never] ? true : never = true;

/** The compiler's check that a switch over need types left none out. */
export function unreachable(value: never): never {
  throw new Error(`unknown need type: ${String(value)}`);
}

/** Errors by type, then by field name as the server names it (`amountWan`, `neededBy`, …). */
export type FormErrors = Record<NeedType, Record<string, string>>;

/** The lists whose rows carry their own fields: supplies items, hiring positions. */
export type RowList = 'items' | 'positions';

/** Per row, per field: `rowErrors.items[2].quantity` shows under that row's 数量. */
export type RowErrors = Record<RowList, Record<string, string>[]>;

export const ROW_LIST_OF: Partial<Record<NeedType, RowList>> = { supplies: 'items', hiring: 'positions' };

/** What an owner most often asks for first, one tap each on the form. */
export const QUICK_KINDS: SupplyKind[] = ['mask', 'disinfectant', 'thermometer'];

/** A starting quantity and the step of the +/- buttons, by kind: a small firm's week, in the unit it counts in. */
export const KIND_QUANTITY: Record<SupplyKind, { start: number; step: number }> = {
  mask: { start: 1000, step: 100 },
  disinfectant: { start: 20, step: 5 },
  thermometer: { start: 2, step: 1 },
  protective_suit: { start: 10, step: 5 },
  other: { start: 1, step: 1 },
};

/** Masks are wanted within days; three days is what the district's supply pool could promise in 2020. */
export const DEFAULT_NEEDED_IN_DAYS = 3;

export function defaultNeededBy(now: Date = new Date()): string {
  return todayInChina(new Date(now.getTime() + DEFAULT_NEEDED_IN_DAYS * 24 * 60 * 60 * 1000));
}

export function newItem(kind: SupplyKind = 'mask'): ItemRow {
  const kindIndex = Math.max(0, SUPPLY_KINDS.findIndex((k) => k.code === kind));
  return {
    kind,
    kindLabel: SUPPLY_KIND_LABELS[kind],
    kindIndex,
    quantity: String(KIND_QUANTITY[kind].start),
    unit: SUPPLY_KIND_DEFAULT_UNIT[kind],
  };
}

export function newPosition(): PositionRow {
  return { title: '', count: '', salaryMin: '', salaryMax: '' };
}

export function emptyForms(now: Date = new Date()): NeedForms {
  return {
    supplies: { items: [newItem('mask')], neededBy: defaultNeededBy(now), deliveryAddress: '' },
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

export function emptyRowErrors(): RowErrors {
  return { items: [], positions: [] };
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
  /** Errors of the section's list rows (supplies items, hiring positions), by index then field. */
  rowErrors?: Record<string, string>[];
}

function section(errors: Record<string, string>, input: NeedInput, rowErrors?: Record<string, string>[]): Built {
  const bad = Object.keys(errors).length > 0 || (rowErrors || []).some((r) => Object.keys(r).length > 0);
  return bad ? { errors, rowErrors } : { input, errors, rowErrors };
}

function itemErrors(item: ItemRow): Record<string, string> {
  const e: Record<string, string> = {};
  if (!positiveInt(item.quantity)) e.quantity = '请填写数量（整数）';
  if (isBlank(item.unit)) e.unit = '请填写单位';
  return e;
}

function positionErrors(p: PositionRow): Record<string, string> {
  const e: Record<string, string> = {};
  if (isBlank(p.title)) e.title = '请填写岗位';
  if (!positiveInt(p.count)) e.count = '请填写人数';
  if (!isBlank(p.salaryMin) && !nonNegative(p.salaryMin)) e.salaryMin = '月薪请填数字';
  if (!isBlank(p.salaryMax) && !nonNegative(p.salaryMax)) e.salaryMax = '月薪请填数字';
  else if (!e.salaryMin && !isBlank(p.salaryMin) && !isBlank(p.salaryMax) && num(p.salaryMin) > num(p.salaryMax)) {
    e.salaryMax = '最高月薪不能低于最低月薪';
  }
  return e;
}

/** Checks one section and, when it is fine, builds its `need.submit` entry. */
export function buildNeed(type: NeedType, forms: NeedForms): Built {
  const e: Record<string, string> = {};
  switch (type) {
    case 'supplies': {
      const f = forms.supplies;
      if (!f.items.length) e.items = '请至少选择一种物资';
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
        f.items.map(itemErrors),
      );
    }
    case 'financing': {
      const f = forms.financing;
      if (!positive(f.amountWan)) e.amountWan = '请填写金额（万元）';
      if (!positiveInt(f.termMonths) || num(f.termMonths) > 360) e.termMonths = '请填写 1–360 个月';
      if (isBlank(f.purpose)) e.purpose = '请填写用途';
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
      if (!rows.length) e.positions = '请至少填写一个岗位';
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
        rows.map(positionErrors),
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
    case 'other': {
      if (isBlank(forms.other.description)) e.description = '请描述遇到的困难';
      return section(e, { type, description: forms.other.description.trim() });
    }
    default:
      return unreachable(type);
  }
}

/**
 * The fields of each section in the order the form shows them (row lists
 * stand for all their rows): the first error on screen is the first one here.
 */
export function sectionFields(type: NeedType): string[] {
  switch (type) {
    case 'supplies':
      return ['items', 'neededBy', 'deliveryAddress'];
    case 'financing':
      return ['amountWan', 'termMonths', 'purpose', 'preferredBank'];
    case 'hiring':
      return ['positions'];
    case 'rent':
      return ['landlord', 'areaSqm', 'monthlyRentYuan'];
    case 'utilities':
      return ['utility', 'issue'];
    case 'logistics':
      return ['from', 'to', 'goods'];
    case 'legal':
      return ['topic', 'description'];
    case 'health':
      return ['headcount', 'preferredDate'];
    case 'policy':
      return ['question'];
    case 'other':
      return ['description'];
    default:
      return unreachable(type);
  }
}

const ROW_FIELDS: Record<RowList, string[]> = {
  items: ['quantity', 'unit'],
  positions: ['title', 'count', 'salaryMin', 'salaryMax'],
};

/**
 * The element id of the first field showing an error, in screen order (the
 * need-sections component gives every field such an id), or '' when none.
 */
export function firstErrorId(types: NeedType[], errors: FormErrors, rowErrors: RowErrors): string {
  for (const type of types) {
    for (const field of sectionFields(type)) {
      const list = ROW_LIST_OF[type];
      if (list === field) {
        const rows = rowErrors[list] || [];
        for (let i = 0; i < rows.length; i++) {
          const bad = ROW_FIELDS[list].find((f) => rows[i] && rows[i][f]);
          if (bad) return `nf-${list}-${i}-${bad}`;
        }
      }
      if (errors[type] && errors[type][field]) return `nf-${type}-${field}`;
    }
  }
  return '';
}

export interface FieldTarget {
  type: NeedType;
  /** `rowErrors.<list>[<index>].<field>` for a row, else `errors.<type>.<field>`. */
  path: string;
  /** The element id of that field in need-sections, to scroll to. */
  id: string;
}

/**
 * Where a server field error belongs. `needs.1.amountWan` means the second
 * entry *as sent*, so the caller passes the types in the order it sent them.
 */
export function fieldTarget(field: string, sentTypes: NeedType[]): FieldTarget | null {
  const m = /^needs\.(\d+)\.([A-Za-z]+)(?:\.(\d+)(?:\.([A-Za-z]+))?)?/.exec(field);
  if (!m) return null;
  const type = sentTypes[Number(m[1])];
  if (!type) return null;
  const [, , name, row, rowField] = m;
  const list = ROW_LIST_OF[type];
  if (list && list === name) {
    if (row === undefined) return { type, path: `errors.${type}.${name}`, id: `nf-${type}-${name}` };
    const f = rowField && ROW_FIELDS[list].includes(rowField) ? rowField : ROW_FIELDS[list][0];
    return { type, path: `rowErrors.${list}[${row}].${f}`, id: `nf-${list}-${row}-${f}` };
  }
  if (name === 'type') return null;
  return { type, path: `errors.${type}.${name}`, id: `nf-${type}-${name}` };
}
