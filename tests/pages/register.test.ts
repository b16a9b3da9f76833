import { ApiFail, backend, find, flush, loadPage, NETWORK_DOWN, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { enterprise, enterpriseSession, options } from './helpers/fixtures';

const typed = {
  name: '重庆秋田齿轮有限公司',
  creditCode: '91500104MA5U4RXX3K',
  industry: 'manufacturing',
  zone: 'jianqiao-c',
  address: '重庆市大渡口区建桥工业园C区',
  contactName: '李经理',
  contactPhone: '13800000000',
  employees: '320',
  chamberCodes: ['chamber-pharma'],
};
const place = { name: '重庆秋田齿轮有限公司', address: '重庆市大渡口区建桥工业园C区建桥大道8号', latitude: 29.4842, longitude: 106.4823 };

const type = (page: any, field: string, value: string) => page.instance.onField({ currentTarget: { dataset: { field } }, detail: value });

describe('enterprise/register', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/register/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('enterprise.options', options).on('user.login', enterpriseSession);
  });

  test('renders the options from enterprise.options; industry comes first, chambers are folded', async () => {
    const page = renderPage(id);
    await flush();
    expect(backend.callsOf('enterprise.options')).toHaveLength(1);
    const t = text(page);
    expect(t.indexOf('所属行业')).toBeLessThan(t.indexOf('企业名称'));
    expect(t).toContain('在地图上选择企业位置');
    expect(t).not.toContain('纬度');
    expect(t).not.toContain('区医药商会');
    await tap(page, '.toggle-chambers');
    expect(text(page)).toContain('区医药商会');
    page.instance.onPickIndustry({ detail: { value: 0 } });
    page.instance.onPickZone({ detail: { value: 0 } });
    await flush();
    expect(page.data.form.industry).toBe('manufacturing');
    expect(page.data.zoneName).toBe('建桥园区C区');
  });

  test('the map fills the place, the address and the zone; no coordinate is ever shown', async () => {
    const page = renderPage(id);
    await flush();
    await tap(page, '.f-location');
    await flush();
    expect(page.data.place).toEqual(place);
    expect(page.data.form.address).toBe('重庆市大渡口区建桥工业园C区建桥大道8号 重庆秋田齿轮有限公司');
    // 建桥工业园C区 in the address is the zone 建桥园区C区.
    expect(page.data.form.zone).toBe('jianqiao-c');
    const t = text(page);
    expect(t).toContain('重庆秋田齿轮有限公司');
    expect(t).toContain('建桥大道8号');
    expect(t).not.toMatch(/29\.48|106\.48/);
  });

  test('a place whose address names no zone leaves the zone to the owner', async () => {
    wxCalls.place = { ...place, name: '某仓库', address: '重庆市九龙坡区' };
    const page = renderPage(id);
    await flush();
    await tap(page, '.f-location');
    await flush();
    expect(page.data.form.zone).toBe('');
    expect(page.data.form.address).toBe('重庆市九龙坡区 某仓库');
  });

  test('a refused map permission says so at the row, and the next tap opens the settings', async () => {
    wxCalls.place = 'deny';
    const page = renderPage(id);
    await flush();
    await tap(page, '.f-location');
    await flush();
    expect(page.data.errors.location).toContain('没有位置权限');
    expect(wxCalls.scrolls).toEqual(['.f-location']);
    expect(text(page)).toContain('去设置里允许使用位置');
    // Closing the map without choosing is not an error.
    wxCalls.place = 'cancel';
    page.setData({ locationDenied: false, 'errors.location': '' });
    await tap(page, '.f-location');
    await flush();
    expect(page.data.errors.location).toBe('');
  });

  test('submitting sends enterprise.register with the picked place and goes straight to the need form', async () => {
    backend.on('enterprise.register', enterprise);
    const page = renderPage(id);
    await flush();
    type(page, 'name', typed.name);
    await tap(page, '.f-location');
    await flush();
    page.setData({ form: typed });
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
    expect(wxCalls.navigations).toContainEqual({ kind: 'redirectTo', url: '/enterprise/need-new/index?type=supplies&welcome=1' });
  });

  test('an INVALID_ARGUMENT with a field shows at that field, scrolls there and keeps the form', async () => {
    backend.on('enterprise.register', new ApiFail('INVALID_ARGUMENT', '统一社会信用代码校验位不正确', 'creditCode'));
    const page = renderPage(id);
    await flush();
    page.setData({ form: typed, place });
    await tapButton(page, '.submit');
    expect(page.data.errors.creditCode).toBe('统一社会信用代码校验位不正确');
    expect(text(find(page, '.f-creditCode'))).toContain('统一社会信用代码校验位不正确');
    expect(wxCalls.scrolls).toEqual(['.f-creditCode']);
    expect(page.data.form).toEqual(typed);
    expect(text(page)).toContain('重新提交');
    expect(wxCalls.navigations).toEqual([]);
  });

  test('a network failure keeps the form and the retry sends again', async () => {
    backend.on('enterprise.register', () => NETWORK_DOWN);
    const page = renderPage(id);
    await flush();
    page.setData({ form: typed, place });
    await tapButton(page, '.submit');
    expect(wxCalls.toasts).toContain('网络异常，请检查手机网络后重试');
    expect(text(page)).toContain('网络异常，请检查手机网络后重试');
    backend.on('enterprise.register', enterprise);
    await tapButton(page, '.submit');
    expect(backend.callsOf('enterprise.register')).toHaveLength(2);
    expect(wxCalls.navigations).toContainEqual({ kind: 'redirectTo', url: '/enterprise/need-new/index?type=supplies&welcome=1' });
  });

  test('client-side checks stop an incomplete form before any call and scroll to the first error on screen', async () => {
    const page = renderPage(id);
    await flush();
    type(page, 'name', '重庆秋田齿轮有限公司');
    await tapButton(page, '.submit');
    expect(backend.callsOf('enterprise.register')).toHaveLength(0);
    expect(page.data.errors.industry).toBe('请选择所属行业');
    expect(page.data.errors.location).toContain('在地图上选择');
    expect(page.data.errors.name).toBeFalsy();
    expect(wxCalls.scrolls).toEqual(['.f-industry']);
  });

  test('what was typed is kept on the phone, given back on reopening, and dropped after registering', async () => {
    const first = renderPage(id);
    await flush();
    type(first, 'creditCode', typed.creditCode);
    first.instance.onPickIndustry({ detail: { value: 1 } });
    await tap(first, '.f-location');
    await flush();
    first.detach();

    const again = renderPage(id);
    await flush();
    expect(text(again)).toContain('已恢复您上次填写的内容');
    expect(again.data.form.creditCode).toBe(typed.creditCode);
    expect(again.data.industryName).toBe('医药医疗');
    expect(again.data.place).toEqual(place);

    backend.on('enterprise.register', enterprise);
    again.setData({ form: typed });
    await tapButton(again, '.submit');
    expect(backend.callsOf('enterprise.register')).toHaveLength(1);
    const fresh = renderPage(id);
    await flush();
    expect(fresh.data.form.creditCode).toBe('');
    expect(fresh.data.place).toBeNull();
  });

  test('options failing shows the error state', async () => {
    backend.on('enterprise.options', new ApiFail('INTERNAL', '服务暂时不可用'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('服务暂时不可用');
    expect(text(page)).toContain('重试');
  });
});
