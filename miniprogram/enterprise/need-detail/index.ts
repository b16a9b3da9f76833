import { definePage } from '../../utils/define-page';
import type { NeedView } from '../../utils/need-view';
import { toView } from '../../utils/need-view';

interface DetailData {
  need: NeedView | null;
  canConfirm: boolean;
  rating: number;
  comment: string;
}

interface DetailMethods {
  onRate(e: WechatMiniprogram.CustomEvent): void;
  onComment(e: WechatMiniprogram.CustomEvent): void;
  confirm(): Promise<void>;
}

definePage<DetailData, DetailMethods>({
  data: { need: null, canConfirm: false, rating: 5, comment: '' },

  async load(query) {
    const need = await this.api.getNeed(query.id || '');
    return { need: toView(need), canConfirm: need.status === 'fulfilled' };
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
      const done = await this.send(() => this.api.confirmNeed(need.id, this.data.rating, comment || undefined));
      if (!done) return;
      wx.showToast({ title: '已确认，感谢评价', icon: 'success' });
      this.setData({ comment: '' });
      await this.reload();
    },
  },
});
