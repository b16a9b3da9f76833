/**
 * How an edit in the need-sections component becomes a change of the page's
 * data. The component renders the sections from the page's `forms`,
 * `errors` and `rowErrors` and emits these patches; the page applies them
 * (and keeps its draft). Plain functions: no wx API, a test can call them.
 *
 * Patch keys are rooted at the page's data: `forms.<type>.<field>`,
 * `errors.<type>.<field>`, `rowErrors.<list>[<i>].<field>`.
 */
import type { NeedInput, NeedType, SupplyKind } from '../../typings/api';
import type { FormErrors, NeedForms, RowErrors, RowList } from './need-forms';
import { buildNeed, emptyRowErrors, newItem, newPosition, ROW_LIST_OF, SUPPLY_KINDS, UTILITIES } from './need-forms';

export type Patch = Record<string, unknown>;

export type Selected = Record<NeedType, boolean>;

/** Which sections are open, from the ticked types (only `offered` ones count). */
export function selectedOf(checked: readonly NeedType[], offered: readonly NeedType[]): Selected {
  return offered.reduce((acc, t) => ({ ...acc, [t]: checked.includes(t) }), {} as Selected);
}

/** The ticked types in the order the form shows them, whatever order they were ticked in. */
export function inFormOrder(checked: readonly string[], offered: readonly NeedType[]): NeedType[] {
  return offered.filter((t) => checked.includes(t));
}

export function fieldPatch(type: NeedType, field: string, value: string): Patch {
  return { [`forms.${type}.${field}`]: value, [`errors.${type}.${field}`]: '' };
}

export function rowFieldPatch(type: NeedType, list: RowList, index: number, field: string, value: string): Patch {
  return {
    [`forms.${type}.${list}[${index}].${field}`]: value,
    [`rowErrors.${list}[${index}].${field}`]: '',
    [`errors.${type}.${list}`]: '',
  };
}

/** Choosing the kind sets its usual unit and quantity step (个 for masks, 瓶 for disinfectant): one field less to type. */
export function kindPatch(forms: NeedForms, index: number, kindIndex: number): Patch {
  const kind = SUPPLY_KINDS[kindIndex];
  const row = forms.supplies.items[index];
  if (!kind || !row) return {};
  const fresh = newItem(kind.code);
  return {
    [`forms.supplies.items[${index}]`]: { ...fresh, quantity: row.quantity || fresh.quantity },
    [`rowErrors.items[${index}].unit`]: '',
  };
}

export function utilityPatch(utilityIndex: number): Patch {
  const utility = UTILITIES[utilityIndex];
  if (!utility) return {};
  return {
    'forms.utilities.utility': utility.code,
    'forms.utilities.utilityIndex': utilityIndex,
    'forms.utilities.utilityLabel': utility.name,
    'errors.utilities.utility': '',
  };
}

/**
 * A quick chip (口罩, 消毒液, 测温): adds a row of that kind, or removes the
 * row when it is there and not the only one. Row errors are dropped with
 * the rows they belonged to, since their indexes shift.
 */
export function toggleKindPatch(forms: NeedForms, kind: SupplyKind): Patch {
  const items = forms.supplies.items;
  const at = items.findIndex((i) => i.kind === kind);
  if (at >= 0) {
    if (items.length === 1) return {};
    return { 'forms.supplies.items': items.filter((_, k) => k !== at), 'rowErrors.items': [] };
  }
  return { 'forms.supplies.items': [...items, newItem(kind)], 'errors.supplies.items': '' };
}

export function addRowPatch(type: NeedType, forms: NeedForms): Patch {
  const list = ROW_LIST_OF[type];
  if (list === 'items') {
    // The next kind not asked for yet: two rows of masks are rarely meant.
    const used = forms.supplies.items.map((i) => i.kind);
    const next = SUPPLY_KINDS.find((k) => !used.includes(k.code))?.code ?? 'other';
    return { 'forms.supplies.items': [...forms.supplies.items, newItem(next)], 'errors.supplies.items': '' };
  }
  if (list === 'positions') {
    return { 'forms.hiring.positions': [...forms.hiring.positions, newPosition()], 'errors.hiring.positions': '' };
  }
  return {};
}

export function removeRowPatch(type: NeedType, forms: NeedForms, index: number): Patch {
  const list = ROW_LIST_OF[type];
  if (list === 'items' && forms.supplies.items.length > 1) {
    return { 'forms.supplies.items': forms.supplies.items.filter((_, k) => k !== index), 'rowErrors.items': [] };
  }
  if (list === 'positions' && forms.hiring.positions.length > 1) {
    return { 'forms.hiring.positions': forms.hiring.positions.filter((_, k) => k !== index), 'rowErrors.positions': [] };
  }
  return {};
}

/**
 * Builds the payload of every open section, in the order given, and the
 * setData patch that shows each section's (and each row's) errors.
 * `needs` is complete only when `invalid` is false.
 */
export function buildNeeds(types: NeedType[], forms: NeedForms): { needs: NeedInput[]; patch: Patch; invalid: boolean; errors: FormErrors; rowErrors: RowErrors } {
  const needs: NeedInput[] = [];
  const patch: Patch = {};
  const errors = {} as FormErrors;
  const rowErrors = emptyRowErrors();
  let invalid = false;
  for (const type of types) {
    const built = buildNeed(type, forms);
    errors[type] = built.errors;
    patch[`errors.${type}`] = built.errors;
    const list = ROW_LIST_OF[type];
    if (list) {
      rowErrors[list] = built.rowErrors || [];
      patch[`rowErrors.${list}`] = rowErrors[list];
    }
    if (built.input) needs.push(built.input);
    else invalid = true;
  }
  return { needs, patch, invalid, errors, rowErrors };
}
