/**
 * A unit's queue, cut the way a chamber head works it (issue 9): four tabs
 * — 待认领 · 我在办 · 进行中 (all open) · 已完成 — and the rarer filters (need type,
 * only escalated) folded into one 「筛选」 sheet, so the needs start near the
 * top of the screen. A row the server lets this person claim carries its own
 * 认领 button: claimed in place, the row turns 已认领 without leaving the list.
 */
import type { Need, NeedType, QueueFilter } from '../../../typings/api';
import type { PageThis } from '../../utils/define-page';
import { definePage, STALE_STATE } from '../../utils/define-page';
import { NEED_TYPE_LABELS } from '../../utils/labels';
import type { NeedRow } from '../../utils/need-view';
import { toRow } from '../../utils/need-view';
import type { ListData } from '../../utils/paged-list';
import { emptyList, pagedList } from '../../utils/paged-list';
import { getSession } from '../../services/session';
import { acceptedToday, requestReminders, requestSubscribe } from '../../utils/subscribe';
import { DELIVERED, TO_CLAIM } from '../../contract/statuses';

interface Tab {
  key: 'toClaim' | 'mine' | 'open' | 'done';
  title: string;
  filter: QueueFilter;
  /** What an empty tab says when no filter narrows it. */
  empty: string;
}

/** Four short titles fit a 360-px screen at the largest font without scrolling. 进行中 sends no status: the server's default is every open status (and triage's rejected needs). */
const TABS: Tab[] = [
  { key: 'toClaim', title: '待认领', filter: { status: TO_CLAIM }, empty: '没有待认领的需求' },
  { key: 'mine', title: '我在办', filter: { mine: true }, empty: '您没有在办的需求' },
  { key: 'open', title: '进行中', filter: {}, empty: '没有进行中的需求' },
  { key: 'done', title: '已完成', filter: { status: DELIVERED }, empty: '还没有已完成的需求' },
];

const TYPES: { code: NeedType | ''; name: string }[] = [
  { code: '', name: '全部类型' },
  ...(Object.keys(NEED_TYPE_LABELS) as NeedType[]).map((code) => ({ code, name: NEED_TYPE_LABELS[code] })),
];

interface QueueRow extends NeedRow {
  /** Claimed from this row a moment ago: the row says so instead of offering the button. */
  claimedHere: boolean;
}

interface QueueData extends ListData<QueueRow> {
  tabs: { title: string }[];
  active: number;
  types: { code: string; name: string }[];
  typeIndex: number;
  escalated: boolean;
  /** The 筛选 sheet and what is picked in it before 确定. */
  filterShown: boolean;
  draftTypeIndex: number;
  draftEscalated: boolean;
  /** 「筛选 · 融资 · 只看超时」: what narrows the list now, '' when nothing does. */
  filterSummary: string;
  emptyText: string;
  /** The row whose 认领 is being sent. */
  claimingId: string;
  /** Which reminders this person is asked for: a head also hears of escalations. */
  reminderMoment: 'unitMember' | 'unitHead';
  /** Accepted today: the 开启新需求提醒 button steps aside. */
  remindersOn: boolean;
}

interface QueueMethods {
  onTab(e: WechatMiniprogram.CustomEvent<{ index: number }>): void;
  openFilter(): void;
  closeFilter(): void;
  pickType(e: WechatMiniprogram.BaseEvent): void;
  onDraftEscalated(e: WechatMiniprogram.CustomEvent): void;
  applyFilter(): Promise<void>;
  clearFilter(): Promise<void>;
  loadMore(): Promise<void>;
  open(e: WechatMiniprogram.BaseEvent): void;
  claim(e: WechatMiniprogram.BaseEvent): Promise<void>;
  noop(): void;
  enableReminders(): Promise<void>;
}

type This = PageThis<QueueData, QueueMethods>;

function filterOf(data: Pick<QueueData, 'active' | 'typeIndex' | 'escalated'>): QueueFilter {
  const filter: QueueFilter = { ...(TABS[data.active] || TABS[0]).filter };
  const type = TYPES[data.typeIndex] && TYPES[data.typeIndex].code;
  if (type) filter.type = type;
  if (data.escalated) filter.escalated = true;
  return filter;
}

