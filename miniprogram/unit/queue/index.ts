/**
 * A unit's queue, one tab per status. Switching tabs reloads; definePage
 * drops an answer for a tab the user has already left.
 */
import type { NeedStatus } from '../../../typings/api';
import { definePage } from '../../utils/define-page';
import type { NeedRow } from '../../utils/need-view';
import { toRow } from '../../utils/need-view';

interface QueueData {
  tabs: { status: NeedStatus; title: string }[];
  active: number;
  items: NeedRow[];
  nextCursor: string;
  empty: boolean;
  loadingMore: boolean;
  moreError: string;
}

interface QueueMethods {
  onTab(e: WechatMiniprogram.CustomEvent<{ index: number }>): void;
  loadMore(): Promise<void>;
  open(e: WechatMiniprogram.BaseEvent): void;
}

const TABS: QueueData['tabs'] = [
  { status: 'routed', title: '待认领' },
  { status: 'claimed', title: '已认领' },
  { status: 'in_progress', title: '处理中' },
  { status: 'fulfilled', title: '已办结' },
];

definePage<QueueData, QueueMethods>({
  data: { tabs: TABS, active: 0, items: [], nextCursor: '', empty: false, loadingMore: false, moreError: '' },

  onLoad(query) {
    const index = TABS.findIndex((t) => t.status === query.status);
    if (index >= 0) this.setData({ active: index });
  },

  // Coming back from a detail page where a need was claimed or fulfilled must not show it in the old tab.
  reloadOnShow: true,

  async load() {
    const status = TABS[this.data.active].status;
    const page = await this.api.queue(status);
    const items = page.items.map(toRow);
    return { items, nextCursor: page.nextCursor || '', empty: items.length === 0, moreError: '' };
  },

  onReachBottom() {
    void this.loadMore();
  },

  methods: {
    onTab(e) {
      const index = Number(e.detail.index);
      if (index === this.data.active) return;
      this.setData({ active: index, items: [], empty: false, nextCursor: '' });
      void this.reload();
    },

    async loadMore() {
      const { nextCursor, loadingMore, active } = this.data;
      if (!nextCursor || loadingMore) return;
      this.setData({ loadingMore: true, moreError: '' });
      try {
        const page = await this.api.queue(TABS[active].status, nextCursor);
        if (active !== this.data.active) return;
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
      if (id) wx.navigateTo({ url: `/unit/need-detail/index?id=${id}` });
    },
  },
});
