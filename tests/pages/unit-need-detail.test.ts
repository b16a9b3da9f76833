import type { NeedAction } from '../../typings/api';
import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { chamberHeadSession, claimedByHead as claimedFixture, need } from './helpers/fixtures';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES } from '../../miniprogram/subscribe-templates';
import { primaryOf } from '../../miniprogram/utils/need-view';

const units = {
  items: [
    { code: 'chamber-pharma', name: '区医药商会', kind: 'chamber' },
    { code: 'fic-finance', name: '区工商联金融服务组', kind: 'federation' },
    { code: 'hrss', name: '区人力资源社保局', kind: 'department' },
  ],
};

/** What the server answers for these states (server/needs/lifecycle.ts). */
const ROUTED: NeedAction[] = ['claim', 'transfer', 'reject'];
const WORK: NeedAction[] = ['renew', 'release', 'progress', 'wait', 'contacted', 'fulfil', 'transfer', 'reject'];
const contact = { name: '王芳', phone: '13908310002', address: '重庆市大渡口区建桥工业园C区', location: { latitude: 29.4842, longitude: 106.4823 } };
const routed = (extra = {}) => need({ allowedActions: ROUTED, ...extra });
const claimedByHead = { ...claimedFixture, allowedActions: WORK, contact };

const located: Array<Record<string, unknown>> = [];