/** The words around the list that follow the tab and the filters. */
function framing(data: Pick<QueueData, 'active' | 'typeIndex' | 'escalated'>) {
  const parts = [data.typeIndex > 0 ? TYPES[data.typeIndex].name : '', data.escalated ? '只看超时' : ''].filter(Boolean);
  return {
    filterSummary: parts.join(' · '),
    emptyText: parts.length ? '没有符合筛选的需求' : (TABS[data.active] || TABS[0]).empty,
  };
}

const asRow = (need: Need): QueueRow => ({ ...toRow(need, 'handler'), claimedHere: false });

const list = pagedList<Need, QueueRow, This>((page, cursor) => page.api.queue(filterOf(page.data), cursor), asRow);

definePage<QueueData, QueueMethods>({
  data: {
    ...emptyList<QueueRow>(),
    tabs: TABS.map((t) => ({ title: t.title })),
    active: 0,
    types: TYPES,
    typeIndex: 0,
    escalated: false,
    filterShown: false,
    draftTypeIndex: 0,
    draftEscalated: false,
    ...framing({ active: 0, typeIndex: 0, escalated: false }),
    claimingId: '',
    reminderMoment: 'unitMember',
    remindersOn: false,
  },

  onLoad(query) {
    // Links open a prepared view: ?status=routed (待认领), ?mine=1 (我在办), ?escalated=1 (超时, among all open needs).
    const escalated = query.escalated === '1';
    const key = query.mine === '1' ? 'mine' : query.status === 'routed' ? 'toClaim' : escalated ? 'open' : 'toClaim';
    const active = TABS.findIndex((t) => t.key === key);
    this.setData({
      active,
      escalated,
      ...framing({ active, typeIndex: 0, escalated }),
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
      const active = Number(e.detail.index);
      if (active === this.data.active) return;
      void list.restart(this, { active, ...framing({ ...this.data, active }) });
    },

    openFilter() {
      this.setData({ filterShown: true, draftTypeIndex: this.data.typeIndex, draftEscalated: this.data.escalated });
    },

    closeFilter() {
      this.setData({ filterShown: false });
    },

    pickType(e) {
      const index = Number((e.currentTarget.dataset as { index?: number }).index);
      if (TYPES[index]) this.setData({ draftTypeIndex: index });
    },

    onDraftEscalated(e) {
      this.setData({ draftEscalated: !!e.detail });
    },

    async applyFilter() {
      const next = { typeIndex: this.data.draftTypeIndex, escalated: this.data.draftEscalated };
      this.setData({ filterShown: false });
      if (next.typeIndex === this.data.typeIndex && next.escalated === this.data.escalated) return;
      await list.restart(this, { ...next, ...framing({ ...this.data, ...next }) });
    },

    async clearFilter() {
      const next = { typeIndex: 0, escalated: false, draftTypeIndex: 0, draftEscalated: false, filterShown: false };
      await list.restart(this, { ...next, ...framing({ ...this.data, ...next }) });
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

    /** 认领 on a row: the same claim as on the need page, without opening it. */
    async claim(e) {
      const id = (e.currentTarget.dataset as { id?: string }).id;
      if (!id || this.data.busy) return;
      this.setData({ claimingId: id });
      // Inside the tap: WeChat shows the dialog only then. The answer never blocks the claim.
      await requestSubscribe('claim');
      // Lost to someone faster (CONFLICT) or moved on: the message shows and the list reloads as it now stands.
      const claimed = await this.send(() => this.api.claimNeed(id), { reloadOn: STALE_STATE });
      this.setData({ claimingId: '' });
      if (!claimed) return;
      wx.showToast({ title: '已认领', icon: 'success' });
      this.setData({ items: this.data.items.map((row) => (row.id === id ? { ...asRow(claimed), claimedHere: true } : row)) });
    },

    // The row's buttons sit inside the row: their taps must not also open the need.
    noop() {},
  },
});
