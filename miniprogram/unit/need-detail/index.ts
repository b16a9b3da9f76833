/**
 * A handler's view of one need and every step of handling it (spec:
 * "Lifecycle of a need"). The server says what this person may do now
 * (`allowedActions`, from the one lifecycle table); the page shows the next
 * step as one full-width button and the rest under 「更多操作」 (issue 9:
 * seven buttons of two shapes were too many for a chamber head's thumb).
 *
 * The enterprise is one tap away: 拨打电话 dials the contact and records the
 * first response (`need.contacted`), 导航 opens the map at the enterprise.
 * A written action opens its short form: one open form at a time.
 */
import type { UnitSummary } from '../../../typings/api';
import { definePage, messageOf, STALE_STATE } from '../../utils/define-page';
import { NEED_ACTION_LABELS } from '../../utils/labels';
import type { HandlerAction, NeedView } from '../../utils/need-view';
import { HANDLER_ACTIONS, primaryOf, toView } from '../../utils/need-view';
import { requestSubscribe } from '../../utils/subscribe';

export type Mode = '' | 'progress' | 'wait' | 'fulfil' | 'transfer' | 'reject' | 'release' | 'breakClaim';

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
  progress: { title: '更新进展', label: '进展', placeholder: '如：已联系供货商，预计后天到货', required: '请填写进展', button: '提交进展', done: '已记录' },
  wait: { title: '询问企业', label: '问题', placeholder: '需要企业补充什么？企业答复前办理时限暂停', required: '请填写要问企业的问题', button: '发送给企业', done: '已发送，等待企业答复' },
  fulfil: { title: '办结', label: '办理情况', placeholder: '如：已协调 20000 个口罩，明日送达', required: '请写明办理情况，企业会看到', button: '完成办结', done: '已办结' },
  transfer: { title: '转办', label: '转办原因', placeholder: '如：属于融资需求，应由金融服务组办理', required: '请填写转办原因', button: '确认转办', done: '已转办' },
  reject: { title: '退回', label: '退回原因', placeholder: '退回后由区工商联统筹办理', required: '请填写退回原因', button: '确认退回', done: '已退回工商联' },
  release: { title: '放弃认领', label: '原因', placeholder: '可不填', required: '', button: '放弃认领', done: '已放回队列' },
  breakClaim: { title: '解除认领', label: '原因', placeholder: '如：三天没有进展，改派他人', required: '', button: '解除认领', done: '已解除，需求回到队列' },
};

/** Actions that end in the need leaving this person's hands, worded in red in the sheet. */
const GIVING_UP: HandlerAction[] = ['reject', 'release', 'breakClaim'];

interface SheetItem {
  key: HandlerAction;
  name: string;
  color?: string;
}

interface DetailData {
  need: NeedView | null;
  primary: { key: HandlerAction; name: string } | null;
  more: SheetItem[];
  sheetShown: boolean;
  /** The lease hint shows to whoever can keep it alive. */
  canWork: boolean;
  mode: Mode;
  form: ModeSpec | null;
  note: string;
  noteError: string;
  quantityDelivered: string;
  quantityError: string;
  /** A loan's fulfil: the amount the bank granted (万元), as typed. */
  grantedWan: string;
  grantedError: string;
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
  navigate(): void;
  doPrimary(): Promise<void>;
  openMore(): void;
  closeMore(): void;
  onMore(e: WechatMiniprogram.CustomEvent<SheetItem>): Promise<void>;
  act(key: HandlerAction): Promise<void>;
  claim(): Promise<void>;
  renew(): Promise<void>;
  openMode(mode: Mode): void;
  closeMode(): void;
  onNote(e: WechatMiniprogram.CustomEvent): void;
  onQuantity(e: WechatMiniprogram.CustomEvent): void;
  onGranted(e: WechatMiniprogram.CustomEvent): void;
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
  grantedWan: '',
  grantedError: '',
  remainderHint: '',
  unitIndex: -1,
  unitName: '',
  unitError: '',
};

