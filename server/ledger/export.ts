/**
 * The two spreadsheets the federation sends upward (spec: "export the ledger
 * and the periodic report as Excel"): the ledger (one row per enterprise, and
 * every status report), and the report (专报: the summary by zone, industry,
 * need and task force). Written with exceljs, stored through the file port.
 */
import type ExcelJS from 'exceljs';
import { loadExcel } from '../core/excel';
import { sanitiseCell } from '../core/validation';
import type { LedgerSummary } from '../../typings/api';
import { INDUSTRY_LABELS, NEED_TYPE_LABELS } from '../../typings/labels';
import { chinaTime } from '../core/time';
import type { LedgerRows, Names } from './data';
import { finite, ratio } from './summary';
import type { DayFigures } from './days';
import type { WeekReport } from './week';
import type { UnitKpi } from '../../typings/api';
import { addDays } from '../sla/calendar';
import type { Rates } from '../../typings/api';
import type { Context, FileLink } from '../core/ports';
import { exportPath } from '../files/paths';
import { EXPORT_LINK_SECONDS } from '../files/links';
import type { AnchorDoc } from '../history/latest';

type Row = Array<string | number>;

function sheet(wb: ExcelJS.Workbook, name: string, header: string[], dirty: Row[]): void {
  // Every cell of every workbook passes here: text stored before the text rule cannot break the file.
  const rows = dirty.map((r) => r.map(sanitiseCell));
  const ws = wb.addWorksheet(name);
  ws.addRow(header).font = { bold: true };
  for (const row of rows) ws.addRow(row);
  ws.columns.forEach((col, i) => {
    const longest = Math.max(header[i]?.length ?? 0, ...rows.map((r) => String(r[i] ?? '').length));
    col.width = Math.min(48, Math.max(8, longest * 2));
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

const percent = (x: number) => `${finite(x * 100, 1)}%`;

/** Own keys of an answer's map (prototype-free objects, keyed by codes that may read `constructor`). */
const entries = <V>(m: Record<string, V>): Array<[string, V]> => Object.keys(m).map((k) => [k, m[k]]);

const RATE_HEADER = ['企业数', '已填报', '已复工', '员工总数', '已返岗', '复工率', '返岗率'];
const rateRow = (r: Rates): Row => [finite(r.enterprises), finite(r.reported), finite(r.resumed), finite(r.employeesTotal), finite(r.employeesBack), percent(r.resumptionRate), percent(r.workforceReturnRate)];

/** The Chinese label of a code, or the code itself; a code reading `constructor` is not a label. */
const label = <K extends string>(labels: Record<K, string>, code: string) => (Object.prototype.hasOwnProperty.call(labels, code) ? labels[code as K] : code);

/** A figure someone typed, as the sheet shows it: a finite number or nothing. */
const figure = (x: unknown): number | string => (typeof x === 'number' && Number.isFinite(x) ? x : '');

export async function ledgerWorkbook(l: LedgerRows, names: Names): Promise<ExcelJS.Workbook> {
  const wb = new (await loadExcel()).Workbook();
  sheet(
    wb,
    '复工台账',
    ['企业名称', '统一社会信用代码', '行业', '区域', '员工数', '是否复工', '返岗人数', '产能', '填报时间', '未办结需求', '最近走访', '已核实', '当前困难'],
    l.enterprises.map((e) => [
      e.name,
      e.creditCode,
      label(INDUSTRY_LABELS, e.industry),
      names.zoneNames.get(e.zone) ?? e.zone,
      figure(e.latestStatus?.employeesTotal ?? e.employees),
      e.latestStatus ? (e.latestStatus.resumed ? '是' : '否') : '未填报',
      figure(e.latestStatus?.employeesBack),
      e.latestStatus ? `${figure(e.latestStatus.capacityPercent)}%` : '',
      e.latestStatus ? chinaTime(e.latestStatus.at) : '',
      l.openNeeds.get(e._id) ?? 0,
      e.lastVisitAt ? chinaTime(e.lastVisitAt) : '从未走访',
      e.verified ? '是' : '否',
      e.latestStatus?.difficulties ?? '',
    ]),
  );
  // The district day by day, from the scheduler's daily snapshots (today live): the history's figures without the history.
  sheet(
    wb,
    '每日复工情况',
    ['日期', '企业数', '已填报', '已复工', '复工率', '员工总数', '已返岗', '返岗率'],
    l.days.map(({ date, figures: f }): Row =>
      f
        ? [date, finite(f.enterprises), finite(f.reported), finite(f.resumed), percent(ratio(f.resumed, f.enterprises)), finite(f.employeesTotal), finite(f.employeesBack), percent(ratio(f.employeesBack, f.employeesTotal))]
        : [date, NOT_RECORDED, '', '', '', '', '', ''],
    ),
  );
  return wb;
}

/** The latest sealed anchor and whether its MAC held (server/history/anchors.ts printableAnchor). */
export type PrintedAnchor = { anchor: AnchorDoc; verified: boolean } | null;

/**
 * The 专报 carries the latest anchor's digest out of the database (docs/history.md
 * says why) — only once its MAC has been checked: a digest edited in the database
 * is never printed as the record.
 */
const anchorRow = (p: PrintedAnchor | undefined): Row => [
  '办理记录锚定（时间 / 摘要）',
  !p ? '尚未锚定' : p.verified ? `${chinaTime(p.anchor.to)} / ${p.anchor.digest}` : '最新锚定记录未通过校验，请区工商联管理员核查',
];

const WEEK_ROWS: Array<[string, (f: DayFigures) => number, 'count' | 'rate']> = [
  ['企业数', (f) => f.enterprises, 'count'],
  ['已填报', (f) => f.reported, 'count'],
  ['已复工', (f) => f.resumed, 'count'],
  ['复工率', (f) => ratio(f.resumed, f.enterprises), 'rate'],
  ['员工总数', (f) => f.employeesTotal, 'count'],
  ['已返岗', (f) => f.employeesBack, 'count'],
  ['返岗率', (f) => ratio(f.employeesBack, f.employeesTotal), 'rate'],
];

const NOT_RECORDED = '未记录';

/** A count's change as +n / −n, a rate's in percentage points. */
function change(now: number, before: number, kind: 'count' | 'rate'): string {
  const delta = kind === 'rate' ? finite((now - before) * 100, 1) : finite(now - before);
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '';
  return `${sign}${Math.abs(delta)}${kind === 'rate' ? ' 个百分点' : ''}`;
}

const shown = (f: DayFigures | null, get: (f: DayFigures) => number, kind: 'count' | 'rate') => (f ? (kind === 'rate' ? percent(get(f)) : finite(get(f))) : NOT_RECORDED);

const dayLabel = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** The week's sheets: its figures against the week before, by zone, and the units' and task forces' work. */
function weekSheets(wb: ExcelJS.Workbook, w: WeekReport, names: Names): void {
  const title = `${w.week.slice(0, 4)}年第${Number(w.week.slice(6))}周（${dayLabel(w.monday)}—${dayLabel(w.sunday)}）`;
  const asOf = w.inProgress ? `截至${dayLabel(w.through)}当前` : `截至${dayLabel(w.sunday)}24时`;
  sheet(wb, '本周概况', ['指标（含未核实企业）', `本周 ${asOf}`, `上周末（${dayLabel(addDays(w.monday, -1))}）`, '变化'], [
    ['统计周', title, '', ''],
    ...WEEK_ROWS.map(([name, get, kind]): Row => [
      name,
      shown(w.current, get, kind),
      shown(w.previous, get, kind),
      w.current && w.previous ? change(get(w.current), get(w.previous), kind) : NOT_RECORDED,
    ]),
  ]);
  sheet(
    wb,
    '本周分区域',
    ['区域', '企业数', '已复工', '复工率', '上周末复工率', '复工率变化', '返岗率', '上周末返岗率', '返岗率变化'],
    w.zones.map((z) => {
      const rate = (f: DayFigures | null, get: (f: DayFigures) => number) => (f ? get(f) : null);
      const resumption = (f: DayFigures) => ratio(f.resumed, f.enterprises);
      const workforce = (f: DayFigures) => ratio(f.employeesBack, f.employeesTotal);
      const cell = (x: number | null) => (x === null ? NOT_RECORDED : percent(x));
      const delta = (a: number | null, b: number | null) => (a === null || b === null ? NOT_RECORDED : change(a, b, 'rate'));
      const [r1, r0, w1, w0] = [rate(z.current, resumption), rate(z.previous, resumption), rate(z.current, workforce), rate(z.previous, workforce)];
      return [names.zoneNames.get(z.zone) ?? z.zone, z.current ? finite(z.current.enterprises) : NOT_RECORDED, z.current ? finite(z.current.resumed) : NOT_RECORDED, cell(r1), cell(r0), delta(r1, r0), cell(w1), cell(w0), delta(w1, w0)];
    }),
  );
  const orNone = (x: number | null, as: (x: number) => string | number) => (x === null ? '—' : as(x));
  const kpiRow = (kind: string, k: UnitKpi): Row => [
    kind,
    k.name,
    k.received,
    k.closed,
    orNone(k.closureRate, percent),
    orNone(k.medianFirstResponseHours, (x) => x),
    orNone(k.medianCloseHours, (x) => x),
    orNone(k.overdueRate, percent),
    orNone(k.ratingMean, (x) => x),
    orNone(k.ratingGoodShare, percent),
    k.reopened,
  ];
  sheet(
    wb,
    '单位考核',
    ['类别', '名称', '受理', '办结', '办结率', '首次响应中位（小时）', '办结用时中位（小时）', '超时率', '平均评分', '好评率（4–5 分）', '被重新办理'],
    [...w.kpis.units.map((k) => kpiRow('责任单位', k)), ...w.kpis.taskForces.map((k) => kpiRow('服务专班（辖区需求）', k))],
  );
}

export async function reportWorkbook(s: LedgerSummary, names: Names, generatedAt: string, week?: WeekReport, anchor?: PrintedAnchor): Promise<ExcelJS.Workbook> {
  const wb = new (await loadExcel()).Workbook();
  sheet(wb, '概况', ['指标', '数值'], [
    ['生成时间', chinaTime(generatedAt)],
    [s.includesUnverified ? '企业总数（含未核实）' : '已核实企业数', finite(s.overall.enterprises)],
    ['复工率', percent(s.overall.resumptionRate)],
    ['返岗率', percent(s.overall.workforceReturnRate)],
    ['未核实企业数（自行填报，另列）', finite(s.unverified.enterprises)],
    ['未核实企业复工率', percent(s.unverified.resumptionRate)],
    ['未办结需求', finite(s.openNeeds.total)],
    ['超时升级', finite(s.slaBreaches)],
    ['已送达防疫物资（件）', finite(s.suppliesDelivered)],
    ['已对接融资（万元）', finite(s.financingGrantedWan, 2)],
    anchorRow(anchor),
  ]);
  sheet(wb, '分区域', ['区域', ...RATE_HEADER], entries(s.byZone).map(([zone, r]) => [names.zoneNames.get(zone) ?? zone, ...rateRow(r)]));
  sheet(wb, '分行业', ['行业', ...RATE_HEADER], entries(s.byIndustry).map(([i, r]) => [label(INDUSTRY_LABELS, i), ...rateRow(r)]));
  sheet(wb, '未办结需求', ['类别', '名称', '件数'], [
    ...entries(s.openNeeds.byType).map(([t, n]): Row => ['需求类型', label(NEED_TYPE_LABELS, t), finite(n)]),
    ...entries(s.openNeeds.byUnit).map(([u, n]): Row => ['责任单位', names.unitNames.get(u) ?? u, finite(n)]),
  ]);
  sheet(wb, '走访覆盖', ['服务专班', '辖区企业', '近期已走访', '覆盖率'], entries(s.visitCoverage).map(([tf, c]) => [names.taskForceNames.get(tf) ?? tf, finite(c.enterprises), finite(c.visited), percent(c.rate)]));
  if (week) weekSheets(wb, week, names);
  return wb;
}

export interface ExportFile extends FileLink {
  /** What the admin's phone calls the file. */
  name: string;
  bytes: number;
}

/**
 * Stored at a path no one can guess and answered with a short-lived link:
 * the ledger carries phone numbers, and storage's default rule lets every
 * user read.
 */
export async function saveExport(ctx: Pick<Context, 'files'>, kind: 'ledger' | 'report', wb: ExcelJS.Workbook, now: string): Promise<ExportFile> {
  const stamp = chinaTime(now, 'YYYYMMDD-HHmm');
  const content = Buffer.from(await wb.xlsx.writeBuffer());
  const fileID = await ctx.files.upload(exportPath(kind, stamp), content);
  const link = await ctx.files.link(fileID, EXPORT_LINK_SECONDS);
  return { ...link, name: `${kind === 'ledger' ? '复工台账' : '民企复工达产专报'}-${stamp}.xlsx`, bytes: content.length };
}
