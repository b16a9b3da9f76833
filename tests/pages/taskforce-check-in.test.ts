import { ApiFail, backend, find, flush, loadPage, FUNCTION_CRASH, FUNCTION_TIMEOUT, NETWORK_DOWN, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { fake, installTaskforceWx } from './taskforce-wx';
import { config } from '../../miniprogram/config';
import { failedItems, flushQueue, pending, QUEUE_KEY } from '../../miniprogram/utils/offline-queue';
import { CACHE_KEYS } from '../../miniprogram/utils/offline-cache';

installTaskforceWx();

const policies = {
  items: [
    { id: 'pol-social', title: '阶段性减免企业社保费', level: '国家', summary: '', tags: [], industries: [] },
    { id: 'pol-rent', title: '国有物业房租减免', level: '区', summary: '', tags: [], industries: [] },
  ],
};

function visit(extra: Record<string, unknown> = {}) {
  return { id: 'visit-1', enterpriseId: 'ent-qiutian', distanceMeters: 36.4, offSite: false, createdAt: '2020-02-20T06:30:00.000Z', needs: [], ...extra };
}

/** Uploads go file read → request → answer, each a tick: give the whole submit time to settle. */
const settle = () => flush(20);

describe('taskforce/check-in', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('taskforce/check-in/index');
  });
  beforeEach(() => {
    resetAll();
    fake.reset();
    config.mode = 'local';
    backend.on('policy.list', policies);
  });

  async function open() {
    const page = renderPage(id, { enterpriseId: 'ent-qiutian', name: encodeURIComponent('重庆秋田齿轮有限公司') });
    await flush();
    return page;
  }

  /** Two photos, the three texts and one policy, as a member would fill them. */
  async function fill(page: any) {
    find(page, '.photo-add').dispatchEvent('tap');
    await flush();
    page.instance.onText({ currentTarget: { dataset: { field: 'look' } }, detail: '门口测温，车间每日消毒' });
    page.instance.onText({ currentTarget: { dataset: { field: 'check' } }, detail: '返岗人员健康登记齐全' });
    page.instance.onText({ currentTarget: { dataset: { field: 'ask' } }, detail: '缺口罩' });
    page.instance.onGuide({ detail: ['pol-social'] });
    await flush();
  }

  test('sends location, uploaded photo fileIDs, the checklist and a needs section; shows the distance and goes back', async () => {
    backend.on('visit.checkIn', visit({ needs: [{ id: 'need-9' }] }));
    const page = await open();
    expect(text(page)).toContain('重庆秋田齿轮有限公司');
    expect(text(page)).toContain('已定位');
    expect(text(page)).toContain('阶段性减免企业社保费');
    await fill(page);
    expect(page.data.photos.map((p: any) => p.path)).toEqual(['wxfile://tmp/a.jpg', 'wxfile://tmp/b.png']);
    page.instance.onNeedTypes({ detail: ['other'] });
    await flush();
    find(page, '.sections').instance.onField({ currentTarget: { dataset: { type: 'other', field: 'description' } }, detail: '原料运不进来' });
    await tapButton(page, '.submit');
    await settle();

    const key = page.data.clientKey;
    expect(key).toMatch(/^visit-[a-z0-9-]{8,}$/);
    expect(fake.uploads).toEqual([
      { cloudPath: `uploads/visits/ent-qiutian/${key}-0.jpg`, filePath: 'wxfile://tmp/a.jpg' },
      { cloudPath: `uploads/visits/ent-qiutian/${key}-1.png`, filePath: 'wxfile://tmp/b.png' },
    ]);
    const calls = backend.callsOf('visit.checkIn');
    expect(calls).toHaveLength(1);
    expect(calls[0].payload).toEqual({
      enterpriseId: 'ent-qiutian',
      clientKey: key,
      location: { latitude: 29.4842, longitude: 106.4823 },
      photos: [`cloud://env/uploads/visits/ent-qiutian/${key}-0.jpg`, `cloud://env/uploads/visits/ent-qiutian/${key}-1.png`],
      checklist: { look: '门口测温，车间每日消毒', check: '返岗人员健康登记齐全', ask: '缺口罩', guide: ['pol-social'] },
      needs: [{ type: 'other', description: '原料运不进来' }],
    });
    expect(fake.modals[0].content).toBe('走访已登记，距企业 36 米');
    expect(wxCalls.navigations).toContainEqual({ kind: 'navigateBack', url: '' });
    // Sent: the phone keeps no draft of it.
    expect((await open()).data.restored).toBe(false);
  });

  test('a half-filled check-in is kept on the phone: reopening the page brings it back; 清空重填 starts afresh', async () => {
    const first = await open();
    await fill(first);
    first.instance.onNeedTypes({ detail: ['other'] });
    find(first, '.sections').instance.onField({ currentTarget: { dataset: { type: 'other', field: 'description' } }, detail: '原料运不进来' });
    const key = first.data.clientKey;
    // The member takes a call, the app closes; later the page opens again for the same enterprise.
    const again = await open();
    expect(again.data).toMatchObject({ restored: true, clientKey: key, look: '门口测温，车间每日消毒', ask: '缺口罩', guide: ['pol-social'], checkedNeeds: ['other'] });
    expect(again.data.forms.other.description).toBe('原料运不进来');
    expect(again.data.photos).toHaveLength(2);
    expect(text(again)).toContain('已恢复您上次没有提交的内容');
    // 清空重填 starts a fresh form with a fresh key.
    find(again, '.start-over').dispatchEvent('tap');
    await flush();
    expect(again.data).toMatchObject({ restored: false, look: '', photos: [], checkedNeeds: [] });
    expect(again.data.clientKey).not.toBe(key);
    expect((await open()).data.restored).toBe(false);
  });

  test('an off-site check-in says how far and that it is marked 非现场', async () => {
    backend.on('visit.checkIn', visit({ distanceMeters: 1234.6, offSite: true }));
    const page = await open();
    await tapButton(page, '.submit');
    await settle();
    expect(fake.modals[0].content).toBe('距企业 1235 米，已标记为非现场');
    expect(text(page)).toContain('距企业 1235 米，已标记为非现场');
  });

  test('a refused retry keeps the form, the clientKey and the uploaded photos', async () => {
    let first = true;
    backend.on('visit.checkIn', () => {
      if (!first) return visit();
      first = false;
      return new ApiFail('RATE_LIMITED', '提交太频繁，请稍后再试');
    });
    const page = await open();
    await fill(page);
    await tapButton(page, '.submit');
    await settle();
    expect(text(page)).toContain('提交没有成功：提交太频繁，请稍后再试');
    expect(page.data.look).toBe('门口测温，车间每日消毒');
    await tapButton(page, '.submit');
    await settle();
    const calls = backend.callsOf('visit.checkIn');
    expect(calls).toHaveLength(2);
    expect(calls[1].payload.clientKey).toBe(calls[0].payload.clientKey);
    expect(calls[1].payload.photos).toEqual(calls[0].payload.photos);
    expect(fake.uploads).toHaveLength(2); // not uploaded again
    expect(pending()).toEqual([]);
  });

  test('a function timeout queues the visit too: it may have landed, and the resend is answered by its clientKey', async () => {
    backend.on('visit.checkIn', FUNCTION_TIMEOUT);
    const page = await open();
    await fill(page);
    await tapButton(page, '.submit');
    await settle();
    expect(pending()).toHaveLength(1);
  });

  test('a function error is not queued: the page says the service failed, not the network', async () => {
    backend.on('visit.checkIn', FUNCTION_CRASH);
    const page = await open();
    await fill(page);
    await tapButton(page, '.submit');
    await settle();
    expect(pending()).toEqual([]);
    expect(text(page)).toContain('提交没有成功：服务暂时出现故障');
    expect(text(page)).not.toContain('网络异常');
  });

  test('no network: the visit is queued with its clientKey, and a later flush sends it once and empties the queue', async () => {
    backend.on('visit.checkIn', NETWORK_DOWN);
    const page = await open();
    await fill(page);
    await tapButton(page, '.submit');
    await settle();
    expect(fake.modals[0].content).toBe('网络不好，已保存，联网后自动提交');
    expect(wxCalls.toasts).not.toContain('网络异常，请检查手机网络后重试');
    expect(text(page)).toContain('网络不好，已保存，联网后自动提交');
    const queued = pending();
    expect(queued).toHaveLength(1);
    expect(queued[0].clientKey).toBe(page.data.clientKey);
    expect(queued[0].photos.map((p) => p.fileID)).toEqual(backend.callsOf('visit.checkIn')[0].payload.photos);

    backend.on('visit.checkIn', visit());
    fake.networkBack(); // the page registered the network listener
    await flushQueue(); // joins the flush the listener started
    await settle();
    await flushQueue();
    const calls = backend.callsOf('visit.checkIn');
    expect(calls).toHaveLength(2);
    expect(calls[1].payload).toEqual(calls[0].payload);
    expect(pending()).toEqual([]);
    expect(fake.storage.get(QUEUE_KEY)).toEqual([]);
  });

  test('photos that could not be uploaded are queued as saved local files and uploaded by the flush', async () => {
    fake.uploadDown = true;
    backend.on('visit.checkIn', visit());
    const page = await open();
    await fill(page);
    await tapButton(page, '.submit');
    await settle();
    expect(backend.callsOf('visit.checkIn')).toHaveLength(0);
    const [item] = pending();
    expect(item.photos).toEqual([
      { path: 'wxfile://store/a.jpg', fileID: '', saved: true },
      { path: 'wxfile://store/b.png', fileID: '', saved: true },
    ]);

    // Still down: nothing sent, nothing lost.
    await flushQueue();
    expect(pending()).toHaveLength(1);

    fake.uploadDown = false;
    const summary = await flushQueue();
    expect(summary).toEqual({ sent: 1, failed: 0, remaining: 0 });
    const [call] = backend.callsOf('visit.checkIn');
    expect(call.payload.clientKey).toBe(item.clientKey);
    expect(call.payload.photos).toEqual([
      `cloud://env/uploads/visits/ent-qiutian/${item.clientKey}-0.jpg`,
      `cloud://env/uploads/visits/ent-qiutian/${item.clientKey}-1.png`,
    ]);
    expect(backend.callsOf('visit.checkIn')).toHaveLength(1);
  });

  test('a queued visit the server refuses is set aside with its message, not resent', async () => {
    backend.on('visit.checkIn', NETWORK_DOWN);
    const page = await open();
    await tapButton(page, '.submit');
    await settle();
    backend.on('visit.checkIn', new ApiFail('FORBIDDEN', '该企业不在您的片区'));
    await flushQueue();
    await flushQueue();
    expect(backend.callsOf('visit.checkIn')).toHaveLength(2);
    expect(pending()).toEqual([]);
    expect(failedItems().map((f) => [f.enterpriseName, f.message])).toEqual([['重庆秋田齿轮有限公司', '该企业不在您的片区']]);
  });

  test('cloud mode uploads with wx.cloud.uploadFile', async () => {
    config.mode = 'cloud';
    backend.on('visit.checkIn', visit());
    const page = await open();
    await fill(page);
    await tapButton(page, '.submit');
    await settle();
    expect(fake.uploads.map((u) => u.filePath)).toEqual(['wxfile://tmp/a.jpg', 'wxfile://tmp/b.png']);
    expect(backend.callsOf('visit.checkIn')[0].payload.photos).toHaveLength(2);
  });

  test('a refused location permission says so; the check-in can still go (未定位), and the retry opens the settings and locates again', async () => {
    fake.location = 'deny';
    const page = await open();
    expect(text(page)).toContain('未定位（将标记为未定位走访）');
    expect(text(page)).toContain('没有位置权限');
    expect(text(page)).toContain('去设置打开位置权限');
    expect(find(page, '.submit', '.van-button').dom.className).not.toContain('disabled');
    fake.location = 'ok';
    await tapButton(page, '.relocate');
    await flush();
    expect(fake.openSettings).toBe(1);
    expect(fake.locationCalls).toBe(2);
    expect(page.data.location).toEqual({ latitude: 29.4842, longitude: 106.4823 });
    expect(text(page)).not.toContain('没有位置权限');
    expect(text(page)).toContain('已定位');
    // Never a raw coordinate on screen.
    expect(text(page)).not.toContain('29.48');
  });

  test('GPS off (not a refusal): the visit goes without a position and is flagged 未定位', async () => {
    fake.location = 'fail';
    backend.on('visit.checkIn', visit({ located: false, distanceMeters: null, offSite: false }));
    const page = await open();
    expect(text(page)).toContain('定位失败');
    expect(text(page)).toContain('未定位也可以提交');
    await tapButton(page, '.submit');
    await settle();
    const [call] = backend.callsOf('visit.checkIn');
    expect(call.payload).not.toHaveProperty('location');
    expect(fake.modals[0].content).toBe('走访已登记（没有定位，已标记为未定位走访）');
    expect(fake.openSettings).toBe(0);
  });

  test('no GPS and no network: the visit and its photos wait on the phone, then go once without a position', async () => {
    fake.location = 'fail';
    fake.uploadDown = true;
    backend.on('visit.checkIn', NETWORK_DOWN);
    const page = await open();
    await fill(page);
    await tapButton(page, '.submit');
    await settle();
    expect(fake.modals[0].content).toBe('网络不好，已保存，联网后自动提交');
    const [item] = pending();
    expect(item.input).not.toHaveProperty('location');
    expect(item.photos.map((p) => p.path)).toEqual(['wxfile://store/a.jpg', 'wxfile://store/b.png']);
    expect(backend.callsOf('visit.checkIn')).toHaveLength(0); // uploads failed first: nothing sent

    fake.uploadDown = false;
    backend.on('visit.checkIn', visit({ located: false, distanceMeters: null }));
    fake.networkBack();
    await flushQueue();
    await settle();
    await flushQueue();
    const calls = backend.callsOf('visit.checkIn');
    expect(calls).toHaveLength(1);
    expect(calls[0].payload).not.toHaveProperty('location');
    expect(calls[0].payload.photos).toEqual([
      `cloud://env/uploads/visits/ent-qiutian/${item.clientKey}-0.jpg`,
      `cloud://env/uploads/visits/ent-qiutian/${item.clientKey}-1.png`,
    ]);
    expect(pending()).toEqual([]);
  });

  test('a queued check-in the server refuses reopens filled in, the message under its field, and goes with the same key', async () => {
    backend.on('visit.checkIn', NETWORK_DOWN);
    const page = await open();
    await fill(page);
    page.instance.onNeedTypes({ detail: ['other'] });
    find(page, '.sections').instance.onField({ currentTarget: { dataset: { type: 'other', field: 'description' } }, detail: '原料运不进来' });
    await tapButton(page, '.submit');
    await settle();
    const key = page.data.clientKey;
    backend.on('visit.checkIn', new ApiFail('INVALID_ARGUMENT', '内容过长', 'checklist.look'));
    await flushQueue();
    expect(failedItems()).toHaveLength(1);
    expect(failedItems()[0]).toMatchObject({ field: 'checklist.look', code: 'INVALID_ARGUMENT' });

    const again = renderPage(id, { retry: key, enterpriseId: 'ent-qiutian', name: encodeURIComponent('重庆秋田齿轮有限公司') });
    await flush(4);
    expect(again.data).toMatchObject({
      clientKey: key,
      look: '门口测温，车间每日消毒',
      check: '返岗人员健康登记齐全',
      ask: '缺口罩',
      guide: ['pol-social'],
      checkedNeeds: ['other'],
      lookError: '内容过长',
    });
    expect(again.data.forms.other.description).toBe('原料运不进来');
    expect(again.data.checkedNeeds).toEqual(['other']);
    expect(again.data.photos.map((p: any) => p.fileID)).toEqual([
      `cloud://env/uploads/visits/ent-qiutian/${key}-0.jpg`,
      `cloud://env/uploads/visits/ent-qiutian/${key}-1.png`,
    ]);
    expect(text(again)).toContain('没有提交成功：内容过长');
    expect(text(again)).toContain('内容过长');
    expect(fake.locationCalls).toBe(1); // the reopened visit keeps the position it was made at

    again.instance.onText({ currentTarget: { dataset: { field: 'look' } }, detail: '门口测温' });
    backend.on('visit.checkIn', visit());
    const uploads = fake.uploads.length;
    await tapButton(again, '.submit');
    await settle();
    const calls = backend.callsOf('visit.checkIn');
    const last = calls[calls.length - 1];
    expect(last.payload).toMatchObject({ clientKey: key, checklist: { look: '门口测温' }, needs: [{ type: 'other', description: '原料运不进来' }] });
    expect(fake.uploads.length).toBe(uploads); // photos not uploaded again
    expect(failedItems()).toEqual([]);
  });

  test("拨打 and 导航 on the enterprise's header come from the zone kept on the phone", async () => {
    fake.storage.set(CACHE_KEYS.zone, {
      at: new Date().toISOString(),
      data: {
        total: 1,
        overdue: 1,
        items: [{ id: 'ent-qiutian', name: '重庆秋田齿轮有限公司', zone: 'z', industry: 'manufacturing', address: '建桥工业园C区 8 号', location: { latitude: 29.45, longitude: 106.46 }, contactName: '李经理', contactPhone: '13800000000', verified: true, lastVisitAt: null, overdue: true }],
      },
    });
    backend.on('visit.checkIn', visit({ createdAt: '2020-02-22T01:00:00.000Z' }));
    const page = await open();
    expect(text(page)).toContain('建桥工业园C区 8 号');
    await tap(page, '.act-call');
    await tap(page, '.act-nav');
    expect(wxCalls.calls).toEqual(['13800000000']);
    expect(fake.opened).toEqual([{ latitude: 29.45, longitude: 106.46, name: '重庆秋田齿轮有限公司', address: '建桥工业园C区 8 号' }]);
    await tapButton(page, '.submit');
    await settle();
    // The list on the phone shows the visit at once.
    expect((fake.storage.get(CACHE_KEYS.zone) as any).data.items[0]).toMatchObject({ overdue: false, lastVisitAt: '2020-02-22T01:00:00.000Z' });
  });

  test('without a signal the policies for 导 come from the phone, marked 离线', async () => {
    fake.storage.set(CACHE_KEYS.policies, { at: new Date().toISOString(), data: policies });
    backend.on('policy.list', NETWORK_DOWN);
    const page = await open();
    expect(text(page)).toContain('国有物业房租减免');
    expect(text(page)).toMatch(/离线 · 更新于 \d\d:\d\d（手机上保存的政策）/);
    expect(text(page)).not.toContain('政策列表没有加载出来');
  });

  test('the form does not wait for the policy list: its failure offers a retry of its own', async () => {
    backend.on('policy.list', new ApiFail('INTERNAL', '服务暂时不可用'));
    const page = await open();
    expect(text(page)).toContain('政策列表没有加载出来');
    expect(page.querySelector('.submit')).toBeTruthy();
    backend.on('policy.list', policies);
    await tapButton(page, '.reload-policies');
    expect(text(page)).toContain('国有物业房租减免');
  });
});
