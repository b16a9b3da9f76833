/**
 * An enterprise's view of one need: what was asked, where it is, and what
 * the owner can do now — answer the handler's question, confirm or reopen,
 * cancel. Which of these show is the server's answer (`allowedActions`, from
 * the one lifecycle table), and the status reads in the owner's words
 * (待您答复, 已办结，请确认), not the handler's.
 *
 * When the server says the need moved on (someone acted first, wrong state)
 * the page toasts its message and reloads rather than offering a retry.
 */
import { definePage, STALE_STATE } from '../../utils/define-page';
import type { NeedView } from '../../utils/need-view';
import { toView } from '../../utils/need-view';
import { requestSubscribe } from '../../utils/subscribe';

interface DetailData {
  need: NeedView | null;
  canConfirm: boolean;
  canReopen: boolean;
  canAnswer: boolean;
  canCancel: boolean;
  rating: number;
  comment: string;
  answerText: string;
  answerError: string;
  /** The reopen form is folded away: most owners confirm. */
  reopening: boolean;
  reopenReason: string;
  reopenError: string;
  cancelShown: boolean;
  cancelReason: string;
}

interface DetailMethods {
  onRate(e: WechatMiniprogram.CustomEvent): void;
  onComment(e: WechatMiniprogram.CustomEvent): void;
  confirm(): Promise<void>;
  onAnswer(e: WechatMiniprogram.CustomEvent): void;
  answer(): Promise<void>;
  startReopen(): void;
  onReopenReason(e: WechatMiniprogram.CustomEvent): void;
  reopen(): Promise<void>;
  askCancel(): void;
  onCancelReason(e: WechatMiniprogram.CustomEvent): void;
  closeCancel(): void;
  cancel(): Promise<void>;
  openLinked(e: WechatMiniprogram.CustomEvent): void;
}

definePage<DetailData, DetailMethods>({
  data: {
    need: null,
    canConfirm: false,
    canReopen: false,
    canAnswer: false,
    canCancel: false,
    rating: 5,
    comment: '',
    answerText: '',
    answerError: '',
    reopening: false,
    reopenReason: '',
    reopenError: '',
    cancelShown: false,
    cancelReason: '',
  },

  async load(query) {
    const need = toView(await this.api.getNeed(query.id || ''), 'owner');
    const allowed = need.actions;
    return {
      need,
      canConfirm: allowed.includes('confirm'),
      canReopen: allowed.includes('reopen'),
      canAnswer: allowed.includes('answer'),
      canCancel: allowed.includes('cancel'),
    };
  },

  methods: {
    onRate(e) {
      this.setData({ rating: Number(e.detail) });
    },

    onComment(e) {
      this.setData({ comment: String(e.detail) });
    },

    async confirm() {
      const need = this.data.need;
      if (!need) return;
      const comment = this.data.comment.trim();
      const done = await this.send(() => this.api.confirmNeed(need.id, this.data.rating, comment || undefined), { reloadOn: STALE_STATE });
      if (!done) return;
      wx.showToast({ title: '已确认，感谢评价', icon: 'success' });
      this.setData({ comment: '' });
      await this.reload();
    },

    onAnswer(e) {
      this.setData({ answerText: String(e.detail), answerError: '' });
    },

    async answer() {
      const need = this.data.need;
      if (!need) return;
      const text = this.data.answerText.trim();
      if (!text) {
        this.setData({ answerError: '请填写答复内容' });
        return;
      }
      // Inside the tap, where WeChat allows the dialog: the handler's next moves are what the owner waits for.
      await requestSubscribe('followUp');
      const done = await this.send(() => this.api.answerNeed(need.id, text), { reloadOn: STALE_STATE });
      if (!done) return;
      wx.showToast({ title: '已答复', icon: 'success' });
      this.setData({ answerText: '' });
      await this.reload();
    },

    startReopen() {
      this.setData({ reopening: true });
    },

    onReopenReason(e) {
      this.setData({ reopenReason: String(e.detail), reopenError: '' });
    },

    async reopen() {
      const need = this.data.need;
      if (!need) return;
      const reason = this.data.reopenReason.trim();
      if (!reason) {
        // The handler has to know what is still missing to do anything about it.
        this.setData({ reopenError: '请写明还有什么没解决' });
        return;
      }
      await requestSubscribe('followUp');
      const done = await this.send(() => this.api.reopenNeed(need.id, reason), { reloadOn: STALE_STATE });
      if (!done) return;
      wx.showToast({ title: '已退回办理单位', icon: 'success' });
      this.setData({ reopening: false, reopenReason: '' });
      await this.reload();
    },

    askCancel() {
      this.setData({ cancelShown: true });
    },

    onCancelReason(e) {
      this.setData({ cancelReason: String(e.detail) });
    },

    closeCancel() {
      this.setData({ cancelShown: false });
    },

    async cancel() {
      const need = this.data.need;
      if (!need) return;
      this.setData({ cancelShown: false });
      const reason = this.data.cancelReason.trim();
      const done = await this.send(() => this.api.cancelNeed(need.id, reason || undefined), { reloadOn: STALE_STATE });
      if (!done) return;
      wx.showToast({ title: '已撤销', icon: 'success' });
      this.setData({ cancelReason: '' });
      await this.reload();
    },

    openLinked(e) {
      const id = (e.currentTarget.dataset as { id?: string }).id;
      if (id) wx.navigateTo({ url: `/enterprise/need-detail/index?id=${id}` });
    },
  },
});
