import { backend, ApiFail, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';

const session = (extra: object) => ({ openid: 'demo', roles: [], unitCodes: [], headOf: [], ...extra });

describe('home page', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('pages/index/index');
  });
  beforeEach(resetAll);

  test('a newcomer is offered registration, and the button opens the form', async () => {
    backend.on('user.login', session({}));
    const page = renderPage(id);
    await flush();
    expect(backend.callsOf('user.login')).toHaveLength(1);
    expect(text(page)).toContain('登记我的企业');
    await tapButton(page, '.go-register');
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: '/enterprise/register/index' }]);
  });

  test('an enterprise sees its needs and a new request, a unit member the queue', async () => {
    backend.on('user.login', session({ roles: ['enterprise', 'unit'], enterpriseId: 'e1', unitCodes: ['chamber-pharma'] }));
    const page = renderPage(id);
    await flush();
    const t = text(page);
    expect(t).toContain('提交需求（物资、融资、招工等）');
    expect(t).toContain('我的需求');
    expect(t).toContain('需求队列');
    expect(t).not.toContain('登记我的企业');
    await tap(page, '.go-queue');
    expect(wxCalls.navigations.pop()).toEqual({ kind: 'navigateTo', url: '/unit/queue/index' });
  });

  test('a failed login shows the error and retries', async () => {
    backend.on('user.login', new ApiFail('INTERNAL', '服务暂时不可用'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('服务暂时不可用');
    backend.on('user.login', session({ enterpriseId: 'e1', roles: ['enterprise'] }));
    await tapButton(page, '.state', '.retry');
    await flush();
    expect(text(page)).toContain('我的需求');
  });
});
