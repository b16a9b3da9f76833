/** Rules are data: admins edit routing rules, units and settings, and the next need follows them. */
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ADMIN = 'demo-admin';

test('an admin adds a unit and a rule ahead of the pool; the next supplies need goes there', async () => {
  await h.ok('admin', 'saveUnit', { code: 'chamber-machinery', name: '区机械商会', kind: 'chamber', order: 19 }, ADMIN);
  const rule = await h.ok(
    'admin',
    'saveRule',
    { id: 'supplies-industry-manufacturing', order: 25, match: { type: 'supplies', industry: 'manufacturing' }, unitCode: 'chamber-machinery', slaHours: 12, note: '制造业物资由机械商会承接' },
    ADMIN,
  );
  expect(rule).toMatchObject({ id: 'supplies-industry-manufacturing', enabled: true });
  const { needs } = await h.ok('need', 'submit', { ...masks(), clientKey: 'admin-cfg-0001' }, 'demo-enterprise');
  expect(needs[0]).toMatchObject({ unitCode: 'chamber-machinery', route: { ruleId: 'supplies-industry-manufacturing', slaHours: 12 } });
  expect((await h.ok('enterprise', 'options', {}, 'x')).chambers.map((c: any) => c.code)).toContain('chamber-machinery');

  await h.ok('admin', 'saveRule', { ...rule, enabled: false }, ADMIN);
  const again = await h.ok('need', 'submit', { ...masks(), clientKey: 'admin-cfg-0002' }, 'demo-enterprise');
  expect(again.needs[0].unitCode).toBe('fic-supply-pool');

  await h.ok('admin', 'deleteRule', { id: 'supplies-industry-manufacturing' }, ADMIN);
  expect((await h.ok('admin', 'listRules', {}, ADMIN)).items.map((r: any) => r.id)).not.toContain('supplies-industry-manufacturing');
  expect(await h.fail('admin', 'deleteRule', { id: 'supplies-industry-manufacturing' }, ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
});

test('rules and settings must name things that exist', async () => {
  const base = { id: 'x-rule', order: 1, match: { type: 'hiring' }, unitCode: 'nope', slaHours: 10 };
  // A rule pointing at a unit that is not there is a precondition to fix first, named in the message.
  expect(await h.fail('admin', 'saveRule', base, ADMIN)).toMatchObject({ code: 'FAILED_PRECONDITION', field: 'unitCode', message: expect.stringContaining('nope') });
  expect(await h.fail('admin', 'saveRule', { ...base, unitCode: 'hrss', match: { type: 'hiring', zone: 'moon' } }, ADMIN)).toMatchObject({ field: 'match.zone' });
  expect(await h.fail('admin', 'saveRule', { ...base, unitCode: 'hrss', match: { type: 'teleport' } }, ADMIN)).toMatchObject({ field: 'match.type' });
  expect(await h.fail('admin', 'saveRule', { ...base, id: 'Bad Id!', unitCode: 'hrss' }, ADMIN)).toMatchObject({ field: 'id' });
  expect(await h.fail('admin', 'saveSettings', { triageUnitCode: 'nope' }, ADMIN)).toMatchObject({ field: 'triageUnitCode' });
  expect(await h.fail('admin', 'saveUnit', { code: 'u-1', name: '某单位', kind: 'castle' }, ADMIN)).toMatchObject({ field: 'kind' });
});

test('settings: a shorter lease applies to the next claim', async () => {
  expect((await h.ok('admin', 'getSettings', {}, ADMIN)).leaseMinutes).toBe(120);
  await h.ok('admin', 'saveSettings', { leaseMinutes: 30, leaseMinutesByType: {} }, ADMIN);
  const { needs } = await h.ok('need', 'submit', { ...masks(), clientKey: 'admin-cfg-0003' }, 'demo-hualun');
  const claimed = await h.ok('need', 'claim', { id: needs[0].id }, 'demo-chamber-head');
  expect(Date.parse(claimed.leaseUntil) - h.clock.current.getTime()).toBe(30 * 60_000);
});

test('only admins edit configuration', async () => {
  for (const who of ['demo-chamber-head', 'demo-enterprise', 'demo-taskforce', 'stranger']) {
    expect(await h.fail('admin', 'listRules', {}, who)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('admin', 'saveSettings', { leaseMinutes: 10 }, who)).toMatchObject({ code: 'FORBIDDEN' });
  }
});

test('zones, task forces and policies are edited as data and used at once', async () => {
  await h.ok('admin', 'saveZone', { code: 'jianqiao-d', name: '建桥园区D区', kind: 'park' }, ADMIN);
  expect((await h.ok('enterprise', 'options', {}, 'x')).zones).toContainEqual({ code: 'jianqiao-d', name: '建桥园区D区' });
  expect(await h.fail('admin', 'saveTaskForce', { id: 'tf-15', name: '建桥D区专班', leadOrg: '区工商联', zoneCodes: ['nowhere'] }, ADMIN)).toMatchObject({ field: 'zoneCodes.0' });
  await h.ok('admin', 'saveTaskForce', { id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c', 'jianqiao-d'] }, ADMIN);
  await h.ok('enterprise', 'register', {
    name: '重庆D区新材料有限公司', creditCode: '91350100M000100Y43', industry: 'manufacturing', zone: 'jianqiao-d', address: '建桥园区D区',
    location: { latitude: 29.45, longitude: 106.46 }, contactName: '甲', contactPhone: '13800000009', employees: 9, chamberCodes: [],
  }, 'd-owner');
  expect((await h.ok('visit', 'myEnterprises', {}, 'demo-taskforce')).items.map((e: any) => e.name)).toContain('重庆D区新材料有限公司');

  await h.ok('admin', 'savePolicy', { id: 'policy-new', title: '稳岗返还', level: 'district', summary: '不裁员或少裁员的企业返还失业保险费。', tags: ['hiring'], effectiveFrom: '2020-03-01' }, ADMIN);
  expect((await h.ok('policy', 'list', { q: '稳岗' }, 'x')).items.map((p: any) => p.id)).toContain('policy-new');
  expect(await h.fail('admin', 'savePolicy', { id: 'policy-bad', title: '某政策', level: 'district', summary: 's', effectiveFrom: '2020-03-02', effectiveTo: '2020-03-01' }, ADMIN)).toMatchObject({ field: 'effectiveTo' });
  await h.ok('admin', 'deletePolicy', { id: 'policy-new' }, ADMIN);
  expect(await h.fail('policy', 'get', { id: 'policy-new' }, 'x')).toMatchObject({ code: 'NOT_FOUND' });
});

test('rate limits are settings: an admin raises the submit limit for a bulk day', async () => {
  const submit = (i: number) => h.raw('need', 'submit', { ...masks(), clientKey: `bulk-key-${String(i).padStart(4, '0')}` }, 'demo-hualun');
  for (let i = 0; i < 30; i++) expect((await submit(i)).ok).toBe(true);
  expect(await submit(30)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  await h.ok('admin', 'saveSettings', { rateLimits: { 'need.submit': 100 } }, ADMIN);
  expect((await submit(31)).ok).toBe(true);
});

test('listTaskForces answers the 14 seeded task forces with their zones', async () => {
  const { items } = await h.ok('admin', 'listTaskForces', {}, ADMIN);
  expect(items).toHaveLength(14);
  expect(items[1]).toMatchObject({ id: 'tf-02', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c'] });
});
