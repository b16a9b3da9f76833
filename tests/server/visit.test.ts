/** Task-force visits: the zone's enterprises and who is overdue, check-ins (idempotent, off-site flag), needs raised on the spot. */
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const TF = 'demo-taskforce'; // tf-02, 建桥园区C区
const AT_QIUTIAN = { latitude: 29.4517, longitude: 106.4632 };

async function qiutian() {
  return (await h.ok('visit', 'myEnterprises', {}, TF)).items.find((e: any) => e.name === '重庆秋田齿轮有限公司');
}

const checkIn = (over: Record<string, unknown> = {}) => ({
  clientKey: 'visit-key-0001',
  location: AT_QIUTIAN,
  photos: ['cloud://env.local/visits/gate.jpg'],
  checklist: { look: '测温点、消毒记录齐全', check: '复工备案、员工健康台账', ask: '口罩缺口约 2 万个', guide: ['policy-cq-smes-2020'] },
  ...over,
});

test("myEnterprises lists the zone's enterprises, never visited ones as overdue", async () => {
  const { items } = await h.ok('visit', 'myEnterprises', {}, TF);
  expect(items.map((e: any) => e.name).sort()).toEqual(['重庆中元汇吉生物技术有限公司', '重庆秋田齿轮有限公司']);
  expect(items.every((e: any) => e.overdue && e.lastVisitAt === null)).toBe(true);
  expect(await h.fail('visit', 'myEnterprises', {}, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
});

test('a check-in on site records distance, photos and checklist, and raises needs routed as usual', async () => {
  const e = await qiutian();
  const visit = await h.ok(
    'visit',
    'checkIn',
    checkIn({ enterpriseId: e.id, needs: [{ type: 'supplies', items: [{ kind: 'mask', quantity: 20000, unit: '个' }], neededBy: '2026-03-05', deliveryAddress: '建桥工业园C区' }] }),
    TF,
  );
  expect(visit).toMatchObject({ enterpriseId: e.id, taskForceId: 'tf-02', offSite: false, distanceMeters: 0 });
  expect(visit.needs).toHaveLength(1);
  expect(visit.needs[0]).toMatchObject({ unitCode: 'fic-supply-pool', enterpriseId: e.id });
  const detail = await h.ok('need', 'get', { id: visit.needs[0].id }, 'demo-enterprise');
  expect(detail.timeline[0]).toMatchObject({ role: 'taskforce', actor: '建桥C区专班（民盟区委会）' });
  const after = await qiutian();
  expect(after).toMatchObject({ overdue: false, lastVisitAt: '2026-03-02T01:00:00.000Z' });
  h.clock.advance(8 * 86400_000);
  expect((await qiutian()).overdue).toBe(true);
});

test('a check-in sent twice (queued offline, then resent) is recorded once', async () => {
  const e = await qiutian();
  const payload = checkIn({ enterpriseId: e.id, needs: [{ type: 'hiring', positions: [{ title: '装配工', count: 10 }] }] });
  const [a, b] = await Promise.all([h.ok('visit', 'checkIn', payload, TF), h.ok('visit', 'checkIn', payload, TF)]);
  expect(a.id).toBe(b.id);
  const again = await h.ok('visit', 'checkIn', payload, TF);
  expect(again.id).toBe(a.id);
  expect((await h.db.collection('visits').count()).total).toBe(1);
  expect((await h.db.collection('needs').where({ enterpriseId: e.id, type: 'hiring' }).count()).total).toBe(1);
});

test('beyond 500 m the check-in is flagged off-site', async () => {
  const e = await qiutian();
  const far = await h.ok('visit', 'checkIn', checkIn({ enterpriseId: e.id, location: { latitude: 29.4617, longitude: 106.4632 } }), TF);
  expect(far.offSite).toBe(true);
  expect(far.distanceMeters).toBeGreaterThan(1000);
});

test('scope and input: other zones, unknown policies, bad photos', async () => {
  const hualun = (await h.ok('enterprise', 'get', {}, 'demo-hualun')).id; // 建桥园区A区
  expect(await h.fail('visit', 'checkIn', checkIn({ enterpriseId: hualun }), TF)).toMatchObject({ code: 'FORBIDDEN' });
  const e = await qiutian();
  expect(await h.fail('visit', 'checkIn', checkIn({ enterpriseId: e.id, checklist: { guide: ['nope'] } }), TF)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'checklist.guide.0' });
  expect(await h.fail('visit', 'checkIn', checkIn({ enterpriseId: e.id, photos: ['http://x/y.jpg'] }), TF)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'photos.0' });
  expect(await h.fail('visit', 'checkIn', checkIn({ enterpriseId: e.id }), 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
});

test('list: a member sees their task force’s visits, an admin any', async () => {
  const e = await qiutian();
  await h.ok('visit', 'checkIn', checkIn({ enterpriseId: e.id }), TF);
  expect((await h.ok('visit', 'list', {}, TF)).items).toHaveLength(1);
  expect((await h.ok('visit', 'list', { enterpriseId: e.id }, TF)).items[0].checklist.ask).toBe('口罩缺口约 2 万个');
  expect(await h.fail('visit', 'list', { taskForceId: 'tf-05' }, TF)).toMatchObject({ code: 'FORBIDDEN' });
  expect((await h.ok('visit', 'list', { taskForceId: 'tf-02' }, 'demo-admin')).items).toHaveLength(1);
  expect((await h.ok('visit', 'list', { taskForceId: 'tf-05' }, 'demo-admin')).items).toHaveLength(0);
});

test("user.todo counts the task force's enterprises due for a visit", async () => {
  expect(await h.ok('user', 'todo', {}, TF)).toEqual({ taskforce: { overdue: 2 } });
  const e = await qiutian();
  await h.ok('visit', 'checkIn', checkIn({ enterpriseId: e.id }), TF);
  expect(await h.ok('user', 'todo', {}, TF)).toEqual({ taskforce: { overdue: 1 } });
});
