/**
 * The need sections: the kinds of help to tick and, for each ticked kind,
 * its fields with their errors. One component for the owner's new-need form
 * and the task force's check-in (STYLE.md: one component per repeated
 * template). It holds no state of its own: it renders the page's `forms`,
 * `errors` and `rowErrors` and emits
 *   - `types`  detail: the ticked types, in the order the form shows them;
 *   - `change` detail: { patch } to apply with the page's setData (keys
 *     rooted at `forms.` / `errors.` / `rowErrors.`).
 * Every field has an id (`nf-<type>-<field>`, `nf-<list>-<row>-<field>`)
 * so the page can scroll to the first error.
 */
import type { NeedType, SupplyKind } from '../../../typings/api';
import { NEED_TYPE_LABELS, SUPPLY_KIND_LABELS } from '../../utils/labels';
import type { NeedForms, RowList } from '../../utils/need-forms';
import { KIND_QUANTITY, NEED_TYPES, QUICK_KINDS, SUPPLY_KINDS, UTILITIES } from '../../utils/need-forms';
import type { Patch } from '../../utils/need-sections';
import {
  addRowPatch,
  fieldPatch,
  inFormOrder,
  kindPatch,
  removeRowPatch,
  rowFieldPatch,
  selectedOf,
  toggleKindPatch,
  utilityPatch,
} from '../../utils/need-sections';

interface Dataset {
  type: NeedType;
  field: string;
  list: RowList;
  index: number;
  kind: SupplyKind;
}

const datasetOf = (e: { currentTarget: { dataset: unknown } }) => e.currentTarget.dataset as Dataset;

const STEPS = (Object.keys(KIND_QUANTITY) as SupplyKind[]).reduce(
  (acc, k) => ({ ...acc, [k]: KIND_QUANTITY[k].step }),
  {} as Record<SupplyKind, number>,
);

Component({
  options: { addGlobalClass: true },
  properties: {
    /** The types this form offers, in the order of the grid. */
    offered: { type: Array, value: NEED_TYPES as string[] },
    checked: { type: Array, value: [] as string[] },
    forms: { type: Object, value: {} },
    errors: { type: Object, value: {} },
    rowErrors: { type: Object, value: {} },
    /** The earliest date the pickers offer (China time, YYYY-MM-DD). */
    today: { type: String, value: '' },
    heading: { type: String, value: '需要哪方面的帮助？可以多选' },
  },
  data: {
    typeOptions: [] as { code: NeedType; name: string }[],
    on: {} as Record<string, boolean>,
    kinds: SUPPLY_KINDS,
    utilities: UTILITIES,
    steps: STEPS,
    quick: [] as { code: SupplyKind; name: string; on: boolean }[],
  },
  lifetimes: {
    attached() {
      this.showTypes(this.data.offered as NeedType[], this.data.checked as NeedType[]);
      this.showQuick(this.data.forms as NeedForms);
    },
  },
  observers: {
    'offered, checked'(offered: NeedType[], checked: NeedType[]) {
      this.showTypes(offered, checked);
    },
    forms(forms: NeedForms) {
      this.showQuick(forms);
    },
  },
  methods: {
    showTypes(offered: NeedType[], checked: NeedType[]) {
      this.setData({
        typeOptions: (offered || []).map((code) => ({ code, name: NEED_TYPE_LABELS[code] })),
        on: selectedOf(checked || [], offered || []),
      });
    },

    showQuick(forms: NeedForms) {
      const items = (forms && forms.supplies && forms.supplies.items) || [];
      this.setData({ quick: QUICK_KINDS.map((code) => ({ code, name: SUPPLY_KIND_LABELS[code], on: items.some((i) => i.kind === code) })) });
    },

    emit(patch: Patch) {
      if (Object.keys(patch).length) this.triggerEvent('change', { patch });
    },

    onTypes(e: WechatMiniprogram.CustomEvent) {
      this.triggerEvent('types', inFormOrder((e.detail as unknown as string[]) || [], this.data.offered as NeedType[]));
    },

    onField(e: WechatMiniprogram.CustomEvent) {
      const { type, field } = datasetOf(e);
      this.emit(fieldPatch(type, field, String(e.detail ?? '')));
    },

    onRowField(e: WechatMiniprogram.CustomEvent) {
      const { type, list, index, field } = datasetOf(e);
      this.emit(rowFieldPatch(type, list, Number(index), field, String(e.detail ?? '')));
    },

    onQuantity(e: WechatMiniprogram.CustomEvent) {
      this.emit(rowFieldPatch('supplies', 'items', Number(datasetOf(e).index), 'quantity', String(e.detail ?? '')));
    },

    onDate(e: WechatMiniprogram.PickerChange) {
      const { type, field } = datasetOf(e);
      this.emit(fieldPatch(type, field, String(e.detail.value)));
    },

    onKind(e: WechatMiniprogram.PickerChange) {
      this.emit(kindPatch(this.data.forms as NeedForms, Number(datasetOf(e).index), Number(e.detail.value)));
    },

    onUtility(e: WechatMiniprogram.PickerChange) {
      this.emit(utilityPatch(Number(e.detail.value)));
    },

    onQuickKind(e: WechatMiniprogram.BaseEvent) {
      this.emit(toggleKindPatch(this.data.forms as NeedForms, datasetOf(e).kind));
    },

    addRow(e: WechatMiniprogram.BaseEvent) {
      this.emit(addRowPatch(datasetOf(e).type, this.data.forms as NeedForms));
    },

    removeRow(e: WechatMiniprogram.BaseEvent) {
      const { type, index } = datasetOf(e);
      this.emit(removeRowPatch(type, this.data.forms as NeedForms, Number(index)));
    },
  },
});
