/**
 * The admin's overview of the ledger: headline figures, rates by zone and
 * industry, open needs by type and unit, visit coverage, the trend of the
 * two rates and the units ranked, the two Excel exports that are forwarded
 * to the federation's leaders from the phone, and the way into every page
 * where the district's configuration is edited. Every count taps through to
 * the list behind it: needs to /admin/needs, enterprises to /admin/enterprises.
 */
import type { EnterpriseOptions } from '../../../typings/api';
import type { ChartSeries } from '../common/chart-layout';
import type { KpiRow } from '../common/dashboard-view';
import { daysBefore, flowRows, kpiRows, trendView, type FlowRow } from '../common/dashboard-view';
import type { ExportKind, LedgerSummary, LedgerSummaryAsOf, Rates, TaskForceOption, UnitOption } from '../../services/admin-api';
import { adminApi, downloadExport, openExport } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage, messageOf } from '../../utils/define-page';
import { INDUSTRY_LABELS, NEED_TYPE_LABELS, label } from '../../utils/labels';
import { acceptedToday, requestReminders } from '../../utils/subscribe';
import { formatDateTime, todayInChina } from '../../utils/time';

interface Figure {
  key: string;
  label: string;
  value: string;
  unit: string;
  /** Breaches and open needs draw the eye only when there are some. */
  alert: boolean;
  /** The list behind the count, '' when there is none to show. */
  url: string;
}


/** The configuration pages, in the order an admin sets a district up. */
const MANAGE = [
  { key: 'rules', title: '分派规则', label: '需求分派给哪个单位、办理时限', url: '/admin/rules/index' },
  { key: 'units', title: '责任单位', label: '单位名称、类型和成员', url: '/admin/units/index' },
  { key: 'zones', title: '区域', label: '园区、街道和镇', url: '/admin/zones/index' },
  { key: 'taskforces', title: '服务专班', label: '专班负责的区域和成员', url: '/admin/taskforces/index' },
  { key: 'policies', title: '政策', label: '扶持政策的发布和修改', url: '/admin/policies/index' },
  { key: 'settings', title: '系统设置', label: '分诊单位、认领时长、走访周期等', url: '/admin/settings/index' },
  { key: 'holidays', title: '节假日', label: '放假和调休上班的日子', url: '/admin/holidays/index' },
  { key: 'invite', title: '邀请码', label: '发放和撤销邀请码', url: '/admin/invite/index' },
  { key: 'import', title: '导入企业名单', label: '从 Excel 表格批量导入', url: '/admin/import/index' },
  { key: 'preview', title: '分派预览', label: '试一试某类需求会分派到哪里', url: '/admin/route-preview/index' },
];

interface RateRow {
  code: string;
  name: string;
  enterprises: number;
  reported: number;
  resumption: string;
  workforce: string;
  /** The enterprises the row counts. */
  url: string;
}

interface CountRow {
  code: string;
  name: string;
  count: number;
  url: string;
}

interface CoverageRow {
  id: string;
  /** The task force's name, or its id when the names could not be loaded. */
  name: string;
  visited: number;
  enterprises: number;
  rate: string;
  /** The enterprises of its zones due a visit. */
  url: string;
}

interface DashboardData {
  figures: Figure[];
  zones: RateRow[];
  industries: RateRow[];
  needTypes: CountRow[];
  needUnits: CountRow[];
  coverage: CoverageRow[];
  /** Which export is running ('' when none), so only its button spins and both are disabled. */
  exporting: '' | ExportKind;
  exportStage: string;
  exportError: string;
  /** Escalation reminders accepted today: the 开启超时提醒 button steps aside. */
  remindersOn: boolean;
  /** 数据截至 HH:mm: the summary's own time, or when its answer arrived. */
  asOf: string;
  trendLabels: string[];
  trendSeries: ChartSeries[];
  /** Needs opened and fulfilled per day, newest first. */
  flow: FlowRow[];
  flowError: string;
  /** '' when the trend loaded; otherwise why it is missing (the rest of the page still shows). */
  trendError: string;
  kpis: KpiRow[];
  kpiError: string;
  manage: typeof MANAGE;
}

interface DashboardMethods {
  exportLedger(): Promise<void>;
  exportReport(): Promise<void>;
  runExport(kind: ExportKind): Promise<void>;
  enableReminders(): Promise<void>;
  open(e: WechatMiniprogram.BaseEvent): void;
}

type This = PageThis<DashboardData, DashboardMethods>;

