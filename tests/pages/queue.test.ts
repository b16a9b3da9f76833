import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { chamberHeadSession, need } from './helpers/fixtures';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES } from '../../miniprogram/subscribe-templates';
import { refreshSession } from '../../miniprogram/services/session';

const idsOf = (moment: keyof typeof SUBSCRIBE_MOMENTS) => SUBSCRIBE_MOMENTS[moment].templates.map((k) => SUBSCRIBE_TEMPLATES[k].id);
const memberSession = { ...chamberHeadSession, openid: 'pharma-2', headOf: [] };

describe('unit/queue', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('unit/queue/index');
  });
  beforeEach(resetAll);

  test('loads the open needs and shows enterprise, unverified mark, type, due time, escalation and duplicates', async () => {
    backend.on('need.queue', {
      items: [
        need(),
        need({ id: 'need-2', enterpriseName: '重庆渝通机械有限公司', enterpriseVerified: false, escalated: true, duplicateOf: 'need-0' }),
      ],
    });
    const page = renderPage(id);
    await flush();
    expect(backend.callsOf('need.queue')[0].payload).toEqual({});
    const t = text(page);
    expect(t).toContain('重庆秋田齿轮有限公司');
    expect(t).toContain('重庆渝通机械有限公司');
    expect(t).toContain('未核实');
    expect(t).toContain('已超时');
    expect(t).toContain('疑似重复');
    expect(t).toContain('防疫物资');
    expect(t).toContain('办结时限 2020-02-14 09:30');
    expect(page.querySelectorAll('.unverified')).toHaveLength(1);
    expect(page.querySelectorAll('.duplicate')).toHaveLength(1);
    await tap(page, '.need-row');
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: '/unit/need-detail/index?id=need-1' }]);
  });

  test('tabs, the type picker and the two switches each send their filter', async () => {
    backend.on('need.queue', (p: any) => ({ items: p.status === 'claimed' ? [need({ status: 'claimed' })] : [] }));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('这里没有需求');
    const tabEls = find(page, '.tabs').querySelectorAll('.van-tab');
    expect(tabEls.map((t: any) => t.dom.textContent.trim())).toEqual(['未办结', '待认领', '已认领', '处理中', '待企业答复', '已退回', '已办结']);
    tabEls[2].dispatchEvent('tap');
    await flush(5);
    expect(text(page)).toContain('重庆秋田齿轮有限公司');

    page.instance.onType({ detail: { value: 2 } }); // 融资 (after 全部类型, 防疫物资)
    await flush(5);
    expect(text(find(page, '.f-type'))).toContain('融资');
    find(page, '.f-escalated', '.van-switch').dispatchEvent('tap');
    await flush(5);
    find(page, '.f-mine', '.van-switch').dispatchEvent('tap');
    await flush(5);
    find(page, '.f-escalated', '.van-switch').dispatchEvent('tap');
    await flush(5);
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([
      {},
      { status: 'claimed' },
      { status: 'claimed', type: 'financing' },
      { status: 'claimed', type: 'financing', escalated: true },
      { status: 'claimed', type: 'financing', escalated: true, mine: true },
      { status: 'claimed', type: 'financing', mine: true },
    ]);
  });

  test('a link can open escalated routed needs; paging keeps the filter', async () => {
    backend.on('need.queue', (p: any) => (p.cursor ? { items: [need({ id: 'need-2' })] } : { items: [need()], nextCursor: 'c1' }));
    const page = renderPage(id, { status: 'routed', escalated: '1' });
    await flush();
    await tapButton(page, '.load-more');
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([
      { status: 'routed', escalated: true },
      { status: 'routed', escalated: true, cursor: 'c1' },
    ]);
    expect(page.data.items.map((i: any) => i.id)).toEqual(['need-1', 'need-2']);
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

  describe('开启新需求提醒', () => {
    const storage = new Map<string, unknown>();
    beforeAll(() => {
      const wx = (global as any).wx;
      wx.getStorageSync = (key: string) => (storage.has(key) ? storage.get(key) : '');
      wx.setStorageSync = (key: string, value: unknown) => storage.set(key, value);
    });
    beforeEach(() => {
      storage.clear();
      backend.on('need.queue', { items: [need()] });
    });

    async function openAs(session: unknown) {
      backend.on('user.login', session);
      void refreshSession().catch(() => undefined);
      const page = renderPage(id);
      await flush();
      return page;
    }

    test('a member taps it: asked, from the tap, for the member set of the table; accepted, it steps aside for the day', async () => {
      const page = await openAs(memberSession);
      expect(wxCalls.subscribes).toEqual([]); // opening alone cannot ask: WeChat needs a tap
      await tapButton(page, '.enable-reminders');
      await flush();
      expect(wxCalls.subscribes).toEqual([idsOf('unitMember')]);
      expect(wxCalls.subscribes[0].length).toBeLessThanOrEqual(3);
      expect(wxCalls.subscribes[0]).toEqual([SUBSCRIBE_TEMPLATES.needRouted.id, SUBSCRIBE_TEMPLATES.dailyDigest.id]);
      expect(page.querySelector('.enable-reminders')).toBeFalsy();
      expect(wxCalls.toasts).toContain('已开启提醒');
      const again = await openAs(memberSession);
      expect(again.querySelector('.enable-reminders')).toBeFalsy();
    });

    test('a head is also asked for escalations, still at most 3 ids', async () => {
      const page = await openAs(chamberHeadSession);
      expect(text(page)).toContain('需求超时');
      await tapButton(page, '.enable-reminders');
      await flush();
      expect(wxCalls.subscribes).toEqual([idsOf('unitHead')]);
      expect(wxCalls.subscribes[0]).toContain(SUBSCRIBE_TEMPLATES.needEscalated.id);
      expect(wxCalls.subscribes[0].length).toBeLessThanOrEqual(3);
    });

    test('refused, the button stays for another try', async () => {
      wxCalls.subscribeOutcome = 'reject';
      const page = await openAs(memberSession);
      await tapButton(page, '.enable-reminders');
      await flush();
      expect(wxCalls.subscribes).toHaveLength(1);
      expect(page.querySelector('.enable-reminders')).toBeTruthy();
    });
  });
});

