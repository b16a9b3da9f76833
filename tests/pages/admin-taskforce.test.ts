import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { options } from './helpers/fixtures';

describe('admin/taskforce', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/taskforce/index');
  });
  beforeEach(() => {
    resetAll();
    backend
      .on('enterprise.options', options)
      .on('admin.listTaskForces', { items: [{ id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c'], order: 2 }] })
      .on('admin.saveTaskForce', (p: any) => p);
  });

  test('zones are ticked by name and saved in list order; members are one tap away', async () => {
    const page = renderPage(id, { id: 'tf-02' });
    await flush();
    expect(text(find(page, '.f-zones'))).toContain('八桥镇');
    page.instance.onZones({ detail: ['bajiaoyuan', 'jianqiao-c'] });
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.saveTaskForce').map((c) => c.payload)).toEqual([
      { id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c', 'bajiaoyuan'], order: 2 },
    ]);
    await tap(page, '.go-members');
    expect(wxCalls.navigations.map((n) => n.url)).toEqual(['', '/admin/members/index?taskForceId=tf-02']);
  });

  test('a new task force needs a name, a lead and a zone; a refused zone shows at the zones', async () => {
    backend.on('admin.saveTaskForce', new ApiFail('INVALID_ARGUMENT', '区域「x」不存在', 'zoneCodes.0'));
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.saveTaskForce')).toHaveLength(0);
    expect(text(find(page, '.f-name'))).toContain('专班名称应为 2–60 个字');
    expect(text(find(page, '.f-leadOrg'))).toContain('牵头单位应为 2–40 个字');
    expect(text(find(page, '.zones-error'))).toContain('至少选择一个区域');
    page.instance.onText({ currentTarget: { dataset: { field: 'name' } }, detail: '八桥镇专班' });
    page.instance.onText({ currentTarget: { dataset: { field: 'leadOrg' } }, detail: '区工商联' });
    page.instance.onZones({ detail: ['bajiaoyuan'] });
    await tapButton(page, '.save');
    const [sent] = backend.callsOf('admin.saveTaskForce').map((c) => c.payload as any);
    expect(sent).toMatchObject({ name: '八桥镇专班', leadOrg: '区工商联', zoneCodes: ['bajiaoyuan'], order: 2 });
    expect(sent.id).toMatch(/^tf-[a-z0-9]+$/);
    expect(text(find(page, '.zones-error'))).toContain('不存在');
  });
});
