import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { need } from './helpers/fixtures';

describe('enterprise/needs', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/needs/index');
  });
  beforeEach(resetAll);

  function tabs(page: any): any[] {
    return find(page, '.tabs').querySelectorAll('.van-tab');
  }

  test('shows a skeleton, then the needs with labels in China time', async () => {
    backend.on('need.mine', { items: [need(), need({ id: 'need-2', type: 'financing', items: undefined, amountWan: 50, purpose: '采购原料' } as any)] });
    const page = renderPage(id);
    expect(page.data.loading).toBe(true);
    expect(page.querySelector('.state').querySelector('.page-state-loading')).toBeTruthy();
    await flush();
    const t = text(page);
    expect(t).toContain('防疫物资');
    expect(t).toContain('口罩 20000 个');
    expect(t).toContain('50 万元，采购原料');
    expect(t).toContain('区医药商会');
    expect(t).toContain('已提交，等待受理'); // the owner's words, not the handler's 待认领
    expect(t).not.toContain('待认领');
    expect(t).toContain('2020-02-12 09:30'); // 01:30Z is 09:30 in Chongqing
    await tap(page, '.need-row');
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: '/enterprise/need-detail/index?id=need-1' }]);
  });

  test('the status tabs send their filter, and a tab can be opened from a link', async () => {
    backend.on('need.mine', (p: any) => ({ items: p.status === 'waiting' ? [need({ status: 'waiting' })] : [] }));
    const page = renderPage(id);
    await flush();
    expect(tabs(page).map((t: any) => t.dom.textContent.trim())).toEqual(['全部', '处理中', '待答复', '已办结', '已关闭']);
    tabs(page)[1].dispatchEvent('tap');
    await flush(5);
    tabs(page)[2].dispatchEvent('tap');
    await flush(5);
    tabs(page)[4].dispatchEvent('tap');
    await flush(5);
    expect(backend.callsOf('need.mine').map((c) => c.payload)).toEqual([
      {},
      { status: ['routed', 'claimed', 'in_progress', 'rejected'] },
      { status: 'waiting' },
      { status: ['confirmed', 'cancelled'] },
    ]);
    expect(text(page)).toContain('这里没有需求');

    resetAll();
    backend.on('need.mine', { items: [need({ status: 'waiting' })] });
    const linked = renderPage(id, { tab: 'waiting' });
    await flush();
    expect(backend.callsOf('need.mine')[0].payload).toEqual({ status: 'waiting' });
    expect(text(linked)).toContain('待您答复');
    expect(text(linked)).not.toContain('等待企业答复');
  });

  test('empty list says so and offers a new request', async () => {
    backend.on('need.mine', { items: [] });
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('还没有提交需求');
    await tapButton(page, '.empty-new'); // slotted: it lives in the page's own tree
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: '/enterprise/need-new/index' }]);
  });

  test('loads more with the cursor and the tab filter, and pull-down refreshes', async () => {
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
    expect(page.data.items.map((i: any) => i.id)).toEqual(['need-1']);
    tabs(page)[3].dispatchEvent('tap');
    await flush(5);
    await tapButton(page, '.load-more');
    expect(backend.callsOf('need.mine').slice(3).map((c) => c.payload)).toEqual([{ status: 'fulfilled' }, { status: 'fulfilled', cursor: 'c1' }]);
  });

  test('a page that arrives after the tab changed is dropped', async () => {
    let release: () => void = () => undefined;
    backend.on('need.mine', (p: any) => (p.cursor ? { items: [need({ id: 'stale' })] } : { items: [need()], nextCursor: 'c1' }));
    const page = renderPage(id);
    await flush();
    // Hold the "more" answer until after the tab switch.
    const realRequest = (global as any).wx.request;
    (global as any).wx.request = (opts: any) => {
      if (opts.data.cursor) release = () => realRequest(opts);
      else realRequest(opts);
    };
    const more = page.instance.loadMore();
    tabs(page)[2].dispatchEvent('tap');
    await flush(5);
    (global as any).wx.request = realRequest;
    release();
    await more;
    await flush();
    expect(page.data.items.map((i: any) => i.id)).toEqual(['need-1']);
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
