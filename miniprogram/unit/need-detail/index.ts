/**
 * A handler's view of one need and every step of handling it (spec:
 * "Lifecycle of a need"). Which actions show follows the server's lifecycle
 * table: anyone of the unit may claim, forward or refuse an unclaimed need;
 * once claimed only the claimer acts on it.
 *
 * The handler picks one action at a time and fills its short form: on a
 * phone one open form at a time reads better than seven.
 */
import type { NeedDetail, NeedStatus, UnitSummary } from '../../../typings/api';
import { getSession } from '../../services/session';
import { definePage, messageOf, STALE_STATE } from '../../utils/define-page';
import type { NeedView } from '../../utils/need-view';
import { toView } from '../../utils/need-view';
import { requestSubscribe } from '../../utils/subscribe';

export type Mode = '' | 'progress' | 'wait' | 'fulfil' | 'transfer' | 'reject' | 'release';

interface ModeSpec {
  title: string;
  label: string;
  placeholder: string;
  /** '' when the text may be left empty. */
  required: string;
  button: string;
  done: string;
}

const MODES: Record<Exclude<Mode, ''>, ModeSpec> = {
  progress: { title: '记录进展', label: '进展', placeholder: '如：已联系供货商，预计后天到货', required: '请填写进展', button: '提交进展', done: '已记录' },
  wait: { title: '询问企业', label: '问题', placeholder: '需要企业补充什么？企业答复前办理时限暂停', required: '请填写要问企业的问题', button: '发送给企业', done: '已发送，等待企业答复' },
  fulfil: { title: '办结', label: '办理情况', placeholder: '如：已协调 20000 个口罩，明日送达', required: '请写明办理情况，企业会看到', button: '完成办结', done: '已办结' },
  transfer: { title: '转办', label: '转办原因', placeholder: '如：属于融资需求，应由金融服务组办理', required: '请填写转办原因', button: '确认转办', done: '已转办' },
  reject: { title: '退回', label: '退回原因', placeholder: '退回后由区工商联统筹办理', required: '请填写退回原因', button: '确认退回', done: '已退回工商联' },
  release: { title: '放弃认领', label: '原因', placeholder: '可不填', required: '', button: '放弃认领', done: '已放回队列' },
};

/** States in which someone holds the need and the claimer works it. */
const WORKING: NeedStatus[] = ['claimed', 'in_progress'];

interface DetailData {
  need: NeedView | null;
  canClaim: boolean;
  /** The caller holds the claim and the need is being worked (not waiting on the enterprise). */
  canWork: boolean;
  canTransfer: boolean;
  canReject: boolean;
  isClaimer: boolean;
  mode: Mode;
  form: ModeSpec | null;
  note: string;
  noteError: string;
  quantityDelivered: string;
  quantityError: string;
  /** Remainder that a partial delivery will put back in the queue (supplies). */
  remainderHint: string;
  units: UnitSummary[];
  unitIndex: number;
  unitName: string;
  unitError: string;
  unitsLoading: boolean;
}

interface DetailMethods {
  call(): void;
  claim(): Promise<void>;
  renew(): Promise<void>;
  openMode(e: WechatMiniprogram.CustomEvent): void;
  closeMode(): void;
  onNote(e: WechatMiniprogram.CustomEvent): void;
  onQuantity(e: WechatMiniprogram.CustomEvent): void;
  onUnit(e: WechatMiniprogram.PickerChange): void;
  loadUnits(): Promise<void>;
  submitMode(): Promise<void>;
}

const CLEAR_FORM = {
  mode: '' as Mode,
  form: null,
  note: '',
  noteError: '',
  quantityDelivered: '',
  quantityError: '',
  remainderHint: '',
  unitIndex: -1,
  unitName: '',
  unitError: '',
};

