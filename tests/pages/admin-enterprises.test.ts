import { ApiFail, backend, find, findAll, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { options } from './helpers/fixtures';

const row = (extra: Record<string, unknown> = {}) => ({
  id: 'ent-qiutian',
  name: '重庆秋田齿轮有限公司',
  zone: 'jianqiao-c',
  zoneName: '建桥园区C区',
  industry: 'manufacturing',
  verified: true,
  resumed: true,
  employeesTotal: 320,
  employeesBack: 240,
  // 2020-02-12 23:30 UTC is the 13th in China.
  lastVisitAt: '2020-02-12T23:30:00.000Z',
  contactName: '李建国',
  contactPhone: '13908310001',
  ...extra,
});

describe('admin/enterprises', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/enterprises/index');
  });
  beforeEach(() => {
    resetAll();
    backend
      .on('enterprise.options', options)
      .on('admin.listTaskForces', { items: [{ id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c'] }] })
      .on('admin.enterprises', (p: any) =>
        p.cursor
          ? { items: [row({ id: 'ent-3', name: '重庆渝通机械有限公司', verified: false })], total: 3 }
          : {
              items: [row(), row({ id: 'ent-2', name: '重庆华伦医疗器械有限公司', resumed: false, employeesBack: 60, employeesTotal: 180, lastVisitAt: null, contactPhone: '' })],
              nextCursor: 'c2',
              total: 3,
            },
      );
  });

  test('an enterprise named like a verified one carries a mark; the others do not', async () => {
    backend.on('admin.enterprises', { items: [row(), row({ id: 'ent-9', verified: false, nameMatchesVerified: true })], total: 2 });
    const page = renderPage(id, {});
    await flush();
    const rows = findAll(page, '.ent-row').map(text);
    expect(rows[0]).not.toContain('与已核实企业同名');
    expect(rows[1]).toContain('与已核实企业同名');
  });

  test('a zone: the filter is sent, the title names the zone, rows read in words and a number calls', async () => {
    const page = renderPage(id, { zone: 'jianqiao-c', verified: '1' });
    await flush();
    expect(backend.callsOf('admin.enterprises').map((c) => c.payload)).toEqual([{ zone: 'jianqiao-c', verified: true }]);
    expect(text(find(page, '.heading'))).toContain('建桥园区C区 · 已核实 · 企业');
    expect(text(find(page, '.heading'))).toContain('共 3 家');
    const rows = findAll(page, '.ent-row').map(text);
    expect(rows[0]).toContain('重庆秋田齿轮有限公司');
    expect(rows[0]).toContain('建桥园区C区');
    expect(rows[0]).toContain('已复工');
    expect(rows[0]).toContain('已核实');
    expect(rows[0]).toContain('返岗 240/320 人');
    expect(rows[0]).toContain('上次走访 2020-02-13');
    expect(rows[0]).not.toContain('jianqiao');
    expect(rows[1]).toContain('未复工');
    expect(rows[1]).toContain('尚未走访');
    findAll(page, '.ent-contact')[0].dispatchEvent('tap');
    findAll(page, '.ent-contact')[1].dispatchEvent('tap'); // no number: says so
    await flush();
    expect(wxCalls.calls).toEqual(['13908310001']);
    expect(wxCalls.toasts).toContain('这家企业没有登记联系电话');
    await tapButton(page, '.load-more');
    expect(backend.callsOf('admin.enterprises').map((c) => c.payload)).toEqual([
      { zone: 'jianqiao-c', verified: true },
      { zone: 'jianqiao-c', verified: true, cursor: 'c2' },
    ]);
    expect(findAll(page, '.ent-row')).toHaveLength(3);
    expect(text(findAll(page, '.ent-row')[2])).toContain('未核实');
    expect(text(page)).toContain('没有更多了');
  });

  test('a task force due visits, an industry: named in the title, never by code', async () => {
    const due = renderPage(id, { taskForceId: 'tf-02', overdue: '1' });
    await flush();
    expect(backend.callsOf('admin.enterprises').map((c) => c.payload)).toEqual([{ taskForceId: 'tf-02', overdue: true }]);
    expect(text(find(due, '.heading'))).toContain('建桥C区专班（民盟区委会） · 待走访 · 企业');
    const industry = renderPage(id, { industry: 'manufacturing' });
    await flush();
    expect(text(find(industry, '.heading'))).toContain('制造业 · 企业');
    expect(text(find(industry, '.heading'))).not.toContain('manufacturing');
  });

  test('none reads as empty; refused reads as the server says, with retry', async () => {
    backend.on('admin.enterprises', new ApiFail('FORBIDDEN', '您的身份无权执行此操作'));
    const page = renderPage(id, { verified: '1' });
    await flush();
    expect(text(page)).toContain('您的身份无权执行此操作');
    backend.on('admin.enterprises', { items: [], total: 0 });
    await tapButton(page, '.state', '.retry');
    expect(text(page)).toContain('这里没有企业');
  });
});