definePage<DetailData, DetailMethods>({
  data: {
    need: null,
    primary: null,
    more: [],
    sheetShown: false,
    canWork: false,
    ...CLEAR_FORM,
    units: [],
    unitsLoading: false,
  },

  async load(query) {
    const need = toView(await this.api.getNeed(query.id || ''), 'handler');
    const allowed = need.actions;
    const primary = primaryOf(need.status, allowed);
    const more = HANDLER_ACTIONS.filter((a) => a !== primary && allowed.includes(a)).map((key) => ({
      key,
      name: NEED_ACTION_LABELS[key],
      ...(GIVING_UP.includes(key) ? { color: 'var(--theme-danger)' } : {}),
    }));
    const patch: Partial<DetailData> = {
      need,
      primary: primary ? { key: primary, name: NEED_ACTION_LABELS[primary] } : null,
      more,
      canWork: allowed.includes('progress'),
    };
    // A form for an action the need no longer allows must not stay open.
    const mode = this.data.mode;
    return mode === '' || allowed.includes(mode) ? patch : { ...patch, ...CLEAR_FORM };
  },

  methods: {
    // Many owners answer a phone faster than a message: one tap dials them.
    call() {
      const need = this.data.need;
      if (!need || !need.canCall) return;
      wx.makePhoneCall({
        phoneNumber: need.contactPhone,
        success: () => {
          // The first response, for the SLA: recorded on the side, never in the way of the call.
          if (need.actions.includes('contacted')) this.api.contactedNeed(need.id).catch(() => undefined);
        },
      });
    },

    navigate() {
      const need = this.data.need;
      if (!need || !need.canNavigate) return;
      wx.openLocation({ latitude: need.latitude, longitude: need.longitude, name: need.enterpriseName, address: need.address, scale: 16 });
    },

    doPrimary() {
      const primary = this.data.primary;
      return primary ? this.act(primary.key) : Promise.resolve();
    },

    openMore() {
      this.setData({ sheetShown: true });
    },

    closeMore() {
      this.setData({ sheetShown: false });
    },

    onMore(e) {
      this.setData({ sheetShown: false });
      return e.detail && e.detail.key ? this.act(e.detail.key) : Promise.resolve();
    },

    async act(key) {
      if (key === 'claim') return this.claim();
      if (key === 'renew') return this.renew();
      this.openMode(key);
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

    openMode(mode) {
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
      // What this need still owes (less than asked once it delivered part before a reopen).
      const left = need && raw.trim() !== '' && Number.isInteger(n) && n >= 0 ? need.quantityOwed - n : 0;
      this.setData({
        quantityDelivered: raw,
        quantityError: '',
        remainderHint: left > 0 ? `还差 ${left}，办结后剩余部分会作为新需求重新排队` : '',
      });
    },

    onGranted(e) {
      this.setData({ grantedWan: String(e.detail), grantedError: '' });
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
      let granted: number | undefined;
      if (mode === 'fulfil' && need.isLoan) {
        granted = Number(this.data.grantedWan.trim());
        if (this.data.grantedWan.trim() === '' || !Number.isFinite(granted) || granted <= 0) {
          this.setData({ grantedError: '请填写银行实际获批的金额（万元）' });
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
        fulfil: () => this.api.fulfilNeed(need.id, note, quantity, granted),
        transfer: () => this.api.transferNeed(need.id, unit.code, note),
        reject: () => this.api.rejectNeed(need.id, note),
        release: () => this.api.releaseNeed(need.id, note || undefined),
        breakClaim: () => this.api.breakClaim(need.id, note || undefined),
      };
      const done = await this.send(tasks[mode], {
        reloadOn: STALE_STATE,
        onError: (err) => {
          if (err.code === 'INVALID_ARGUMENT' && err.field === 'toUnitCode') this.setData({ unitError: err.message });
          else if (err.code === 'INVALID_ARGUMENT' && err.field === 'quantityDelivered') this.setData({ quantityError: err.message });
          else if (err.code === 'INVALID_ARGUMENT' && err.field === 'grantedWan') this.setData({ grantedError: err.message });
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
