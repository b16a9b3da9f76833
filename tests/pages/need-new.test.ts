import { ApiFail, backend, find, flush, loadPage, NETWORK_DOWN, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { enterprise, need } from './helpers/fixtures';
import { buildNeed, emptyForms, fieldTarget } from '../../miniprogram/utils/need-forms';
import { endOfChinaDay, todayInChina } from '../../miniprogram/utils/time';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES } from '../../miniprogram/subscribe-templates';

const row = (type: string, list: string, index: number, field: string, value: string) => ({
  currentTarget: { dataset: { type, list, index, field } },
  detail: value,
});
const field = (type: string, name: string, value: string) => ({ currentTarget: { dataset: { type, field: name } }, detail: value });

/** The need-sections component inside the page: the owner's taps land on it. */
const sections = (page: any) => find(page, '.sections');
const quantity = (index: number, value: string) => ({ currentTarget: { dataset: { index } }, detail: value });

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
    const s = sections(page).instance;
    s.onTypes({ detail: ['financing', 'supplies'] });
    await flush();
    s.onQuantity(quantity(0, '20000'));
    s.onDate({ currentTarget: { dataset: { type: 'supplies', field: 'neededBy' } }, detail: { value: '2020-02-15' } });
    s.onField(field('financing', 'amountWan', '200'));
    s.onField(field('financing', 'termMonths', '12'));
    s.onField(field('financing', 'purpose', '采购原材料'));
    await flush();
  }

  test('ticking a type shows its section; the checkbox itself toggles it', async () => {
    const page = renderPage(id);
    await flush();
    expect(page.querySelector('.sec-financing')).toBeFalsy();
    expect(text(page)).toContain('员工健康检查');
    find(page, '.sections', '.type-financing', '.van-checkbox__icon-wrap').dispatchEvent('tap');
    await flush();
    expect(page.data.checked).toEqual(['financing']);
    expect(sections(page).querySelector('.sec-financing')).toBeTruthy();
    expect(sections(page).querySelector('.sec-supplies')).toBeFalsy();
  });

  test('from registration: masks, 最晚需要 in three days and the address are preset, one tap submits', async () => {
    backend.on('need.submit', { submissionId: 'sub-1', needs: [need({ id: 'need-9' })] });
    const page = renderPage(id, { type: 'supplies', welcome: '1' });
    await flush();
    expect(text(page)).toContain('登记成功');
    expect(page.data.checked).toEqual(['supplies']);
    const inThreeDays = todayInChina(new Date(Date.now() + 3 * 24 * 60 * 60 * 1000));
    expect(page.data.forms.supplies.neededBy).toBe(inThreeDays);
    expect(find(page, '.sections', '.f-supplies-neededBy').data.value).toBe(inThreeDays);
    await tapButton(page, '.submit');
    expect(backend.callsOf('need.submit')[0].payload.needs).toEqual([
      {
        type: 'supplies',
        items: [{ kind: 'mask', quantity: 1000, unit: '个' }],
        neededBy: endOfChinaDay(inThreeDays),
        deliveryAddress: '重庆市大渡口区建桥工业园C区',
      },
    ]);
    expect(wxCalls.navigations).toContainEqual({ kind: 'redirectTo', url: '/enterprise/need-detail/index?id=need-9' });
  });

  test('quick chips add and remove a kind with its usual unit; the stepper sets the quantity', async () => {
    const page = renderPage(id, { type: 'supplies' });
    await flush();
    find(page, '.sections', '.chip-disinfectant').dispatchEvent('tap');
    await flush();
    expect(page.data.forms.supplies.items.map((i: any) => [i.kind, i.unit])).toEqual([['mask', '个'], ['disinfectant', '瓶']]);
    expect(text(find(page, '.sections', '.chip-disinfectant'))).toContain('✓');
    sections(page).instance.onQuantity(quantity(1, '60'));
    await flush();
    expect(page.data.forms.supplies.items[1].quantity).toBe('60');
    find(page, '.sections', '.chip-mask').dispatchEvent('tap');
    await flush();
    expect(page.data.forms.supplies.items.map((i: any) => i.kind)).toEqual(['disinfectant']);
    // The last row stays: a supplies need without any item is not a request.
    find(page, '.sections', '.chip-disinfectant').dispatchEvent('tap');
    await flush();
    expect(page.data.forms.supplies.items).toHaveLength(1);
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
    sections(page).instance.onField(field('policy', 'question', '社保减免怎么申请？'));
    await tapButton(page, '.submit');
    expect(backend.callsOf('need.submit')[0].payload.needs).toEqual([{ type: 'policy', question: '社保减免怎么申请？' }]);
    expect(wxCalls.navigations).toContainEqual({ kind: 'redirectTo', url: '/enterprise/need-detail/index?id=need-7' });
  });

  test('a server error needs.1.amountWan shows on the financing section, scrolled to, and everything typed stays', async () => {
    backend.on('need.submit', new ApiFail('INVALID_ARGUMENT', '金额超出上限', 'needs.1.amountWan'));
    const page = renderPage(id);
    await fillTwo(page);
    await tapButton(page, '.submit');
    expect(text(find(page, '.sections', '.f-financing-amountWan'))).toContain('金额超出上限');
    expect(page.data.errors.supplies).toEqual({});
    expect(wxCalls.scrolls).toEqual(['.sections >>> #nf-financing-amountWan']);
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

  test('nothing ticked, or a blank section, is caught before sending; each error sits under its own field', async () => {
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.submit');
    expect(wxCalls.toasts).toEqual(['请先选择需要哪方面的帮助']);
    sections(page).instance.onTypes({ detail: ['supplies', 'hiring'] });
    await flush();
    sections(page).instance.onQuantity(quantity(0, '0'));
    sections(page).instance.onField(field('supplies', 'deliveryAddress', ' '));
    await flush();
    await tapButton(page, '.submit');
    expect(backend.callsOf('need.submit')).toHaveLength(0);
    expect(wxCalls.subscribes).toHaveLength(0);
    expect(page.data.rowErrors.items[0]).toEqual({ quantity: '请填写数量（整数）' });
    expect(page.data.errors.supplies.deliveryAddress).toBe('请填写送货地址');
    expect(page.data.rowErrors.positions[0]).toEqual({ title: '请填写岗位', count: '请填写人数' });
    // The quantity error is under 数量, not under 单位.
    expect(text(find(page, '.sections', '.error-quantity'))).toContain('请填写数量（整数）');
    expect(text(find(page, '.sections', '.item-unit'))).not.toContain('请填写数量');
    expect(text(find(page, '.sections', '.pos-title'))).toContain('请填写岗位');
    expect(text(find(page, '.sections', '.pos-count'))).toContain('请填写人数');
    // Scrolled to the first error on screen.
    expect(wxCalls.scrolls).toEqual(['.sections >>> #nf-items-0-quantity']);
  });

  test('hiring rows: add a position, salary range optional', async () => {
    backend.on('need.submit', { submissionId: 'sub-1', needs: [need({ id: 'n', type: 'hiring' })] });
    const page = renderPage(id, { type: 'hiring' });
    await flush();
    await tapButton(page, '.sections', '.add-position');
    const s = sections(page).instance;
    s.onRowField(row('hiring', 'positions', 0, 'title', '数控车工'));
    s.onRowField(row('hiring', 'positions', 0, 'count', '10'));
    s.onRowField(row('hiring', 'positions', 0, 'salaryMin', '5000'));
    s.onRowField(row('hiring', 'positions', 1, 'title', '普工'));
    s.onRowField(row('hiring', 'positions', 1, 'count', '30'));
    await tapButton(page, '.submit');
    expect(backend.callsOf('need.submit')[0].payload.needs).toEqual([
      { type: 'hiring', positions: [{ title: '数控车工', count: 10, salaryMin: 5000 }, { title: '普工', count: 30 }] },
    ]);
  });

  test('the draft is kept on the phone, given back when the page opens again, and dropped after the submit', async () => {
    backend.on('need.submit', () => NETWORK_DOWN);
    const first = renderPage(id);
    await fillTwo(first);
    await tapButton(first, '.submit');
    const key = first.data.clientKey;
    first.detach();

    const again = renderPage(id);
    await flush();
    expect(text(again)).toContain('已恢复您上次没有提交的内容');
    expect(again.data.checked).toEqual(['supplies', 'financing']);
    expect(again.data.forms.financing.purpose).toBe('采购原材料');
    expect(again.data.forms.supplies.items[0].quantity).toBe('20000');
    // The same submission: a lost answer must not create the needs twice.
    expect(again.data.clientKey).toBe(key);

    backend.on('need.submit', { submissionId: 'sub-1', needs: [need(), need({ id: 'need-2' })] });
    await tapButton(again, '.submit');
    expect(backend.callsOf('need.submit').map((c) => c.payload.clientKey)).toEqual([key, key]);
    const fresh = renderPage(id);
    await flush();
    expect(fresh.data.checked).toEqual([]);
    expect(fresh.data.clientKey).not.toBe(key);
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
    expect(fieldTarget('needs.1.amountWan', ['supplies', 'financing'])).toEqual({ type: 'financing', path: 'errors.financing.amountWan', id: 'nf-financing-amountWan' });
    expect(fieldTarget('needs.0.items.2.quantity', ['supplies'])).toEqual({ type: 'supplies', path: 'rowErrors.items[2].quantity', id: 'nf-items-2-quantity' });
    expect(fieldTarget('needs.0.items.1.unit', ['supplies'])).toEqual({ type: 'supplies', path: 'rowErrors.items[1].unit', id: 'nf-items-1-unit' });
    expect(fieldTarget('needs.0.positions.0.salaryMax', ['hiring'])).toEqual({ type: 'hiring', path: 'rowErrors.positions[0].salaryMax', id: 'nf-positions-0-salaryMax' });
    expect(fieldTarget('needs.0.positions', ['hiring'])).toEqual({ type: 'hiring', path: 'errors.hiring.positions', id: 'nf-hiring-positions' });
    expect(fieldTarget('needs.3.type', ['supplies'])).toBeNull();
    expect(fieldTarget('clientKey', ['supplies'])).toBeNull();
  });
});
