import { ApiFail, backend, flush, NETWORK_DOWN, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { fake, installTaskforceWx } from './taskforce-wx';
import { FAILED_KEY, flushQueue, pending, QUEUE_KEY } from '../../miniprogram/utils/offline-queue';

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

const zone = {
  items: [
    ent({ id: 'ent-never', name: '重庆秋田齿轮有限公司', overdue: true }),
    ent({ id: 'ent-late', name: '大渡口医药公司', industry: 'medical', lastVisitAt: '2020-02-01T06:30:00.000Z', overdue: true, verified: false }),
    ent({ id: 'ent-ok', name: '建桥餐饮', industry: 'catering', lastVisitAt: '2020-02-20T06:30:00.000Z' }),
  ],
};

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

describe('taskforce/enterprises', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('taskforce/enterprises/index');
  });
  beforeEach(() => {
    resetAll();
    fake.reset();
  });

  test('lists the zone with overdue and never-visited marks and the last visit in China time; a tap opens the check-in', async () => {
    backend.on('visit.myEnterprises', zone);
    const page = renderPage(id);
    await flush();
    const t = text(page);
    expect(t).toContain('有 2 家企业需要走访');
    expect(page.data.items.map((r: any) => [r.id, r.mark])).toEqual([
      ['ent-never', '从未走访'],
      ['ent-late', '逾期未走访'],
      ['ent-ok', ''],
    ]);
    expect(t).toContain('尚无走访记录');
    expect(t).toContain('上次走访 2020-02-01 14:30');
    expect(t).toContain('上次走访 2020-02-20 14:30');
    expect(t).toContain('未核实');
    expect(page.querySelectorAll('.mark')).toHaveLength(2);
    await tap(page, '.ent-row');
    expect(wxCalls.navigations).toEqual([
      { kind: 'navigateTo', url: `/taskforce/check-in/index?enterpriseId=ent-never&name=${encodeURIComponent('重庆秋田齿轮有限公司')}` },
    ]);
  });

  test('an error shows the retry; an empty zone says so', async () => {
    backend.on('visit.myEnterprises', new ApiFail('FORBIDDEN', '您还不是服务专班成员'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('您还不是服务专班成员');
    backend.on('visit.myEnterprises', zone);
    await tapButton(page, '.state', '.retry');
    expect(text(page)).toContain('建桥餐饮');

    backend.on('visit.myEnterprises', { items: [] });
    const empty = renderPage(id);
    await flush();
    expect(text(empty)).toContain('您负责的片区还没有企业');
  });

  test('showing the page sends a queued check-in once, says so and reloads the list', async () => {
    fake.storage.set(QUEUE_KEY, [queued('visit-queued-0001')]);
    backend.on('visit.myEnterprises', zone);
    backend.on('visit.checkIn', { id: 'v1', enterpriseId: 'ent-ok', distanceMeters: 10, offSite: false, createdAt: '', needs: [] });
    const page = renderPage(id);
    await flush(10);
    const calls = backend.callsOf('visit.checkIn');
    expect(calls).toHaveLength(1);
    expect(calls[0].payload).toEqual({ ...queued('visit-queued-0001').input, photos: ['cloud://env/visits/ent-ok/p0.jpg'] });
    expect(pending()).toEqual([]);
    expect(wxCalls.toasts).toContain('已补交 1 条走访');
    expect(page.data.pendingCount).toBe(0);
    expect(backend.callsOf('visit.myEnterprises').length).toBeGreaterThanOrEqual(2);
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

  test('a check-in the server refused is shown with its reason until dismissed', async () => {
    fake.storage.set(FAILED_KEY, [{ ...queued('visit-bad-0001'), message: '该企业不在您的片区', failedAt: '2020-02-21T02:00:00.000Z' }]);
    backend.on('visit.myEnterprises', zone);
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('建桥餐饮（2020-02-21 09:00 保存）的走访没有提交成功：该企业不在您的片区');
    await tapButton(page, '.dismiss');
    expect(text(page)).not.toContain('没有提交成功');
    expect(fake.storage.get(FAILED_KEY)).toEqual([]);
  });
});
