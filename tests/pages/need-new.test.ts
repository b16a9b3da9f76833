import { ApiFail, backend, find, flush, loadPage, NETWORK_DOWN, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { enterprise, need } from './helpers/fixtures';
import { buildNeed, emptyForms, fieldTarget } from '../../miniprogram/utils/need-forms';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES } from '../../miniprogram/subscribe-templates';

const row = (type: string, list: string, index: number, field: string, value: string) => ({
  currentTarget: { dataset: { type, list, index, field } },
  detail: value,
});
const field = (type: string, name: string, value: string) => ({ currentTarget: { dataset: { type, field: name } }, detail: value });

describe('enterprise/need-new', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/need-new/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('enterprise.get', enterprise);
  });

  /** Masks and a loan, filled as a user would. */
  async function fillTwo(page: any) {
    await flush();
    page.instance.onTypes({ detail: ['financing', 'supplies'] });
    await flush();
    page.instance.onRowField(row('supplies', 'items', 0, 'quantity', '20000'));
    page.instance.onDate({ currentTarget: { dataset: { type: 'supplies', field: 'neededBy' } }, detail: { value: '2020-02-15' } });
    page.instance.onField(field('financing', 'amountWan', '200'));
    page.instance.onField(field('financing', 'termMonths', '12'));
    page.instance.onField(field('financing', 'purpose', '采购原材料'));
    await flush();
  }

  test('ticking a type shows its section; the checkbox itself toggles it', async () => {
    const page = renderPage(id);
    await flush();
    expect(page.querySelector('.sec-financing')).toBeFalsy();
    expect(text(page)).toContain('员工健康检查');
    find(page, '.type-financing', '.van-checkbox__icon-wrap').dispatchEvent('tap');
    await flush();
    expect(page.data.checked).toEqual(['financing']);
    expect(page.querySelector('.sec-financing')).toBeTruthy();
    expect(page.querySelector('.sec-supplies')).toBeFalsy();
  });

  test('two types send {clientKey, needs:[…]} in form order, after asking for subscribe messages', async () => {
    backend.on('need.submit', { submissionId: 'sub-1', needs: [need({ id: 'need-9' }), need({ id: 'need-10', type: 'financing' })] });
    const page = renderPage(id);
    await fillTwo(page);
    expect(page.data.forms.supplies.deliveryAddress).toBe('重庆市大渡口区建桥工业园C区');
    await tapButton(page, '.submit');
    const [call] = backend.callsOf('need.submit');
    expect(call.payload).toEqual({
      clientKey: page.data.clientKey,
      needs: [
        {
          type: 'supplies',
          items: [{ kind: 'mask', quantity: 20000, unit: '个' }],
          neededBy: '2020-02-15T15:59:59.000Z',
          deliveryAddress: '重庆市大渡口区建桥工业园C区',
        },
        { type: 'financing', amountWan: 200, purpose: '采购原材料', termMonths: 12 },
      ],
    });
    expect(call.payload.clientKey).toMatch(/^need-/);
    const order = backend.calls.map((c) => `${c.fn}.${c.action}`);
    expect(order.indexOf('wx.requestSubscribeMessage')).toBeLessThan(order.indexOf('need.submit'));
    // The owner is asked for what the submission will send them, from the one template table, at most 3 ids.
    expect(wxCalls.subscribes).toEqual([SUBSCRIBE_MOMENTS.submit.templates.map((k) => SUBSCRIBE_TEMPLATES[k].id)]);
    expect(wxCalls.subscribes[0]).toEqual([SUBSCRIBE_TEMPLATES.needClaimed.id, SUBSCRIBE_TEMPLATES.needWaiting.id, SUBSCRIBE_TEMPLATES.needFulfilled.id]);
    expect(wxCalls.subscribes[0].length).toBeLessThanOrEqual(3);
    expect(wxCalls.navigations).toContainEqual({ kind: 'redirectTo', url: '/enterprise/needs/index' });
  });

  test('one need goes to its detail; a refused or failed subscribe still submits', async () => {
    wxCalls.subscribeOutcome = 'fail';
    backend.on('need.submit', { submissionId: 'sub-1', needs: [need({ id: 'need-7', type: 'policy' })] });
    const page = renderPage(id, { type: 'policy' });
    await flush();
    expect(page.data.checked).toEqual(['policy']);
    page.instance.onField(field('policy', 'question', '社保减免怎么申请？'));
    await tapButton(page, '.submit');
    expect(backend.callsOf('need.submit')[0].payload.needs).toEqual([{ type: 'policy', question: '社保减免怎么申请？' }]);
    expect(wxCalls.navigations).toContainEqual({ kind: 'redirectTo', url: '/enterprise/need-detail/index?id=need-7' });
  });

  test('a server error needs.1.amountWan shows on the financing section, and everything typed stays', async () => {
    backend.on('need.submit', new ApiFail('INVALID_ARGUMENT', '金额超出上限', 'needs.1.amountWan'));
    const page = renderPage(id);
    await fillTwo(page);
    await tapButton(page, '.submit');
    expect(text(find(page, '.f-financing-amountWan'))).toContain('金额超出上限');
    expect(page.data.errors.supplies).toEqual({});
    expect(wxCalls.toasts).toContain('金额超出上限');
    expect(page.data.forms.financing.amountWan).toBe('200');
    expect(page.data.forms.supplies.items[0].quantity).toBe('20000');
    expect(text(page)).toContain('重新提交');
  });

  test('a retry after a lost answer reuses the same clientKey', async () => {
    backend.on('need.submit', () => NETWORK_DOWN);
    const page = renderPage(id);
    await fillTwo(page);
    await tapButton(page, '.submit');
    expect(text(page)).toContain('重新提交');
    backend.on('need.submit', { submissionId: 'sub-1', needs: [need(), need({ id: 'need-2' })] });
    await tapButton(page, '.submit');
    const keys = backend.callsOf('need.submit').map((c) => c.payload.clientKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  test('nothing ticked, or a blank section, is caught before sending', async () => {
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.submit');
    expect(wxCalls.toasts).toEqual(['请先选择需要哪方面的帮助']);
    page.instance.onTypes({ detail: ['supplies', 'hiring'] });
    await flush();
    await tapButton(page, '.submit');
    expect(backend.callsOf('need.submit')).toHaveLength(0);
    expect(wxCalls.subscribes).toHaveLength(0);
    expect(page.data.forms.supplies.items[0].error).toBe('请填写数量（整数）');
    expect(page.data.errors.supplies.neededBy).toBe('请选择需要的日期');
    expect(page.data.forms.hiring.positions[0].error).toBe('请填写岗位');
  });

  test('hiring rows: add a position, salary range optional', async () => {
    backend.on('need.submit', { submissionId: 'sub-1', needs: [need({ id: 'n', type: 'hiring' })] });
    const page = renderPage(id, { type: 'hiring' });
    await flush();
    await tapButton(page, '.add-position');
    page.instance.onRowField(row('hiring', 'positions', 0, 'title', '数控车工'));
    page.instance.onRowField(row('hiring', 'positions', 0, 'count', '10'));
    page.instance.onRowField(row('hiring', 'positions', 0, 'salaryMin', '5000'));
    page.instance.onRowField(row('hiring', 'positions', 1, 'title', '普工'));
    page.instance.onRowField(row('hiring', 'positions', 1, 'count', '30'));
    await tapButton(page, '.submit');
    expect(backend.callsOf('need.submit')[0].payload.needs).toEqual([
      { type: 'hiring', positions: [{ title: '数控车工', count: 10, salaryMin: 5000 }, { title: '普工', count: 30 }] },
    ]);
  });
});

describe('need-forms', () => {
  test('every type builds from a filled form', () => {
    const f = emptyForms();
    Object.assign(f.rent, { landlord: '建桥园区', areaSqm: '1200', monthlyRentYuan: '36000' });
    Object.assign(f.utilities, { issue: '用电负荷不够' });
    Object.assign(f.logistics, { from: '大渡口', to: '江北', goods: '齿轮 2 吨' });
    Object.assign(f.legal, { topic: '劳动合同', description: '延迟复工工资' });
    Object.assign(f.health, { headcount: '300', preferredDate: '2020-02-20' });
    Object.assign(f.other, { description: '员工返岗交通' });
    expect(buildNeed('rent', f).input).toEqual({ type: 'rent', landlord: '建桥园区', areaSqm: 1200, monthlyRentYuan: 36000 });
    expect(buildNeed('utilities', f).input).toEqual({ type: 'utilities', utility: 'power', issue: '用电负荷不够' });
    expect(buildNeed('logistics', f).input).toEqual({ type: 'logistics', from: '大渡口', to: '江北', goods: '齿轮 2 吨' });
    expect(buildNeed('legal', f).input).toEqual({ type: 'legal', topic: '劳动合同', description: '延迟复工工资' });
    expect(buildNeed('health', f).input).toEqual({ type: 'health', headcount: 300, preferredDate: '2020-02-20T15:59:59.000Z' });
    expect(buildNeed('other', f).input).toEqual({ type: 'other', description: '员工返岗交通' });
    f.financing.termMonths = '400';
    expect(buildNeed('financing', f).errors).toMatchObject({ termMonths: '请填写 1–360 个月', amountWan: expect.any(String) });
  });

  test('server field names map to the section as sent', () => {
    expect(fieldTarget('needs.1.amountWan', ['supplies', 'financing'])).toEqual({ type: 'financing', path: 'errors.financing.amountWan' });
    expect(fieldTarget('needs.0.items.2.quantity', ['supplies'])).toEqual({ type: 'supplies', path: 'forms.supplies.items[2].error' });
    expect(fieldTarget('needs.0.positions', ['hiring'])).toEqual({ type: 'hiring', path: 'errors.hiring.positions' });
    expect(fieldTarget('needs.3.type', ['supplies'])).toBeNull();
    expect(fieldTarget('clientKey', ['supplies'])).toBeNull();
  });
});
