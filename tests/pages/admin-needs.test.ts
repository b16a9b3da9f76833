import { ApiFail, backend, find, findAll, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { need } from './helpers/fixtures';

describe('admin/needs', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/needs/index');
  });
  beforeEach(() => {
    resetAll();
    backend
      .on('admin.listUnits', { items: [{ code: 'chamber-pharma', name: '区医药商会', kind: 'chamber' }] })
      .on('need.queue', (p: any) =>
        p.cursor
          ? { items: [need({ id: 'n-3', enterpriseName: '重庆渝通机械有限公司', type: 'hiring', status: 'claimed', unitName: '区人力社保局' })] }
          : { items: [need({ id: 'n-1', escalated: true, unitName: '区医药商会' }), need({ id: 'n-2', type: 'financing', status: 'in_progress', unitName: '区金融办' })], nextCursor: 'c2' },
      );
  });

  test('超时: asks for escalated needs and lists them by name, type, state and unit; a row opens the need', async () => {
    const page = renderPage(id, { escalated: '1' });
    await flush();
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([{ escalated: true }]);
    expect(text(find(page, '.heading'))).toContain('超过办理时限的需求');
    const rows = findAll(page, '.need-row').map(text);
    expect(rows[0]).toContain('重庆秋田齿轮有限公司');
    expect(rows[0]).toContain('已超时');
    expect(rows[0]).toContain('防疫物资');
    expect(rows[0]).toContain('区医药商会');
    expect(rows[0]).toContain('2020-02-12 09:30');
    expect(rows[1]).toContain('融资');
    findAll(page, '.need-row')[0].dispatchEvent('tap');
    await flush();
    expect(wxCalls.navigations.map((n) => n.url)).toEqual(['/unit/need-detail/index?id=n-1']);
    await tapButton(page, '.load-more');
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([{ escalated: true }, { escalated: true, cursor: 'c2' }]);
    expect(findAll(page, '.need-row')).toHaveLength(3);
  });

  test('by type and by unit: the filter is sent and named in the heading', async () => {
    const page = renderPage(id, { unitCode: 'chamber-pharma' });
    await flush();
    expect(backend.callsOf('need.queue').map((c) => c.payload)).toEqual([{ unitCode: 'chamber-pharma' }]);
    expect(text(find(page, '.heading'))).toContain('区医药商会的未办结需求');
    const byType = renderPage(id, { type: 'supplies' });
    await flush();
    expect(text(find(byType, '.heading'))).toContain('未办结的防疫物资需求');
  });

  test('no needs reads as empty; refused reads as the server says, with retry', async () => {
    backend.on('need.queue', new ApiFail('FORBIDDEN', '您的身份无权执行此操作'));
    const page = renderPage(id, { escalated: '1' });
    await flush();
    expect(text(page)).toContain('您的身份无权执行此操作');
    backend.on('need.queue', { items: [] });
    await tapButton(page, '.state', '.retry');
    expect(text(page)).toContain('这里没有需求');
  });
});
