import { ApiFail, backend, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { need } from './helpers/fixtures';

describe('enterprise/needs', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/needs/index');
  });
  beforeEach(resetAll);

  test('shows a skeleton, then the needs with labels in China time', async () => {
    backend.on('need.mine', { items: [need()] });
    const page = renderPage(id);
    expect(page.data.loading).toBe(true);
    expect(page.querySelector('.state').querySelector('.page-state-loading')).toBeTruthy();
    await flush();
    const t = text(page);
    expect(t).toContain('防疫物资');
    expect(t).toContain('口罩 20000 个');
    expect(t).toContain('区医药商会');
    expect(t).toContain('待认领');
    expect(t).toContain('2020-02-12 09:30'); // 01:30Z is 09:30 in Chongqing
    await tap(page, '.need-row');
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: '/enterprise/need-detail/index?id=need-1' }]);
  });

  test('empty list says so and offers a new request', async () => {
    backend.on('need.mine', { items: [] });
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('还没有提交需求');
    await tapButton(page, '.empty-new'); // slotted: it lives in the page's own tree
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: '/enterprise/supplies-new/index' }]);
  });

  test('loads more with the cursor, and pull-down refreshes', async () => {
    backend.on('need.mine', (p: any) =>
      p.cursor ? { items: [need({ id: 'need-2', status: 'fulfilled' })] } : { items: [need()], nextCursor: 'c1' },
    );
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.load-more');
    expect(backend.callsOf('need.mine').map((c) => c.payload)).toEqual([{}, { cursor: 'c1' }]);
    expect(page.data.items.map((i: any) => i.id)).toEqual(['need-1', 'need-2']);
    expect(text(page)).toContain('没有更多了');
    page.instance.onPullDownRefresh();
    await flush();
    expect(backend.callsOf('need.mine')).toHaveLength(3);
  });

  test('an error shows the retry', async () => {
    backend.on('need.mine', new ApiFail('UNAUTHENTICATED', '请先登记企业'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('请先登记企业');
    backend.on('need.mine', { items: [need()] });
    await tapButton(page, '.state', '.retry');
    expect(text(page)).toContain('口罩 20000 个');
  });
});
