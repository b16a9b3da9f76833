/**
 * The admin's overview of the ledger: headline figures, rates by zone and
 * industry, open needs by type and unit, visit coverage, and the two Excel
 * exports that are forwarded to the federation's leaders from the phone.
 */
import type { EnterpriseOptions } from '../../../typings/api';
import type { ExportKind, LedgerSummary, Rates, TaskForceOption, UnitOption } from '../../services/admin-api';
import { adminApi, downloadExport, openExport } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage, messageOf } from '../../utils/define-page';
import { INDUSTRY_LABELS, NEED_TYPE_LABELS, label } from '../../utils/labels';
import { acceptedToday, requestReminders } from '../../utils/subscribe';

interface Figure {
  key: string;
  label: string;
  value: string;
  unit: string;
  /** Breaches and open needs draw the eye only when there are some. */
  alert: boolean;
}

interface RateRow {
  code: string;
  name: string;
  enterprises: number;
  reported: number;
  resumption: string;
  workforce: string;
}

interface CountRow {
  code: string;
  name: string;
  count: number;
}

interface CoverageRow {
  id: string;
  /** The task force's name, or its id when the names could not be loaded. */
  name: string;
  visited: number;
  enterprises: number;
  rate: string;
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
}

interface DashboardMethods {
  exportLedger(): Promise<void>;
  exportReport(): Promise<void>;
  runExport(kind: ExportKind): Promise<void>;
  enableReminders(): Promise<void>;
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
  };
}

function rateRows(map: Record<string, Rates>, nameOf: (code: string) => string): RateRow[] {
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
      };
    })
    .sort((a, b) => b.enterprises - a.enterprises);
}

function countRows(map: Record<string, number>, nameOf: (code: string) => string): CountRow[] {
  return Object.keys(map || {})
    .map((code) => ({ code, name: nameOf(code), count: map[code] }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count);
}

/** Zone and unit names are nice to have: a failed lookup falls back to codes rather than hiding the figures. */
function namesOf(items: { code: string; name: string }[] | undefined): (code: string) => string {
  const map: Record<string, string> = {};
  for (const item of items || []) map[item.code] = item.name;
  return (code) => map[code] || code;
}

export function toView(
  s: LedgerSummary,
  options: EnterpriseOptions | null,
  units: UnitOption[] | null,
  taskForces: TaskForceOption[] | null = null,
): Pick<DashboardData, 'figures' | 'zones' | 'industries' | 'needTypes' | 'needUnits' | 'coverage'> {
  const zoneName = namesOf(options ? options.zones : undefined);
  const unitName = namesOf(units || undefined);
  const taskForceName = namesOf((taskForces || []).map((tf) => ({ code: tf.id, name: tf.name })));
  const o = s.overall;
  return {
    figures: [
      // The headline counts verified enterprises; self-reported, unverified ones are named apart.
      { key: 'resumption', label: '复工率', value: pct(o.resumptionRate), unit: `${o.resumed}/${o.enterprises} 家${s.unverified && !s.includesUnverified ? `（已核实；另有未核实 ${s.unverified.enterprises} 家）` : ''}`, alert: false },
      { key: 'workforce', label: '返岗率', value: pct(o.workforceReturnRate), unit: `${o.employeesBack}/${o.employeesTotal} 人`, alert: false },
      { key: 'open', label: '未办结需求', value: count(s.openNeeds.total), unit: '项', alert: s.openNeeds.total > 0 },
      { key: 'breaches', label: '超时', value: String(s.slaBreaches), unit: '项', alert: s.slaBreaches > 0 },
      { key: 'supplies', label: '已送达物资', value: count(s.suppliesDelivered), unit: '件（各类物资合计）', alert: false },
      financingFigure(s.financingGrantedWan),
    ],
    zones: rateRows(s.byZone, zoneName),
    industries: rateRows(s.byIndustry, (code) => label(INDUSTRY_LABELS, code)),
    needTypes: countRows(s.openNeeds.byType, (code) => label(NEED_TYPE_LABELS, code)),
    needUnits: countRows(s.openNeeds.byUnit, unitName),
    coverage: Object.keys(s.visitCoverage || {})
      .sort()
      .map((id) => {
        const c = s.visitCoverage[id];
        return { id, name: taskForceName(id), visited: c.visited, enterprises: c.enterprises, rate: c.enterprises ? pct(c.rate) : '—' };
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
  },

  async load() {
    // The summary is what matters; names only decorate it, so their failure must not fail the page.
    const [summary, options, units, taskForces] = await Promise.all([
      adminApi.summary(),
      adminApi.enterpriseOptions().catch(() => null),
      adminApi
        .listUnits()
        .then((r) => r.items)
        .catch(() => null),
      adminApi
        .listTaskForces()
        .then((r) => r.items)
        .catch(() => null),
    ]);
    return { ...toView(summary, options, units, taskForces), remindersOn: acceptedToday('admin') };
  },

  methods: {
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
