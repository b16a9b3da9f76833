import { definePage } from '../../utils/define-page';
import type { NeedRow } from '../../utils/need-view';
import { toRow } from '../../utils/need-view';

interface NeedsData {
  items: NeedRow[];
  nextCursor: string;
  empty: boolean;
  loadingMore: boolean;
  moreError: string;
}

interface NeedsMethods {
  loadMore(): Promise<void>;
  open(e: WechatMiniprogram.BaseEvent): void;
  newNeed(): void;
}

definePage<NeedsData, NeedsMethods>({
  data: { items: [], nextCursor: '', empty: false, loadingMore: false, moreError: '' },

  async load() {
    const page = await this.api.myNeeds();
    const items = page.items.map(toRow);
    return { items, nextCursor: page.nextCursor || '', empty: items.length === 0, moreError: '' };
  },

  onReachBottom() {
    void this.loadMore();
  },

  methods: {
    async loadMore() {
      const { nextCursor, loadingMore } = this.data;
      if (!nextCursor || loadingMore) return;
      this.setData({ loadingMore: true, moreError: '' });
      try {
        const page = await this.api.myNeeds(nextCursor);
        this.setData({
          items: [...this.data.items, ...page.items.map(toRow)],
          nextCursor: page.nextCursor || '',
          loadingMore: false,
        });
      } catch (err) {
        this.setData({ loadingMore: false, moreError: (err as Error).message || '加载失败' });
      }
    },

    open(e) {
      const id = (e.currentTarget.dataset as { id?: string }).id;
      if (id) wx.navigateTo({ url: `/enterprise/need-detail/index?id=${id}` });
    },

    newNeed() {
      wx.navigateTo({ url: '/enterprise/supplies-new/index' });
    },
  },
});
