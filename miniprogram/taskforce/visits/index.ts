/**
 * 走访记录: an enterprise's past visits (or all of the member's, without
 * ?enterpriseId), newest first as the server sends them, so a member can
 * see what was found and promised last time before going again.
 */
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import type { ListData } from '../../utils/paged-list';
import { emptyList, pagedList } from '../../utils/paged-list';
import { formatDateTime } from '../../utils/time';
import type { Visit } from '../../services/visit-api';
import { visitApi } from '../../services/visit-api';

interface VisitRow {
  id: string;
  at: string;
  enterpriseName: string;
  place: string;
  offSite: boolean;
  look: string;
  check: string;
  ask: string;
  guideCount: number;
  photoCount: number;
  needCount: number;
}

interface VisitsData extends ListData<VisitRow> {
  enterpriseName: string;
}

interface VisitsMethods {
  loadMore(): Promise<void>;
}

type This = PageThis<VisitsData, VisitsMethods>;

export function toVisitRow(v: Visit): VisitRow {
  const place =
    v.distanceMeters === null || v.distanceMeters === undefined
      ? '未核对距离'
      : `距企业 ${Math.round(v.distanceMeters)} 米${v.offSite ? '，非现场' : ''}`;
  const c = v.checklist || { look: '', check: '', ask: '', guide: [] };
  return {
    id: v.id,
    at: formatDateTime(v.createdAt),
    enterpriseName: v.enterpriseName || '',
    place,
    offSite: !!v.offSite,
    look: c.look || '',
    check: c.check || '',
    ask: c.ask || '',
    guideCount: (c.guide || []).length,
    photoCount: (v.photos || []).length,
    needCount: (v.needIds || []).length,
  };
}

const list = pagedList<Visit, VisitRow, This>((page, cursor) => visitApi.list(page.query.enterpriseId, cursor), toVisitRow);

definePage<VisitsData, VisitsMethods>({
  data: { ...emptyList<VisitRow>(), enterpriseName: '' },

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
