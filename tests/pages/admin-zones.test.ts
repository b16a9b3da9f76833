import { backend, find, findAll, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { options } from './helpers/fixtures';

describe('admin/zones', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/zones/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('enterprise.options', options);
  });

  test('lists zones by name with their kind; a tap opens one', async () => {
    const page = renderPage(id);
    await flush();
    const rows = findAll(page, '.zone-row').map(text);
    expect(rows[0]).toContain('建桥园区C区');
    expect(rows[0]).toContain('园区');
    expect(rows[1]).toContain('八桥镇');
    expect(rows[1]).toContain('镇');
    await tap(page, '.zone-row');
    await tapButton(page, '.add');
    expect(wxCalls.navigations.map((n) => n.url)).toEqual(['/admin/zone/index?code=jianqiao-c', '/admin/zone/index']);
    expect(text(find(page, '.list'))).not.toContain('jianqiao');
  });
});
