import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tapButton, text } from './helpers';

const units = {
  items: [
    { code: 'chamber-pharma', name: '区医药商会', kind: 'chamber' },
    { code: 'finance-office', name: '区金融办', kind: 'department' },
  ],
};

const taskForces = {
  items: [
    { id: 'tf-01', name: '建桥A区专班（民革区委会）', leadOrg: '民革区委会', zoneCodes: ['jianqiao-a'] },
    { id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c'] },
  ],
};

const issued = {
  items: [
    { code: 'K7Q2M9XD', role: 'unit', unitCode: 'chamber-pharma', unitName: '区医药商会', head: true, name: '张会长', createdAt: '2020-02-10T02:00:00.000Z', status: 'open' },
    { code: 'A1B2C3D4', role: 'taskforce', taskForceId: 'tf-02', taskForceName: '建桥C区专班（民盟区委会）', head: false, name: '李专员', createdAt: '2020-02-09T02:00:00.000Z', status: 'used', usedAt: '2020-02-09T03:00:00.000Z' },
    { code: 'ZZZZ2222', role: 'enterprise', head: false, createdAt: '2020-02-08T02:00:00.000Z', status: 'revoked', revokedAt: '2020-02-08T05:00:00.000Z' },
  ],
  nextCursor: 'c2',
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
    wx.showModal = (opts: any) => opts.success?.({ confirm: true, cancel: false });
    backend.on('admin.listTaskForces', taskForces).on('admin.listInvites', (p: any) => (p.cursor ? { items: [] } : issued));
    backend.on('admin.listUnits', units).on('admin.createInvite', (p: any) => ({
      code: p.role === 'unit' ? 'K7Q2M9XD' : 'A1B2C3D4',
      expiresAt: '2020-02-20T16:00:00.000Z',
    }));
  });

  test('an enterprise invite needs who it is for, sends the role and name and shows the code, expiry in China time and a copy button', async () => {
    const page = renderPage(id);
    await flush();
    expect(text(find(page, '.f-role'))).toContain('企业');
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite')).toHaveLength(0);
    expect(text(find(page, '.f-name'))).toContain('请填写对方的姓名或称呼');
    page.instance.onName({ detail: ' 王经理 ' });
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite').map((c) => c.payload)).toEqual([{ role: 'enterprise', name: '王经理' }]);
    expect(text(find(page, '.invite-for'))).toContain('发给 王经理');
    expect(text(find(page, '.invite-code'))).toContain('A1B2C3D4');
    expect(text(find(page, '.invite-expiry'))).toContain('2020-02-21 00:00 前有效');
    await tapButton(page, '.copy');
    expect(clipboard).toEqual(['A1B2C3D4']);
  });

  test('a copy the clipboard refuses (privacy guide not agreed or not declared) shows the code to copy by hand', async () => {
    const modals: any[] = [];
    wx.setClipboardData = (opts: any) => opts.fail?.({ errMsg: 'setClipboardData:fail api scope is not declared in the privacy agreement' });
    wx.showModal = (opts: any) => {
      modals.push(opts);
      opts.success?.({ confirm: true, cancel: false });
    };
    const page = renderPage(id);
    await flush();
    page.instance.onName({ detail: '王经理' });
    await tapButton(page, '.create');
    await tapButton(page, '.copy');
    expect(modals.map((m) => [m.title, m.content])).toEqual([['没能自动复制，请手动抄录', 'A1B2C3D4']]);
  });

  test('a unit invite needs a unit, and sends it with the head flag', async () => {
    const page = renderPage(id);
    await flush();
    page.instance.onName({ detail: '张会长' });
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
    page.instance.onName({ detail: '张会长' });
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite').map((c) => c.payload)).toEqual([
      { role: 'unit', unitCode: 'finance-office', name: '张会长' },
      { role: 'unit', unitCode: 'finance-office', head: true, name: '张会长' },
    ]);
    expect(text(find(page, '.invite-for'))).toContain('区金融办（负责人）');
    expect(text(find(page, '.invite-code'))).toContain('K7Q2M9XD');
  });

  test('a task force is picked by name, never typed; the server refusing it shows at the field', async () => {
    backend.on('admin.createInvite', new ApiFail('INVALID_ARGUMENT', '服务专班不存在', 'taskForceId'));
    const page = renderPage(id);
    await flush();
    page.instance.onName({ detail: '李专员' });
    page.instance.onRole({ detail: { value: 1 } }); // 服务专班
    await flush();
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite')).toHaveLength(0);
    expect(text(find(page, '.f-taskforce'))).toContain('请选择服务专班');
    page.instance.onTaskForce({ detail: { value: 1 } });
    await flush();
    expect(text(find(page, '.f-taskforce'))).toContain('建桥C区专班（民盟区委会）');
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite').map((c) => c.payload)).toEqual([{ role: 'taskforce', taskForceId: 'tf-02', name: '李专员' }]);
    expect(text(find(page, '.f-taskforce'))).toContain('服务专班不存在');
    expect(page.querySelectorAll('.invite')).toHaveLength(0);
    expect(text(page)).not.toContain('tf-0');
  });

  test('a members page opens it set to its task force', async () => {
    const page = renderPage(id, { role: 'taskforce', taskForceId: 'tf-01' });
    await flush();
    expect(text(find(page, '.f-role'))).toContain('服务专班');
    expect(text(find(page, '.f-taskforce'))).toContain('建桥A区专班（民革区委会）');
  });

  test('lists issued codes with who, what and state by name; 撤销 asks, revokes and marks it', async () => {
    const page = renderPage(id);
    await flush();
    const rows = page.querySelectorAll('.issued').map(text);
    expect(rows[0]).toContain('张会长');
    expect(rows[0]).toContain('待使用');
    expect(rows[0]).toContain('责任单位 · 区医药商会（负责人）');
    expect(rows[1]).toContain('已使用');
    expect(rows[1]).toContain('建桥C区专班（民盟区委会）');
    expect(rows[1]).toContain('2020-02-09 11:00 已使用');
    expect(rows[2]).toContain('未注明发给谁');
    expect(rows[2]).toContain('已撤销');
    expect(page.querySelectorAll('.revoke')).toHaveLength(1); // only open codes can be revoked
    backend.on('admin.revokeInvite', { revoked: true });
    await tapButton(page, '.revoke');
    expect(backend.callsOf('admin.revokeInvite').map((c) => c.payload)).toEqual([{ code: 'K7Q2M9XD' }]);
    expect(text(page.querySelectorAll('.issued')[0])).toContain('已撤销');
    expect(page.querySelectorAll('.revoke')).toHaveLength(0);
    await tapButton(page, '.load-more');
    expect(backend.callsOf('admin.listInvites').map((c) => c.payload)).toEqual([{}, { cursor: 'c2' }]);
  });

  test('a cancelled confirmation revokes nothing; a list that fails to load leaves the form usable', async () => {
    wx.showModal = (opts: any) => opts.success?.({ confirm: false, cancel: true });
    backend.on('admin.listInvites', new ApiFail('NOT_FOUND', '未知操作'));
    const page = renderPage(id);
    await flush();
    expect(text(find(page, '.issued-error'))).toContain('已发放的邀请码暂时无法显示');
    expect(text(find(page, '.f-role'))).toContain('企业');
    backend.on('admin.listInvites', issued);
    const again = renderPage(id);
    await flush();
    await tapButton(again, '.revoke');
    expect(backend.callsOf('admin.revokeInvite')).toHaveLength(0);
  });

  test('an admin invite sends the admin role', async () => {
    const page = renderPage(id);
    await flush();
    page.instance.onName({ detail: '赵科长' });
    page.instance.onRole({ detail: { value: 3 } });
    await tapButton(page, '.create');
    expect(backend.callsOf('admin.createInvite').map((c) => c.payload)).toEqual([{ role: 'admin', name: '赵科长' }]);
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
