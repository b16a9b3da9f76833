import { ApiFail, backend, find, flush, loadPage, NETWORK_DOWN, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { fulfilledNeed as fulfilledFixture, need as needFixture } from './helpers/fixtures';
import type { Need, NeedAction, NeedStatus } from '../../typings/api';

/** What the server allows the owner in each state (server/needs/lifecycle.ts). */
const OWNER_ACTIONS: Record<NeedStatus, NeedAction[]> = {
  routed: ['cancel'],
  claimed: ['cancel'],
  in_progress: ['cancel'],
  waiting: ['answer', 'cancel'],
  fulfilled: ['confirm', 'reopen'],
  confirmed: [],
  rejected: [],
  cancelled: [],
};
const need = (extra: Partial<Need> = {}) => needFixture({ allowedActions: OWNER_ACTIONS[extra.status || 'routed'], ...extra });
const fulfilledNeed = { ...fulfilledFixture, allowedActions: OWNER_ACTIONS.fulfilled };
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES } from '../../miniprogram/subscribe-templates';

/** The owner's follow-up moment of the one template table: progress, another question, fulfilment. */
const followUpIds = SUBSCRIBE_MOMENTS.followUp.templates.map((k) => SUBSCRIBE_TEMPLATES[k].id);

describe('enterprise/need-detail', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/need-detail/index');
  });
  beforeEach(resetAll);

  test("shows status in the owner's words, unit, items and the timeline; no confirm form before fulfilment", async () => {
    backend.on('need.get', need());
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    expect(backend.callsOf('need.get')[0].payload).toEqual({ id: 'need-1' });
    const t = text(page);
    expect(text(find(page, '.status'))).toBe('已提交，等待受理');
    expect(t).not.toContain('待认领');
    expect(t).toContain('区医药商会');
    expect(t).toContain('口罩 20000 个');
    expect(t).toContain('分派至区医药商会');
    expect(t).not.toContain('确认收到');
  });

  test('a fulfilledNeed need offers the rating form and sends need.confirm', async () => {
    let confirmed = false;
    backend.on('need.get', () => (confirmed ? { ...fulfilledNeed, status: 'confirmed', rating: 4, allowedActions: [] } : fulfilledNeed));
    backend.on('need.confirm', () => {
      confirmed = true;
      return { ...fulfilledNeed, status: 'confirmed' };
    });
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    const t = text(page);
    expect(text(find(page, '.status'))).toBe('已办结，请确认');
    expect(t).toContain('正在办理 → 已办结，请确认');
    expect(t).not.toContain('已认领');
    expect(text(find(page, '.confirm-button'))).toBe('确认并评价');
    page.instance.onRate({ detail: 4 });
    page.instance.onComment({ detail: '很及时' });
    await tapButton(page, '.confirm-button');
    expect(backend.callsOf('need.confirm')[0].payload).toEqual({ id: 'need-1', rating: 4, comment: '很及时' });
    expect(wxCalls.toasts).toContain('已确认，感谢评价');
    expect(text(find(page, '.status'))).toBe('已完成');
    expect(page.querySelector('.confirm-button')).toBeFalsy();
  });

  test('a confirm failure keeps the rating and says why', async () => {
    backend.on('need.get', fulfilledNeed);
    backend.on('need.confirm', () => NETWORK_DOWN);
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    page.instance.onRate({ detail: 3 });
    await tapButton(page, '.confirm-button');
    expect(wxCalls.toasts).toContain('网络异常，请检查手机网络后重试');
    expect(page.data.rating).toBe(3);
    expect(text(page)).toContain('重新确认');
  });

  test('confirming a need that is no longer fulfilledNeed toasts the server message and reloads', async () => {
    backend.on('need.get', fulfilledNeed);
    backend.on('need.confirm', new ApiFail('FAILED_PRECONDITION', '该需求已确认'));
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    backend.on('need.get', { ...fulfilledNeed, status: 'confirmed', rating: 5, allowedActions: [] });
    await tapButton(page, '.confirm-button');
    expect(wxCalls.toasts).toEqual(['该需求已确认']);
    expect(page.data.canConfirm).toBe(false);
    expect(text(page)).not.toContain('重新确认');
  });

  test('a load failure shows the error state', async () => {
    backend.on('need.get', new ApiFail('NOT_FOUND', '需求不存在'));
    const page = renderPage(id, { id: 'nope' });
    await flush();
    expect(text(page)).toContain('需求不存在');
  });
});

