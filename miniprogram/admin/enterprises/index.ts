/**
 * The enterprises behind a figure of the dashboard: 复工率 (?verified=1),
 * one zone (?zone=), one industry (?industry=), or the ones a task force is
 * due to visit (?taskForceId=&overdue=1). Each row says whether the
 * enterprise has resumed and been verified, how many are back at work and
 * when it was last visited; tapping the number calls the contact.
 */
import type { IndustryCode, Page } from '../../../typings/api';
import type { AdminEnterpriseFilter, AdminEnterpriseRow } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis, Query } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { INDUSTRY_LABELS, label } from '../../utils/labels';
import type { ListData } from '../../utils/paged-list';
import { emptyList, pagedList } from '../../utils/paged-list';
import { formatDate } from '../../utils/time';

interface EnterpriseRow {
  id: string;
  name: string;
  zoneName: string;
  resumed: boolean;
  verified: boolean;
  /** Another, verified enterprise has this exact name. */
  namesake: boolean;
  back: string;
  lastVisit: string;
  contactName: string;
  phone: string;
  /** A full number can be dialled; a masked one (docs/access.md) is shown as text only. */
  callable: boolean;
}

interface EnterprisesData extends ListData<EnterpriseRow> {
  heading: string;
  /** 共 N 家, from the first page's total. */
  total: string;
}

interface EnterprisesMethods {
  call(e: WechatMiniprogram.BaseEvent): void;
  loadMore(): Promise<void>;
}

type This = PageThis<EnterprisesData, EnterprisesMethods>;

const on = (v: string | undefined) => v === '1' || v === 'true';
const off = (v: string | undefined) => v === '0' || v === 'false';

export function filterOf(query: Query): AdminEnterpriseFilter {
  const filter: AdminEnterpriseFilter = {};
  if (query.zone) filter.zone = query.zone;
  if (query.industry && query.industry in INDUSTRY_LABELS) filter.industry = query.industry as IndustryCode;
  if (query.taskForceId) filter.taskForceId = query.taskForceId;
  for (const key of ['verified', 'resumed', 'overdue'] as const) {
    if (on(query[key])) filter[key] = true;
    else if (off(query[key])) filter[key] = false;
  }
  return filter;
}

export function toRow(e: AdminEnterpriseRow): EnterpriseRow {
  return {
    id: e.id,
    name: e.name,
    zoneName: e.zoneName || '未知区域',
    resumed: !!e.resumed,
    verified: !!e.verified,
    namesake: !!e.nameMatchesVerified,
    back: `返岗 ${e.employeesBack || 0}/${e.employeesTotal || 0} 人`,
    lastVisit: e.lastVisitAt ? `上次走访 ${formatDate(e.lastVisitAt)}` : '尚未走访',
    contactName: e.contactName || '',
    phone: e.contactPhone || '',
    callable: !!e.contactPhone && !e.contactPhone.includes('*'),
  };
}

const totals = new WeakMap<object, number>();

const list = pagedList<AdminEnterpriseRow, EnterpriseRow, This>(async (page, cursor) => {
  const answer = await adminApi.enterprises(filterOf(page.query), cursor);
  if (!cursor) totals.set(page, answer.total);
  return answer as Page<AdminEnterpriseRow>;
}, toRow);

/** What the list is, in words: the filter's zone, industry or task force by name, never a code. */
async function headingOf(filter: AdminEnterpriseFilter): Promise<string> {
  const parts: string[] = [];
  if (filter.taskForceId) {
    const forces = await adminApi.listTaskForces().then((r) => r.items, () => []);
    const tf = forces.find((f) => f.id === filter.taskForceId);
    parts.push(tf ? tf.name : '该专班');
  }
  if (filter.zone) {
    const options = await adminApi.enterpriseOptions().catch(() => null);
    const zone = options ? options.zones.find((z) => z.code === filter.zone) : undefined;
    parts.push(zone ? zone.name : '该区域');
  }
  if (filter.industry) parts.push(label(INDUSTRY_LABELS, filter.industry));
  if (filter.verified === true) parts.push('已核实');
  if (filter.verified === false) parts.push('未核实');
  if (filter.resumed === true) parts.push('已复工');
  if (filter.resumed === false) parts.push('未复工');
  if (filter.overdue === true) parts.push('待走访');
  return [...parts, '企业'].join(' · ');
}

definePage<EnterprisesData, EnterprisesMethods>({
  data: { ...emptyList<EnterpriseRow>(), heading: '', total: '' },

  async load(query) {
    const [first, heading] = await Promise.all([list.first(this), headingOf(filterOf(query))]);
    if (typeof wx.setNavigationBarTitle === 'function') wx.setNavigationBarTitle({ title: heading });
    const total = totals.get(this);
    return { ...first, heading, total: typeof total === 'number' ? `共 ${total} 家` : '' };
  },

  onReachBottom(this: This) {
    void list.more(this);
  },

  methods: {
    call(this: This, e) {
      const phone = (e.currentTarget.dataset as { phone?: string }).phone;
      if (!phone) {
        wx.showToast({ title: '这家企业没有登记联系电话', icon: 'none' });
        return;
      }
      // Admins see phones masked (docs/access.md): the zone's task force or the handling unit calls.
      if (phone.includes('*')) {
        wx.showToast({ title: '电话已隐去，请联系所在区域的服务专班', icon: 'none' });
        return;
      }
      wx.makePhoneCall({ phoneNumber: phone, fail: () => undefined });
    },

    loadMore(this: This) {
      return list.more(this);
    },
  },
});
