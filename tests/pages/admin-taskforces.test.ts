import { backend, findAll, flush, loadPage, renderPage, resetAll, tap, text, wxCalls } from './helpers';
import { options } from './helpers/fixtures';

describe('admin/taskforces', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/taskforces/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('enterprise.options', options).on('admin.listTaskForces', {
      items: [{ id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c', 'bajiaoyuan'] }],
    });
  });

  test('lists task forces with lead organisation and zones by name; a tap opens one', async () => {
    const page = renderPage(id);
    await flush();
    const [row] = findAll(page, '.taskforce-row').map(text);
    expect(row).toContain('建桥C区专班（民盟区委会）');
    expect(row).toContain('民盟区委会牵头 · 建桥园区C区、八桥镇');
    expect(text(page)).not.toMatch(/tf-02|jianqiao/);
    await tap(page, '.taskforce-row');
    expect(wxCalls.navigations.map((n) => n.url)).toEqual(['/admin/taskforce/index?id=tf-02']);
  });
});
