import { backend, ApiFail, flush, loadPage, NETWORK_DOWN, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { fake, installTaskforceWx } from './taskforce-wx';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES } from '../../miniprogram/subscribe-templates';
import { CACHE_KEYS } from '../../miniprogram/utils/offline-cache';
import { NEVER_ONLINE_MESSAGE } from '../../miniprogram/services/session';

installTaskforceWx();

const idsOf = (moment: keyof typeof SUBSCRIBE_MOMENTS) => SUBSCRIBE_MOMENTS[moment].templates.map((k) => SUBSCRIBE_TEMPLATES[k].id);

const session = (extra: object) => ({ openid: 'demo', roles: [], unitCodes: [], headOf: [], ...extra });

describe('home page', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('pages/index/index');
  });
  beforeEach(() => {
    resetAll();
    fake.reset();
  });

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

  const tfSession = session({ roles: ['taskforce'], taskForceId: 'tf-02' });
  const profile = { taskForceId: 'tf-02', taskForceName: '建桥C区专班（民盟区委会）', zones: [{ code: 'jianqiao-c', name: '建桥园区C区' }], visitIntervalDays: 7, offSiteMeters: 500 };
  const zoneItem = (id: string, overdue: boolean) => ({ id, name: id, zone: 'jianqiao-c', industry: 'other', address: '', location: null, contactName: '', contactPhone: '', verified: true, lastVisitAt: null, overdue });

  test('online, a member\'s phone keeps the session, the profile, the zone and the policies for later; the task force shows by name', async () => {
    backend.on('user.login', tfSession);
    backend.on('user.todo', { taskforce: { overdue: 1 } });
    backend.on('visit.profile', profile);
    backend.on('visit.myEnterprises', { items: [zoneItem('a', true), zoneItem('b', false)], total: 2, overdue: 1 });
    backend.on('policy.list', { items: [{ id: 'pol-1', title: '社保减免', level: '国家', summary: '', tags: [], industries: [] }] });
    const page = renderPage(id);
    await flush(8);
    expect((fake.storage.get(CACHE_KEYS.session) as any).data.taskForceId).toBe('tf-02');
    expect((fake.storage.get(CACHE_KEYS.zone) as any).data.items).toHaveLength(2);
    expect((fake.storage.get(CACHE_KEYS.policies) as any).data.items).toHaveLength(1);
    expect(text(page)).toContain('服务专班 · 建桥C区专班（民盟区委会）');
    expect(text(page)).not.toContain('tf-02');
    expect(text(page)).not.toContain('离线');
    // A second show within the half hour does not fetch the zone again.
    page.instance.onShow();
    await flush(8);
    expect(backend.callsOf('visit.myEnterprises')).toHaveLength(1);
  });

  test('offline, a member who logged in before gets their home from the phone, marked 离线 with the time', async () => {
    const at = new Date(Date.now() - 3600_000).toISOString();
    fake.storage.set(CACHE_KEYS.session, { data: tfSession, at });
    fake.storage.set(CACHE_KEYS.profile, { data: profile, at });
    fake.storage.set(CACHE_KEYS.zone, { data: { items: [zoneItem('a', true), zoneItem('b', true), zoneItem('c', false)], total: 3, overdue: 2 }, at });
    backend.on('user.login', NETWORK_DOWN);
    backend.on('user.todo', NETWORK_DOWN);
    const page = renderPage(id);
    await flush(6);
    const t = text(page);
    expect(page.data.error).toBe('');
    expect(t).toMatch(/离线 · 更新于 (\d+月\d+日 )?\d\d:\d\d/);
    expect(t).toContain('现在没有网络，显示的是手机上保存的内容');
    expect(t).toContain('服务专班 · 建桥C区专班（民盟区委会）');
    expect(t).toContain('2 家待走访');
    expect(backend.callsOf('user.todo')).toHaveLength(0);
    await tap(page, '.go-visits');
    expect(wxCalls.navigations.pop()).toEqual({ kind: 'navigateTo', url: '/taskforce/enterprises/index' });
  });

  test('offline with nothing on the phone explains what to do instead of a bare 重试', async () => {
    backend.on('user.login', NETWORK_DOWN);
    const page = renderPage(id);
    await flush(6);
    expect(text(page)).toContain(NEVER_ONLINE_MESSAGE);
    expect(NEVER_ONLINE_MESSAGE).toContain('第一次使用需要在有信号的地方打开一次');
    backend.on('user.login', tfSession);
    backend.on('user.todo', {});
    await tapButton(page, '.state', '.retry');
    await flush(6);
    expect(text(page)).toContain('走访企业');
  });

  test('someone no longer in a task force loses the zone kept on the phone', async () => {
    fake.storage.set(CACHE_KEYS.zone, { data: { items: [zoneItem('a', true)], total: 1, overdue: 1 }, at: new Date().toISOString() });
    backend.on('user.login', session({ roles: ['enterprise'], enterpriseId: 'e1' }));
    backend.on('user.todo', {});
    renderPage(id);
    await flush(6);
    expect(fake.storage.has(CACHE_KEYS.zone)).toBe(false);
  });
});
