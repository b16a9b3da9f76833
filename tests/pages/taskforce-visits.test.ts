import { ApiFail, backend, flush, loadPage, renderPage, resetAll, tapButton, text } from './helpers';
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
