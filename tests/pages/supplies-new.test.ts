import { ApiFail, backend, find, flush, loadPage, NETWORK_DOWN, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { enterprise, need } from './helpers/fixtures';

describe('enterprise/supplies-new', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/supplies-new/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('enterprise.get', enterprise);
  });

  async function fill(page: any) {
    await flush();
    page.instance.onItemField({ currentTarget: { dataset: { index: 0, field: 'quantity' } }, detail: '20000' });
    page.instance.onDate({ detail: { value: '2020-02-15' } });
    await flush();
  }

  test('prefills the address, renders the mask row, and submits need.submit with one clientKey', async () => {
    backend.on('need.submit', { submissionId: 'sub-1', needs: [need({ id: 'need-9' })] });
    const page = renderPage(id);
    await fill(page);
    expect(page.data.deliveryAddress).toBe('重庆市大渡口区建桥工业园C区');
    expect(page.data.items[0]).toMatchObject({ kind: 'mask', kindLabel: '口罩', unit: '个' });
    await tapButton(page, '.submit');
    const [call] = backend.callsOf('need.submit');
    expect(call.payload).toEqual({
      type: 'supplies',
      clientKey: page.data.clientKey,
      items: [{ kind: 'mask', quantity: 20000, unit: '个' }],
      neededBy: '2020-02-15T15:59:59.000Z',
      deliveryAddress: '重庆市大渡口区建桥工业园C区',
    });
    expect(call.payload.clientKey).toMatch(/^sup-/);
    expect(wxCalls.navigations).toContainEqual({ kind: 'redirectTo', url: '/enterprise/need-detail/index?id=need-9' });
  });

  test('changing the kind sets its usual unit; a second item can be added', async () => {
    const page = renderPage(id);
    await flush();
    page.instance.onKind({ currentTarget: { dataset: { index: 0 } }, detail: { value: 1 } });
    await tapButton(page, '.add-item-button');
    expect(page.data.items.map((i: any) => [i.kind, i.unit])).toEqual([['disinfectant', '瓶'], ['mask', '个']]);
  });

  test('a retry after a lost answer reuses the same clientKey', async () => {
    backend.on('need.submit', () => NETWORK_DOWN);
    const page = renderPage(id);
    await fill(page);
    await tapButton(page, '.submit');
    expect(text(page)).toContain('重新提交');
    expect(page.data.items[0].quantity).toBe('20000');
    backend.on('need.submit', { submissionId: 'sub-1', needs: [need()] });
    await tapButton(page, '.submit');
    const keys = backend.callsOf('need.submit').map((c) => c.payload.clientKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  test('a field error from the server shows on that item', async () => {
    backend.on('need.submit', new ApiFail('INVALID_ARGUMENT', '数量过大', 'items.0.quantity'));
    const page = renderPage(id);
    await fill(page);
    await tapButton(page, '.submit');
    expect(text(find(page, '.item-unit'))).toContain('数量过大');
    expect(wxCalls.toasts).toContain('数量过大');
  });

  test('an empty quantity is caught before sending', async () => {
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.submit');
    expect(backend.callsOf('need.submit')).toHaveLength(0);
    expect(page.data.items[0].error).toBe('请填写数量');
    expect(page.data.errors.neededBy).toBe('请选择需要的日期');
  });
});