describe('unit/need-detail', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('unit/need-detail/index');
    const wx = (global as any).wx;
    wx.openLocation = (opts: Record<string, unknown>) => located.push(opts);
    // The helpers' fake dials but never answers; a real call answers success once the dialler opens.
    wx.makePhoneCall = (opts: any) => {
      wxCalls.calls.push(opts.phoneNumber);
      opts.success?.({});
    };
  });
  beforeEach(() => {
    resetAll();
    located.length = 0;
    backend.on('user.login', chamberHeadSession);
  });

  async function open(n: unknown) {
    backend.on('need.get', n);
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    return page;
  }

  const sheetNames = (page: any) => page.data.more.map((m: any) => m.name);

  test('the next step is one button, chosen from what the server allows', () => {
    expect(primaryOf('routed', ROUTED)).toBe('claim');
    expect(primaryOf('claimed', WORK)).toBe('progress');
    expect(primaryOf('in_progress', WORK)).toBe('fulfil');
    expect(primaryOf('rejected', ['transfer'])).toBe('transfer');
    expect(primaryOf('claimed', ['breakClaim'])).toBe('');
    expect(primaryOf('waiting', ['contacted'])).toBe('');
  });

  test('a routed need: 认领 is the one big button, 转办 and 退回 wait under 更多操作; claiming asks for reminders first and reloads', async () => {
    let claimed = false;
    backend.on('need.claim', () => {
      claimed = true;
      return claimedByHead;
    });
    const page = await open(() => (claimed ? claimedByHead : routed({ enterpriseVerified: false, duplicateOf: 'need-0' })));
    const t = text(page);
    expect(t).toContain('重庆秋田齿轮有限公司');
    expect(t).toContain('企业未核实');
    expect(t).toContain('疑似重复');
    expect(t).toContain('口罩 20000 个');
    expect(t).toContain('待认领');
    expect(text(find(page, '.primary'))).toBe('认领');
    expect(sheetNames(page)).toEqual(['转办', '退回']);
    await tapButton(page, '.primary');
    await flush(); // the subscribe dialog's answer comes first
    const order = backend.calls.map((c) => `${c.fn}.${c.action}`);
    expect(order.indexOf('wx.requestSubscribeMessage')).toBeLessThan(order.indexOf('need.claim'));
    expect(wxCalls.subscribes).toEqual([SUBSCRIBE_MOMENTS.claim.templates.map((k) => SUBSCRIBE_TEMPLATES[k].id)]);
    expect(backend.callsOf('need.claim')[0].payload).toEqual({ id: 'need-1' });
    expect(wxCalls.toasts).toContain('已认领');
    expect(text(page)).toContain('待认领 → 已认领');
    expect(text(page.querySelector('.lease'))).toContain('2020-02-12 13:00');
    expect(text(page.querySelector('.lease'))).toContain('每次更新进展都会自动续期');
    // After the claim: the next step is progress, everything else in the sheet.
    expect(text(find(page, '.primary'))).toBe('更新进展');
    expect(sheetNames(page)).toEqual(['办结', '询问企业', '认领续期', '转办', '退回', '放弃认领']);
  });

  test('更多操作 opens the sheet; picking 办结 opens its form, which needs a note and sends quantityDelivered', async () => {
    backend.on('need.fulfil', { ...claimedByHead, status: 'fulfilled', allowedActions: [] });
    const page = await open(claimedByHead);
    await tapButton(page, '.more');
    expect(page.data.sheetShown).toBe(true);
    const items = find(page, '.sheet').querySelectorAll('.van-action-sheet__item');
    expect(items.map((i: any) => i.dom.textContent.trim())).toEqual(['办结', '询问企业', '认领续期', '转办', '退回', '放弃认领']);
    items[0].dispatchEvent('tap');
    await flush();
    expect(page.data.sheetShown).toBe(false);
    expect(page.data.mode).toBe('fulfil');
    expect(page.querySelector('.primary')).toBeFalsy(); // one thing at a time: the form
    await tapButton(page, '.do-submit');
    expect(page.data.noteError).toBeTruthy();
    expect(backend.callsOf('need.fulfil')).toHaveLength(0);
    page.instance.onNote({ detail: '已送达口罩' });
    page.instance.onQuantity({ detail: '15000' });
    await flush();
    expect(text(page)).toContain('还差 5000，办结后剩余部分会作为新需求重新排队');
    await tapButton(page, '.do-submit');
    expect(backend.callsOf('need.fulfil')[0].payload).toEqual({ id: 'need-1', note: '已送达口罩', quantityDelivered: 15000 });
    expect(wxCalls.toasts).toContain('已办结');
  });

  test('in progress, 办结 is the big button; a full fulfilment sends no quantity', async () => {
    backend.on('need.fulfil', { ...claimedByHead, status: 'fulfilled', allowedActions: [] });
    const page = await open({ ...claimedByHead, status: 'in_progress' });
    expect(text(find(page, '.primary'))).toBe('办结');
    await tapButton(page, '.primary');
    page.instance.onNote({ detail: '已全部送达' });
    await tapButton(page, '.do-submit');
    expect(backend.callsOf('need.fulfil')[0].payload).toEqual({ id: 'need-1', note: '已全部送达' });
  });

  test('a loan is fulfilled with the amount the bank granted: required, sent as grantedWan, a refusal shown at the field', async () => {
    const loan = { ...claimedByHead, type: 'financing' as const, items: undefined, amountWan: 2000, purpose: '专项', termMonths: 12, status: 'in_progress' as const };
    backend.on('need.fulfil', new ApiFail('INVALID_ARGUMENT', '获批金额不能超过申请的 2000 万元', 'grantedWan'));
    const page = await open(loan);
    await tapButton(page, '.primary');
    expect(page.querySelector('.f-quantity')).toBeFalsy();
    expect(page.querySelector('.f-granted')).toBeTruthy();
    page.instance.onNote({ detail: '建行已放款' });
    await tapButton(page, '.do-submit');
    expect(page.data.grantedError).toBe('请填写银行实际获批的金额（万元）');
    expect(backend.callsOf('need.fulfil')).toHaveLength(0);
    page.instance.onGranted({ detail: '2500' });
    await tapButton(page, '.do-submit');
    expect(backend.callsOf('need.fulfil')[0].payload).toEqual({ id: 'need-1', note: '建行已放款', grantedWan: 2500 });
    expect(page.data.grantedError).toBe('获批金额不能超过申请的 2000 万元');
    backend.on('need.fulfil', { ...loan, status: 'fulfilled', grantedWan: 1500, allowedActions: [] });
    page.instance.onGranted({ detail: '1500' });
    await tapButton(page, '.do-submit');
    expect(backend.callsOf('need.fulfil')[1].payload).toEqual({ id: 'need-1', note: '建行已放款', grantedWan: 1500 });
  });

  test('after a reopen the quantity field asks for what is still owed, and the hint counts from there', async () => {
    const page = await open({ ...claimedByHead, status: 'in_progress', quantityDelivered: 5000 });
    await tapButton(page, '.primary');
    page.instance.onNote({ detail: '又送一批' });
    page.instance.onQuantity({ detail: '10000' });
    await flush();
    expect(text(page)).toContain('还差 5000，办结后剩余部分会作为新需求重新排队');
  });

  test('transfer picks a unit from need.units (not the current one), requires a reason and sends {id, toUnitCode, reason}', async () => {
    backend.on('need.units', units);
    backend.on('need.transfer', need({ unitCode: 'fic-finance' }));
    const page = await open(claimedByHead);
    await page.instance.act('transfer');
    await flush();
    expect(backend.callsOf('need.units')).toHaveLength(1);
    expect(page.data.units.map((u: any) => u.code)).toEqual(['fic-finance', 'hrss']);
    page.instance.onNote({ detail: '属于融资需求' });
    await tapButton(page, '.do-submit');
    expect(page.data.unitError).toBe('请选择转办单位');
    page.instance.onUnit({ detail: { value: 0 } });
    page.instance.onNote({ detail: '' });
    await tapButton(page, '.do-submit');
    expect(page.data.noteError).toBe('请填写转办原因');
    page.instance.onNote({ detail: '属于融资需求' });
    await tapButton(page, '.do-submit');
    expect(backend.callsOf('need.transfer').map((c) => c.payload)).toEqual([{ id: 'need-1', toUnitCode: 'fic-finance', reason: '属于融资需求' }]);
    expect(wxCalls.toasts).toContain('已转办');
    expect(wxCalls.navigations).toContainEqual({ kind: 'navigateBack', url: '' });
  });

  test('reject requires a reason and sends {id, reason}; an unclaimed need can be rejected without claiming', async () => {
    backend.on('need.reject', need({ status: 'rejected' }));
    const page = await open(routed());
    await page.instance.onMore({ detail: page.data.more.find((m: any) => m.key === 'reject') });
    await flush();
    await tapButton(page, '.do-submit');
    expect(page.data.noteError).toBe('请填写退回原因');
    page.instance.onNote({ detail: '不是本会会员企业' });
    await tapButton(page, '.do-submit');
    expect(backend.callsOf('need.reject')[0].payload).toEqual({ id: 'need-1', reason: '不是本会会员企业' });
  });

  test('progress, wait, renew and release send their payloads', async () => {
    backend.on('need.progress', claimedByHead);
    backend.on('need.wait', { ...claimedByHead, status: 'waiting' });
    backend.on('need.renew', claimedByHead);
    backend.on('need.release', routed());
    const page = await open(claimedByHead);

    await tapButton(page, '.primary');
    page.instance.onNote({ detail: '已联系供货商' });
    await tapButton(page, '.do-submit');
    await page.instance.act('wait');
    page.instance.onNote({ detail: '需要哪种口罩？' });
    await tapButton(page, '.do-submit');
    await page.instance.act('renew');
    await flush();
    await page.instance.act('release');
    await tapButton(page, '.do-submit');

    expect(backend.callsOf('need.progress')[0].payload).toEqual({ id: 'need-1', note: '已联系供货商' });
    expect(backend.callsOf('need.wait')[0].payload).toEqual({ id: 'need-1', question: '需要哪种口罩？' });
    expect(backend.callsOf('need.renew')[0].payload).toEqual({ id: 'need-1' });
    expect(backend.callsOf('need.release')[0].payload).toEqual({ id: 'need-1' });
    expect(wxCalls.toasts).toEqual(['已记录', '已发送，等待企业答复', '已续期', '已放回队列']);
  });

  test('a state error on an action toasts the server message, reloads and closes a form that no longer applies', async () => {
    backend.on('need.progress', new ApiFail('FAILED_PRECONDITION', '需求已撤销，不能执行此操作'));
    const page = await open(claimedByHead);
    await tapButton(page, '.primary');
    page.instance.onNote({ detail: '已联系供货商' });
    backend.on('need.get', need({ status: 'cancelled', allowedActions: [] }));
    await tapButton(page, '.do-submit');
    expect(wxCalls.toasts).toEqual(['需求已撤销，不能执行此操作']);
    expect(page.data.mode).toBe('');
    expect(page.data.primary).toBeNull();
    expect(page.querySelector('.more')).toBeFalsy();
    expect(text(page)).toContain('企业已撤销');
  });

  test('a waiting need shows the question and no action buttons', async () => {
    const page = await open({ ...claimedByHead, status: 'waiting', waitQuestion: '需要哪种口罩？', allowedActions: ['contacted'] });
    expect(text(page)).toContain('已问企业：需要哪种口罩？');
    expect(text(page)).toContain('等待企业答复');
    expect(page.querySelector('.primary')).toBeFalsy();
    expect(page.querySelector('.more')).toBeFalsy();
  });

  test("a head sees only 解除认领 on a member's claim; it takes an optional reason and sends breakClaim", async () => {
    backend.on('need.breakClaim', routed());
    const page = await open({ ...claimedFixture, claimedBy: 'pharma-2', allowedActions: ['breakClaim'] });
    expect(page.querySelector('.primary')).toBeFalsy();
    expect(sheetNames(page)).toEqual(['解除认领']);
    expect(page.data.more[0].color).toBe('var(--theme-danger)');
    await page.instance.act('breakClaim');
    await tapButton(page, '.do-submit');
    expect(backend.callsOf('need.breakClaim')[0].payload).toEqual({ id: 'need-1' });
    expect(wxCalls.toasts).toContain('已解除，需求回到队列');
  });

  test("someone else's claim offers nothing to a member; errors show the error state", async () => {
    const page = await open({ ...claimedFixture, claimedBy: 'someone-else', allowedActions: [] });
    expect(page.querySelector('.primary')).toBeFalsy();
    expect(page.querySelector('.more')).toBeFalsy();
    backend.on('need.get', new ApiFail('FORBIDDEN', '无权查看'));
    await page.instance.reload();
    await flush();
    expect(text(page)).toContain('无权查看');
  });

  test('拨打电话 dials the contact and records the first response; a masked number offers no call', async () => {
    backend.on('need.contacted', claimedByHead);
    const page = await open(claimedByHead);
    expect(text(find(page, '.contact'))).toContain('王芳 13908310002');
    expect(text(find(page, '.call'))).toBe('拨打电话');
    await tapButton(page, '.call');
    expect(wxCalls.calls).toEqual(['13908310002']);
    expect(backend.callsOf('need.contacted').map((c) => c.payload)).toEqual([{ id: 'need-1' }]);

    const masked = await open({ ...claimedByHead, contact: { ...contact, phone: '139****0002' } });
    expect(masked.querySelector('.call')).toBeFalsy();
    masked.instance.call();
    expect(wxCalls.calls).toEqual(['13908310002']);
  });

  test('a failed contacted record never gets in the way; a caller the server does not allow records nothing', async () => {
    backend.on('need.contacted', new ApiFail('NOT_FOUND', 'no such action'));
    const page = await open(claimedByHead);
    await tapButton(page, '.call');
    await flush();
    expect(wxCalls.calls).toEqual(['13908310002']);
    expect(wxCalls.toasts).toEqual([]);
    expect(text(page)).not.toContain('no such action');
    const other = await open({ ...claimedByHead, allowedActions: [] });
    await tapButton(other, '.call');
    expect(backend.callsOf('need.contacted')).toHaveLength(1);
  });

  test('导航 opens the map at the enterprise, named, with the delivery address', async () => {
    const page = await open(claimedByHead);
    expect(text(find(page, '.place'))).toContain('送货地址');
    expect(text(find(page, '.place'))).toContain('重庆市大渡口区建桥工业园C区');
    await tapButton(page, '.navigate');
    expect(located).toEqual([{ latitude: 29.4842, longitude: 106.4823, name: '重庆秋田齿轮有限公司', address: '重庆市大渡口区建桥工业园C区', scale: 16 }]);
    const unknown = await open({ ...claimedByHead, contact: { name: '王芳', phone: '13908310002' } });
    expect(unknown.querySelector('.navigate')).toBeFalsy();
  });

  test('a need rejected to triage can be claimed; refused for good, triage can only pass it on', async () => {
    const page = await open(need({ status: 'rejected', rejectReason: '不属于本会会员', allowedActions: ['claim', 'transfer'] } as any));
    expect(text(find(page, '.primary'))).toBe('认领');
    expect(text(page)).toContain('退回原因：不属于本会会员');
    expect(text(page)).toContain('已退回，待分诊');
    const final = await open(need({ status: 'rejected', rejectFinal: true, allowedActions: ['transfer'] } as any));
    expect(text(find(final, '.primary'))).toBe('转办');
    expect(text(final)).toContain('已最终退回');
  });
});
