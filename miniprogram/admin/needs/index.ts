/**
 * The needs behind a count of the dashboard: 超时 (?escalated=1), open needs
 * of one type (?type=) or at one unit (?unitCode=), or all open needs. A row
 * opens the need with its timeline.
 */
import type { Need, NeedType } from '../../../typings/api';
import type { AdminNeedFilter } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis, Query } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { NEED_STATUS_LABELS, NEED_TYPE_LABELS, label } from '../../utils/labels';
import type { ListData } from '../../utils/paged-list';
import { emptyList, pagedList } from '../../utils/paged-list';
import { formatDateTime } from '../../utils/time';

interface NeedRow {
  id: string;
  enterpriseName: string;
  typeLabel: string;
  statusLabel: string;
  unitName: string;
  createdAt: string;
  dueAt: string;
  escalated: boolean;
}

interface NeedsData extends ListData<NeedRow> {
  heading: string;
}

interface NeedsMethods {
  open(e: WechatMiniprogram.BaseEvent): void;
  loadMore(): Promise<void>;
}

type This = PageThis<NeedsData, NeedsMethods>;

export function filterOf(query: Query): AdminNeedFilter {
  const filter: AdminNeedFilter = {};
  if (query.escalated === '1') filter.escalated = true;
  if (query.type && query.type in NEED_TYPE_LABELS) filter.type = query.type as NeedType;
  if (query.unitCode) filter.unitCode = query.unitCode;
  return filter;
}

export function toRow(need: Need): NeedRow {
  return {
    id: need.id,
    enterpriseName: need.enterpriseName,
    typeLabel: label(NEED_TYPE_LABELS, need.type),
    statusLabel: label(NEED_STATUS_LABELS, need.status),
    unitName: need.unitName || '责任单位',
    createdAt: formatDateTime(need.createdAt),
    dueAt: formatDateTime(need.dueAt),
    escalated: !!need.escalated,
  };
}

const list = pagedList<Need, NeedRow, This>((page, cursor) => adminApi.needs(filterOf(page.query), cursor), toRow);

async function headingOf(filter: AdminNeedFilter): Promise<string> {
  if (filter.escalated) return '超过办理时限的需求';
  if (filter.type) return `未办结的${label(NEED_TYPE_LABELS, filter.type)}需求`;
  if (filter.unitCode) {
    const units = await adminApi.listUnits().then((r) => r.items, () => []);
    const unit = units.find((u) => u.code === filter.unitCode);
    return unit ? `${unit.name}的未办结需求` : '该单位的未办结需求';
  }
  return '全部未办结需求';
}

definePage<NeedsData, NeedsMethods>({
  data: { ...emptyList<NeedRow>(), heading: '' },

  async load(query) {
    const [first, heading] = await Promise.all([list.first(this), headingOf(filterOf(query))]);
    return { ...first, heading };
  },

  onReachBottom(this: This) {
    void list.more(this);
  },

  methods: {
    open(this: This, e) {
      const id = (e.currentTarget.dataset as { id?: string }).id;
      if (id) wx.navigateTo({ url: `/unit/need-detail/index?id=${id}` });
    },

    loadMore(this: This) {
      return list.more(this);
    },
  },
});
