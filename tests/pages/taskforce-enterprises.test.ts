import { ApiFail, backend, flush, NETWORK_DOWN, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { fake, installTaskforceWx } from './taskforce-wx';
import { FAILED_KEY, flushQueue, pending, QUEUE_KEY } from '../../miniprogram/utils/offline-queue';
import { CACHE_KEYS } from '../../miniprogram/utils/offline-cache';
import { MARKER_ICONS } from '../../miniprogram/taskforce/zone';

installTaskforceWx();

function ent(extra: Record<string, unknown>) {
  return {
    id: 'ent-x',
    name: '企业',
    zone: 'jianqiao-c',
    industry: 'manufacturing',
    address: '重庆市大渡口区建桥工业园C区',
    location: { latitude: 29.4842, longitude: 106.4823 },
    contactName: '李经理',
    contactPhone: '13800000000',
    verified: true,
    lastVisitAt: null,
    overdue: false,
    ...extra,
  };
}

const items = [
  ent({ id: 'ent-never', name: '重庆秋田齿轮有限公司', overdue: true }),
  ent({ id: 'ent-late', name: '大渡口医药公司', industry: 'medical', lastVisitAt: '2020-02-01T06:30:00.000Z', overdue: true, verified: false }),
  ent({ id: 'ent-ok', name: '建桥餐饮', industry: 'catering', lastVisitAt: '2020-02-20T06:30:00.000Z', contactPhone: '13900000001' }),
  ent({ id: 'ent-new', name: '新登记商贸', lastVisitAt: '2020-02-21T06:30:00.000Z', verified: false, location: null, contactPhone: '' }),
];
const zone = { items, total: items.length, overdue: 2 };

const profile = { taskForceId: 'tf-02', taskForceName: '建桥C区专班（民盟区委会）', zones: [{ code: 'jianqiao-c', name: '建桥园区C区' }], visitIntervalDays: 7, offSiteMeters: 500 };

function queued(clientKey: string) {
  return {
    clientKey,
    enterpriseName: '建桥餐饮',
    input: {
      enterpriseId: 'ent-ok',
      clientKey,
      location: { latitude: 29.48, longitude: 106.48 },
      checklist: { look: '已消毒', check: '', ask: '', guide: [] },
    },
    photos: [{ path: '', fileID: 'cloud://env/visits/ent-ok/p0.jpg' }],
    queuedAt: '2020-02-21T01:00:00.000Z',
  };
}

const HOUR = 3600_000;
const stored = (data: unknown, agoMs: number) => ({ data, at: new Date(Date.now() - agoMs).toISOString() });

describe('taskforce/enterprises', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('taskforce/enterprises/index');
  });
  beforeEach(() => {
    resetAll();
    fake.reset();
    backend.on('visit.profile', profile);
  });

  test('lists the zone with its state, 未核实 and the four actions; names the task force and zones, never codes', async () => {
    backend.on('visit.myEnterprises', zone);
    const page = renderPage(id);
    await flush(6);
    const t = text(page);
    expect(t).toContain('建桥C区专班（民盟区委会） · 建桥园区C区');
    expect(t).not.toContain('tf-02');
    expect(t).not.toContain('jianqiao-c');
    expect(t).toContain('共 4 家，2 家需要走访，2 家未核实');
    expect(page.data.shown.map((r: any) => [r.id, r.mark, r.state])).toEqual([
      ['ent-never', '从未走访', 'overdue'],
      ['ent-late', '逾期未走访', 'overdue'],
      ['ent-ok', '已走访', 'visited'],
      ['ent-new', '已走访', 'unverified'],
    ]);
    expect(t).toContain('尚无走访记录');
    expect(t).toContain('上次走访 2020-02-01 14:30');
    expect(page.querySelectorAll('.unverified')).toHaveLength(2);
    expect(page.querySelectorAll('.act-call')).toHaveLength(4);
    expect(page.querySelectorAll('.act-verify')).toHaveLength(2); // only the unverified ones
    // The zone is kept on the phone with its fetch time.
    expect((fake.storage.get(CACHE_KEYS.zone) as any).data.items).toHaveLength(4);
    expect((fake.storage.get(CACHE_KEYS.profile) as any).data.taskForceName).toBe('建桥C区专班（民盟区委会）');
  });

  test('an enterprise named like a verified one is marked for the visit', async () => {
    const twin = ent({ id: 'ent-twin', name: '重庆秋田齿轮有限公司', verified: false, nameMatchesVerified: true });
    backend.on('visit.myEnterprises', { items: [...items, twin], total: items.length + 1, overdue: 2 });
    const page = renderPage(id);
    await flush(6);
    expect(page.querySelectorAll('.namesake')).toHaveLength(1);
    expect(text(page)).toContain('与已核实企业同名');
  });

  test('a check-in photo goes into the member’s own upload folder the profile names', async () => {
    const { photoCloudPath } = require('../../miniprogram/services/visit-api');
    fake.storage.set(CACHE_KEYS.profile, stored({ ...profile, uploadFolder: 'uploads/0123456789abcdef/' }, HOUR));
    expect(photoCloudPath('ent-ok', 'visit-k1', 0, 'wxfile://tmp/a.JPG')).toBe('uploads/0123456789abcdef/visits/ent-ok/visit-k1-0.jpg');
  });

  test('拨打 dials, 导航 opens the map app at the enterprise, 签到 opens the check-in; missing number or position says why', async () => {
    backend.on('visit.myEnterprises', zone);
    const page = renderPage(id);
    await flush(6);
    const nth = (cls: string, i: number) => page.querySelectorAll(cls)[i].dispatchEvent('tap');
    nth('.act-call', 2);
    nth('.act-nav', 2);
    nth('.act-checkin', 2);
    await flush();
    expect(wxCalls.calls).toEqual(['13900000001']);
    expect(fake.opened).toEqual([{ latitude: 29.4842, longitude: 106.4823, name: '建桥餐饮', address: '重庆市大渡口区建桥工业园C区' }]);
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: `/taskforce/check-in/index?enterpriseId=ent-ok&name=${encodeURIComponent('建桥餐饮')}` }]);
    nth('.act-call', 3);
    nth('.act-nav', 3);
    await flush();
    expect(wxCalls.calls).toHaveLength(1);
    expect(fake.opened).toHaveLength(1);
    expect(wxCalls.toasts).toEqual(['这家企业没有登记联系电话', '这家企业还没有标注位置']);
  });

  test('核实 asks first, then calls enterprise.verify and marks the row (and the copy on the phone)', async () => {
    backend.on('visit.myEnterprises', zone);
    backend.on('enterprise.verify', (p: Record<string, unknown>) => ({ id: p.enterpriseId, verified: true }));
    const page = renderPage(id);
    await flush(6);
    fake.modalConfirm = false;
    await tap(page, '.act-verify');
    expect(fake.modals[0].content).toContain('大渡口医药公司');
    expect(backend.callsOf('enterprise.verify')).toHaveLength(0);
    fake.modalConfirm = true;
    await tap(page, '.act-verify');
    await flush();
    expect(backend.callsOf('enterprise.verify').map((c) => c.payload)).toEqual([{ enterpriseId: 'ent-late' }]);
    expect(wxCalls.toasts).toContain('已核实');
    expect(page.data.shown[1].verified).toBe(true);
    expect(page.querySelectorAll('.act-verify')).toHaveLength(1);
    expect((fake.storage.get(CACHE_KEYS.zone) as any).data.items[1].verified).toBe(true);
  });

  test('核实 without network says it needs the network and changes nothing', async () => {
    backend.on('visit.myEnterprises', zone);
    backend.on('enterprise.verify', NETWORK_DOWN);
    const page = renderPage(id);
    await flush(6);
    await tap(page, '.act-verify');
    await flush();
    expect(wxCalls.toasts).toEqual(['核实需要联网，请到有信号的地方再点「核实」']);
    expect(page.data.shown[1].verified).toBe(false);
    expect(page.data.sendError).toBe('');
  });

  test('pages through the whole zone, 200 at a time, and keeps all of it', async () => {
    const many = Array.from({ length: 450 }, (_, i) => ent({ id: `ent-${i}`, name: `企业${i}`, overdue: i < 300 }));
    backend.on('visit.myEnterprises', (p: Record<string, unknown>) => {
      const start = p.cursor ? Number(p.cursor) : 0;
      const limit = Number(p.limit);
      const next = start + limit;
      return { items: many.slice(start, next), total: many.length, overdue: 300, ...(next < many.length ? { nextCursor: String(next) } : {}) };
    });
    const page = renderPage(id);
    await flush(10);
    expect(backend.callsOf('visit.myEnterprises').map((c) => c.payload)).toEqual([{ limit: 200 }, { limit: 200, cursor: '200' }, { limit: 200, cursor: '400' }]);
    expect((fake.storage.get(CACHE_KEYS.zone) as any).data.items).toHaveLength(450);
    expect(text(page)).toContain('共 450 家，300 家需要走访');
    // A screenful at a time: the rest on scrolling.
    expect(page.data.shown).toHaveLength(50);
    await tapButton(page, '.show-more');
    expect(page.data.shown).toHaveLength(100);
    page.instance.onReachBottom();
    expect(page.data.shown).toHaveLength(150);
  });

  test('a failed refresh shows the copy on the phone with 「离线 · 更新于 HH:mm」, never an error; a half-fetched zone is not kept', async () => {
    fake.storage.set(CACHE_KEYS.zone, stored(zone, 2 * HOUR));
    fake.storage.set(CACHE_KEYS.profile, stored(profile, 2 * HOUR));
    let calls = 0;
    backend.on('visit.myEnterprises', () => (++calls === 1 ? { ...zone, items: items.slice(0, 2), nextCursor: 'c2' } : NETWORK_DOWN));
    backend.on('visit.profile', NETWORK_DOWN);
    const page = renderPage(id);
    await flush(10);
    const t = text(page);
    expect(t).toMatch(/离线 · 更新于 (\d+月\d+日 )?\d\d:\d\d/);
    expect(t).toContain('现在没有网络，显示的是手机上保存的企业名单');
    expect(t).toContain('建桥C区专班（民盟区委会）');
    expect(page.data.error).toBe('');
    expect(page.data.shown).toHaveLength(4);
    expect((fake.storage.get(CACHE_KEYS.zone) as any).data.items).toHaveLength(4);
  });

  test('a fresh copy is not fetched again on every show; pulling down fetches it', async () => {
    fake.storage.set(CACHE_KEYS.zone, stored(zone, 60_000));
    backend.on('visit.myEnterprises', zone);
    const page = renderPage(id);
    await flush(6);
    expect(backend.callsOf('visit.myEnterprises')).toHaveLength(0);
    expect(page.data.shown).toHaveLength(4);
    expect(page.data.offlineText).toBe('');
    page.instance.onPullDownRefresh();
    await flush(6);
    expect(backend.callsOf('visit.myEnterprises')).toHaveLength(1);
  });

  test('with nothing on the phone a failure shows the error and its retry; a revoked member loses the copy', async () => {
    backend.on('visit.myEnterprises', NETWORK_DOWN);
    const page = renderPage(id);
    await flush(6);
    expect(text(page)).toContain('网络异常');
    backend.on('visit.myEnterprises', zone);
    await tapButton(page, '.state', '.retry');
    await flush(4);
    expect(text(page)).toContain('建桥餐饮');

    fake.storage.set(CACHE_KEYS.zone, stored(zone, 2 * HOUR));
    backend.on('visit.myEnterprises', new ApiFail('FORBIDDEN', '您还没有加入服务专班'));
    const revoked = renderPage(id);
    await flush(6);
    expect(text(revoked)).toContain('您还没有加入服务专班');
    expect(fake.storage.has(CACHE_KEYS.zone)).toBe(false);

    backend.on('visit.myEnterprises', { items: [], total: 0, overdue: 0 });
    const empty = renderPage(id);
    await flush(6);
    expect(text(empty)).toContain('您负责的片区还没有企业');
  });

  test('the map shows a marker per placed enterprise, by state, with a legend; a tap opens a card with the four actions', async () => {
    backend.on('visit.myEnterprises', zone);
    backend.on('enterprise.verify', { id: 'ent-late', verified: true });
    const page = renderPage(id);
    await flush(6);
    await tap(page, '.switch-map');
    expect(page.data.view).toBe('map');
    expect(page.data.markers.map((m: any) => [m.id, m.iconPath])).toEqual([
      [0, MARKER_ICONS.overdue],
      [1, MARKER_ICONS.overdue],
      [2, MARKER_ICONS.visited],
    ]);
    expect(new Set(Object.values(MARKER_ICONS)).size).toBe(3);
    const t = text(page);
    expect(t).toContain('需要走访');
    expect(t).toContain('未核实');
    expect(t).toContain('已走访');
    expect(t).toContain('未标注位置（1 家）');
    expect(t).toContain('新登记商贸');
    page.instance.onMarker({ detail: { markerId: 1 } });
    await flush();
    const card = page.querySelector('.card');
    expect(String(card.dom.textContent)).toContain('大渡口医药公司');
    // The card comes before the 未标注位置 rows: its actions are the first ones.
    page.querySelectorAll('.act-call')[0].dispatchEvent('tap');
    page.querySelectorAll('.act-nav')[0].dispatchEvent('tap');
    await flush();
    expect(wxCalls.calls).toEqual(['13800000000']);
    expect(fake.opened[0].name).toBe('大渡口医药公司');
    page.querySelectorAll('.act-verify')[0].dispatchEvent('tap');
    await flush(4);
    expect(backend.callsOf('enterprise.verify')).toHaveLength(1);
    expect(page.data.selected.verified).toBe(true);
    await tap(page, '.switch-list');
    expect(page.data.view).toBe('list');
  });

  test('an unverified enterprise not due for a visit gets the unverified marker', async () => {
    backend.on('visit.myEnterprises', { items: [ent({ id: 'a', lastVisitAt: '2020-02-20T00:00:00.000Z', verified: false })], total: 1, overdue: 0 });
    const page = renderPage(id);
    await flush(6);
    page.instance.showMap();
    await flush();
    expect(page.data.markers[0].iconPath).toBe(MARKER_ICONS.unverified);
  });

  test('showing the page sends a queued check-in once, says so and shows the visit from the copy on the phone', async () => {
    fake.storage.set(QUEUE_KEY, [queued('visit-queued-0001')]);
    fake.storage.set(CACHE_KEYS.zone, stored({ ...zone, items: items.map((e) => (e.id === 'ent-ok' ? { ...e, overdue: true } : e)) }, 60_000));
    backend.on('visit.myEnterprises', zone);
    backend.on('visit.checkIn', { id: 'v1', enterpriseId: 'ent-ok', distanceMeters: 10, offSite: false, createdAt: '2020-02-22T01:00:00.000Z', needs: [] });
    const page = renderPage(id);
    await flush(10);
    const calls = backend.callsOf('visit.checkIn');
    expect(calls).toHaveLength(1);
    expect(calls[0].payload).toEqual({ ...queued('visit-queued-0001').input, photos: ['cloud://env/visits/ent-ok/p0.jpg'] });
    expect(pending()).toEqual([]);
    expect(wxCalls.toasts).toContain('已补交 1 条走访');
    expect(page.data.pendingCount).toBe(0);
    expect(page.data.shown.find((r: any) => r.id === 'ent-ok')).toMatchObject({ overdue: false, lastVisit: '上次走访', lastVisitTime: '2020-02-22 09:00' });
  });

  test('while offline the page says how many wait; two flushes at once send each item once', async () => {
    fake.storage.set(QUEUE_KEY, [queued('visit-queued-0001'), queued('visit-queued-0002')]);
    backend.on('visit.myEnterprises', zone);
    let down = true;
    backend.on('visit.checkIn', () => (down ? NETWORK_DOWN : { id: 'v', needs: [] }));
    const page = renderPage(id);
    await flush(10);
    expect(text(page)).toContain('有 2 条走访还没提交');
    expect(backend.callsOf('visit.checkIn')).toHaveLength(1); // stops at the first network failure
    down = false;
    backend.calls = [];
    const [a, b] = await Promise.all([flushQueue(), flushQueue()]);
    expect(a).toEqual({ sent: 2, failed: 0, remaining: 0 });
    expect(b).toBe(a);
    expect(backend.callsOf('visit.checkIn').map((c) => c.payload.clientKey)).toEqual(['visit-queued-0001', 'visit-queued-0002']);
    await flush();
    expect(text(page)).not.toContain('还没提交');
  });

  test('a refused check-in keeps everything: 打开修改 reopens it in the check-in page; 放弃 asks first', async () => {
    fake.storage.set(FAILED_KEY, [{ ...queued('visit-bad-0001'), message: '该企业不在您的片区', failedAt: '2020-02-21T02:00:00.000Z' }]);
    backend.on('visit.myEnterprises', zone);
    const page = renderPage(id);
    await flush(6);
    expect(text(page)).toContain('建桥餐饮（2020-02-21 09:00 保存）的走访没有提交成功：该企业不在您的片区');
    expect(text(page)).toContain('填写的内容和照片都还在');
    await tapButton(page, '.reopen');
    expect(wxCalls.navigations).toEqual([
      { kind: 'navigateTo', url: `/taskforce/check-in/index?retry=visit-bad-0001&enterpriseId=ent-ok&name=${encodeURIComponent('建桥餐饮')}` },
    ]);
    fake.modalConfirm = false;
    await tapButton(page, '.discard');
    await flush();
    expect((fake.storage.get(FAILED_KEY) as unknown[]).length).toBe(1);
    fake.modalConfirm = true;
    await tapButton(page, '.discard');
    await flush();
    expect(text(page)).not.toContain('没有提交成功');
    expect(fake.storage.get(FAILED_KEY)).toEqual([]);
  });
});
