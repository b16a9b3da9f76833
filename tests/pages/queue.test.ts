import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { need } from './helpers/fixtures';

describe('unit/queue', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('unit/queue/index');
  });
  beforeEach(resetAll);

  test('loads the routed tab and shows enterprise, unverified mark, type, due time and escalation', async () => {
    backend.on('need.queue', {
      items: [
        need(),
        need({ id: 'need-2', enterpriseName: '重庆渝通机械有限公司', enterpriseVerified: false, escalated: true }),
      ],
    });
    const page = renderPage(id);
    await flush();
    expect(backend.callsOf('need.queue')[0].payload).toEqual({ status: 'routed' });
    const t = text(page);
    expect(t).toContain('重庆秋田齿轮有限公司');
    expect(t).toContain('重庆渝通机械有限公司');
    expect(t).toContain('未核实');
    expect(t).toContain('已超时');
    expect(t).toContain('防疫物资');
    expect(t).toContain('办结时限 2020-02-14 09:30');
    expect(page.querySelectorAll('.unverified')).toHaveLength(1);
    await tap(page, '.need-row');
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: '/unit/need-detail/index?id=need-1' }]);
  });

  test('tapping a tab asks for that status', async () => {
    backend.on('need.queue', (p: any) => ({ items: p.status === 'claimed' ? [need({ status: 'claimed' })] : [] }));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('这里没有需求');
    const tabs = find(page, '.tabs');
    const tabEls = tabs.querySelectorAll('.van-tab');
    expect(tabEls.map((t: any) => t.dom.textContent.trim())).toEqual(['待认领', '已认领', '处理中', '已办结']);
    tabEls[1].dispatchEvent('tap');
    await flush(5);
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([{ status: 'routed' }, { status: 'claimed' }]);
    expect(text(page)).toContain('重庆秋田齿轮有限公司');
  });

  test('an error shows the retry state', async () => {
    backend.on('need.queue', new ApiFail('FORBIDDEN', '您不是责任单位成员'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('您不是责任单位成员');
    backend.on('need.queue', { items: [need()] });
    await tapButton(page, '.state', '.retry');
    expect(text(page)).toContain('重庆秋田齿轮有限公司');
  });
});
