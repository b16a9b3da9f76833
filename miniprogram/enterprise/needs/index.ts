/**
 * The enterprise's needs, one tab per stage it cares about. Tabs group
 * statuses by what the owner does next (wait, answer, confirm), not by the
 * handler's finer states.
 */
import type { MineFilter, Need } from '../../../typings/api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import type { NeedRow } from '../../utils/need-view';
import { toRow } from '../../utils/need-view';
import type { ListData } from '../../utils/paged-list';
import { emptyList, pagedList } from '../../utils/paged-list';

interface Tab {
  key: string;
  title: string;
  filter: MineFilter;
}

/**
 * 处理中 includes 已退回: a rejected need goes to the federation's triage and
 * is still being worked on from the owner's point of view.
 */
const TABS: Tab[] = [
  { key: 'all', title: '全部', filter: {} },
  { key: 'open', title: '处理中', filter: { status: ['routed', 'claimed', 'in_progress', 'rejected'] } },
  { key: 'waiting', title: '待答复', filter: { status: 'waiting' } },
  { key: 'fulfilled', title: '已办结', filter: { status: 'fulfilled' } },
  { key: 'closed', title: '已关闭', filter: { status: ['confirmed', 'cancelled'] } },
];

interface NeedsData extends ListData<NeedRow> {
  tabs: { title: string }[];
  active: number;
}

interface NeedsMethods {
  onTab(e: WechatMiniprogram.CustomEvent<{ index: number }>): void;
  loadMore(): Promise<void>;
  open(e: WechatMiniprogram.BaseEvent): void;
  newNeed(): void;
}

type This = PageThis<NeedsData, NeedsMethods>;

/** Rows in the owner's words: 已提交，等待受理 rather than the handler's 待认领. */
const list = pagedList<Need, NeedRow, This>(
  (page, cursor) => page.api.myNeeds(TABS[page.data.active].filter, cursor),
  (need) => toRow(need, 'owner'),
);

definePage<NeedsData, NeedsMethods>({
  data: { ...emptyList<NeedRow>(), tabs: TABS.map((t) => ({ title: t.title })), active: 0 },

  onLoad(query) {
    // A link can open a given tab (?tab=waiting), e.g. from a "please answer" message.
    const index = TABS.findIndex((t) => t.key === query.tab);
    if (index >= 0) this.setData({ active: index });
  },

  // Back from a detail where the need was answered, confirmed or cancelled: the tab must not show the old state.
  reloadOnShow: true,

  load() {
    return list.first(this);
  },

  onReachBottom() {
    void list.more(this);
  },

  methods: {
    onTab(e) {
      const index = Number(e.detail.index);
      if (index === this.data.active) return;
      void list.restart(this, { active: index });
    },

    loadMore() {
      return list.more(this);
    },

    open(e) {
      const id = (e.currentTarget.dataset as { id?: string }).id;
      if (id) wx.navigateTo({ url: `/enterprise/need-detail/index?id=${id}` });
    },

    newNeed() {
      wx.navigateTo({ url: '/enterprise/need-new/index' });
    },
  },
});
