/** admin.enterprises: the enterprises behind the dashboard's figures, filtered as each figure counts them. */
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ADMIN = 'demo-admin';
const ids = (r: { items: Array<{ id: string }> }) => r.items.map((e) => e.id);

/** 60 more enterprises in two zones: every third unverified, every other resumed, every fourth visited lately. */
async function addEnterprises(n = 60) {
  const visited = h.clock.now().toISOString();
  for (let i = 0; i < n; i++) {
    await h.db.collection('enterprises').add({
      data: {
        _id: `bulk-${String(i).padStart(3, '0')}`,
        name: `重庆列表测试${i}号有限公司`,
        creditCode: `LIST${String(i).padStart(14, '0')}`,
        industry: i % 2 ? 'logistics' : 'manufacturing',
        zone: i % 2 ? 'baqiao' : 'jianqiao-c',
        address: '大渡口区',
        contactName: '测试',
        contactPhone: '13800000000',
        employees: 10,
        chamberCodes: [],
        verified: i % 3 !== 0,
        ownerOpenid: null,
        latestStatus: { employeesTotal: 50, employeesBack: i, capacityPercent: 40, resumed: i % 2 === 0, at: visited },
        lastVisitAt: i % 4 === 0 ? visited : '',
        createdAt: visited,
        updatedAt: visited,
      },
    });
  }
}

test('every enterprise, paged past a page with the cursor, with the total; names not codes', async () => {
  await addEnterprises();
  const first = await h.ok('admin', 'enterprises', { limit: 50 }, ADMIN);
  expect(first.total).toBe(70);
  expect(first.items).toHaveLength(50);
  expect(first.nextCursor).toEqual(expect.any(String));
  const second = await h.ok('admin', 'enterprises', { limit: 50, cursor: first.nextCursor }, ADMIN);
  expect(second.items).toHaveLength(20);
  expect(second.nextCursor).toBeUndefined();
  expect(second.total).toBe(70);
  const all = [...ids(first), ...ids(second)];
  expect(new Set(all).size).toBe(70);
  const qiutian = [...first.items, ...second.items].find((e: any) => e.name === '重庆秋田齿轮有限公司');
  expect(qiutian).toMatchObject({ zone: 'jianqiao-c', zoneName: '建桥园区C区', industry: 'manufacturing', verified: true, resumed: false, lastVisitAt: null, contactName: '李建国', contactPhone: '139****0001' });
  expect(Object.keys(qiutian).sort()).toEqual(
    ['id', 'name', 'zone', 'zoneName', 'industry', 'verified', 'resumed', 'employeesTotal', 'employeesBack', 'lastVisitAt', 'contactName', 'contactPhone', 'nameMatchesVerified'].sort(),
  );
  // The default page is 50; more than 200 is refused.
  expect((await h.ok('admin', 'enterprises', {}, ADMIN)).items).toHaveLength(50);
  expect(await h.fail('admin', 'enterprises', { limit: 201 }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'limit' });
  expect(await h.fail('admin', 'enterprises', { cursor: 'nonsense' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'cursor' });
});

test('filters: zone, industry, verified, resumed, overdue, a task force, and their combinations', async () => {
  await addEnterprises();
  const list = (filter: Record<string, unknown>) => h.ok('admin', 'enterprises', { ...filter, limit: 200 }, ADMIN);
  const zoneC = await list({ zone: 'jianqiao-c' });
  // Two seeded (秋田 verified, one unverified) + the 30 even bulk ones.
  expect(zoneC.total).toBe(32);
  expect(zoneC.items.every((e: any) => e.zone === 'jianqiao-c' && e.zoneName === '建桥园区C区')).toBe(true);
  const verifiedC = await list({ zone: 'jianqiao-c', verified: true });
  expect(verifiedC.items.every((e: any) => e.verified)).toBe(true);
  expect(verifiedC.total).toBe(1 + 20);
  const logistics = await list({ industry: 'logistics' });
  expect(logistics.items.every((e: any) => e.industry === 'logistics')).toBe(true);
  expect(logistics.total).toBe(2 + 30);
  const resumed = await list({ resumed: true });
  expect(resumed.total).toBe(30);
  expect(resumed.items.every((e: any) => e.resumed)).toBe(true);
  // Not resumed includes the enterprises that never reported.
  expect((await list({ resumed: false })).total).toBe(40);
  expect((await list({ verified: false })).total).toBe(2 + 20);
  // tf-02 serves 建桥园区C区; overdue: never visited or not within the visit interval.
  const due = await list({ taskForceId: 'tf-02', overdue: true });
  expect(due.items.every((e: any) => e.zone === 'jianqiao-c' && e.lastVisitAt === null)).toBe(true);
  expect(due.total).toBe(2 + 15);
  expect((await list({ taskForceId: 'tf-02', overdue: false })).total).toBe(15);
  expect((await list({ taskForceId: 'tf-02', zone: 'baqiao' })).total).toBe(0);
  expect(await h.fail('admin', 'enterprises', { taskForceId: 'tf-99' }, ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
  expect(await h.fail('admin', 'enterprises', { industry: 'mining-of-dreams' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'industry' });
  // Combined and paged: the cursor keeps the filter's order.
  const first = await h.ok('admin', 'enterprises', { zone: 'jianqiao-c', verified: true, limit: 8 }, ADMIN);
  const rest = await h.ok('admin', 'enterprises', { zone: 'jianqiao-c', verified: true, limit: 200, cursor: first.nextCursor }, ADMIN);
  expect([...ids(first), ...ids(rest)].sort()).toEqual(ids(verifiedC).sort());
});

test('admins only: everybody else is refused', async () => {
  for (const openid of ['demo-enterprise', 'demo-taskforce', 'demo-chamber-head', 'stranger']) {
    expect(await h.fail('admin', 'enterprises', {}, openid)).toMatchObject({ code: 'FORBIDDEN' });
  }
});

test('round trips: the session, the page and the count on a warm instance', async () => {
  await addEnterprises(10);
  await h.ok('admin', 'enterprises', {}, ADMIN); // warms the configuration cache
  for (const filter of [{}, { zone: 'jianqiao-c', verified: true }, { taskForceId: 'tf-02', overdue: true }, { industry: 'logistics', resumed: false }]) {
    const { data, db } = await h.counted('admin', 'enterprises', filter, ADMIN);
    expect(data.total).toBeGreaterThan(0);
    expect(db).toBeLessThanOrEqual(4);
  }
});
