/**
 * The owner's first need against the real server (tests/pages/helpers/runtime-backend.ts):
 * registration, then the mask request the registration leads to. What the
 * pages send is checked by the server's own schemas, and the need is read
 * back from the runtime.
 */
import { find, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { creditCodeFor, startRuntimeBackend, type RuntimeBackend } from './helpers/runtime-backend';
import { todayInChina } from '../../miniprogram/utils/time';

const OWNER = 'owner-first-need';

describe('an owner registers and submits a first mask request, on the real server', () => {
  let server: RuntimeBackend;
  let registerId: string;
  let needNewId: string;
  beforeAll(async () => {
    registerId = loadPage('enterprise/register/index');
    needNewId = loadPage('enterprise/need-new/index');
    server = await startRuntimeBackend({ openid: OWNER });
  });
  afterAll(() => server.close());
  beforeEach(resetAll);

  test('register → need form with masks preset → one tap → the need is routed in the runtime', async () => {
    const register = renderPage(registerId);
    await server.settle();
    const industries = register.data.industries.map((o: any) => o.code);
    expect(industries).toContain('manufacturing');
    const type = (field: string, value: string) => register.instance.onField({ currentTarget: { dataset: { field } }, detail: value });

    register.instance.onPickIndustry({ detail: { value: industries.indexOf('manufacturing') } });
    type('name', '重庆渝州齿轮配件有限公司');
    type('creditCode', creditCodeFor(4242));
    await tap(register, '.f-location');
    await server.settle();
    // The zone came from the place the owner picked on the map.
    expect(register.data.zoneName).toBe('建桥园区C区');
    type('employees', '85');
    type('contactName', '王经理');
    type('contactPhone', '13912345678');
    await tapButton(register, '.submit');
    await server.settle();
    expect(register.data.sendError).toBe('');
    const next = wxCalls.navigations.find((n) => n.kind === 'redirectTo');
    expect(next?.url).toBe('/enterprise/need-new/index?type=supplies&welcome=1');

    const session = await server.ok('user', 'login', {}, OWNER);
    expect(session.roles).toContain('enterprise');
    const enterpriseId = session.enterpriseId;
    const registered = await server.ok('enterprise', 'get', {}, OWNER);
    expect(registered).toMatchObject({ name: '重庆渝州齿轮配件有限公司', zone: 'jianqiao-c', industry: 'manufacturing', location: { latitude: 29.4842, longitude: 106.4823 } });

    wxCalls.reset();
    const query = Object.fromEntries(new URLSearchParams(next!.url.split('?')[1]));
    const needNew = renderPage(needNewId, query);
    await server.settle();
    expect(text(needNew)).toContain('登记成功');
    // The delivery address is the one the map gave at registration.
    expect(needNew.data.forms.supplies.deliveryAddress).toBe(registered.address);
    expect(find(needNew, '.sections', '.sec-supplies')).toBeTruthy();
    await tapButton(needNew, '.submit');
    await server.settle();
    expect(needNew.data.sendError).toBe('');

    const mine = await server.ok('need', 'mine', {}, OWNER);
    expect(mine.items).toHaveLength(1);
    const [first] = mine.items;
    expect(first).toMatchObject({ type: 'supplies', enterpriseId, status: 'routed', items: [{ kind: 'mask', quantity: 1000, unit: '个' }] });
    // Due by the end of the preset day, three days ahead in China time.
    expect(todayInChina(new Date(new Date(first.neededBy).getTime()))).toBe(todayInChina(new Date(Date.now() + 3 * 86400000)));
    expect(wxCalls.navigations).toContainEqual({ kind: 'redirectTo', url: `/enterprise/need-detail/index?id=${first.id}` });
  });
});
