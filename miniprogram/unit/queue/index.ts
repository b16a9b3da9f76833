/**
 * A unit's queue with the filters a handler works by: status tabs, need
 * type, only escalated, only my claims. Any change restarts the list.
 */
import type { Need, NeedStatus, NeedType, QueueFilter } from '../../../typings/api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { NEED_TYPE_LABELS } from '../../utils/labels';
import type { NeedRow } from '../../utils/need-view';
import { toRow } from '../../utils/need-view';
import type { ListData } from '../../utils/paged-list';
import { emptyList, pagedList } from '../../utils/paged-list';
import { getSession } from '../../services/session';
import { acceptedToday, requestReminders } from '../../utils/subscribe';

/** The first tab sends no status: the server's default is every open status. */
const TABS: { status: NeedStatus | ''; title: string }[] = [
  { status: '', title: '未办结' },
  { status: 'routed', title: '待认领' },
  { status: 'claimed', title: '已认领' },
  { status: 'in_progress', title: '处理中' },
  { status: 'waiting', title: '待企业答复' },
  { status: 'rejected', title: '已退回' },
  { status: 'fulfilled', title: '已办结' },
];

const TYPES: { code: NeedType | ''; name: string }[] = [
  { code: '', name: '全部类型' },
  ...(Object.keys(NEED_TYPE_LABELS) as NeedType[]).map((code) => ({ code, name: NEED_TYPE_LABELS[code] })),
];

interface QueueData extends ListData<NeedRow> {
  tabs: { title: string }[];
  active: number;
  types: { code: string; name: string }[];
  typeIndex: number;
  escalated: boolean;
  mine: boolean;
  /** Which reminders this person is asked for: a head also hears of escalations. */
  reminderMoment: 'unitMember' | 'unitHead';
  /** Accepted today: the 开启新需求提醒 button steps aside. */
  remindersOn: boolean;
}

interface QueueMethods {
  onTab(e: WechatMiniprogram.CustomEvent<{ index: number }>): void;
  onType(e: WechatMiniprogram.PickerChange): void;
  onEscalated(e: WechatMiniprogram.CustomEvent): void;
  onMine(e: WechatMiniprogram.CustomEvent): void;
  loadMore(): Promise<void>;
  open(e: WechatMiniprogram.BaseEvent): void;
  enableReminders(): Promise<void>;
}

type This = PageThis<QueueData, QueueMethods>;

function filterOf(data: Pick<QueueData, 'active' | 'typeIndex' | 'escalated' | 'mine'>): QueueFilter {
  const filter: QueueFilter = {};
  const status = TABS[data.active] && TABS[data.active].status;
  const type = TYPES[data.typeIndex] && TYPES[data.typeIndex].code;
  if (status) filter.status = status;
  if (type) filter.type = type;
  if (data.escalated) filter.escalated = true;
  if (data.mine) filter.mine = true;
  return filter;
}

const list = pagedList<Need, NeedRow, This>((page, cursor) => page.api.queue(filterOf(page.data), cursor), toRow);

definePage<QueueData, QueueMethods>({
  data: {
    ...emptyList<NeedRow>(),
    tabs: TABS.map((t) => ({ title: t.title })),
    active: 0,
    types: TYPES,
    typeIndex: 0,
    escalated: false,
    mine: false,
    reminderMoment: 'unitMember',
    remindersOn: false,
  },

  onLoad(query) {
    // The home page and the escalation message link to a prepared view (?status=routed, ?escalated=1).
    const index = TABS.findIndex((t) => t.status && t.status === query.status);
    this.setData({
      ...(index >= 0 ? { active: index } : {}),
      escalated: query.escalated === '1',
      mine: query.mine === '1',
      remindersOn: acceptedToday('unitMember'),
    });
    // The reminders are a help, not the queue: without a session the member's set is offered.
    getSession()
      .then((session) => {
        const reminderMoment = session.headOf.length ? 'unitHead' : 'unitMember';
        this.setData({ reminderMoment, remindersOn: acceptedToday(reminderMoment) });
      })
      .catch(() => undefined);
  },

  // Coming back from a detail page where a need was claimed or fulfilled must not show it in the old tab.
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

    onType(e) {
      const typeIndex = Number(e.detail.value);
      if (typeIndex === this.data.typeIndex || !TYPES[typeIndex]) return;
      void list.restart(this, { typeIndex });
    },

    onEscalated(e) {
      void list.restart(this, { escalated: !!e.detail });
    },

    onMine(e) {
      void list.restart(this, { mine: !!e.detail });
    },

    loadMore() {
      return list.more(this);
    },

    // WeChat asks only from a tap, so opening the queue cannot ask by itself: this button does.
    async enableReminders() {
      if (await requestReminders(this.data.reminderMoment)) {
        this.setData({ remindersOn: true });
        wx.showToast({ title: '已开启提醒', icon: 'success' });
      }
    },

    open(e) {
      const id = (e.currentTarget.dataset as { id?: string }).id;
      if (id) wx.navigateTo({ url: `/unit/need-detail/index?id=${id}` });
    },
  },
});
