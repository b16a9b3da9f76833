import { ApiFail, backend, find, findAll, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';

const members = {
  items: [
    { openid: 'o-2', name: '李四', head: false, joinedAt: '2020-02-11T02:00:00.000Z' },
    { openid: 'o-1', name: '张会长', head: true, joinedAt: '2020-02-10T02:00:00.000Z' },
  ],
};

const wx = (global as any).wx;

describe('admin/members', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/members/index');
  });
  beforeEach(() => {
    resetAll();
    wx.showModal = (opts: any) => opts.success?.({ confirm: true, cancel: false });
    backend
      .on('admin.members', members)
      .on('admin.listUnits', { items: [{ code: 'chamber-pharma', name: '区医药商会', kind: 'chamber' }] })
      .on('admin.listTaskForces', { items: [{ id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: [] }] })
      .on('admin.revoke', { revoked: true });
  });

  test('a unit\'s members, head first, by name; 移除 confirms and revokes the unit role', async () => {
    const page = renderPage(id, { unitCode: 'chamber-pharma' });
    await flush();
    expect(backend.callsOf('admin.members').map((c) => c.payload)).toEqual([{ unitCode: 'chamber-pharma' }]);
    expect(text(find(page, '.heading'))).toContain('区医药商会的成员');
    const rows = findAll(page, '.member').map(text);
    expect(rows[0]).toContain('张会长');
    expect(rows[0]).toContain('负责人');
    expect(rows[0]).toContain('2020-02-10 加入');
    expect(rows[1]).toContain('李四');
    expect(text(page)).not.toContain('o-1');
    findAll(page, '.remove')[1].querySelector('.van-button').dispatchEvent('tap');
    await flush(6);
    expect(backend.callsOf('admin.revoke').map((c) => c.payload)).toEqual([{ openid: 'o-2', role: 'unit', unitCode: 'chamber-pharma' }]);
    expect(findAll(page, '.member')).toHaveLength(1);
    expect(wxCalls.toasts).toContain('已移除');
  });

  test('a task force\'s members revoke the task-force role; a cancelled confirmation does nothing', async () => {
    const page = renderPage(id, { taskForceId: 'tf-02' });
    await flush();
    expect(text(find(page, '.heading'))).toContain('建桥C区专班（民盟区委会）的成员');
    wx.showModal = (opts: any) => opts.success?.({ confirm: false, cancel: true });
    await tapButton(page, '.remove');
    expect(backend.callsOf('admin.revoke')).toHaveLength(0);
    wx.showModal = (opts: any) => opts.success?.({ confirm: true, cancel: false });
    await tapButton(page, '.remove');
    await flush();
    expect(backend.callsOf('admin.revoke').map((c) => c.payload)).toEqual([{ openid: 'o-1', role: 'taskforce', taskForceId: 'tf-02' }]);
    await tapButton(page, '.invite');
    expect(wxCalls.navigations.map((n) => n.url)).toEqual(['/admin/invite/index?role=taskforce&taskForceId=tf-02']);
  });

  test('no members reads as empty; a refused revoke is toasted and the list reloads', async () => {
    backend.on('admin.revoke', new ApiFail('NOT_FOUND', '此人已不是成员'));
    const page = renderPage(id, { unitCode: 'chamber-pharma' });
    await flush();
    backend.on('admin.members', { items: [] });
    await tapButton(page, '.remove');
    await flush();
    expect(wxCalls.toasts).toContain('此人已不是成员');
    expect(text(page)).toContain('还没有成员');
  });
});