/** "85.0%"; a rate over no enterprises is not a 0% and shows as a dash. */
export function pct(rate: number | null | undefined): string {
  if (typeof rate !== 'number' || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(1)}%`;
}

/** Seven digits do not fit a half-width figure at the largest font: 1285000 → "128.5万". */
export function count(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  if (Math.abs(n) >= 100000) return `${Number((n / 10000).toFixed(1))}万`;
  return String(n);
}

/** Amounts arrive in 万元; from 10 亿 on they read better in 亿元 than as "10万万元". */
function financingFigure(wan: number): Figure {
  const big = typeof wan === 'number' && wan >= 100000;
  return {
    key: 'financing',
    label: '已对接融资',
    value: big ? String(Number((wan / 10000).toFixed(1))) : count(wan),
    unit: big ? '亿元' : '万元',
    alert: false,
    url: '',
  };
}

function rateRows(map: Record<string, Rates>, nameOf: (code: string) => string, urlOf: (code: string) => string): RateRow[] {
  return Object.keys(map || {})
    .map((code) => {
      const r = map[code];
      return {
        code,
        name: nameOf(code),
        enterprises: r.enterprises,
        reported: r.reported,
        resumption: r.enterprises ? pct(r.resumptionRate) : '—',
        workforce: r.employeesTotal ? pct(r.workforceReturnRate) : '—',
        url: urlOf(code),
      };
    })
    .sort((a, b) => b.enterprises - a.enterprises);
}

function countRows(map: Record<string, number>, nameOf: (code: string) => string, urlOf: (code: string) => string): CountRow[] {
  return Object.keys(map || {})
    .map((code) => ({ code, name: nameOf(code), count: map[code], url: urlOf(code) }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count);
}

/** Zone and unit names are nice to have: a failed lookup shows a plain word rather than hiding the figures (never a code). */
function namesOf(items: { code: string; name: string }[] | undefined, unknown: string): (code: string) => string {
  const map: Record<string, string> = {};
  for (const item of items || []) map[item.code] = item.name;
  return (code) => map[code] || unknown;
}

const NEEDS_PAGE = '/admin/needs/index';
const ENTERPRISES_PAGE = '/admin/enterprises/index';

export function toView(
  s: LedgerSummary,
  options: EnterpriseOptions | null,
  units: UnitOption[] | null,
  taskForces: TaskForceOption[] | null = null,
): Pick<DashboardData, 'figures' | 'zones' | 'industries' | 'needTypes' | 'needUnits' | 'coverage'> {
  const zoneName = namesOf(options ? options.zones : undefined, '未能读取区域名称');
  const unitName = namesOf(units || undefined, '未能读取单位名称');
  const taskForceName = namesOf(
    (taskForces || []).map((tf) => ({ code: tf.id, name: tf.name })),
    '未能读取专班名称',
  );
  const o = s.overall;
  // The rates count verified enterprises unless the district counts every one: the lists behind them match.
  const scope = s.includesUnverified ? '' : 'verified=1';
  const enterprisesOf = (filter: string) => {
    const q = [filter, scope].filter(Boolean).join('&');
    return q ? `${ENTERPRISES_PAGE}?${q}` : ENTERPRISES_PAGE;
  };
  return {
    figures: [
      // The headline counts verified enterprises; self-reported, unverified ones are named apart.
      { key: 'resumption', label: '复工率', value: pct(o.resumptionRate), unit: `${o.resumed}/${o.enterprises} 家${s.unverified && !s.includesUnverified ? `（已核实；另有未核实 ${s.unverified.enterprises} 家）` : ''}`, alert: false, url: o.enterprises > 0 ? enterprisesOf('') : '' },
      { key: 'workforce', label: '返岗率', value: pct(o.workforceReturnRate), unit: `${o.employeesBack}/${o.employeesTotal} 人`, alert: false, url: o.enterprises > 0 ? enterprisesOf('') : '' },
      { key: 'open', label: '未办结需求', value: count(s.openNeeds.total), unit: '项', alert: s.openNeeds.total > 0, url: s.openNeeds.total > 0 ? NEEDS_PAGE : '' },
      { key: 'breaches', label: '超时', value: String(s.slaBreaches), unit: '项', alert: s.slaBreaches > 0, url: s.slaBreaches > 0 ? `${NEEDS_PAGE}?escalated=1` : '' },
      { key: 'supplies', label: '已送达物资', value: count(s.suppliesDelivered), unit: '件（各类物资合计）', alert: false, url: '' },
      financingFigure(s.financingGrantedWan),
    ],
    zones: rateRows(s.byZone, zoneName, (code) => enterprisesOf(`zone=${encodeURIComponent(code)}`)),
    industries: rateRows(s.byIndustry, (code) => label(INDUSTRY_LABELS, code), (code) => enterprisesOf(`industry=${encodeURIComponent(code)}`)),
    needTypes: countRows(s.openNeeds.byType, (code) => label(NEED_TYPE_LABELS, code), (code) => `${NEEDS_PAGE}?type=${code}`),
    needUnits: countRows(s.openNeeds.byUnit, unitName, (code) => `${NEEDS_PAGE}?unitCode=${code}`),
    coverage: Object.keys(s.visitCoverage || {})
      .sort()
      .map((id) => {
        const c = s.visitCoverage[id];
        // Coverage counts every enterprise of the zones, verified or not: so does the list of those due a visit.
        const url = c.enterprises > c.visited ? `${ENTERPRISES_PAGE}?taskForceId=${encodeURIComponent(id)}&overdue=1` : '';
        return { id, name: taskForceName(id), visited: c.visited, enterprises: c.enterprises, rate: c.enterprises ? pct(c.rate) : '—', url };
      }),
  };
}

const EXPORT_NAMES: Record<ExportKind, string> = { ledger: '复工台账', report: '专报' };

definePage<DashboardData, DashboardMethods>({
  data: {
    figures: [],
    zones: [],
    industries: [],
    needTypes: [],
    needUnits: [],
    coverage: [],
    exporting: '',
    exportStage: '',
    exportError: '',
    remindersOn: false,
    asOf: '',
    trendLabels: [],
    trendSeries: [],
    trendError: '',
    flow: [],
    flowError: '',
    kpis: [],
    kpiError: '',
    manage: MANAGE,
  },

  async load() {
    // The summary is what matters; names and charts only add to it, so their failure must not fail the page.
    const today = todayInChina();
    const [summary, options, units, taskForces, trend, kpis, flow] = await Promise.all([
      adminApi.summary() as Promise<LedgerSummaryAsOf>,
      adminApi.enterpriseOptions().catch(() => null),
      adminApi
        .listUnits()
        .then((r) => r.items)
        .catch(() => null),
      adminApi
        .listTaskForces()
        .then((r) => r.items)
        .catch(() => null),
      // Shaped inside the chain: an answer the chart cannot read fails the chart, not the page.
      adminApi
        .trend(30)
        .then((r) => trendView(r.days))
        .catch((err: unknown) => new Error(messageOf(err))),
      adminApi
        .unitKpis(daysBefore(today, 29), today)
        .then((r) => kpiRows(r.items))
        .catch((err: unknown) => new Error(messageOf(err))),
      adminApi
        .flow(14)
        .then((r) => flowRows(r.days))
        .catch((err: unknown) => new Error(messageOf(err))),
    ]);
    // Today's figures say the time; older ones (a stalled scheduler, a demo database) say the day too.
    const stamp = formatDateTime(summary.asOf || new Date().toISOString());
    const asOf = stamp.slice(0, 10) === today ? stamp.slice(11) : stamp;
    return {
      ...toView(summary, options, units, taskForces),
      remindersOn: acceptedToday('admin'),
      asOf,
      ...(trend instanceof Error ? { trendLabels: [], trendSeries: [], trendError: `趋势图暂时无法显示：${trend.message}` } : { ...trend, trendError: '' }),
      ...(kpis instanceof Error ? { kpis: [], kpiError: `单位排行暂时无法显示：${kpis.message}` } : { kpis, kpiError: '' }),
      ...(flow instanceof Error ? { flow: [], flowError: `每日需求暂时无法显示：${flow.message}` } : { flow, flowError: '' }),
    };
  },

  methods: {
    open(this: This, e) {
      const url = (e.currentTarget.dataset as { url?: string }).url;
      if (url) wx.navigateTo({ url });
    },

    // WeChat asks only from a tap: escalations anywhere in the district are the admin's to hear of.
    async enableReminders(this: This) {
      if (await requestReminders('admin')) {
        this.setData({ remindersOn: true });
        wx.showToast({ title: '已开启提醒', icon: 'success' });
      }
    },

    exportLedger(this: This) {
      return this.runExport('ledger');
    },

    exportReport(this: This) {
      return this.runExport('report');
    },

    async runExport(this: This, kind: ExportKind) {
      // Building the workbook takes seconds; a second tap would build it twice.
      if (this.data.exporting) return;
      this.setData({ exporting: kind, exportStage: `正在生成${EXPORT_NAMES[kind]}，请稍候…`, exportError: '' });
      try {
        const result = await adminApi.exportFile(kind);
        this.setData({ exportStage: '正在下载…' });
        const filePath = await downloadExport(result.url, (percent) => {
          this.setData({ exportStage: `正在下载 ${percent}%` });
        });
        this.setData({ exportStage: '正在打开…' });
        await openExport(filePath);
        this.setData({ exporting: '', exportStage: '' });
      } catch (err) {
        const message = messageOf(err);
        // Kept next to the buttons as well as toasted: a toast is gone before a slow reader finds it.
        this.setData({ exporting: '', exportStage: '', exportError: message });
        wx.showToast({ title: message, icon: 'none', duration: 3000 });
      }
    },
  },
});
