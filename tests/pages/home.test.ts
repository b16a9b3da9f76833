import { backend, ApiFail, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES } from '../../miniprogram/subscribe-templates';

const idsOf = (moment: keyof typeof SUBSCRIBE_MOMENTS) => SUBSCRIBE_MOMENTS[moment].templates.map((k) => SUBSCRIBE_TEMPLATES[k].id);

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

  test('counts what is to do now, and the urgent links open the right tab', async () => {
    backend.on('user.login', session({ roles: ['enterprise', 'unit'], enterpriseId: 'e1', unitCodes: ['chamber-pharma'] }));
    backend.on('user.todo', { enterprise: { open: 3, waiting: 1, toConfirm: 2 }, unit: { toClaim: 4, mine: 1, escalated: 2 } });
    const page = renderPage(id);
    await flush();
    const t = text(page);
    expect(t).toContain('有 1 个问题待您答复');
    expect(t).toContain('2 项已办结，请确认');
    expect(t).toContain('办理中 3');
    expect(t).toContain('待认领 4，我在办 1');
    expect(t).toContain('2 项已超时');
    await tap(page, '.go-waiting');
    expect(wxCalls.navigations.pop()).toEqual({ kind: 'navigateTo', url: '/enterprise/needs/index?tab=waiting' });
    await tap(page, '.go-escalated');
    expect(wxCalls.navigations.pop()).toEqual({ kind: 'navigateTo', url: '/unit/queue/index?escalated=1' });
  });

  test('without counts (user.todo failing) the links still show', async () => {
    backend.on('user.login', session({ roles: ['enterprise'], enterpriseId: 'e1' }));
    backend.on('user.todo', new ApiFail('INTERNAL', '服务暂时不可用'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('我的需求');
    expect(text(page)).not.toContain('服务暂时不可用');
  });

  test('redeeming an invite binds the role and shows the new links; a bad code is said at the field', async () => {
    backend.on('user.login', session({}));
    backend.on('user.todo', {});
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.redeem');
    expect(page.data.inviteError).toBe('请输入邀请码');
    expect(backend.callsOf('user.redeemInvite')).toHaveLength(0);

    backend.on('user.redeemInvite', new ApiFail('CONFLICT', '该邀请码已被使用，请向发放人重新索取'));
    page.instance.onInviteCode({ detail: 'ABCD2345' });
    await tapButton(page, '.redeem');
    await flush();
    expect(backend.callsOf('user.redeemInvite')[0].payload).toEqual({ code: 'ABCD2345' });
    expect(page.data.inviteError).toBe('该邀请码已被使用，请向发放人重新索取');
    expect(page.data.inviteCode).toBe('ABCD2345');

    backend.on('user.redeemInvite', session({ roles: ['unit'], unitCodes: ['chamber-catering'] }));
    backend.on('user.login', session({ roles: ['unit'], unitCodes: ['chamber-catering'] }));
    await tapButton(page, '.redeem');
    await flush();
    expect(wxCalls.toasts).toContain('身份已绑定');
    expect(text(page)).toContain('需求队列');
  });

  test('an invite that made a unit member offers the unit reminders; the tap asks for the table\'s member set', async () => {
    backend.on('user.login', session({}));
    backend.on('user.todo', {});
    const page = renderPage(id);
    await flush();
    expect(page.querySelector('.enable-reminders')).toBeFalsy();
    backend.on('user.redeemInvite', session({ roles: ['unit'], unitCodes: ['chamber-catering'] }));
    backend.on('user.login', session({ roles: ['unit'], unitCodes: ['chamber-catering'] }));
    page.instance.onInviteCode({ detail: 'ABCD2345' });
    await tapButton(page, '.redeem');
    await flush();
    // The redeem tap cannot ask: the role was not known until the answer came.
    expect(wxCalls.subscribes).toEqual([]);
    await tapButton(page, '.enable-reminders');
    await flush();
    expect(wxCalls.subscribes).toEqual([idsOf('unitMember')]);
    expect(wxCalls.subscribes[0]).toEqual([SUBSCRIBE_TEMPLATES.needRouted.id, SUBSCRIBE_TEMPLATES.dailyDigest.id]);
    expect(page.querySelector('.enable-reminders')).toBeFalsy();
  });

  test('a new head is asked for escalations too, at most 3 ids; a member seeing home without redeeming is not offered', async () => {
    backend.on('user.login', session({ roles: ['unit'], unitCodes: ['chamber-pharma'] }));
    backend.on('user.todo', {});
    const page = renderPage(id);
    await flush();
    expect(page.querySelector('.enable-reminders')).toBeFalsy();
    backend.on('user.redeemInvite', session({ roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: ['chamber-pharma'] }));
    backend.on('user.login', session({ roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: ['chamber-pharma'] }));
    page.instance.onInviteCode({ detail: 'HEAD2345' });
    await tapButton(page, '.redeem');
    await flush();
    await tapButton(page, '.enable-reminders');
    await flush();
    expect(wxCalls.subscribes).toEqual([idsOf('unitHead')]);
    expect(wxCalls.subscribes[0]).toContain(SUBSCRIBE_TEMPLATES.needEscalated.id);
    expect(wxCalls.subscribes[0].length).toBeLessThanOrEqual(3);
  });

  test('an admin is offered the dashboard, invites and routing preview', async () => {
    backend.on('user.login', session({ roles: ['admin'] }));
    backend.on('user.todo', {});
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('复工数据看板');
    expect(text(page)).not.toContain('登记我的企业');
    await tap(page, '.go-dashboard');
    expect(wxCalls.navigations.pop()).toEqual({ kind: 'navigateTo', url: '/admin/dashboard/index' });
  });

  test('a task-force member sees how many enterprises are due for a visit, and the link opens the list', async () => {
    backend.on('user.login', session({ roles: ['taskforce'], taskForceId: 'tf-02' }));
    backend.on('user.todo', { taskforce: { overdue: 2 } });
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('2 家待走访');
    await tap(page, '.go-visits');
    expect(wxCalls.navigations.pop()).toEqual({ kind: 'navigateTo', url: '/taskforce/enterprises/index' });
  });
});
