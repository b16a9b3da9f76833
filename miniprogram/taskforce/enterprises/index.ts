/**
 * 我的走访企业: the zone's enterprises, the overdue ones first (the server
 * sorts them) and marked, so a member sees at a glance where to go next.
 *
 * It is also where queued offline check-ins surface: each show (and the
 * network coming back) sends them, and the page says how many still wait
 * and which ones the server refused, with its reason.
 */
import { definePage } from '../../utils/define-page';
import { INDUSTRY_LABELS } from '../../utils/labels';
import type { FailedCheckIn, FlushSummary } from '../../utils/offline-queue';
import { dismissFailed, failedItems, flushQueue, onQueueChange, pending, startAutoFlush } from '../../utils/offline-queue';
import { formatDateTime } from '../../utils/time';
import type { ZoneEnterprise } from '../../services/visit-api';
import { visitApi } from '../../services/visit-api';

interface EnterpriseRow {
  id: string;
  name: string;
  address: string;
  industryLabel: string;
  /** '逾期未走访' | '从未走访' | '' */
  mark: string;
  lastVisit: string;
  verified: boolean;
}

interface FailedRow {
  clientKey: string;
  enterpriseName: string;
  message: string;
  queuedAt: string;
}

interface EnterprisesData {
  items: EnterpriseRow[];
  empty: boolean;
  overdueCount: number;
  pendingCount: number;
  failed: FailedRow[];
  flushing: boolean;
}

interface EnterprisesMethods {
  open(e: WechatMiniprogram.BaseEvent): void;
  sendNow(): Promise<void>;
  dismiss(e: WechatMiniprogram.BaseEvent): void;
  refreshQueue(summary?: FlushSummary): void;
  onUnload(): void;
}

export function toRow(e: ZoneEnterprise): EnterpriseRow {
  // Never visited is the more urgent of the two, and says so plainly.
  const mark = !e.lastVisitAt ? '从未走访' : e.overdue ? '逾期未走访' : '';
  return {
    id: e.id,
    name: e.name,
    address: e.address,
    industryLabel: (INDUSTRY_LABELS as Record<string, string>)[e.industry] || '',
    mark,
    lastVisit: e.lastVisitAt ? `上次走访 ${formatDateTime(e.lastVisitAt)}` : '尚无走访记录',
    verified: e.verified,
  };
}

function failedRow(f: FailedCheckIn): FailedRow {
  return { clientKey: f.clientKey, enterpriseName: f.enterpriseName, message: f.message, queuedAt: formatDateTime(f.queuedAt) };
}

/** Per page instance, off `data`: the unsubscribe from the queue's change events. */
const unsubscribers = new WeakMap<object, () => void>();

definePage<EnterprisesData, EnterprisesMethods>({
  data: { items: [], empty: false, overdueCount: 0, pendingCount: 0, failed: [], flushing: false },
  // The list changes when a check-in (here or queued) lands: after coming back from the form, show the new last visit.
  reloadOnShow: true,

  async load() {
    const { items } = await visitApi.myEnterprises();
    const rows = items.map(toRow);
    return { items: rows, empty: rows.length === 0, overdueCount: rows.filter((r) => r.mark).length };
  },

  onLoad() {
    startAutoFlush();
    unsubscribers.set(
      this,
      onQueueChange((summary) => this.refreshQueue(summary)),
    );
  },

  onShow() {
    this.refreshQueue();
    // The next page show is one of the moments a queued check-in goes out.
    void flushQueue().catch(() => undefined);
  },

  methods: {
    refreshQueue(summary) {
      this.setData({ pendingCount: pending().length, failed: failedItems().map(failedRow) });
      if (summary && summary.sent > 0) {
        wx.showToast({ title: `已补交 ${summary.sent} 条走访`, icon: 'none' });
        void this.reload();
      }
    },

    async sendNow() {
      if (this.data.flushing) return;
      this.setData({ flushing: true });
      try {
        const summary = await flushQueue();
        if (summary.remaining > 0) wx.showToast({ title: '仍然没有网络，稍后会自动提交', icon: 'none' });
      } catch {
        // Nothing lost: the items stay queued.
      }
      this.setData({ flushing: false });
      this.refreshQueue();
    },

    dismiss(e) {
      dismissFailed(String(e.currentTarget.dataset.key));
      this.refreshQueue();
    },

    open(e) {
      const { id, name } = e.currentTarget.dataset as { id: string; name: string };
      wx.navigateTo({ url: `/taskforce/check-in/index?enterpriseId=${id}&name=${encodeURIComponent(name)}` });
    },

    onUnload() {
      const off = unsubscribers.get(this);
      if (off) off();
    },
  },
});
