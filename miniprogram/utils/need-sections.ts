/**
 * The event handlers of the need sections (one per ticked type), shared by
 * the enterprise's new-need form and the task force's check-in, which raises
 * needs with the same sections. A page spreads `needSectionMethods` into its
 * methods; the handlers only touch `forms` and `errors`.
 */
import type { NeedInput, NeedType } from '../../typings/api';
import { SUPPLY_KIND_DEFAULT_UNIT } from './labels';
import type { NeedForms } from './need-forms';
import { buildNeed, newItem, newPosition, SUPPLY_KINDS, UTILITIES } from './need-forms';

export type Selected = Record<NeedType, boolean>;

/** Which sections are open, from the ticked types (only `offered` ones count). */
export function selectedOf(checked: NeedType[], offered: readonly NeedType[]): Selected {
  return offered.reduce((acc, t) => ({ ...acc, [t]: checked.includes(t) }), {} as Selected);
}

interface Dataset {
  type: NeedType;
  field: string;
  list: 'items' | 'positions';
  index: number;
}

const datasetOf = (e: { currentTarget: { dataset: unknown } }) => e.currentTarget.dataset as Dataset;

export interface NeedSectionHost {
  data: { forms: NeedForms };
  setData(patch: Record<string, unknown>): void;
}

export interface NeedSectionMethods {
  onField(e: WechatMiniprogram.CustomEvent): void;
  onRowField(e: WechatMiniprogram.CustomEvent): void;
  onDate(e: WechatMiniprogram.PickerChange): void;
  onKind(e: WechatMiniprogram.PickerChange): void;
  onUtility(e: WechatMiniprogram.PickerChange): void;
  addRow(e: WechatMiniprogram.CustomEvent): void;
  removeRow(e: WechatMiniprogram.CustomEvent): void;
}

export const needSectionMethods: NeedSectionMethods & ThisType<NeedSectionHost> = {
  onField(e) {
    const { type, field } = datasetOf(e);
    this.setData({ [`forms.${type}.${field}`]: String(e.detail), [`errors.${type}.${field}`]: '' });
  },

  onRowField(e) {
    const { type, list, index, field } = datasetOf(e);
    this.setData({
      [`forms.${type}.${list}[${index}].${field}`]: String(e.detail),
      [`forms.${type}.${list}[${index}].error`]: '',
      [`errors.${type}.${list}`]: '',
    });
  },

  onDate(e) {
    const { type, field } = datasetOf(e);
    this.setData({ [`forms.${type}.${field}`]: String(e.detail.value), [`errors.${type}.${field}`]: '' });
  },

  onKind(e) {
    const index = Number(datasetOf(e).index);
    const kindIndex = Number(e.detail.value);
    const kind = SUPPLY_KINDS[kindIndex];
    if (!kind) return;
    const row = `forms.supplies.items[${index}]`;
    // Choosing the kind sets its usual unit (个 for masks, 瓶 for disinfectant): one less field to type.
    this.setData({
      [`${row}.kind`]: kind.code,
      [`${row}.kindLabel`]: kind.name,
      [`${row}.kindIndex`]: kindIndex,
      [`${row}.unit`]: SUPPLY_KIND_DEFAULT_UNIT[kind.code],
    });
  },

  onUtility(e) {
    const utilityIndex = Number(e.detail.value);
    const utility = UTILITIES[utilityIndex];
    if (!utility) return;
    this.setData({
      'forms.utilities.utility': utility.code,
      'forms.utilities.utilityIndex': utilityIndex,
      'forms.utilities.utilityLabel': utility.name,
    });
  },

  addRow(e) {
    const { type } = datasetOf(e);
    if (type === 'supplies') this.setData({ 'forms.supplies.items': [...this.data.forms.supplies.items, newItem()] });
    if (type === 'hiring') this.setData({ 'forms.hiring.positions': [...this.data.forms.hiring.positions, newPosition()] });
  },

  removeRow(e) {
    const { type, index } = datasetOf(e);
    const i = Number(index);
    if (type === 'supplies' && this.data.forms.supplies.items.length > 1) {
      this.setData({ 'forms.supplies.items': this.data.forms.supplies.items.filter((_, k) => k !== i) });
    }
    if (type === 'hiring' && this.data.forms.hiring.positions.length > 1) {
      this.setData({ 'forms.hiring.positions': this.data.forms.hiring.positions.filter((_, k) => k !== i) });
    }
  },
};

/**
 * Builds the payload of every open section, in the order given, and the
 * setData patch that shows each section's (and each row's) errors.
 * `needs` is complete only when `invalid` is false.
 */
export function buildNeeds(types: NeedType[], forms: NeedForms): { needs: NeedInput[]; patch: Record<string, unknown>; invalid: boolean } {
  const needs: NeedInput[] = [];
  const patch: Record<string, unknown> = {};
  let invalid = false;
  for (const type of types) {
    const built = buildNeed(type, forms);
    patch[`errors.${type}`] = built.errors;
    const list = type === 'supplies' ? 'items' : type === 'hiring' ? 'positions' : '';
    (built.rowErrors || []).forEach((error, i) => {
      patch[`forms.${type}.${list}[${i}].error`] = error;
    });
    if (built.input) needs.push(built.input);
    else invalid = true;
  }
  return { needs, patch, invalid };
}
