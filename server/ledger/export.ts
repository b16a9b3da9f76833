/**
 * The two spreadsheets the federation sends upward (spec: "export the ledger
 * and the periodic report as Excel"): the ledger (one row per enterprise, and
 * every status report), and the report (专报: the summary by zone, industry,
 * need and task force). Written with exceljs, stored through the file port.
 */
import type ExcelJS from 'exceljs';
import { loadExcel } from '../core/excel';
import type { IndustryCode, NeedType } from '../../typings/api';
import { INDUSTRY_LABELS, NEED_TYPE_LABELS } from '../../typings/labels';
import { chinaTime } from '../core/time';
import type { Ledger } from './data';
import type { Rates } from '../../typings/api';
import type { Context, FileLink } from '../core/ports';
import { exportPath } from '../files/paths';
import { EXPORT_LINK_SECONDS } from '../files/links';

type Row = Array<string | number>;

function sheet(wb: ExcelJS.Workbook, name: string, header: string[], rows: Row[]): void {
  const ws = wb.addWorksheet(name);
  ws.addRow(header).font = { bold: true };
  for (const row of rows) ws.addRow(row);
  ws.columns.forEach((col, i) => {
    const longest = Math.max(header[i]?.length ?? 0, ...rows.map((r) => String(r[i] ?? '').length));
    col.width = Math.min(48, Math.max(8, longest * 2));
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

const RATE_HEADER = ['企业数', '已填报', '已复工', '员工总数', '已返岗', '复工率', '返岗率'];
const rateRow = (r: Rates): Row => [r.enterprises, r.reported, r.resumed, r.employeesTotal, r.employeesBack, percent(r.resumptionRate), percent(r.workforceReturnRate)];

export async function ledgerWorkbook(l: Ledger): Promise<ExcelJS.Workbook> {
  const wb = new (await loadExcel()).Workbook();
  const openByEnterprise = new Map<string, number>();
  for (const n of l.needs) if (['routed', 'claimed', 'in_progress', 'waiting'].includes(n.status)) openByEnterprise.set(n.enterpriseId, (openByEnterprise.get(n.enterpriseId) ?? 0) + 1);
  const lastVisit = new Map<string, string>();
  for (const v of l.visits) if ((lastVisit.get(v.enterpriseId) ?? '') < v.createdAt) lastVisit.set(v.enterpriseId, v.createdAt);
  sheet(
    wb,
    '复工台账',
    ['企业名称', '统一社会信用代码', '行业', '区域', '员工数', '是否复工', '返岗人数', '产能', '填报时间', '未办结需求', '最近走访', '已核实'],
    l.enterprises.map((e) => [
      e.name,
      e.creditCode,
      INDUSTRY_LABELS[e.industry as IndustryCode] ?? e.industry,
      l.zoneNames.get(e.zone) ?? e.zone,
      e.latestStatus?.employeesTotal ?? e.employees,
      e.latestStatus ? (e.latestStatus.resumed ? '是' : '否') : '未填报',
      e.latestStatus?.employeesBack ?? '',
      e.latestStatus ? `${e.latestStatus.capacityPercent}%` : '',
      e.latestStatus ? chinaTime(e.latestStatus.at) : '',
      openByEnterprise.get(e._id) ?? 0,
      lastVisit.has(e._id) ? chinaTime(lastVisit.get(e._id)!) : '从未走访',
      e.verified ? '是' : '否',
    ]),
  );
  const nameOf = new Map(l.enterprises.map((e) => [e._id, e.name]));
  sheet(
    wb,
    '状态填报记录',
    ['企业名称', '填报时间', '填报人身份', '员工总数', '返岗人数', '产能', '是否复工', '困难'],
    [...l.reports]
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((r) => [nameOf.get(r.enterpriseId) ?? r.enterpriseId, chinaTime(r.at), r.role === 'taskforce' ? '服务专班' : '企业', r.employeesTotal, r.employeesBack, `${r.capacityPercent}%`, r.resumed ? '是' : '否', r.difficulties ?? '']),
  );
  return wb;
}

export async function reportWorkbook(l: Ledger, generatedAt: string): Promise<ExcelJS.Workbook> {
  const wb = new (await loadExcel()).Workbook();
  const s = l.summary;
  sheet(wb, '概况', ['指标', '数值'], [
    ['生成时间', chinaTime(generatedAt)],
    ['企业总数', s.overall.enterprises],
    ['复工率', percent(s.overall.resumptionRate)],
    ['返岗率', percent(s.overall.workforceReturnRate)],
    ['未办结需求', s.openNeeds.total],
    ['超时升级', s.slaBreaches],
    ['已送达防疫物资（件）', s.suppliesDelivered],
    ['已对接融资（万元）', s.financingGrantedWan],
  ]);
  sheet(wb, '分区域', ['区域', ...RATE_HEADER], Object.entries(s.byZone).map(([zone, r]) => [l.zoneNames.get(zone) ?? zone, ...rateRow(r)]));
  sheet(wb, '分行业', ['行业', ...RATE_HEADER], Object.entries(s.byIndustry).map(([i, r]) => [INDUSTRY_LABELS[i as IndustryCode] ?? i, ...rateRow(r)]));
  sheet(wb, '未办结需求', ['类别', '名称', '件数'], [
    ...Object.entries(s.openNeeds.byType).map(([t, n]): Row => ['需求类型', NEED_TYPE_LABELS[t as NeedType] ?? t, n]),
    ...Object.entries(s.openNeeds.byUnit).map(([u, n]): Row => ['责任单位', l.unitNames.get(u) ?? u, n]),
  ]);
  sheet(wb, '走访覆盖', ['服务专班', '辖区企业', '近期已走访', '覆盖率'], Object.entries(s.visitCoverage).map(([tf, c]) => [l.taskForceNames.get(tf) ?? tf, c.enterprises, c.visited, percent(c.rate)]));
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
