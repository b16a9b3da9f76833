import { ApiFail, backend, findAll, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';

const units = {
  items: [
    { code: 'chamber-pharma', name: '区医药商会', kind: 'chamber', order: 1 },
    { code: 'hrss', name: '区人力社保局', kind: 'department', order: 2 },
  ],
};

describe('admin/units', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/units/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('admin.listUnits', units);
  });

  test('lists units by name and kind in Chinese; a tap opens one, 新增单位 a blank one', async () => {
    const page = renderPage(id);
    await flush();
    const rows = findAll(page, '.unit-row').map(text);
    expect(rows[0]).toContain('区医药商会');
    expect(rows[0]).toContain('商会');
    expect(rows[1]).toContain('政府部门');
    expect(text(page)).not.toMatch(/chamber|department|hrss/);
    await tap(page, '.unit-row');
    await tapButton(page, '.add');
    expect(wxCalls.navigations.map((n) => n.url)).toEqual(['/admin/unit/index?code=chamber-pharma', '/admin/unit/index']);
  });

  test('a failure offers retry', async () => {
    backend.on('admin.listUnits', new ApiFail('INTERNAL', '网络异常，请稍后重试'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('网络异常');
  });
});
