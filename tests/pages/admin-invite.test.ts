import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tapButton, text } from './helpers';

const units = {
  items: [
    { code: 'chamber-pharma', name: '区医药商会', kind: 'chamber' },
    { code: 'finance-office', name: '区金融办', kind: 'department' },
  ],
};

const wx = (global as any).wx;

describe('admin/invite', () => {
  let id: string;
  const clipboard: string[] = [];
  beforeAll(() => {
    id = loadPage('admin/invite/index');
  });
  beforeEach(() => {
    resetAll();
    clipboard.length = 0;
    wx.setClipboardData = (opts: any) => {
      clipboard.push(opts.data);
      opts.success?.({});
    };
    backend.on('admin.listUnits', units).on('admin.createInvite', (p: any) => ({
      code: p.role === 'unit' ? 'K7Q2M9XD' : 'A1B2C3D4',
      expiresAt: '2020-02-20T16:00:00.000Z',
    }));
  });

  test('an enterprise invite sends only the role and shows the code, expiry in China time and a copy button', async () => {
    const page = renderPage(id);
    await flush();
    expect(text(find(page, '.f-role'))).toContain('企业');
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite').map((c) => c.payload)).toEqual([{ role: 'enterprise' }]);
    expect(text(find(page, '.invite-code'))).toContain('A1B2C3D4');
    expect(text(find(page, '.invite-expiry'))).toContain('2020-02-21 00:00 前有效');
    await tapButton(page, '.copy');
    expect(clipboard).toEqual(['A1B2C3D4']);
  });

  test('a unit invite needs a unit, and sends it with the head flag', async () => {
    const page = renderPage(id);
    await flush();
    page.instance.onRole({ detail: { value: 2 } }); // 责任单位
    await flush();
    expect(text(find(page, '.f-role'))).toContain('责任单位');
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite')).toHaveLength(0);
    expect(text(find(page, '.f-unit'))).toContain('请选择单位');

    page.instance.onUnit({ detail: { value: 1 } });
    await flush();
    expect(text(find(page, '.f-unit'))).toContain('区金融办');
    await tapButton(page, '.create');
    find(page, '.f-head', '.van-switch').dispatchEvent('tap');
    await flush();
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite').map((c) => c.payload)).toEqual([
      { role: 'unit', unitCode: 'finance-office' },
      { role: 'unit', unitCode: 'finance-office', head: true },
    ]);
    expect(text(find(page, '.invite-for'))).toContain('区金融办（负责人）');
    expect(text(find(page, '.invite-code'))).toContain('K7Q2M9XD');
  });

  test('a task-force invite sends the task force id; the server refusing it shows at the field', async () => {
    backend.on('admin.createInvite', new ApiFail('INVALID_ARGUMENT', '服务专班不存在', 'taskForceId'));
    const page = renderPage(id);
    await flush();
    page.instance.onRole({ detail: { value: 1 } }); // 服务专班
    await flush();
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite')).toHaveLength(0);
    expect(text(find(page, '.f-taskforce'))).toContain('请填写服务专班编号');
    page.instance.onTaskForce({ detail: ' tf-99 ' });
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite').map((c) => c.payload)).toEqual([{ role: 'taskforce', taskForceId: 'tf-99' }]);
    expect(text(find(page, '.f-taskforce'))).toContain('服务专班不存在');
    expect(page.querySelectorAll('.invite')).toHaveLength(0);
  });

  test('an admin invite sends the admin role', async () => {
    const page = renderPage(id);
    await flush();
    page.instance.onRole({ detail: { value: 3 } });
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite').map((c) => c.payload)).toEqual([{ role: 'admin' }]);
    expect(text(find(page, '.invite-for'))).toContain('管理员');
  });

  test('a failed unit list shows the retry state', async () => {
    backend.on('admin.listUnits', new ApiFail('FORBIDDEN', '仅管理员可发放邀请码'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('仅管理员可发放邀请码');
    backend.on('admin.listUnits', units);
    await tapButton(page, '.state', '.retry');
    expect(text(find(page, '.f-role'))).toContain('企业');
  });
});
