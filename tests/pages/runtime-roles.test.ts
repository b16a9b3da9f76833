/**
 * One page per role against the real server (tests/pages/helpers/runtime-backend.ts),
 * on the demo district: the unit's queue and claim, the task force's
 * enterprise list, the admin's dashboard. The enterprise's own walk
 * (register, first need) is in enterprise-runtime.test.ts.
 */
import { backend, find, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { installTaskforceWx } from './taskforce-wx';
import { creditCodeFor, startRuntimeBackend, type RuntimeBackend } from './helpers/runtime-backend';
import { todayInChina } from '../../miniprogram/utils/time';

installTaskforceWx();

const masks = (quantity: number) => ({
  type: 'supplies',
  items: [{ kind: 'mask', quantity, unit: '个' }],
  neededBy: `${todayInChina(new Date(Date.now() + 3 * 86400000))}T15:59:59.000Z`,
  deliveryAddress: '重庆市大渡口区建桥工业园C区 门卫室',
});

describe('pages of every role on the real server', () => {
  let server: RuntimeBackend;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    for (const p of ['unit/queue/index', 'unit/need-detail/index', 'taskforce/enterprises/index', 'admin/dashboard/index']) ids[p] = loadPage(p);
    server = await startRuntimeBackend({ openid: 'demo-chamber-head' });
  });
  afterAll(() => server.close());
  beforeEach(resetAll);

  test('unit: the chamber head sees a pharma supplies request in the queue and claims it through the page', async () => {
    // A medical firm's masks go to the pharma chamber (the demo routing).
    const owner = 'owner-pharma';
    const options = await server.ok('enterprise', 'options', {}, owner);
    await server.ok(
      'enterprise',
      'register',
      {
        name: '重庆大渡口康宁医药有限公司',
        creditCode: creditCodeFor(7001),
        industry: 'medical',
        zone: options.zones[0].code,
        address: '重庆市大渡口区春晖路 1 号',
        location: { latitude: 29.48, longitude: 106.48 },
        contactName: '张经理',
        contactPhone: '13700000000',
        employees: 40,
        chamberCodes: [],
      },
      owner,
    );
    const submitted = await server.ok('need', 'submit', { clientKey: 'need-first-pharma-0001', needs: [masks(5000)] }, owner);
    const needId = submitted.needs[0].id;
    expect(submitted.needs[0].unitCode).toBe('chamber-pharma');

    server.as('demo-chamber-head');
    const queue = renderPage(ids['unit/queue/index']);
    await server.settle();
    expect(text(queue)).toContain('重庆大渡口康宁医药有限公司');
    expect(text(queue)).toContain('防疫物资');
    const rows = queue.querySelectorAll('.need-row');
    const row = rows.find((r: any) => String(r.dom.textContent).includes('康宁医药'));
    // The server's allowedActions let the head claim it: the row carries its own 认领.
    expect(queue.data.items.find((r: any) => r.id === needId)).toMatchObject({ claimable: true });
    expect(queue.querySelectorAll('.row-claim').length).toBeGreaterThan(0);
    row.dispatchEvent('tap');
    await server.settle();
    expect(wxCalls.navigations).toContainEqual({ kind: 'navigateTo', url: `/unit/need-detail/index?id=${needId}` });

    const detail = renderPage(ids['unit/need-detail/index'], { id: needId });
    await server.settle();
    expect(text(detail)).toContain('5000');
    // The one primary action the server allows a head on a routed need is 认领.
    expect(text(find(detail, '.primary'))).toBe('认领');
    await tapButton(detail, '.primary');
    await server.settle();
    expect(backend.callsOf('need.claim').map((c) => c.payload)).toEqual([{ id: needId }]);
    const need = await server.ok('need', 'get', { id: needId }, 'demo-chamber-head');
    expect(need.status).toBe('claimed');
    expect(need.claimedByMe).toBe(true);
    // The page reloaded the need from the server and offers what a claimer can do next.
    expect(detail.data.sendError).toBe('');
    expect(text(detail)).toContain('认领有效至');
    expect(text(find(detail, '.primary'))).not.toBe('认领');
    expect(detail.data.primary).not.toBeNull();
    expect(detail.data.more.map((a: any) => a.key)).not.toContain('claim');
  });

  test('taskforce: the member of 建桥园区C区 sees the zone\'s enterprises from the runtime', async () => {
    server.as('demo-taskforce');
    const page = renderPage(ids['taskforce/enterprises/index']);
    await server.settle();
    expect(page.data.error).toBe('');
    expect(page.data.total).toBeGreaterThan(0);
    expect(page.data.shown.length).toBeGreaterThan(0);
    expect(backend.callsOf('visit.myEnterprises').length).toBeGreaterThan(0);
    expect(text(page)).toContain('重庆秋田齿轮有限公司');
    expect(text(page)).toContain('建桥园区C区'); // the zone by name, once in the profile line
    expect(text(page)).not.toContain('jianqiao-c'); // names, never codes
    expect(text(page)).not.toContain('建桥园区C区 ·'); // the zone is not repeated per row
    const rows = page.querySelectorAll('.ent-row');
    // One 签到 per row in the list: the row's index picks its button.
    const at = rows.findIndex((r: any) => String(r.dom.textContent).includes('重庆秋田齿轮有限公司'));
    expect(at).toBeGreaterThanOrEqual(0);
    page.querySelectorAll('.act-checkin')[at].dispatchEvent('tap');
    await server.settle();
    expect(wxCalls.navigations[0].url).toMatch(/^\/taskforce\/check-in\/index\?enterpriseId=[^&]+&name=/);
    expect(decodeURIComponent(wxCalls.navigations[0].url)).toContain('name=重庆秋田齿轮有限公司');
  });

  test('admin: the dashboard summary loads from the ledger', async () => {
    server.as('demo-admin');
    const page = renderPage(ids['admin/dashboard/index']);
    await server.settle();
    expect(page.data.error).toBe('');
    expect(text(find(page, '.figures'))).toMatch(/\d/);
    expect(text(page)).toContain('各片区复工情况');
    expect(text(page)).toContain('建桥园区C区');
    expect(text(page)).not.toContain('未能读取区域名称');
    // The trend and the unit ranking come from the same server and load too (their failure would show in place).
    expect(page.data.trendError).toBe('');
    expect(page.data.kpiError).toBe('');
    expect(backend.callsOf('ledger.units')).toHaveLength(1);
  });
});
