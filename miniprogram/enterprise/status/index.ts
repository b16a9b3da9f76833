/**
 * 复工状态填报: one report goes into the ledger each time it is sent. The
 * form starts from the last report, since most weeks only a few numbers
 * change, and whatever happens to the request it keeps what was typed.
 */
import type { StatusInput } from '../../services/enterprise-api';
import { enterpriseApi } from '../../services/enterprise-api';
import { formatDateTime } from '../../utils/time';
import { definePage } from '../../utils/define-page';
import { keepDraft, readDraft, submitForm } from '../../utils/form';

const DRAFT_KEY = 'status';

interface StatusForm {
  employeesTotal: string;
  employeesBack: string;
  capacityPercent: string;
  resumed: boolean;
  difficulties: string;
}

type FieldKey = keyof StatusForm;

interface StatusData {
  form: StatusForm;
  errors: Partial<Record<FieldKey, string>>;
  /** The slider needs a number; it follows the typed value when that is valid. */
  sliderValue: number;
  lastReportedAt: string;
  /** The form came back from the phone's draft rather than from the last report. */
  restored: boolean;
}

/** Screen order: the page scrolls to the first of these that has an error. */
const FIELDS: FieldKey[] = ['employeesTotal', 'employeesBack', 'resumed', 'capacityPercent', 'difficulties'];
const MAX_DIFFICULTIES = 1000;
const WHOLE = /^\d+$/;

function sliderOf(value: string): number {
  const n = Number(value);
  return WHOLE.test(value.trim()) && n <= 100 ? n : 0;
}

function validate(form: StatusForm): Partial<Record<FieldKey, string>> {
  const errors: Partial<Record<FieldKey, string>> = {};
  const total = form.employeesTotal.trim();
  const back = form.employeesBack.trim();
  const capacity = form.capacityPercent.trim();
  if (!WHOLE.test(total)) errors.employeesTotal = '请填写员工总数（整数）';
  if (!WHOLE.test(back)) errors.employeesBack = '请填写已返岗人数（整数）';
  else if (!errors.employeesTotal && Number(back) > Number(total)) errors.employeesBack = '返岗人数不能超过员工总数';
  if (!WHOLE.test(capacity) || Number(capacity) > 100) errors.capacityPercent = '请填写 0–100 之间的整数';
  if (form.difficulties.trim().length > MAX_DIFFICULTIES) errors.difficulties = `最多 ${MAX_DIFFICULTIES} 字`;
  return errors;
}

function toInput(form: StatusForm): StatusInput {
  const input: StatusInput = {
    employeesTotal: Number(form.employeesTotal.trim()),
    employeesBack: Number(form.employeesBack.trim()),
    capacityPercent: Number(form.capacityPercent.trim()),
    resumed: form.resumed,
  };
  const difficulties = form.difficulties.trim();
  // An empty box means "nothing to report", not an empty difficulty in the ledger.
  if (difficulties) input.difficulties = difficulties;
  return input;
}

interface StatusMethods {
  onField(e: WechatMiniprogram.CustomEvent): void;
  onCapacitySlide(e: WechatMiniprogram.CustomEvent): void;
  onResumed(e: WechatMiniprogram.CustomEvent): void;
  toggleResumed(): void;
  noop(): void;
  keep(): void;
  submit(): Promise<void>;
}

definePage<StatusData, StatusMethods>({
  data: {
    form: { employeesTotal: '', employeesBack: '', capacityPercent: '', resumed: false, difficulties: '' },
    errors: {},
    sliderValue: 0,
    lastReportedAt: '',
    restored: false,
  },

  async load() {
    const e = await enterpriseApi.getEnterprise();
    const last = e.latestStatus;
    // A retry after a failed load must not overwrite what the user already typed.
    if (this.data.form.employeesTotal || this.data.form.employeesBack) return {};
    const lastReportedAt = last ? formatDateTime(last.at) : '';
    // What was typed and not sent beats the last report.
    const draft = readDraft<StatusForm>(DRAFT_KEY);
    if (draft) return { form: draft, sliderValue: sliderOf(draft.capacityPercent), lastReportedAt, restored: true };
    if (!last) {
      const total = typeof e.employees === 'number' ? String(e.employees) : '';
      return { 'form.employeesTotal': total } as Partial<StatusData>;
    }
    const form: StatusForm = {
      employeesTotal: String(last.employeesTotal),
      employeesBack: String(last.employeesBack),
      capacityPercent: String(last.capacityPercent),
      resumed: !!last.resumed,
      difficulties: last.difficulties || '',
    };
    return { form, sliderValue: sliderOf(form.capacityPercent), lastReportedAt };
  },

  methods: {
    onField(e) {
      const field = (e.currentTarget.dataset as { field: FieldKey }).field;
      const value = String(e.detail ?? '');
      const patch: Record<string, unknown> = { [`form.${field}`]: value, [`errors.${field}`]: '' };
      if (field === 'capacityPercent') patch.sliderValue = sliderOf(value);
      // Fixing the total can settle a "back > total" complaint on the other row.
      if (field === 'employeesTotal') patch['errors.employeesBack'] = '';
      this.setData(patch);
      this.keep();
    },

    onCapacitySlide(e) {
      const value = Math.round(Number(e.detail));
      this.setData({ 'form.capacityPercent': String(value), sliderValue: value, 'errors.capacityPercent': '' });
      this.keep();
    },

    onResumed(e) {
      this.setData({ 'form.resumed': !!e.detail, 'errors.resumed': '' });
      this.keep();
    },

    toggleResumed() {
      this.onResumed({ detail: !this.data.form.resumed } as unknown as WechatMiniprogram.CustomEvent);
    },

    noop() {},

    keep() {
      keepDraft<StatusForm>(DRAFT_KEY, this.data.form);
    },

    async submit() {
      const report = await submitForm(
        this,
        validate(this.data.form),
        () => enterpriseApi.reportStatus(toInput(this.data.form)),
        (field) => (field && (FIELDS as string[]).includes(field) ? field : null),
        { order: FIELDS, draftKey: DRAFT_KEY },
      );
      if (!report) return;
      wx.showToast({ title: '已提交', icon: 'success' });
      wx.navigateBack();
    },
  },
});
