import { ApiFail, backend, find, flush, loadPage, NETWORK_DOWN, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { enterprise, enterpriseSession, options } from './helpers/fixtures';

const typed = {
  name: '重庆秋田齿轮有限公司',
  creditCode: '91500104MA5U4RXX3K',
  industry: 'manufacturing',
  zone: 'jianqiao-c',
  address: '重庆市大渡口区建桥工业园C区',
  latitude: '29.484200',
  longitude: '106.482300',
  contactName: '李经理',
  contactPhone: '13800000000',
  employees: '320',
  chamberCodes: ['chamber-pharma'],
};

describe('enterprise/register', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/register/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('enterprise.options', options).on('user.login', enterpriseSession);
  });

  test('renders the options from enterprise.options', async () => {
    const page = renderPage(id);
    await flush();
    expect(backend.callsOf('enterprise.options')).toHaveLength(1);
    const t = text(page);
    expect(t).toContain('统一社会信用代码');
    expect(t).toContain('区医药商会');
    page.instance.onPickIndustry({ detail: { value: 0 } });
    page.instance.onPickZone({ detail: { value: 0 } });
    await flush();
    expect(page.data.form.industry).toBe('manufacturing');
    expect(page.data.zoneName).toBe('建桥园区C区');
  });

  test('typing, locating and submitting sends enterprise.register with the typed values', async () => {
    backend.on('enterprise.register', enterprise);
    const page = renderPage(id);
    await flush();
    page.instance.onField({ currentTarget: { dataset: { field: 'name' } }, detail: typed.name });
    page.setData({ form: { ...typed, latitude: '', longitude: '' } });
    await tapButton(page, '.locate-button');
    expect(page.data.form.latitude).toBe('29.484200');
    await tapButton(page, '.submit');
    const [call] = backend.callsOf('enterprise.register');
    expect(call.payload).toEqual({
      name: '重庆秋田齿轮有限公司',
      creditCode: '91500104MA5U4RXX3K',
      industry: 'manufacturing',
      zone: 'jianqiao-c',
      address: '重庆市大渡口区建桥工业园C区',
      location: { latitude: 29.4842, longitude: 106.4823 },
      contactName: '李经理',
      contactPhone: '13800000000',
      employees: 320,
      chamberCodes: ['chamber-pharma'],
    });
    expect(wxCalls.navigations).toContainEqual({ kind: 'redirectTo', url: '/enterprise/home/index' });
  });

  test('an INVALID_ARGUMENT with a field shows at that field and keeps the form', async () => {
    backend.on('enterprise.register', new ApiFail('INVALID_ARGUMENT', '统一社会信用代码校验位不正确', 'creditCode'));
    const page = renderPage(id);
    await flush();
    page.setData({ form: typed });
    await tapButton(page, '.submit');
    expect(page.data.errors.creditCode).toBe('统一社会信用代码校验位不正确');
    expect(text(find(page, '.f-creditCode'))).toContain('统一社会信用代码校验位不正确');
    expect(page.data.form).toEqual(typed);
    expect(text(page)).toContain('重新提交');
    expect(wxCalls.navigations).toEqual([]);
  });

  test('a network failure keeps the form and the retry sends again', async () => {
    backend.on('enterprise.register', () => NETWORK_DOWN);
    const page = renderPage(id);
    await flush();
    page.setData({ form: typed });
    await tapButton(page, '.submit');
    expect(wxCalls.toasts).toContain('网络异常，请稍后重试');
    expect(text(page)).toContain('网络异常，请稍后重试');
    backend.on('enterprise.register', enterprise);
    await tapButton(page, '.submit');
    expect(backend.callsOf('enterprise.register')).toHaveLength(2);
    expect(wxCalls.navigations).toContainEqual({ kind: 'redirectTo', url: '/enterprise/home/index' });
  });

  test('client-side checks stop an incomplete form before any call', async () => {
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.submit');
    expect(backend.callsOf('enterprise.register')).toHaveLength(0);
    expect(page.data.errors.name).toBe('请填写企业名称');
  });

  test('options failing shows the error state', async () => {
    backend.on('enterprise.options', new ApiFail('INTERNAL', '服务暂时不可用'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('服务暂时不可用');
    expect(text(page)).toContain('重试');
  });
});
