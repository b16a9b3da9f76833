import { config } from '../../miniprogram/config';
import type { LedgerSummary, Rates } from '../../miniprogram/services/admin-api';
import { ApiFail, backend, find, findAll, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { daysBefore, kpiRows, trendView } from '../../miniprogram/admin/common/dashboard-view';
import { layout } from '../../miniprogram/admin/common/chart-layout';
import type { TrendDay, UnitKpi } from '../../miniprogram/services/admin-api';
import type { UnitsReport } from '../../typings/api';
import { options } from './helpers/fixtures';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES } from '../../miniprogram/subscribe-templates';

function rates(extra: Partial<Rates> = {}): Rates {
  return {
    enterprises: 10,
    reported: 9,
    resumed: 8,
    employeesTotal: 1000,
    employeesBack: 723,
    resumptionRate: 0.8,
    workforceReturnRate: 0.723,
    ...extra,
  };
}

const summary: LedgerSummary = {
  overall: rates({ enterprises: 40, resumed: 34, resumptionRate: 0.85, employeesTotal: 5000, employeesBack: 3456, workforceReturnRate: 0.6912 }),
  byZone: {
    'jianqiao-c': rates({ resumptionRate: 0.9 }),
    bajiaoyuan: rates({ enterprises: 5, resumptionRate: 0.4, workforceReturnRate: 0.25 }),
  },
  byIndustry: { manufacturing: rates({ resumptionRate: 0.875 }), medical: rates({ enterprises: 3, resumptionRate: 1 }) },
  openNeeds: { total: 7, byType: { supplies: 4, financing: 3, hiring: 0 }, byUnit: { 'chamber-pharma': 5, 'finance-office': 2 } },
  slaBreaches: 2,
  suppliesDelivered: 12800,
  financingGrantedWan: 350,
  visitCoverage: { 'tf-02': { enterprises: 12, visited: 9, rate: 0.75 } },
};

const units = { items: [{ code: 'chamber-pharma', name: '区医药商会', kind: 'chamber' }] };

function day(date: string, resumptionRate: number | null, workforceReturnRate: number | null): TrendDay {
  return { date, enterprises: resumptionRate === null ? 0 : 40, reported: 38, resumed: 30, resumptionRate, employeesTotal: workforceReturnRate === null ? 0 : 5000, employeesBack: 3000, workforceReturnRate };
}

const trend = { days: [day('2020-02-10', 0.2, 0.1), day('2020-02-11', null, null), day('2020-02-12', 0.5, 0.35), day('2020-02-13', 0.85, 0.6912)] };

function kpi(extra: Partial<UnitKpi>): UnitKpi {
  return {
    scope: 'unit',
    code: 'chamber-pharma',
    name: '区医药商会',
    received: 10,
    closed: 9,
    closureRate: 0.9,
    medianFirstResponseHours: 2.5,
    medianCloseHours: 30,
    overdueRate: 0.1,
    ratingMean: 4.6,
    ratingGoodShare: 0.9,
    reopened: 0,
    ...extra,
  };
}

// As the server answers ledger.units (UnitsReport): units and task forces apart, keyed unitCode / taskForceId.
const asUnit = ({ scope: _scope, code, ...k }: UnitKpi) => ({ ...k, unitCode: code });
const asTaskForce = ({ scope: _scope, code, ...k }: UnitKpi) => ({ ...k, taskForceId: code });
const kpis: UnitsReport = {
  from: '2020-01-15',
  to: '2020-02-13',
  units: [
    kpi({ code: 'hrss', name: '区人力社保局', closureRate: 0.5, received: 4, closed: 2, medianFirstResponseHours: 30 }),
    kpi({}),
    kpi({ code: 'bank-boc', name: '中国银行', received: 0, closed: 0, closureRate: null }),
  ].map(asUnit),
  taskForces: [kpi({ scope: 'taskforce', code: 'tf-02', name: '建桥C区专班（民盟区委会）', closureRate: 0.9, medianFirstResponseHours: 1 })].map(asTaskForce),
};

const wx = (global as any).wx;