definePage<DetailData, DetailMethods>({
  data: {
    need: null,
    canClaim: false,
    canWork: false,
    canTransfer: false,
    canReject: false,
    isClaimer: false,
    ...CLEAR_FORM,
    units: [],
    unitsLoading: false,
  },

  async load(query) {
    const [need, session] = await Promise.all([this.api.getNeed(query.id || ''), getSession()]);
    const held = !!need.claimedBy;
    const mine = held && need.claimedBy === session.openid;
    const canWork = mine && WORKING.includes(need.status);
    const unclaimedRouted = need.status === 'routed' && !held;
    const patch: Partial<DetailData> = {
      need: toView(need),
      isClaimer: mine,
      canClaim: (need.status === 'routed' && !held) || (need.status === 'rejected' && !(need as NeedDetail).rejectFinal),
      canWork,
      // The server lets the unit forward or refuse what nobody holds; triage forwards what others refused.
      canTransfer: canWork || unclaimedRouted || need.status === 'rejected',
      canReject: canWork || unclaimedRouted,
    };
    // A form for an action the need no longer allows must not stay open.
    const mode = this.data.mode;
    const stillAllowed =
      mode === '' ||
      (mode === 'transfer' && patch.canTransfer) ||
      (mode === 'reject' && patch.canReject) ||
      (mode !== 'transfer' && mode !== 'reject' && canWork);
    return stillAllowed ? patch : { ...patch, ...CLEAR_FORM };
  },

  methods: {
    // Many owners answer a phone faster than a message: one tap dials them.
    call() {
      const need = this.data.need;
      if (need?.canCall) wx.makePhoneCall({ phoneNumber: need.contactPhone });
    },

    async claim() {
      const need = this.data.need;
      if (!need) return;
      // Inside the tap: WeChat shows the dialog only then. The answer never blocks the claim.
      await requestSubscribe('claim');
      const claimed = await this.send(() => this.api.claimNeed(need.id), { reloadOn: STALE_STATE });
      if (!claimed) return;
      wx.showToast({ title: '已认领', icon: 'success' });
      await this.reload();
    },

    async renew() {
      const need = this.data.need;
      if (!need) return;
      const renewed = await this.send(() => this.api.renewNeed(need.id), { reloadOn: STALE_STATE });
      if (!renewed) return;
      wx.showToast({ title: '已续期', icon: 'success' });
      await this.reload();
    },

    openMode(e) {
      const mode = (e.currentTarget.dataset as { mode?: Mode }).mode || '';
      if (!mode) return;
      this.setData({ ...CLEAR_FORM, mode, form: MODES[mode], sendError: '' });
      if (mode === 'transfer' && !this.data.units.length) void this.loadUnits();
    },

    closeMode() {
      this.setData({ ...CLEAR_FORM, sendError: '' });
    },

    onNote(e) {
      this.setData({ note: String(e.detail), noteError: '' });
    },

    onQuantity(e) {
      const raw = String(e.detail);
      const need = this.data.need;
      const n = Number(raw);
      const left = need && raw.trim() !== '' && Number.isInteger(n) && n >= 0 ? need.quantityRequested - n : 0;
      this.setData({
        quantityDelivered: raw,
        quantityError: '',
        remainderHint: left > 0 ? `还差 ${left}，办结后剩余部分会作为新需求重新排队` : '',
      });
    },

    onUnit(e) {
      const unitIndex = Number(e.detail.value);
      const unit = this.data.units[unitIndex];
      if (!unit) return;
      this.setData({ unitIndex, unitName: unit.name, unitError: '' });
    },

    async loadUnits() {
      this.setData({ unitsLoading: true, unitError: '' });
      try {
        const page = await this.api.units();
        const own = this.data.need ? this.data.need.unitCode : '';
        // The server refuses a transfer to the current unit; do not offer it.
        this.setData({ units: page.items.filter((u) => u.code !== own), unitsLoading: false });
      } catch (err) {
        this.setData({ unitsLoading: false, unitError: `单位列表没有加载成功：${messageOf(err)}` });
      }
    },

    async submitMode() {
      const { need, mode, form } = this.data;
      if (!need || !mode || !form) return;
      const note = this.data.note.trim();
      if (form.required && !note) {
        this.setData({ noteError: form.required });
        return;
      }
      let quantity: number | undefined;
      if (mode === 'fulfil' && need.isSupplies && this.data.quantityDelivered.trim() !== '') {
        quantity = Number(this.data.quantityDelivered.trim());
        if (!Number.isInteger(quantity) || quantity < 0) {
          this.setData({ quantityError: '请填写整数' });
          return;
        }
      }
      const unit = this.data.units[this.data.unitIndex];
      if (mode === 'transfer' && !unit) {
        this.setData({ unitError: '请选择转办单位' });
        return;
      }

      const tasks: Record<Exclude<Mode, ''>, () => Promise<unknown>> = {
        progress: () => this.api.progressNeed(need.id, note),
        wait: () => this.api.waitNeed(need.id, note),
        fulfil: () => this.api.fulfilNeed(need.id, note, quantity),
        transfer: () => this.api.transferNeed(need.id, unit.code, note),
        reject: () => this.api.rejectNeed(need.id, note),
        release: () => this.api.releaseNeed(need.id, note || undefined),
      };
      const done = await this.send(tasks[mode], {
        reloadOn: STALE_STATE,
        onError: (err) => {
          if (err.code === 'INVALID_ARGUMENT' && err.field === 'toUnitCode') this.setData({ unitError: err.message });
          else if (err.code === 'INVALID_ARGUMENT' && err.field === 'quantityDelivered') this.setData({ quantityError: err.message });
          else if (err.code === 'INVALID_ARGUMENT') this.setData({ noteError: err.message });
          return false;
        },
      });
      if (!done) return;
      wx.showToast({ title: form.done, icon: 'success' });
      this.setData({ ...CLEAR_FORM });
      // A transferred or refused need leaves this unit's hands: back to the queue, which reloads on show.
      if (mode === 'transfer' || mode === 'reject') {
        wx.navigateBack({ delta: 1 });
        return;
      }
      await this.reload();
    },
  },
});
