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

  test('opens on 待认领 and shows enterprise, unverified mark, type, due time, escalation and duplicates', async () => {
    backend.on('need.queue', {
      items: [
        need({ allowedActions: ['claim', 'transfer', 'reject'] }),
        need({ id: 'need-2', enterpriseName: '重庆渝通机械有限公司', enterpriseVerified: false, escalated: true, duplicateOf: 'need-0' }),
      ],
    });
    const page = renderPage(id);
    await flush();
    expect(backend.callsOf('need.queue')[0].payload).toEqual({ status: ['routed', 'rejected'] });
    const t = text(page);
    expect(t).toContain('重庆秋田齿轮有限公司');
    expect(t).toContain('重庆渝通机械有限公司');
    expect(t).toContain('未核实');
    expect(t).toContain('已超时');
    expect(t).toContain('疑似重复');
    expect(t).toContain('防疫物资');
    expect(t).toContain('待认领 · 办结时限 2020-02-14 09:30');
    expect(page.querySelectorAll('.unverified')).toHaveLength(1);
    expect(page.querySelectorAll('.duplicate')).toHaveLength(1);
    await tap(page, '.need-row');
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: '/unit/need-detail/index?id=need-1' }]);
  });

  test('four tabs a head needs; each sends its filter', async () => {
    backend.on('need.queue', { items: [] });
    const page = renderPage(id);
    await flush();
    const tabEls = find(page, '.tabs').querySelectorAll('.van-tab');
    expect(tabEls.map((t: any) => t.dom.textContent.trim())).toEqual(['待认领', '我在办', '进行中', '已完成']);
    expect(text(page)).toContain('没有待认领的需求');
    for (const i of [1, 2, 3]) {
      tabEls[i].dispatchEvent('tap');
      await flush(5);
    }
    expect(text(page)).toContain('还没有已完成的需求');
    expect(text(page)).not.toContain('清除筛选');
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([
      { status: ['routed', 'rejected'] },
      { mine: true },
      {},
      { status: ['fulfilled', 'confirmed'] },
    ]);
  });

  test('type and 只看超时 live in one 筛选 sheet; 确定 applies them, the bar says what narrows the list', async () => {
    backend.on('need.queue', (p: any) => ({ items: p.type ? [] : [need()] }));
    const page = renderPage(id);
    await flush();
    expect(page.querySelector('.filter-summary')).toBeFalsy();
    await tapButton(page, '.open-filter');
    expect(page.data.filterShown).toBe(true);
    const chips = page.querySelectorAll('.type-chip');
    expect(chips.map((c: any) => c.dom.textContent.trim())).toEqual(['全部类型', '防疫物资', '融资', '招工', '房租减免', '水电气', '物流运输', '法律服务', '员工健康检查', '政策咨询', '其他困难']);
    chips[2].querySelector('.van-button').dispatchEvent('tap');
    await flush();
    find(page, '.f-escalated', '.van-switch').dispatchEvent('tap');
    await flush();
    expect(backend.callsOf('need.queue')).toHaveLength(1); // nothing is sent before 确定
    await tapButton(page, '.apply-filter');
    await flush(5);
    expect(page.data.filterShown).toBe(false);
    expect(text(find(page, '.filter-summary'))).toBe('融资 · 只看超时');
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([
      { status: ['routed', 'rejected'] },
      { status: ['routed', 'rejected'], type: 'financing', escalated: true },
    ]);
  });

  test('an emptied filter says so and offers 清除筛选, which brings the list back', async () => {
    backend.on('need.queue', (p: any) => ({ items: p.type ? [] : [need()] }));
    const page = renderPage(id);
    await flush();
    page.instance.openFilter();
    page.instance.pickType({ currentTarget: { dataset: { index: 3 } } });
    await page.instance.applyFilter();
    await flush(5);
    expect(text(page)).toContain('没有符合筛选的需求');
    expect(text(page)).not.toContain('这里没有需求');
    await tapButton(page, '.clear-filter');
    await flush(5);
    expect(text(page)).toContain('重庆秋田齿轮有限公司');
    expect(page.querySelector('.filter-summary')).toBeFalsy();
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([
      { status: ['routed', 'rejected'] },
      { status: ['routed', 'rejected'], type: 'hiring' },
      { status: ['routed', 'rejected'] },
    ]);
  });

  test('认领 on a row claims in place: asked for reminders first, the row turns 已认领 and no page opens', async () => {
    backend.on('need.queue', { items: [need({ allowedActions: ['claim', 'transfer', 'reject'] }), need({ id: 'need-2', status: 'claimed', allowedActions: [] })] });
    backend.on('need.claim', need({ status: 'claimed', claimedBy: 'demo-chamber-head' }));
    const page = renderPage(id);
    await flush();
    expect(page.querySelectorAll('.row-claim')).toHaveLength(1);
    await tapButton(page, '.row-claim');
    await flush();
    const order = backend.calls.map((c) => `${c.fn}.${c.action}`);
    expect(order.indexOf('wx.requestSubscribeMessage')).toBeLessThan(order.indexOf('need.claim'));
    expect(backend.callsOf('need.claim').map((c) => c.payload)).toEqual([{ id: 'need-1' }]);
    expect(wxCalls.toasts).toContain('已认领');
    expect(wxCalls.navigations).toEqual([]);
    expect(page.querySelectorAll('.row-claim')).toHaveLength(0);
    expect(text(page.querySelector('.need-row'))).toContain('已认领');
    expect(text(page.querySelector('.need-row'))).toContain('已认领，点此办理');
  });

  test('a row lost to someone faster shows the server message and the list reloads', async () => {
    let calls = 0;
    backend.on('need.queue', () => (++calls === 1 ? { items: [need({ allowedActions: ['claim'] })] } : { items: [] }));
    backend.on('need.claim', new ApiFail('CONFLICT', '该需求已被他人认领'));
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.row-claim');
    await flush(5);
    expect(wxCalls.toasts).toEqual(['该需求已被他人认领']);
    expect(backend.callsOf('need.queue')).toHaveLength(2);
    expect(text(page)).toContain('没有待认领的需求');
  });

  test('links open a prepared view: escalated among all open needs (进行中), 我在办; paging keeps the filter', async () => {
    backend.on('need.queue', (p: any) => (p.cursor ? { items: [need({ id: 'need-2' })] } : { items: [need()], nextCursor: 'c1' }));
    const page = renderPage(id, { escalated: '1' });
    await flush();
    expect(text(find(page, '.filter-summary'))).toBe('只看超时');
    await tapButton(page, '.load-more');
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([{ escalated: true }, { escalated: true, cursor: 'c1' }]);
    expect(page.data.items.map((i: any) => i.id)).toEqual(['need-1', 'need-2']);
    backend.reset();
    backend.on('need.queue', { items: [] });
    renderPage(id, { mine: '1' });
    await flush();
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([{ mine: true }]);
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

