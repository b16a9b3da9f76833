/**
 * One form for one or several needs (spec: "One form may carry several
 * needs"): the owner ticks the kinds of help wanted and fills a short
 * section for each; every ticked need goes to its own unit.
 *
 * The clientKey is made once per form: a retry after a lost answer sends
 * the same key, so the server creates the needs once. A failed submit keeps
 * every section as typed, and a server field error (`needs.1.amountWan`)
 * is shown on that field of that section.
 */
import type { NeedType } from '../../../typings/api';
import { definePage } from '../../utils/define-page';
import { NEED_TYPE_LABELS } from '../../utils/labels';
import { buildNeeds, needSectionMethods, selectedOf as selectedOfTypes, type NeedSectionMethods, type Selected } from '../../utils/need-sections';
import type { FormErrors, NeedForms } from '../../utils/need-forms';
import {
  emptyErrors,
  emptyForms,
  fieldTarget,
  makeClientKey,
  NEED_TYPES,
  SUPPLY_KINDS,
  UTILITIES,
} from '../../utils/need-forms';
import { requestSubscribe } from '../../utils/subscribe';
import { todayInChina } from '../../utils/time';


interface NeedNewData {
  types: { code: NeedType; name: string }[];
  checked: NeedType[];
  on: Selected;
  forms: NeedForms;
  errors: FormErrors;
  kinds: typeof SUPPLY_KINDS;
  utilities: typeof UTILITIES;
  today: string;
  clientKey: string;
  /** Types in the order of the last request, to place `needs.<i>.…` errors. */
  sentTypes: NeedType[];
}

interface NeedNewMethods extends NeedSectionMethods {
  onTypes(e: WechatMiniprogram.CustomEvent): void;
  submit(): Promise<void>;
}

const TYPES = NEED_TYPES.map((code) => ({ code, name: NEED_TYPE_LABELS[code] }));

const selectedOf = (checked: NeedType[]) => selectedOfTypes(checked, NEED_TYPES);


definePage<NeedNewData, NeedNewMethods>({
  data: {
    types: TYPES,
    checked: [],
    on: selectedOf([]),
    forms: emptyForms(),
    errors: emptyErrors(),
    kinds: SUPPLY_KINDS,
    utilities: UTILITIES,
    today: '',
    clientKey: '',
    sentTypes: [],
  },

  onLoad(query) {
    // Links from a task-force visit or the home page may name the kind of help (?type=supplies).
    const preset = NEED_TYPES.filter((t) => t === query.type);
    this.setData({
      clientKey: makeClientKey(),
      today: todayInChina(),
      // Fresh objects per page: the data literal above is shared by every instance of the page.
      forms: emptyForms(),
      errors: emptyErrors(),
      checked: preset,
      on: selectedOf(preset),
    });
    // Prefill the delivery address from the registration; not worth an error state if it fails.
    this.api.getEnterprise().then(
      (e) => {
        if (!this.data.forms.supplies.deliveryAddress) this.setData({ 'forms.supplies.deliveryAddress': e.address });
      },
      () => undefined,
    );
  },

  methods: {
    ...needSectionMethods,

    onTypes(e) {
      const checked = (e.detail as string[]).filter((t): t is NeedType => (NEED_TYPES as string[]).includes(t));
      this.setData({ checked, on: selectedOf(checked) });
    },

    async submit() {
      const { forms, clientKey } = this.data;
      // Always send in the order the form shows, whatever order the boxes were ticked in.
      const types = NEED_TYPES.filter((t) => this.data.on[t]);
      if (!types.length) {
        wx.showToast({ title: '请先选择需要哪方面的帮助', icon: 'none' });
        return;
      }
      const { needs, patch, invalid } = buildNeeds(types, forms);
      this.setData(patch);
      if (invalid) {
        wx.showToast({ title: '请检查标红的项目', icon: 'none' });
        return;
      }

      // Asked here, inside the tap, because WeChat shows the dialog only then; the answer never blocks the submit.
      await requestSubscribe('submit');

      this.setData({ sentTypes: types });
      const result = await this.send(() => this.api.submitNeeds({ clientKey, needs }), {
        onError: (err) => {
          if (err.code !== 'INVALID_ARGUMENT' || !err.field) return false;
          const target = fieldTarget(err.field, types);
          if (target) this.setData({ [target.path]: err.message });
          return false; // still toast: the field may be scrolled out of sight
        },
      });
      if (!result || !result.needs.length) return;
      wx.showToast({ title: '已提交', icon: 'success' });
      // One need: its own page is the useful one; several: the list shows them together.
      const url = result.needs.length === 1 ? `/enterprise/need-detail/index?id=${result.needs[0].id}` : '/enterprise/needs/index';
      wx.redirectTo({ url });
    },
  },
});
