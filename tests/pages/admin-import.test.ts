import { config } from '../../miniprogram/config';
import { ApiFail, backend, find, findAll, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';

const dryRun = {
  dryRun: true,
  created: 2,
  updated: 1,
  rejected: 1,
  lines: [
    { row: 2, name: '重庆秋田齿轮有限公司', creditCode: '91500104MA5U0X1234', action: 'update', changes: ['employees', 'contactPhone'] },
    { row: 3, name: '重庆新企业有限公司', creditCode: '91500104MA5U0X5678', action: 'create' },
    { row: 4, name: '重庆另一家有限公司', creditCode: '91500104MA5U0X9999', action: 'create' },
    { row: 5, name: '坏数据公司', creditCode: '123', action: 'reject', reason: '统一社会信用代码校验位不正确', field: 'creditCode' },
  ],
};

const wx = (global as any).wx;

describe('admin/import', () => {
  let id: string;
  let picked: { path: string; name: string } | null;
  let uploads: string[];
  beforeAll(() => {
    id = loadPage('admin/import/index');
    // The gateway's /upload is not an action: answer it here, then hand every other request to the fake backend.
    const apiRequest = wx.request;
    wx.request = (opts: any) => {
      if (!String(opts.url).endsWith('/upload')) return apiRequest(opts);
      wxCalls.requests.push({ url: opts.url, header: opts.header });
      uploads.push(opts.data.cloudPath);
      setTimeout(() => opts.success?.({ statusCode: 200, data: { ok: true, data: { fileID: 'local://uploads/demo-admin/1.xlsx' } } }), 0);
      return { abort() {} };
    };
  });
  beforeEach(() => {
    resetAll();
    picked = { path: 'wxfile://tmp/ent.xlsx', name: '企业名单.xlsx' };
    wx.chooseMessageFile = (opts: any) => (picked ? opts.success?.({ tempFiles: [{ ...picked, size: 1000 }] }) : opts.fail?.({ errMsg: 'cancel' }));
    wx.getFileSystemManager = () => ({ readFile: (o: any) => o.success?.({ data: 'UEsDBA==' }) });
    uploads = [];
    backend.on('admin.importEnterprises', (p: any) => (p.dryRun ? dryRun : { ...dryRun, dryRun: false }));
  });

  test('pick → upload → dry run shown row by row (rejected first, with reasons) → 确认导入 writes', async () => {
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.choose');
    await flush(6);
    expect(wxCalls.requests.map((r) => r.url)).toEqual([`${config.gatewayUrl}/upload`, `${config.gatewayUrl}/api/admin`]);
    expect(uploads[0]).toMatch(/^uploads\/imports\/\d+\.xlsx$/);
    expect(backend.callsOf('admin.importEnterprises').map((c) => c.payload)).toEqual([{ fileID: 'local://uploads/demo-admin/1.xlsx', dryRun: true }]);
    expect(text(find(page, '.summary'))).toContain('检查结果（尚未写入）');
    expect(text(find(page, '.count-create'))).toContain('2');
    expect(text(find(page, '.count-reject'))).toContain('1');
    const groups = findAll(page, '.group').map(text);
    expect(groups[0]).toContain('不能导入');
    expect(groups[0]).toContain('第 5 行');
    expect(groups[0]).toContain('统一社会信用代码校验位不正确');
    expect(groups[1]).toContain('将新增（2）');
    expect(groups[2]).toContain('将修改：员工数、联系电话');
    expect(text(find(page, '.confirm'))).toContain('确认导入 3 家');
    await tapButton(page, '.confirm');
    await flush();
    expect(backend.callsOf('admin.importEnterprises').map((c) => c.payload)).toEqual([
      { fileID: 'local://uploads/demo-admin/1.xlsx', dryRun: true },
      { fileID: 'local://uploads/demo-admin/1.xlsx', dryRun: false },
    ]);
    expect(text(find(page, '.summary'))).toContain('导入完成');
    expect(text(find(page, '.count-create'))).toContain('已新增');
    await tapButton(page, '.again');
    expect(page.querySelectorAll('.choose')).toHaveLength(1);
  });

  test('a long sheet is written in chunks: 确认导入 keeps calling with the offset the server gives until nothing is left', async () => {
    backend.on('admin.importEnterprises', (p: any) => {
      if (p.dryRun) return dryRun;
      const from = p.offset ?? 0;
      const to = Math.min(from + 500, 1200);
      return { ...dryRun, dryRun: false, written: { from, to, of: 1200 }, ...(to < 1200 ? { nextOffset: to } : {}) };
    });
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.choose');
    await flush(6);
    await tapButton(page, '.confirm');
    await flush(8);
    expect(backend.callsOf('admin.importEnterprises').map((c) => c.payload)).toEqual([
      { fileID: 'local://uploads/demo-admin/1.xlsx', dryRun: true },
      { fileID: 'local://uploads/demo-admin/1.xlsx', dryRun: false },
      { fileID: 'local://uploads/demo-admin/1.xlsx', dryRun: false, offset: 500 },
      { fileID: 'local://uploads/demo-admin/1.xlsx', dryRun: false, offset: 1000 },
    ]);
    expect(text(find(page, '.summary'))).toContain('导入完成');
  });

  test('the done screen adds up the chunks, each reporting its own rows, and lists the rows left to someone else', async () => {
    backend.on('admin.importEnterprises', (p: any) => {
      if (p.dryRun) return dryRun;
      if (!p.offset) return { dryRun: false, created: 1, updated: 1, rejected: 0, left: 0, lines: dryRun.lines.slice(0, 2), written: { from: 0, to: 2, of: 4 }, nextOffset: 2 };
      return {
        dryRun: false, created: 0, updated: 0, rejected: 1, left: 1,
        lines: [{ ...dryRun.lines[2], action: 'left', reason: '另一次导入同时写入了这家企业，本行未写入；请再次导入核对', field: 'creditCode' }, dryRun.lines[3]],
        written: { from: 2, to: 4, of: 4 },
      };
    });
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.choose');
    await flush(6);
    await tapButton(page, '.confirm');
    await flush(8);
    expect(text(find(page, '.summary'))).toContain('导入完成');
    expect(text(find(page, '.count-create'))).toContain('1');
    expect(text(find(page, '.count-update'))).toContain('1');
    expect(text(find(page, '.count-reject'))).toContain('1');
    expect(text(find(page, '.count-left'))).toContain('1');
    const left = findAll(page, '.group').map(text).find((g) => g.includes('未写入'));
    expect(left).toContain('第 4 行');
    expect(left).toContain('另一次导入同时写入了这家企业');
  });

  test('a cancelled pick does nothing; a sheet the import refuses keeps the page ready to pick again', async () => {
    picked = null;
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.choose');
    expect(wxCalls.requests).toHaveLength(0);
    picked = { path: 'wxfile://tmp/a.xlsx', name: 'a.xlsx' };
    backend.on('admin.importEnterprises', new ApiFail('INVALID_ARGUMENT', '表格是空的', 'fileID'));
    await tapButton(page, '.choose');
    await flush(6);
    expect(text(find(page, '.send-error'))).toContain('表格是空的');
    expect(page.querySelectorAll('.confirm')).toHaveLength(0);
    expect(page.querySelectorAll('.choose')).toHaveLength(1);
  });

  test('nothing importable: no 确认导入; a failed write keeps the report and the button', async () => {
    const page = renderPage(id);
    await flush();
    backend.on('admin.importEnterprises', { dryRun: true, created: 0, updated: 0, rejected: 1, lines: [dryRun.lines[3]] });
    await tapButton(page, '.choose');
    await flush(6);
    expect(page.querySelectorAll('.confirm')).toHaveLength(0);
    expect(text(find(page, '.nothing'))).toContain('没有可以导入的企业');
    backend.on('admin.importEnterprises', (p: any) => (p.dryRun ? dryRun : new ApiFail('INTERNAL', '网络异常，请稍后重试')));
    await tapButton(page, '.again');
    await tapButton(page, '.choose');
    await flush(6);
    await tapButton(page, '.confirm');
    await flush();
    expect(text(find(page, '.send-error'))).toContain('网络异常');
    expect(page.querySelectorAll('.confirm')).toHaveLength(1);
  });
});
