/**
 * A handler's view of one need: claim it, then fulfil it. One claimer wins;
 * the loser is told and sees the need as it now stands.
 */
import { getSession } from '../../services/session';
import { definePage } from '../../utils/define-page';
import type { NeedView } from '../../utils/need-view';
import { toView } from '../../utils/need-view';

interface DetailData {
  need: NeedView | null;
  canClaim: boolean;
  canFulfil: boolean;
  note: string;
  quantityDelivered: string;
  noteError: string;
}

interface DetailMethods {
  claim(): Promise<void>;
  onNote(e: WechatMiniprogram.CustomEvent): void;
  onQuantity(e: WechatMiniprogram.CustomEvent): void;
  fulfil(): Promise<void>;
}

definePage<DetailData, DetailMethods>({
  data: { need: null, canClaim: false, canFulfil: false, note: '', quantityDelivered: '', noteError: '' },

  async load(query) {
    const [need, session] = await Promise.all([this.api.getNeed(query.id || ''), getSession()]);
    const mine = !!need.claimedBy && need.claimedBy === session.openid;
    return {
      need: toView(need),
      canClaim: need.status === 'routed',
      canFulfil: mine && (need.status === 'claimed' || need.status === 'in_progress'),
    };
  },

  methods: {
    async claim() {
      const need = this.data.need;
      if (!need) return;
      const claimed = await this.send(() => this.api.claimNeed(need.id), {
        onError: (err) => {
          if (err.code !== 'CONFLICT') return false;
          wx.showToast({ title: '已被他人认领', icon: 'none' });
          void this.reload();
          return true;
        },
      });
      if (!claimed) return;
      wx.showToast({ title: '已认领', icon: 'success' });
      await this.reload();
    },

    onNote(e) {
      this.setData({ note: String(e.detail), noteError: '' });
    },

    onQuantity(e) {
      this.setData({ quantityDelivered: String(e.detail) });
    },

    async fulfil() {
      const need = this.data.need;
      if (!need) return;
      const note = this.data.note.trim();
      if (!note) {
        this.setData({ noteError: '请写明办理情况，企业会看到' });
        return;
      }
      const raw = this.data.quantityDelivered.trim();
      const quantity = need.isSupplies && raw !== '' ? Number(raw) : undefined;
      const done = await this.send(() => this.api.fulfilNeed(need.id, note, quantity));
      if (!done) return;
      wx.showToast({ title: '已办结', icon: 'success' });
      this.setData({ note: '', quantityDelivered: '' });
      await this.reload();
    },
  },
});
