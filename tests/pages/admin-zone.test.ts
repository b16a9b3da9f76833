import { backend, find, flush, loadPage, renderPage, resetAll, tapButton, text } from './helpers';
import { options } from './helpers/fixtures';

describe('admin/zone', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/zone/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('enterprise.options', options).on('admin.saveZone', (p: any) => p);
  });

  test('renames a zone keeping its code and place in the list', async () => {
    const page = renderPage(id, { code: 'bajiaoyuan' });
    await flush();
    expect(text(find(page, '.f-kind'))).toContain('镇');
    page.instance.onName({ detail: '八桥镇（含工业园）' });
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.saveZone').map((c) => c.payload)).toEqual([{ code: 'bajiaoyuan', name: '八桥镇（含工业园）', kind: 'town', order: 2 }]);
  });

  test('a new zone needs a name and a kind and goes last', async () => {
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.save');
    expect(text(find(page, '.f-name'))).toContain('区域名称应为 2–40 个字');
    expect(text(find(page, '.f-kind'))).toContain('请选择区域类型');
    page.instance.onName({ detail: '建桥园区D区' });
    page.instance.onKind({ detail: { value: 0 } });
    await tapButton(page, '.save');
    const [saved] = backend.callsOf('admin.saveZone').map((c) => c.payload as any);
    expect(saved).toMatchObject({ name: '建桥园区D区', kind: 'park', order: 3 });
    expect(saved.code).toMatch(/^zone-[a-z0-9]+$/);
  });
});
