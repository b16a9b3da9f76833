/**
 * One form for one or several needs (spec: "One form may carry several
 * needs"): the owner ticks the kinds of help wanted and fills a short
 * section for each (the need-sections component); every ticked need goes
 * to its own unit.
 *
 * Made for the first need in under two minutes: arriving from registration
 * (?type=supplies&welcome=1) the mask request is already there — masks at
 * a usual quantity, 最晚需要 three days ahead, the delivery address from the
 * registration — so the owner checks the quantity and taps 提交需求.
 *
 * The clientKey is made once per form and kept in the draft: a retry after
 * a lost answer, even after the page was closed, sends the same key, so the
 * server creates the needs once. A failed submit keeps every section as
 * typed; a server field error (`needs.1.amountWan`) is shown on that field.
 */
import type { NeedType } from '../../../typings/api';
import { definePage } from '../../utils/define-page';
import { dropDraft, keepDraft, readDraft, submitForm } from '../../utils/form';
import type { FormErrors, NeedForms, RowErrors } from '../../utils/need-forms';
import { emptyErrors, emptyForms, emptyRowErrors, fieldTarget, firstErrorId, makeClientKey, NEED_TYPES } from '../../utils/need-forms';
import { buildNeeds, inFormOrder } from '../../utils/need-sections';
import { requestSubscribe } from '../../utils/subscribe';
import { todayInChina } from '../../utils/time';

const DRAFT_KEY = 'need-new';

interface NeedNewDraft {
  checked: NeedType[];
  forms: NeedForms;
  clientKey: string;
}

interface NeedNewData {
  offered: NeedType[];
  checked: NeedType[];
  forms: NeedForms;
  errors: FormErrors;
  rowErrors: RowErrors;
  today: string;
  clientKey: string;
  /** Just registered: greet, and say what is already filled in. */
  welcome: boolean;
  /** The form came back from the phone's draft. */
  restored: boolean;
}

interface NeedNewMethods {
  onNeedTypes(e: WechatMiniprogram.CustomEvent): void;
  onNeedChange(e: WechatMiniprogram.CustomEvent): void;
  keep(): void;
  startOver(): void;
  submit(): Promise<void>;
}

/** The element a selector inside the need-sections component is reached through. */
const inSections = (id: string) => `.sections >>> #${id}`;

definePage<NeedNewData, NeedNewMethods>({
  data: {
    offered: NEED_TYPES,
    checked: [],
    forms: emptyForms(),
    errors: emptyErrors(),
    rowErrors: emptyRowErrors(),
    today: '',
    clientKey: '',
    welcome: false,
    restored: false,
  },

  onLoad(query) {
    // Links from registration, a task-force visit or the home page may name the kind of help (?type=supplies).
    const preset = NEED_TYPES.filter((t) => t === query.type);
    const draft = readDraft<NeedNewDraft>(DRAFT_KEY);
    const checked = draft ? inFormOrder([...draft.checked, ...preset], NEED_TYPES) : preset;
    this.setData({
      today: todayInChina(),
      welcome: query.welcome === '1',
      restored: !!draft,
      clientKey: draft ? draft.clientKey : makeClientKey(),
      // Fresh objects per page: the data literal above is shared by every instance of the page.
      forms: draft ? { ...emptyForms(), ...draft.forms } : emptyForms(),
      errors: emptyErrors(),
      rowErrors: emptyRowErrors(),
      checked,
    });
    // Prefill the delivery address from the registration; not worth an error state if it fails.
    this.api.getEnterprise().then(
      (e) => {
        if (!this.data.forms.supplies.deliveryAddress && e.address) this.setData({ 'forms.supplies.deliveryAddress': e.address });
      },
      () => undefined,
    );
  },

  methods: {
    onNeedTypes(e) {
      this.setData({ checked: inFormOrder((e.detail as unknown as string[]) || [], NEED_TYPES) });
      this.keep();
    },

    onNeedChange(e) {
      const { patch } = e.detail as unknown as { patch: Record<string, unknown> };
      this.setData(patch);
      this.keep();
    },

    keep() {
      const { checked, forms, clientKey } = this.data;
      keepDraft<NeedNewDraft>(DRAFT_KEY, { checked, forms, clientKey });
    },

    startOver() {
      dropDraft(DRAFT_KEY);
      this.setData({
        checked: [],
        forms: emptyForms(),
        errors: emptyErrors(),
        rowErrors: emptyRowErrors(),
        clientKey: makeClientKey(),
        restored: false,
        sendError: '',
      });
    },

    async submit() {
      const { forms, clientKey } = this.data;
      const types = inFormOrder(this.data.checked, NEED_TYPES);
      if (!types.length) {
        wx.showToast({ title: '请先选择需要哪方面的帮助', icon: 'none' });
        return;
      }
      const built = buildNeeds(types, forms);
      const first = firstErrorId(types, built.errors, built.rowErrors);
      const result = await submitForm(
        this,
        { ok: !built.invalid, patch: built.patch, firstSelector: first ? inSections(first) : undefined },
        async () => {
          // Asked here, inside the tap, because WeChat shows the dialog only then; the answer never blocks the submit.
          await requestSubscribe('submit');
          return this.api.submitNeeds({ clientKey, needs: built.needs });
        },
        (field) => {
          const target = field ? fieldTarget(field, types) : null;
          return target ? { path: target.path, selector: inSections(target.id) } : null;
        },
        { draftKey: DRAFT_KEY },
      );
      if (!result || !result.needs.length) return;
      wx.showToast({ title: '已提交', icon: 'success' });
      // One need: its own page is the useful one; several: the list shows them together.
      const url = result.needs.length === 1 ? `/enterprise/need-detail/index?id=${result.needs[0].id}` : '/enterprise/needs/index';
      wx.redirectTo({ url });
    },
  },
});