describe('admin/dashboard', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/dashboard/index');
  });
  beforeEach(() => {
    resetAll();
    backend
      .on('ledger.summary', summary)
      .on('enterprise.options', options)
      .on('admin.listUnits', units)
      .on('admin.listTaskForces', { items: [{ id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c'] }] })
      .on('ledger.trend', trend)
      .on('ledger.units', kpis)
      .on('ledger.flow', { days: [{ date: '2026-03-01', opened: 4, closed: 1 }, { date: '2026-03-02', opened: 2, closed: 3 }] });
  });

  test('shows the headline figures, rates as percentages, open needs and coverage with names', async () => {
    const page = renderPage(id);
    await flush();
    const figures = (key: string) => text(find(page, `.figure-${key}`));
    expect(figures('resumption')).toContain('复工率');
    expect(figures('resumption')).toContain('85.0%');
    expect(figures('resumption')).toContain('34/40 家');
    expect(figures('workforce')).toContain('返岗率');
    expect(figures('workforce')).toContain('69.1%');
    expect(figures('open')).toContain('7');
    expect(figures('breaches')).toContain('超时');
    expect(figures('breaches')).toContain('2');
    expect(figures('supplies')).toContain('12800');
    expect(figures('financing')).toContain('350');
    expect(figures('financing')).toContain('万元');
    expect(page.querySelectorAll('.figure-alert')).toHaveLength(2);

    const zones = text(find(page, '.zones'));
    expect(zones).toContain('建桥园区C区');
    expect(zones).toContain('90.0%');
    expect(zones).toContain('八桥镇');
    expect(zones).toContain('40.0%');
    expect(zones).toContain('25.0%');
    const industries = text(find(page, '.industries'));
    expect(industries).toContain('制造业');
    expect(industries).toContain('87.5%');
    expect(industries).toContain('医药医疗');
    expect(industries).toContain('100.0%');

    const types = text(find(page, '.need-types'));
    expect(types).toContain('防疫物资');
    expect(types).toContain('4 项');
    expect(types).toContain('融资');
    expect(types).not.toContain('招工'); // zero counts are left out
    const byUnit = text(find(page, '.need-units'));
    expect(byUnit).toContain('区医药商会');
    expect(byUnit).toContain('未能读取单位名称'); // an unknown unit is named plainly, never by its code
    expect(byUnit).not.toContain('finance-office');
    const coverage = text(find(page, '.coverage'));
    expect(coverage).toContain('建桥C区专班（民盟区委会）');
    expect(coverage).toContain('已走访 9 / 12 家');
    expect(coverage).toContain('75.0%');
  });

  test('big amounts are shortened so they fit a half-width figure at large text', async () => {
    backend.on('ledger.summary', { ...summary, suppliesDelivered: 1285000, financingGrantedWan: 123456 });
    const page = renderPage(id);
    await flush();
    expect(text(find(page, '.figure-supplies'))).toContain('128.5万');
    expect(text(find(page, '.figure-financing'))).toContain('12.3');
    expect(text(find(page, '.figure-financing'))).toContain('亿元');
  });

  test('failed name look-ups still show the figures, without codes', async () => {
    backend.on('enterprise.options', new ApiFail('INTERNAL', 'x')).on('admin.listUnits', new ApiFail('INTERNAL', 'x'));
    const page = renderPage(id);
    await flush();
    expect(text(find(page, '.zones'))).toContain('90.0%');
    expect(text(find(page, '.zones'))).not.toContain('jianqiao-c');
    expect(text(find(page, '.need-units'))).not.toContain('chamber-pharma');
  });

  test('data time: 数据截至 HH:mm from asOf in China time, with the day when it is not today', async () => {
    backend.on('ledger.summary', { ...summary, asOf: '2020-02-13T06:05:00.000Z' });
    const page = renderPage(id);
    await flush();
    // Figures from another day say which day: a stalled scheduler must not pass for today's.
    expect(text(find(page, '.as-of'))).toContain('数据截至 2020-02-13 14:05');
    backend.on('ledger.summary', { ...summary, asOf: new Date().toISOString() });
    const today = renderPage(id);
    await flush();
    expect(text(find(today, '.as-of'))).toMatch(/数据截至 \d{2}:\d{2}$/);
  });

  test('counts tap through to the needs behind them: 超时, open, by type, by unit, and a unit of the ranking', async () => {
    const page = renderPage(id);
    await flush();
    expect(text(find(page, '.figure-breaches'))).toContain('查看');
    find(page, '.figure-breaches').dispatchEvent('tap');
    await flush();
    find(page, '.figure-open').dispatchEvent('tap');
    await flush();
    find(page, '.figure-supplies').dispatchEvent('tap'); // no list behind a sum of goods: nothing happens
    await flush();
    await tap(page, '.need-type');
    await tap(page, '.need-unit');
    findAll(page, '.kpi-row')[0].dispatchEvent('tap'); // a task force: no list of its own
    await flush();
    findAll(page, '.kpi-row')[1].dispatchEvent('tap');
    await flush();
    expect(wxCalls.navigations.map((n) => n.url)).toEqual([
      '/admin/needs/index?escalated=1',
      '/admin/needs/index',
      '/admin/needs/index?type=supplies',
      '/admin/needs/index?unitCode=chamber-pharma',
      '/admin/needs/index?unitCode=chamber-pharma',
    ]);
  });

  test('enterprise figures tap through to the enterprises behind them: 复工率, 返岗率, a zone, an industry, a task force due visits', async () => {
    const page = renderPage(id);
    await flush();
    expect(text(find(page, '.figure-resumption'))).toContain('查看');
    find(page, '.figure-resumption').dispatchEvent('tap');
    await flush();
    find(page, '.figure-workforce').dispatchEvent('tap');
    await flush();
    // Rows are sorted by enterprises: 建桥园区C区 (10) before the other zone; 制造业 before 医药.
    expect(text(findAll(page, '.zone-row')[0])).toContain('查看企业');
    findAll(page, '.zone-row')[0].dispatchEvent('tap');
    await flush();
    findAll(page, '.industry-row')[1].dispatchEvent('tap');
    await flush();
    await tap(page, '.coverage-row');
    expect(wxCalls.navigations.map((n) => n.url)).toEqual([
      '/admin/enterprises/index?verified=1',
      '/admin/enterprises/index?verified=1',
      '/admin/enterprises/index?zone=jianqiao-c&verified=1',
      '/admin/enterprises/index?industry=medical&verified=1',
      '/admin/enterprises/index?taskForceId=tf-02&overdue=1',
    ]);
  });

  test('a district counting unverified enterprises lists them all; a task force with every enterprise visited links nowhere', async () => {
    backend.on('ledger.summary', { ...summary, includesUnverified: true, visitCoverage: { 'tf-02': { enterprises: 12, visited: 12, rate: 1 } } });
    const page = renderPage(id);
    await flush();
    find(page, '.figure-resumption').dispatchEvent('tap');
    await flush();
    findAll(page, '.zone-row')[0].dispatchEvent('tap');
    await flush();
    await tap(page, '.coverage-row');
    expect(wxCalls.navigations.map((n) => n.url)).toEqual(['/admin/enterprises/index', '/admin/enterprises/index?zone=jianqiao-c']);
  });

  test('needs opened and closed per day: the last 14 days, newest first, each count written out', async () => {
    const page = renderPage(id);
    await flush();
    expect(backend.callsOf('ledger.flow').map((c) => c.payload)).toEqual([{ days: 14 }]);
    const rows = findAll(page, '.flow-row').map(text);
    expect(rows[0]).toContain('3月2日');
    expect(rows[0]).toContain('新增 2');
    expect(rows[0]).toContain('办结 3');
    expect(rows[1]).toContain('3月1日');
    expect(rows[1]).toContain('新增 4');
  });

  test('the trend chart asks for 30 days and draws both rates; units are ranked by closure rate for the last 30 days', async () => {
    const page = renderPage(id);
    await flush();
    expect(backend.callsOf('ledger.trend').map((c) => c.payload)).toEqual([{ days: 30 }]);
    const [{ payload: range }] = backend.callsOf('ledger.units');
    expect(daysBefore(range.to as string, 29)).toBe(range.from);
    const chart = text(find(page, '.trend-chart'));
    expect(chart).toContain('复工率');
    expect(chart).toContain('85.0%');
    expect(chart).toContain('返岗率');
    expect(chart).toContain('69.1%');
    expect(chart).toContain('02-10');
    expect(chart).toContain('02-13');
    const rows = findAll(page, '.kpi-row').map(text);
    expect(rows).toHaveLength(3); // units that received nothing are left out
    expect(rows[0]).toContain('1. 建桥C区专班（民盟区委会）'); // same closure, faster first response
    expect(rows[1]).toContain('区医药商会');
    expect(rows[1]).toContain('办结率 90.0%');
    expect(rows[1]).toContain('2.5 小时');
    expect(rows[2]).toContain('区人力社保局');
    expect(rows[2]).toContain('30 小时');
  });

  test('a failed trend or ranking says so in its place and the rest of the dashboard shows', async () => {
    backend.on('ledger.trend', new ApiFail('NOT_FOUND', '未知操作')).on('ledger.units', new ApiFail('INTERNAL', '网络异常，请稍后重试'));
    const page = renderPage(id);
    await flush();
    expect(text(find(page, '.trend-error'))).toContain('趋势图暂时无法显示');
    expect(text(find(page, '.kpi-error'))).toContain('单位排行暂时无法显示');
    expect(text(find(page, '.figure-resumption'))).toContain('85.0%');
  });

  test('配置与管理 links every configuration page', async () => {
    const page = renderPage(id);
    await flush();
    for (const key of ['rules', 'units', 'zones', 'taskforces', 'policies', 'settings', 'holidays', 'invite', 'import']) await tap(page, `.manage-${key}`);
    expect(wxCalls.navigations.map((n) => n.url)).toEqual([
      '/admin/rules/index',
      '/admin/units/index',
      '/admin/zones/index',
      '/admin/taskforces/index',
      '/admin/policies/index',
      '/admin/settings/index',
      '/admin/holidays/index',
      '/admin/invite/index',
      '/admin/import/index',
    ]);
  });

  test('a day without enterprises is a gap in the line, not a 0%', () => {
    const view = trendView(trend.days);
    expect(view.trendLabels).toEqual(['02-10', '02-11', '02-12', '02-13']);
    expect(view.trendSeries[0].values).toEqual([0.2, null, 0.5, 0.85]);
    const chart = layout(view.trendSeries, view.trendLabels);
    // Two runs: a lone point (dot only) and a line of two.
    expect(chart.lines[0].bands).toHaveLength(1);
    expect(chart.lines[0].dots.map((d) => d.left)).toEqual(['0%', '66.67%', '100%']);
    expect(chart.lines[0].dots[2].top).toBe('15%');
    expect(chart.summary).toBe('复工率从 20.0% 到 85.0%；返岗率从 10.0% 到 69.1%');
    expect(layout([{ name: '复工率', tone: 'primary', values: [null] }], ['02-10']).empty).toBe(true);
  });

  test('rank: no rate sorts last; task forces do not link to a unit list', () => {
    const rows = kpiRows([kpi({ code: 'a', name: 'A', closureRate: null }), kpi({ scope: 'taskforce', code: 'tf', name: 'T' })]);
    expect(rows.map((r) => r.name)).toEqual(['T', 'A']);
    expect(rows[0].url).toBe('');
    expect(rows[1].closure).toBe('—');
  });

  test('an error shows the retry state, and retry loads the summary', async () => {
    backend.on('ledger.summary', new ApiFail('FORBIDDEN', '仅管理员可查看'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('仅管理员可查看');
    expect(page.querySelectorAll('.figure')).toHaveLength(0);
    backend.on('ledger.summary', summary);
    await tapButton(page, '.state', '.retry');
    expect(text(page)).toContain('85.0%');
  });

  test('开启超时提醒 asks, from its tap, for the admin set of the table (escalations); accepted, it steps aside', async () => {
    const page = renderPage(id);
    await flush();
    expect(wxCalls.subscribes).toEqual([]);
    await tapButton(page, '.enable-reminders');
    await flush();
    expect(wxCalls.subscribes).toEqual([SUBSCRIBE_MOMENTS.admin.templates.map((k) => SUBSCRIBE_TEMPLATES[k].id)]);
    expect(wxCalls.subscribes[0]).toEqual([SUBSCRIBE_TEMPLATES.needEscalated.id]);
    expect(page.querySelector('.enable-reminders')).toBeFalsy();
  });

  test('a refused reminder dialog leaves the button for another try', async () => {
    wxCalls.subscribeOutcome = 'reject';
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.enable-reminders');
    await flush();
    expect(wxCalls.subscribes).toHaveLength(1);
    expect(page.querySelector('.enable-reminders')).toBeTruthy();
  });

  describe('export', () => {
    const opened: any[] = [];
    const downloads: any[] = [];
    beforeEach(() => {
      opened.length = 0;
      downloads.length = 0;
      wx.openDocument = (opts: any) => {
        opened.push({ filePath: opts.filePath, fileType: opts.fileType, showMenu: opts.showMenu });
        setTimeout(() => opts.success?.({}), 0);
      };
      wx.downloadFile = (opts: any) => {
        downloads.push({ kind: 'url', url: opts.url });
        setTimeout(() => opts.success?.({ tempFilePath: 'wxfile://tmp/ledger.xlsx', statusCode: 200 }), 0);
        return { onProgressUpdate() {} };
      };
      wx.cloud.downloadFile = (opts: any) => {
        downloads.push({ kind: 'cloud', fileID: opts.fileID });
        setTimeout(() => opts.success?.({ tempFilePath: 'wxfile://tmp/cloud.xlsx', statusCode: 200 }), 0);
      };
    });
    afterEach(() => {
      config.mode = 'local';
    });

    const folder = '3f9a0c1e5b7d42a68e0f1c2b3a4d5e6f';
    /** What ledger.export answers: a file at a random folder and a short-lived link to it. */
    const exported = (kind: string) => ({
      fileID: `cloud://dev.local/exports/${folder}/20200220-1430-${kind}.xlsx`,
      url: `https://links.example/exports/${folder}/20200220-1430-${kind}.xlsx?expires=1582181400&sig=abc`,
      expiresAt: '2020-02-20T06:40:00.000Z',
      name: `复工台账-20200220-1430.xlsx`,
      bytes: 2048,
      enterprises: 40,
    });

    test('local mode: 导出复工台账 asks for the ledger, downloads it through the link it answers and opens it with the menu', async () => {
      backend.on('ledger.export', (p: any) => exported(p.kind));
      const page = renderPage(id);
      await flush();
      await tapButton(page, '.export-ledger');
      await flush(6);
      expect(backend.callsOf('ledger.export').map((c) => c.payload)).toEqual([{ kind: 'ledger' }]);
      expect(downloads).toEqual([{ kind: 'url', url: exported('ledger').url }]);
      expect(opened).toEqual([{ filePath: 'wxfile://tmp/ledger.xlsx', fileType: 'xlsx', showMenu: true }]);
      expect(page.data.exporting).toBe('');
      expect(page.querySelectorAll('.export-error')).toHaveLength(0);
    });

    test('cloud mode: 导出专报 downloads through the same short-lived link, not by file ID', async () => {
      config.mode = 'cloud';
      backend.on('ledger.export', (p: any) => exported(p.kind));
      const page = renderPage(id);
      await flush();
      await tapButton(page, '.export-report');
      await flush(6);
      expect(backend.callsOf('ledger.export').map((c) => c.payload)).toEqual([{ kind: 'report' }]);
      expect(downloads).toEqual([{ kind: 'url', url: exported('report').url }]);
      expect(opened).toEqual([{ filePath: 'wxfile://tmp/ledger.xlsx', fileType: 'xlsx', showMenu: true }]);
    });

    test('a link that expired before the download says to export again', async () => {
      backend.on('ledger.export', (p: any) => exported(p.kind));
      wx.downloadFile = (opts: any) => {
        setTimeout(() => opts.success?.({ tempFilePath: 'wxfile://tmp/410.json', statusCode: 410 }), 0);
        return { onProgressUpdate() {} };
      };
      const page = renderPage(id);
      await flush();
      await tapButton(page, '.export-ledger');
      await flush(4);
      expect(text(find(page, '.export-error'))).toContain('下载链接已过期，请重新导出');
      expect(opened).toHaveLength(0);
    });

    test('shows progress while exporting and ignores a second tap', async () => {
      let answer: (() => void) | undefined;
      backend.on('ledger.export', (p: any) => exported(p.kind));
      wx.downloadFile = (opts: any) => {
        answer = () => opts.success?.({ tempFilePath: 'wxfile://tmp/ledger.xlsx', statusCode: 200 });
        return { onProgressUpdate() {} };
      };
      const page = renderPage(id);
      await flush();
      await tapButton(page, '.export-ledger');
      expect(page.data.exporting).toBe('ledger');
      expect(text(find(page, '.export-stage'))).toContain('正在下载');
      await tapButton(page, '.export-report');
      expect(backend.callsOf('ledger.export')).toHaveLength(1);
      answer!();
      await flush(4);
      expect(opened).toHaveLength(1);
      expect(page.querySelectorAll('.export-stage')).toHaveLength(0);
    });

    test('a failed export or download is shown next to the buttons, and nothing is opened', async () => {
      backend.on('ledger.export', new ApiFail('INTERNAL', '导出失败，请稍后重试'));
      const page = renderPage(id);
      await flush();
      await tapButton(page, '.export-ledger');
      await flush(4);
      expect(text(find(page, '.export-error'))).toContain('导出失败，请稍后重试');
      expect(wxCalls.toasts).toContain('导出失败，请稍后重试');
      expect(opened).toHaveLength(0);

      backend.on('ledger.export', (p: any) => exported(p.kind));
      wx.downloadFile = (opts: any) => {
        setTimeout(() => opts.success?.({ tempFilePath: 'wxfile://tmp/404.html', statusCode: 404 }), 0);
        return { onProgressUpdate() {} };
      };
      await tapButton(page, '.export-ledger');
      await flush(4);
      expect(text(find(page, '.export-error'))).toContain('文件下载失败');
      expect(opened).toHaveLength(0);
      expect(page.data.exporting).toBe('');
    });
  });
});
