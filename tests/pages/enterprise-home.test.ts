import { ApiFail, backend, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { enterprise } from './helpers/fixtures';

describe('enterprise/home', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/home/index');
  });
  beforeEach(resetAll);

  test('shows the enterprise with its verified badge and opens a new request', async () => {
    backend.on('enterprise.get', enterprise);
    const page = renderPage(id);
    await flush();
    expect(backend.callsOf('enterprise.get')).toEqual([{ fn: 'enterprise', action: 'get', payload: {} }]);
    const t = text(page);
    expect(t).toContain('重庆秋田齿轮有限公司');
    expect(t).toContain('已核实');
    expect(t).toContain('制造业');
    await tapButton(page, '.go-new-need');
    await tapButton(page, '.go-needs');
    expect(wxCalls.navigations).toEqual([
      { kind: 'navigateTo', url: '/enterprise/need-new/index' },
      { kind: 'navigateTo', url: '/enterprise/needs/index' },
    ]);
  });

  test('shows the latest resumption report in China time and links to the form and policies', async () => {
    backend.on('enterprise.get', {
      ...enterprise,
      latestStatus: { employeesTotal: 320, employeesBack: 200, capacityPercent: 60, resumed: true, at: '2020-02-18T16:30:00.000Z' },
    });
    const page = renderPage(id);
    await flush();
    const t = text(page);
    expect(t).toContain('已复工');
    expect(t).toContain('200/320');
    expect(t).toContain('60%');
    expect(t).toContain('2020-02-19 00:30');
    expect(t).toContain('更新复工状态');
    await tap(page, '.go-status');
    await tap(page, '.go-policies');
    expect(wxCalls.navigations).toEqual([
      { kind: 'navigateTo', url: '/enterprise/status/index' },
      { kind: 'navigateTo', url: '/enterprise/policies/index' },
    ]);
  });

  test('an enterprise that never reported is asked to', async () => {
    backend.on('enterprise.get', enterprise);
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('尚未填报复工状态');
    expect(text(page)).toContain('填报复工状态');
  });

  test('an unverified enterprise is told so', async () => {
    backend.on('enterprise.get', { ...enterprise, verified: false });
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('待服务专班核实');
  });

  test('a failure shows the error state and retry reloads', async () => {
    backend.on('enterprise.get', new ApiFail('NOT_FOUND', '还没有登记企业'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('还没有登记企业');
    backend.on('enterprise.get', enterprise);
    await tapButton(page, '.state', '.retry');
    expect(text(page)).toContain('重庆秋田齿轮有限公司');
  });
});
