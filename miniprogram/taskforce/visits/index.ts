/**
 * 走访记录: an enterprise's past visits (or all of the member's, without
 * ?enterpriseId), newest first as the server sends them, so a member can
 * see what was found and promised last time before going again.
 *
 * The first page is kept on the phone: with no signal it is shown from there
 * with 「离线 · 更新于 HH:mm」, never an error page. 未定位 and 非现场 are said
 * in words.
 */
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import type { ListData } from '../../utils/paged-list';
import { emptyList, pagedList } from '../../utils/paged-list';
import { formatDateTime } from '../../utils/time';
import type { Visit } from '../../services/visit-api';
import { loadVisits } from '../../services/visit-api';

interface VisitRow {
  id: string;
  at: string;
  enterpriseName: string;
  place: string;
  offSite: boolean;
  /** False for a visit made without a position (未定位). */
  located: boolean;
  look: string;
  check: string;
  ask: string;
  guideCount: number;
  photoCount: number;
  needCount: number;
}

interface VisitsData extends ListData<VisitRow> {
  enterpriseName: string;
  offlineText: string;
}

interface VisitsMethods {
  loadMore(): Promise<void>;
}

type This = PageThis<VisitsData, VisitsMethods>;

export function toVisitRow(v: Visit): VisitRow {
  const located = v.located !== false;
  const place = !located
    ? '未定位'
    : v.distanceMeters === null || v.distanceMeters === undefined
      ? '企业没有登记位置，未核对距离'
      : `距企业 ${Math.round(v.distanceMeters)} 米${v.offSite ? '，非现场' : ''}`;
  const c = v.checklist || { look: '', check: '', ask: '', guide: [] };
  return {
    id: v.id,
    at: formatDateTime(v.createdAt),
    enterpriseName: v.enterpriseName || '',
    place,
    offSite: !!v.offSite,
    located,
    look: c.look || '',
    check: c.check || '',
    ask: c.ask || '',
    guideCount: (c.guide || []).length,
    photoCount: (v.photos || []).length,
    needCount: (v.needIds || []).length,
  };
}

const list = pagedList<Visit, VisitRow, This>(async (page, cursor) => {
  const loaded = await loadVisits(page.query.enterpriseId, cursor);
  if (!cursor) page.setData({ offlineText: loaded.offlineText });
  // Offline, the copy is the first page only: "more" would need the network anyway.
  return loaded.offline ? { items: loaded.data.items } : loaded.data;
}, toVisitRow);

definePage<VisitsData, VisitsMethods>({
  data: { ...emptyList<VisitRow>(), enterpriseName: '', offlineText: '' },

  onLoad(query) {
    if (query.name) this.setData({ enterpriseName: decodeURIComponent(query.name) });
  },

  load() {
    return list.first(this);
  },

  onReachBottom() {
    void list.more(this);
  },

  methods: {
    loadMore() {
      return list.more(this);
    },
  },
});
