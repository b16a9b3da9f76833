import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';

const units = {
  items: [
    { code: 'chamber-pharma', name: '区医药商会', kind: 'chamber', order: 1 },
    { code: 'hrss', name: '区人力社保局', kind: 'department', order: 7 },
  ],
};

describe('admin/unit', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/unit/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('admin.listUnits', units).on('admin.saveUnit', (p: any) => p);
  });

  test('edits the name and kind, keeping code and order; links to the members', async () => {
    const page = renderPage(id, { code: 'hrss' });
    await flush();
    expect(text(find(page, '.f-kind'))).toContain('政府部门');
    page.instance.onName({ detail: '区人力资源和社会保障局' });
    page.instance.onKind({ detail: { value: 1 } }); // 协会
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.saveUnit').map((c) => c.payload)).toEqual([{ code: 'hrss', name: '区人力资源和社会保障局', kind: 'association', order: 7 }]);
    await tap(page, '.go-members');
    expect(wxCalls.navigations.map((n) => n.url)).toEqual(['', '/admin/members/index?unitCode=hrss']);
  });

  test('a new unit needs a name and kind, gets a made-up code and goes last', async () => {
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.saveUnit')).toHaveLength(0);
    expect(text(find(page, '.f-name'))).toContain('单位名称应为 2–40 个字');
    expect(text(find(page, '.f-kind'))).toContain('请选择单位类型');
    expect(page.querySelectorAll('.go-members')).toHaveLength(0);
    page.instance.onName({ detail: '区餐饮商会' });
    page.instance.onKind({ detail: { value: 0 } });
    await tapButton(page, '.save');
    const [saved] = backend.callsOf('admin.saveUnit').map((c) => c.payload as any);
    expect(saved).toMatchObject({ name: '区餐饮商会', kind: 'chamber', order: 8 });
    expect(saved.code).toMatch(/^unit-[a-z0-9]+$/);
  });

  test('a server refusal at the name shows there', async () => {
    backend.on('admin.saveUnit', new ApiFail('INVALID_ARGUMENT', '请填写单位名称', 'name'));
    const page = renderPage(id, { code: 'hrss' });
    await flush();
    await tapButton(page, '.save');
    expect(text(find(page, '.f-name'))).toContain('请填写单位名称');
  });
});
