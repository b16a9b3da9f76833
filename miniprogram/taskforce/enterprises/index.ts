/**
 * 我的走访企业: every enterprise of the member's zones, overdue first (the
 * server's order), as a list or on a map, each one tap from 拨打 · 导航 ·
 * 签到 · 核实.
 *
 * - Offline first (issue 9): the whole zone is kept on the phone (paged in
 *   from the server, 200 at a time) and shown from there with 「离线 ·
 *   更新于 HH:mm」 when a refresh fails; never an error page over a copy. A
 *   copy younger than FRESH_MS is not fetched again on every show; a
 *   check-in patches it in place; pulling down fetches it afresh.
 * - A zone may hold 1,100 enterprises: the rows live off `data` and are
 *   shown a screenful at a time, so setData stays small on a mid-range phone.
 * - Queued offline check-ins surface here: each show (and the network coming
 *   back) sends them; the page says how many still wait, and a refused one
 *   reopens in the check-in page with everything the member entered.
 */
import { definePage } from '../../utils/define-page';
import { ageOf, isRevoking } from '../../utils/offline-cache';
import type { FailedCheckIn, FlushSummary } from '../../utils/offline-queue';
import { dismissFailed, failedItems, flushQueue, onQueueChange, pending, startAutoFlush } from '../../utils/offline-queue';
import { formatDateTime } from '../../utils/time';
import type { EnterpriseRow, Marker } from '../zone';
import { LEGEND, mapPatch, ROWS_PER_SCREEN, stateOf, toRow } from '../zone';
import type { VisitProfile, ZoneList } from '../../services/visit-api';
import {
  FRESH_MS,
  isNetworkFailure,
  loadProfile,
  loadZone,
  patchStoredEnterprise,
  storedProfile,
  storedZone,
  visitApi,
} from '../../services/visit-api';

interface FailedRow {
  clientKey: string;
  enterpriseId: string;
  enterpriseName: string;
  message: string;
  queuedAt: string;
}

interface EnterprisesData {
  view: 'list' | 'map';
  shown: EnterpriseRow[];
  hasMore: boolean;
  total: number;
  empty: boolean;
  overdueCount: number;
  unverifiedCount: number;
  offlineText: string;
  /** 「正在下载企业 200/1100」 while the zone pages in over a weak signal. */
  progress: string;
  profileText: string;
  markers: Marker[];
  points: { latitude: number; longitude: number }[];
  center: { latitude: number; longitude: number };
  unplaced: EnterpriseRow[];
  legend: typeof LEGEND;
  selected: EnterpriseRow | null;
  pendingCount: number;
  failed: FailedRow[];
  flushing: boolean;
}

interface EnterprisesMethods {
  showList(): void;
  showMap(): void;
  onMarker(e: WechatMiniprogram.CustomEvent): void;
  closeCard(): void;
  more(): void;
  call(e: WechatMiniprogram.BaseEvent): void;
  navigate(e: WechatMiniprogram.BaseEvent): void;
  checkIn(e: WechatMiniprogram.BaseEvent): void;
  verify(e: WechatMiniprogram.BaseEvent): void;
  confirmVerify(row: EnterpriseRow): Promise<void>;
  sendNow(): Promise<void>;
  reopen(e: WechatMiniprogram.BaseEvent): void;
  discard(e: WechatMiniprogram.BaseEvent): void;
  refreshQueue(summary?: FlushSummary): void;
  applyZone(zone: ZoneList): Partial<EnterprisesData>;
  rowOf(id: string): EnterpriseRow | undefined;
  onUnload(): void;
}

function profileTextOf(p: VisitProfile | null): string {
  if (!p) return '';
  const zones = p.zones.map((z) => z.name).join('、');
  // A no-break space after 「·」: at large text the separator wraps with the zones, never dangles at a line end.
  return zones ? `${p.taskForceName} ·\u00a0${zones}` : p.taskForceName;
}

