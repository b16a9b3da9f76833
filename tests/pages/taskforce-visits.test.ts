import { ApiFail, backend, flush, loadPage, NETWORK_DOWN, renderPage, resetAll, tapButton, text } from './helpers';
import { CACHE_KEYS } from '../../miniprogram/utils/offline-cache';
import { fake, installTaskforceWx } from './taskforce-wx';

installTaskforceWx();

const v = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  enterpriseId: 'ent-qiutian',
  distanceMeters: 36.4,
  offSite: false,
  photos: ['cloud://a', 'cloud://b'],
  checklist: { look: '门口测温', check: '健康登记齐全', ask: '缺口罩', guide: ['pol-social'] },
  needIds: ['need-1'],
  createdAt: '2020-02-20T06:30:00.000Z',
  ...extra,
});

describe('taskforce/visits', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('taskforce/visits/index');
  });
  beforeEach(() => {
    resetAll();
    fake.reset();
  });

  test("lists one enterprise's visits with the checklist, pages on with the cursor", async () => {
    backend.on('visit.list', (p: Record<string, unknown>) =>
      p.cursor ? { items: [v('visit-2', { offSite: true, distanceMeters: 900 })] } : { items: [v('visit-1')], nextCursor: 'c1' },
    );
    const page = renderPage(id, { enterpriseId: 'ent-qiutian', name: encodeURIComponent('重庆秋田齿轮有限公司') });
    await flush();
    const t = text(page);
    expect(backend.callsOf('visit.list')[0].payload).toEqual({ enterpriseId: 'ent-qiutian' });
    expect(t).toContain('重庆秋田齿轮有限公司');
    expect(t).toContain('2020-02-20 14:30');
    expect(t).toContain('距企业 36 米 · 照片 2 张 · 讲解政策 1 项 · 提出需求 1 项');
    expect(t).toContain('门口测温');
    await tapButton(page, '.load-more');
    expect(backend.callsOf('visit.list')[1].payload).toEqual({ enterpriseId: 'ent-qiutian', cursor: 'c1' });
    expect(text(page)).toContain('距企业 900 米，非现场');
    expect(text(page)).toContain('没有更多了');
  });

  test('empty and error states', async () => {
    backend.on('visit.list', { items: [] });
    const empty = renderPage(id, { enterpriseId: 'ent-qiutian' });
    await flush();
    expect(text(empty)).toContain('还没有走访记录');
    backend.on('visit.list', new ApiFail('FORBIDDEN', '该企业不在您的片区'));
    const failed = renderPage(id, { enterpriseId: 'ent-x' });
    await flush();
    expect(text(failed)).toContain('该企业不在您的片区');
  });
});

describe('taskforce/visits offline', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('taskforce/visits/index');
  });
  beforeEach(() => {
    resetAll();
    fake.reset();
  });

  test('未定位 and 非现场 are said in words', async () => {
    backend.on('visit.list', { items: [v('visit-1', { located: false, distanceMeters: null }), v('visit-2', { offSite: true, distanceMeters: 900 })] });
    const page = renderPage(id);
    await flush();
    const t = text(page);
    expect(t).toContain('未定位 · 照片 2 张');
    expect(t).toContain('距企业 900 米，非现场');
    expect(page.querySelectorAll('.unlocated')).toHaveLength(1);
    expect(page.querySelectorAll('.offsite')).toHaveLength(1);
  });

  test('the first page is kept on the phone and shown from there, marked 离线, when the network is gone', async () => {
    backend.on('visit.list', { items: [v('visit-1')], nextCursor: 'c1' });
    const online = renderPage(id);
    await flush();
    expect(online.data.offlineText).toBe('');
    expect(fake.storage.get(CACHE_KEYS.visits())).toBeTruthy();
    backend.on('visit.list', NETWORK_DOWN);
    const offline = renderPage(id);
    await flush();
    const t = text(offline);
    expect(t).toMatch(/离线 · 更新于 \d\d:\d\d/);
    expect(t).toContain('门口测温');
    expect(offline.data.error).toBe('');
    expect(offline.data.nextCursor).toBe('');
  });
});
