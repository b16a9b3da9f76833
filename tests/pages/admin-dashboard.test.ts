import { config } from '../../miniprogram/config';
import type { LedgerSummary, Rates } from '../../miniprogram/services/admin-api';
import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
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
      .on('admin.listTaskForces', { items: [{ id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c'] }] });
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
    expect(byUnit).toContain('finance-office'); // unknown unit falls back to its code
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

  test('failed name look-ups still show the figures, with codes', async () => {
    backend.on('enterprise.options', new ApiFail('INTERNAL', 'x')).on('admin.listUnits', new ApiFail('INTERNAL', 'x'));
    const page = renderPage(id);
    await flush();
    expect(text(find(page, '.zones'))).toContain('jianqiao-c');
    expect(text(find(page, '.need-units'))).toContain('chamber-pharma');
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
