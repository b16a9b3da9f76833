import { ApiFail, backend, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { chamberHeadSession, claimedByHead, need } from './helpers/fixtures';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES } from '../../miniprogram/subscribe-templates';

const units = {
  items: [
    { code: 'chamber-pharma', name: '区医药商会', kind: 'chamber' },
    { code: 'fic-finance', name: '区工商联金融服务组', kind: 'federation' },
    { code: 'hrss', name: '区人力资源社保局', kind: 'department' },
  ],
};

describe('unit/need-detail', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('unit/need-detail/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('user.login', chamberHeadSession);
  });

  async function open(n: unknown) {
    backend.on('need.get', n);
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    return page;
  }

  test('a routed need shows 认领; claiming asks for subscribe messages first, sends need.claim and reloads', async () => {
    let claimed = false;
    backend.on('need.claim', () => {
      claimed = true;
      return claimedByHead;
    });
    const page = await open(() => (claimed ? claimedByHead : need({ enterpriseVerified: false, duplicateOf: 'need-0' })));
    const t = text(page);
    expect(t).toContain('重庆秋田齿轮有限公司');
    expect(t).toContain('企业未核实');
    expect(t).toContain('疑似重复');
    expect(t).toContain('口罩 20000 个');
    expect(page.querySelector('.go-fulfil')).toBeFalsy();
    await tapButton(page, '.claim');
    await flush(); // the subscribe dialog's answer comes first
    const order = backend.calls.map((c) => `${c.fn}.${c.action}`);
    expect(order.indexOf('wx.requestSubscribeMessage')).toBeLessThan(order.indexOf('need.claim'));
    // A claimer hears before the lease runs out: the claim moment of the one template table.
    expect(wxCalls.subscribes).toEqual([SUBSCRIBE_MOMENTS.claim.templates.map((k) => SUBSCRIBE_TEMPLATES[k].id)]);
    expect(wxCalls.subscribes[0]).toEqual([SUBSCRIBE_TEMPLATES.leaseExpiring.id]);
    expect(backend.callsOf('need.claim')[0].payload).toEqual({ id: 'need-1' });
    expect(wxCalls.toasts).toContain('已认领');
    expect(text(page)).toContain('待认领 → 已认领');
    expect(text(page.querySelector('.lease'))).toContain('2020-02-12 13:00');
    expect(page.data.canWork).toBe(true);
    expect(page.querySelector('.claim')).toBeFalsy();
  });

  test('a refused subscribe dialog still claims', async () => {
    wxCalls.subscribeOutcome = 'reject';
    backend.on('need.claim', claimedByHead);
    const page = await open(need());
    await tapButton(page, '.claim');
    await flush();
    expect(backend.callsOf('need.claim')).toHaveLength(1);
  });

  test('losing the race (CONFLICT) shows the server message and reloads', async () => {
    backend.on('need.claim', new ApiFail('CONFLICT', '该需求已被他人认领'));
    const page = await open(need());
    backend.on('need.get', need({ status: 'claimed', claimedBy: 'someone-else' }));
    await tapButton(page, '.claim');
    await flush();
    expect(wxCalls.toasts).toEqual(['该需求已被他人认领']);
    expect(backend.callsOf('need.get')).toHaveLength(2);
    expect(page.data.canClaim).toBe(false);
    expect(page.data.canWork).toBe(false);
    expect(text(page)).not.toContain('认领没有成功');
  });

  test('a need rejected to triage can be claimed, unless the refusal was final', async () => {
    const page = await open(need({ status: 'rejected', rejectReason: '不属于本会会员' } as any));
    expect(page.data.canClaim).toBe(true);
    expect(text(page)).toContain('退回原因：不属于本会会员');
    const final = await open(need({ status: 'rejected', rejectFinal: true } as any));
    expect(final.data.canClaim).toBe(false);
  });

  test('the claimer fulfils part of a supplies need: the note is required and quantityDelivered is sent', async () => {
    backend.on('need.fulfil', { ...claimedByHead, status: 'fulfilled' });
    const page = await open(claimedByHead);
    await tapButton(page, '.go-fulfil');
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

  test('a full fulfilment sends no quantity', async () => {
    backend.on('need.fulfil', { ...claimedByHead, status: 'fulfilled' });
    const page = await open(claimedByHead);
    await tapButton(page, '.go-fulfil');
    page.instance.onNote({ detail: '已全部送达' });
    await tapButton(page, '.do-submit');
    expect(backend.callsOf('need.fulfil')[0].payload).toEqual({ id: 'need-1', note: '已全部送达' });
  });

  test('transfer picks a unit from need.units (not the current one), requires a reason and sends {id, toUnitCode, reason}', async () => {
    backend.on('need.units', units);
    backend.on('need.transfer', need({ unitCode: 'fic-finance' }));
    const page = await open(claimedByHead);
    await tapButton(page, '.go-transfer');
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
    const page = await open(need());
    expect(page.data.canReject).toBe(true);
    await tapButton(page, '.go-reject');
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
    backend.on('need.release', need());
    const page = await open(claimedByHead);

    await tapButton(page, '.go-progress');
    page.instance.onNote({ detail: '已联系供货商' });
    await tapButton(page, '.do-submit');
    await tapButton(page, '.go-wait');
    page.instance.onNote({ detail: '需要哪种口罩？' });
    await tapButton(page, '.do-submit');
    await tapButton(page, '.renew');
    await tapButton(page, '.go-release');
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
    await tapButton(page, '.go-progress');
    page.instance.onNote({ detail: '已联系供货商' });
    backend.on('need.get', need({ status: 'cancelled' }));
    await tapButton(page, '.do-submit');
    expect(wxCalls.toasts).toEqual(['需求已撤销，不能执行此操作']);
    expect(page.data.mode).toBe('');
    expect(page.data.canWork).toBe(false);
    expect(text(page)).toContain('已撤销');
  });

  test('a waiting need shows the question and no work actions', async () => {
    const page = await open({ ...claimedByHead, status: 'waiting', waitQuestion: '需要哪种口罩？' });
    expect(text(page)).toContain('已问企业：需要哪种口罩？');
    expect(page.data.canWork).toBe(false);
    expect(page.querySelector('.go-fulfil')).toBeFalsy();
  });

  test("someone else's claim offers no actions; errors show the error state", async () => {
    const page = await open(need({ status: 'claimed', claimedBy: 'someone-else' }));
    expect(page.data.canClaim).toBe(false);
    expect(page.data.canWork).toBe(false);
    expect(page.data.canTransfer).toBe(false);
    expect(page.data.canReject).toBe(false);
    backend.on('need.get', new ApiFail('FORBIDDEN', '无权查看'));
    await page.instance.reload();
    await flush();
    expect(text(page)).toContain('无权查看');
  });

  test('the enterprise contact is shown and one tap dials it; a masked number is not dialled', async () => {
    const page = await open({ ...claimedByHead, contact: { name: '王芳', phone: '13908310002' } });
    expect(text(page)).toContain('王芳 13908310002');
    page.instance.call();
    expect(wxCalls.calls).toEqual(['13908310002']);
    const masked = await open({ ...claimedByHead, contact: { name: '王芳', phone: '139****0002' } });
    masked.instance.call();
    expect(wxCalls.calls).toEqual(['13908310002']);
  });
});