function failedRow(f: FailedCheckIn): FailedRow {
  return {
    clientKey: f.clientKey,
    enterpriseId: f.input.enterpriseId,
    enterpriseName: f.enterpriseName,
    message: f.message,
    queuedAt: formatDateTime(f.queuedAt),
  };
}

/** Per page instance, off `data`: every row of the zone, the queue unsubscribe, and a pull-down's "fetch afresh". */
const rowsOf = new WeakMap<object, EnterpriseRow[]>();
const unsubscribers = new WeakMap<object, () => void>();
const forced = new WeakSet<object>();

const NEEDS_NETWORK = '核实需要联网，请到有信号的地方再点「核实」';

definePage<EnterprisesData, EnterprisesMethods>({
  data: {
    view: 'list',
    shown: [],
    hasMore: false,
    total: 0,
    empty: false,
    overdueCount: 0,
    unverifiedCount: 0,
    offlineText: '',
    progress: '',
    profileText: '',
    markers: [],
    points: [],
    center: { latitude: 0, longitude: 0 },
    unplaced: [],
    legend: LEGEND,
    selected: null,
    pendingCount: 0,
    failed: [],
    flushing: false,
  },
  // The list changes when a check-in (here or queued) lands: coming back from the form shows the new last visit.
  reloadOnShow: true,

  async load() {
    const stored = storedZone();
    const force = forced.has(this);
    forced.delete(this);
    const profile = storedProfile();
    if (profile) this.setData({ profileText: profileTextOf(profile.data) });
    if (stored && !force && ageOf(stored) < FRESH_MS) return { ...this.applyZone(stored.data), offlineText: '' };
    // The copy on screen at once while the zone pages in: a weak signal takes a while for 1,100 enterprises.
    if (stored) this.setData({ ...this.applyZone(stored.data), loading: false });
    void loadProfile()
      .then((p) => this.setData({ profileText: profileTextOf(p.data) }))
      .catch(() => undefined);
    try {
      const zone = await loadZone((loaded, total) => {
        if (total > loaded) this.setData({ progress: `正在下载企业 ${loaded}/${total}` });
      });
      return { ...this.applyZone(zone.data), offlineText: zone.offlineText, progress: '' };
    } catch (err) {
      this.setData({ progress: '' });
      if (isRevoking(err)) rowsOf.delete(this);
      throw err;
    }
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

  onPullDownRefresh() {
    forced.add(this);
    return this.reload();
  },

  onReachBottom() {
    if (this.data.view === 'list') this.more();
  },

  methods: {
    applyZone(zone) {
      const rows = zone.items.map(toRow);
      rowsOf.set(this, rows);
      const limit = Math.max(ROWS_PER_SCREEN, this.data.shown.length);
      const patch: Partial<EnterprisesData> = {
        shown: rows.slice(0, limit),
        hasMore: rows.length > limit,
        total: rows.length,
        empty: rows.length === 0,
        overdueCount: rows.filter((r) => r.overdue).length,
        unverifiedCount: rows.filter((r) => !r.verified).length,
        unplaced: rows.filter((r) => !r.located),
      };
      if (this.data.view === 'map') Object.assign(patch, mapPatch(rows));
      if (this.data.selected) patch.selected = rows.find((r) => r.id === this.data.selected!.id) || null;
      return patch;
    },

    rowOf(id) {
      return (rowsOf.get(this) || []).find((r) => r.id === id);
    },

    showList() {
      this.setData({ view: 'list', selected: null });
    },

    showMap() {
      // Markers are built only when the map is opened: most visits start from the list.
      this.setData({ view: 'map', ...mapPatch(rowsOf.get(this) || []) });
    },

    onMarker(e) {
      const rows = rowsOf.get(this) || [];
      const row = rows[Number((e.detail as { markerId?: number }).markerId)];
      if (row) this.setData({ selected: row });
    },

    closeCard() {
      this.setData({ selected: null });
    },

    more() {
      const rows = rowsOf.get(this) || [];
      const limit = this.data.shown.length + ROWS_PER_SCREEN;
      if (this.data.shown.length >= rows.length) return;
      this.setData({ shown: rows.slice(0, limit), hasMore: rows.length > limit });
    },

    call(e) {
      const row = this.rowOf(String(e.currentTarget.dataset.id));
      if (!row) return;
      if (!row.phone) {
        wx.showToast({ title: '这家企业没有登记联系电话', icon: 'none' });
        return;
      }
      wx.makePhoneCall({ phoneNumber: row.phone, fail: () => undefined });
    },

    navigate(e) {
      const row = this.rowOf(String(e.currentTarget.dataset.id));
      if (!row) return;
      if (!row.located) {
        wx.showToast({ title: '这家企业还没有标注位置', icon: 'none' });
        return;
      }
      wx.openLocation({ latitude: row.latitude, longitude: row.longitude, name: row.name, address: row.address, scale: 16, fail: () => undefined });
    },

    checkIn(e) {
      const row = this.rowOf(String(e.currentTarget.dataset.id));
      if (!row) return;
      wx.navigateTo({ url: `/taskforce/check-in/index?enterpriseId=${row.id}&name=${encodeURIComponent(row.name)}` });
    },

    verify(e) {
      const row = this.rowOf(String(e.currentTarget.dataset.id));
      if (!row || row.verified) return;
      wx.showModal({
        title: '核实企业',
        content: `确认「${row.name}」的名称、地址和经营情况已当面核对属实？核实后，办理需求的单位会看到它已核实。`,
        confirmText: '确认核实',
        cancelText: '再看看',
        success: (res) => {
          if (res.confirm) void this.confirmVerify(row);
        },
      });
    },

    async confirmVerify(row) {
      let offline = false;
      const done = await this.send(() => visitApi.verify(row.id), {
        onError: (err) => {
          if (!isNetworkFailure(err)) return false;
          offline = true;
          wx.showToast({ title: NEEDS_NETWORK, icon: 'none', duration: 3000 });
          return true;
        },
      });
      if (offline) this.setData({ sendError: '' });
      if (!done) return;
      patchStoredEnterprise(row.id, { verified: true });
      const rows = (rowsOf.get(this) || []).map((r) => (r.id === row.id ? { ...r, verified: true, state: stateOf({ overdue: r.overdue, verified: true }) } : r));
      rowsOf.set(this, rows);
      const patch: Record<string, unknown> = {
        shown: rows.slice(0, this.data.shown.length),
        unplaced: rows.filter((r) => !r.located),
        unverifiedCount: rows.filter((r) => !r.verified).length,
      };
      if (this.data.selected && this.data.selected.id === row.id) patch.selected = rows.find((r) => r.id === row.id);
      if (this.data.view === 'map') Object.assign(patch, mapPatch(rows));
      this.setData(patch);
      wx.showToast({ title: '已核实', icon: 'success' });
    },

    refreshQueue(summary) {
      this.setData({ pendingCount: pending().length, failed: failedItems().map(failedRow) });
      if (summary && summary.sent > 0) {
        wx.showToast({ title: `已补交 ${summary.sent} 条走访`, icon: 'none' });
        // The sent visits were patched into the copy on the phone: show them without fetching the zone.
        const stored = storedZone();
        if (stored) this.setData(this.applyZone(stored.data));
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

    reopen(e) {
      const key = String(e.currentTarget.dataset.key);
      const item = failedItems().find((f) => f.clientKey === key);
      if (!item) return;
      wx.navigateTo({
        url: `/taskforce/check-in/index?retry=${encodeURIComponent(key)}&enterpriseId=${item.input.enterpriseId}&name=${encodeURIComponent(item.enterpriseName)}`,
      });
    },

    discard(e) {
      const key = String(e.currentTarget.dataset.key);
      wx.showModal({
        title: '放弃这条走访？',
        content: '填写的内容和照片会从手机上删除，不能恢复。',
        confirmText: '放弃',
        cancelText: '保留',
        success: (res) => {
          if (!res.confirm) return;
          dismissFailed(key);
          this.refreshQueue();
        },
      });
    },

    onUnload() {
      const off = unsubscribers.get(this);
      if (off) off();
    },
  },
});
