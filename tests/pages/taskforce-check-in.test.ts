import { ApiFail, backend, find, flush, loadPage, NETWORK_DOWN, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { fake, installTaskforceWx } from './taskforce-wx';
import { config } from '../../miniprogram/config';
import { failedItems, flushQueue, pending, QUEUE_KEY } from '../../miniprogram/utils/offline-queue';

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

  test('no network: the visit is queued with its clientKey, and a later flush sends it once and empties the queue', async () => {
    backend.on('visit.checkIn', NETWORK_DOWN);
    const page = await open();
    await fill(page);
    await tapButton(page, '.submit');
    await settle();
    expect(fake.modals[0].content).toBe('网络不好，已保存，联网后自动提交');
    expect(wxCalls.toasts).not.toContain('网络异常，请稍后重试');
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

  test('a refused location permission says so; the retry opens the settings and locates again', async () => {
    fake.location = 'deny';
    const page = await open();
    expect(text(page)).toContain('没有位置权限，无法签到');
    expect(text(page)).toContain('去设置打开位置权限');
    expect(text(page)).toContain('定位成功后才能提交');
    await tapButton(page, '.submit'); // disabled: nothing is sent
    expect(backend.callsOf('visit.checkIn')).toHaveLength(0);
    fake.location = 'ok';
    await tapButton(page, '.relocate');
    await flush();
    expect(fake.openSettings).toBe(1);
    expect(fake.locationCalls).toBe(2);
    expect(page.data.location).toEqual({ latitude: 29.4842, longitude: 106.4823 });
    expect(text(page)).not.toContain('没有位置权限');
  });

  test('GPS off (not a refusal) asks to turn on location and retries without the settings page', async () => {
    fake.location = 'fail';
    const page = await open();
    expect(text(page)).toContain('请打开手机的定位');
    fake.location = 'ok';
    await tapButton(page, '.relocate');
    await flush();
    expect(fake.openSettings).toBe(0);
    expect(page.data.location).toBeTruthy();
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