describe('enterprise/need-detail actions', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/need-detail/index');
  });
  beforeEach(resetAll);

  test('shows the fields of a financing need and links to a remainder', async () => {
    backend.on(
      'need.get',
      need({ type: 'financing', items: undefined, neededBy: undefined, deliveryAddress: undefined, amountWan: 200, termMonths: 12, purpose: '采购原材料', preferredBank: '建设银行', remainderId: 'need-5' } as any),
    );
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    const t = text(page);
    expect(t).toContain('200 万元');
    expect(t).toContain('12 个月');
    expect(t).toContain('采购原材料');
    expect(t).toContain('建设银行');
    await tap(page, '.go-remainder');
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: '/enterprise/need-detail/index?id=need-5' }]);
  });

  test('shows hiring positions and a supplies remainder\'s parent', async () => {
    backend.on('need.get', need({ type: 'hiring', items: undefined, positions: [{ title: '数控车工', count: 10, salaryMin: 5000, salaryMax: 8000 }], parentId: 'need-0' } as any));
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    expect(text(page)).toContain('数控车工 10 人，月薪 5000–8000 元');
    await tap(page, '.go-parent');
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateTo', url: '/enterprise/need-detail/index?id=need-0' }]);
  });

  test('a waiting need shows the question; answering sends need.answer {id, text}', async () => {
    let answered = false;
    backend.on('need.get', () => (answered ? need({ status: 'in_progress', waitAnswer: '需要 KN95' }) : need({ status: 'waiting', waitQuestion: '需要哪种口罩？' })));
    backend.on('need.answer', () => {
      answered = true;
      return need({ status: 'in_progress' });
    });
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    expect(text(page)).toContain('需要哪种口罩？');
    await tapButton(page, '.answer-button');
    expect(page.data.answerError).toBeTruthy();
    expect(backend.callsOf('need.answer')).toHaveLength(0);
    page.instance.onAnswer({ detail: '需要 KN95' });
    await tapButton(page, '.answer-button');
    await flush(); // the subscribe dialog's answer comes first
    const order = backend.calls.map((c) => `${c.fn}.${c.action}`);
    expect(order.indexOf('wx.requestSubscribeMessage')).toBeLessThan(order.indexOf('need.answer'));
    expect(wxCalls.subscribes).toEqual([followUpIds]);
    expect(followUpIds).toContain(SUBSCRIBE_TEMPLATES.needProgress.id);
    expect(followUpIds.length).toBeLessThanOrEqual(3);
    expect(backend.callsOf('need.answer')[0].payload).toEqual({ id: 'need-1', text: '需要 KN95' });
    expect(wxCalls.toasts).toContain('已答复');
    expect(page.data.canAnswer).toBe(false);
    expect(text(page)).toContain('我方答复：需要 KN95');
  });

  test('an answer on a need that moved on toasts the server message and reloads', async () => {
    backend.on('need.get', need({ status: 'waiting', waitQuestion: '需要哪种口罩？' }));
    backend.on('need.answer', new ApiFail('FAILED_PRECONDITION', '需求已撤销，不能执行此操作'));
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    page.instance.onAnswer({ detail: '需要 KN95' });
    backend.on('need.get', need({ status: 'cancelled' }));
    await tapButton(page, '.answer-button');
    await flush(); // the subscribe dialog's answer comes first
    expect(wxCalls.toasts).toEqual(['需求已撤销，不能执行此操作']);
    expect(backend.callsOf('need.get')).toHaveLength(2);
    expect(page.data.canAnswer).toBe(false);
    expect(text(page)).toContain('已撤销');
  });

  test('a fulfilledNeed need can be reopened with a reason', async () => {
    backend.on('need.get', fulfilledNeed);
    backend.on('need.reopen', { ...fulfilledNeed, status: 'in_progress' });
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    expect(page.querySelector('.reopen-button')).toBeFalsy();
    await tapButton(page, '.start-reopen');
    await tapButton(page, '.reopen-button');
    expect(page.data.reopenError).toBeTruthy();
    page.instance.onReopenReason({ detail: '只送到 15000 个' });
    await tapButton(page, '.reopen-button');
    await flush();
    expect(wxCalls.subscribes).toEqual([followUpIds]);
    expect(backend.callsOf('need.reopen')[0].payload).toEqual({ id: 'need-1', reason: '只送到 15000 个' });
    expect(wxCalls.toasts).toContain('已退回办理单位');
  });

  test('cancel asks in a dialog first, then sends need.cancel {id, reason}', async () => {
    let cancelled = false;
    backend.on('need.get', () => need({ status: cancelled ? 'cancelled' : 'claimed' }));
    backend.on('need.cancel', () => {
      cancelled = true;
      return need({ status: 'cancelled' });
    });
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    await tapButton(page, '.cancel-button');
    expect(page.data.cancelShown).toBe(true);
    expect(backend.callsOf('need.cancel')).toHaveLength(0);
    page.instance.onCancelReason({ detail: '已自行解决' });
    const buttons = find(page, '.cancel-dialog').querySelectorAll('.van-dialog__button');
    buttons[buttons.length - 1].querySelector('.van-button').dispatchEvent('tap');
    await flush(5);
    expect(backend.callsOf('need.cancel')[0].payload).toEqual({ id: 'need-1', reason: '已自行解决' });
    expect(wxCalls.toasts).toContain('已撤销');
    expect(page.data.canCancel).toBe(false);
    expect(page.querySelector('.cancel-button')).toBeFalsy();
  });

  test('a fulfilledNeed or confirmed need cannot be cancelled', async () => {
    backend.on('need.get', fulfilledNeed);
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    expect(page.data.canCancel).toBe(false);
    expect(page.querySelector('.cancel-button')).toBeFalsy();
  });

  test('the buttons are what the server allows, whatever the status says', async () => {
    backend.on('need.get', { ...fulfilledNeed, allowedActions: ['reopen'] });
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    expect(page.querySelector('.confirm-button')).toBeFalsy();
    expect(page.querySelector('.start-reopen')).toBeTruthy();
    backend.on('need.get', need({ status: 'waiting', waitQuestion: '需要哪种口罩？', allowedActions: [] }));
    const readOnly = renderPage(id, { id: 'need-1' });
    await flush();
    expect(readOnly.querySelector('.answer-button')).toBeFalsy();
    expect(readOnly.querySelector('.cancel-button')).toBeFalsy();
  });

  test("every status reads in the owner's words", async () => {
    const cases: Array<[Partial<Need>, string]> = [
      [{ status: 'claimed' }, '正在办理'],
      [{ status: 'in_progress' }, '正在办理'],
      [{ status: 'waiting', waitQuestion: '需要哪种口罩？' }, '待您答复'],
      [{ status: 'rejected' }, '已转交分诊'],
      [{ status: 'rejected', rejectFinal: true } as Partial<Need>, '未能办理'],
      [{ status: 'cancelled' }, '已撤销'],
    ];
    for (const [extra, word] of cases) {
      backend.on('need.get', need(extra));
      const page = renderPage(id, { id: 'need-1' });
      await flush();
      expect(text(find(page, '.status'))).toBe(word);
    }
  });
});
