import { backend, findAll, flush, loadPage, renderPage, resetAll, tap, text, wxCalls } from './helpers';

const policies = {
  items: [
    { id: 'p-old', title: '中小企业房租减免办法', level: 'district', summary: '减免三个月房租', tags: ['rent'], industries: [], effectiveFrom: '2020-02-01', effectiveTo: '2020-06-30' },
    { id: 'p-new', title: '稳岗返还政策', level: 'city', summary: '返还失业保险费', tags: ['hiring'], industries: ['manufacturing'], effectiveFrom: '2020-02-10' },
  ],
};

describe('admin/policies', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/policies/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('policy.list', policies);
  });

  test('newest first, with level and dates in words; a tap edits one', async () => {
    const page = renderPage(id);
    await flush();
    const rows = findAll(page, '.policy-row').map(text);
    expect(rows[0]).toContain('稳岗返还政策');
    expect(rows[0]).toContain('市级 · 2020-02-10 起');
    expect(rows[1]).toContain('区级 · 2020-02-01 起，至 2020-06-30');
    await tap(page, '.policy-row');
    expect(wxCalls.navigations.map((n) => n.url)).toEqual(['/admin/policy/index?id=p-new']);
  });
});
