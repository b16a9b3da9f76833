/** Task-force visits: the zone's enterprises and who is overdue, check-ins (idempotent, off-site flag), needs raised on the spot. */
import { startHarness, type Harness } from './harness';
import { uploadPrefix } from '../../server/files/paths';

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
  // The member's own upload: a check-in attaches no other.
  photos: [`cloud://env.local/${uploadPrefix(TF)}gate.jpg`],
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

test('without a position the visit is recorded as 未定位: no distance, not off site, the enterprise keeps its position', async () => {
  const e = await qiutian();
  const { location: _, ...noGps } = checkIn({ enterpriseId: e.id, clientKey: 'visit-nogps-0001' });
  const { data: visit, db } = await h.counted('visit', 'checkIn', noGps, TF);
  expect(visit).toMatchObject({ located: false, location: null, distanceMeters: null, offSite: false });
  expect(db).toBeLessThanOrEqual(7);
  expect((await h.ok('visit', 'list', { enterpriseId: e.id }, TF)).items[0]).toMatchObject({ located: false, distanceMeters: null, offSite: false });
  const after = await qiutian();
  expect(after.location).toEqual(e.location);
  expect(after.overdue).toBe(false);
  // A replay of the same queued visit answers the first one.
  expect((await h.ok('visit', 'checkIn', noGps, TF)).id).toBe(visit.id);
  // A located visit says so.
  expect(await h.ok('visit', 'checkIn', checkIn({ enterpriseId: e.id, clientKey: 'visit-gps-00001' }), TF)).toMatchObject({ located: true, distanceMeters: 0 });
});

test('a visit without a position never sets an enterprise position; one with a position does', async () => {
  const e = await qiutian();
  await h.db.collection('enterprises').doc(e.id).update({ data: { location: null } });
  const { location: _, ...noGps } = checkIn({ enterpriseId: e.id, clientKey: 'visit-nogps-0002' });
  expect(await h.ok('visit', 'checkIn', noGps, TF)).toMatchObject({ located: false, distanceMeters: null });
  expect((await qiutian()).location).toBeNull();
  expect(await h.ok('visit', 'checkIn', checkIn({ enterpriseId: e.id, clientKey: 'visit-gps-00002' }), TF)).toMatchObject({ located: true, distanceMeters: null });
  expect((await qiutian()).location).toEqual(AT_QIUTIAN);
});

test('a check-in without a position raising needs costs no more round trips than one with', async () => {
  const e = await qiutian();
  const needs = [{ type: 'other', description: '原料运不进来' }];
  const located = await h.counted('visit', 'checkIn', checkIn({ enterpriseId: e.id, clientKey: 'visit-gps-00003', needs }), TF);
  expect(located.data.needs).toHaveLength(1);
  const { location: _, ...noGps } = checkIn({ enterpriseId: e.id, clientKey: 'visit-nogps-0003', needs });
  const { data, db } = await h.counted('visit', 'checkIn', noGps, TF);
  expect(data.needs).toHaveLength(1);
  expect(db).toBeLessThanOrEqual(located.db);
  expect(db).toBeLessThanOrEqual(6 + 3);
});

test("profile names the member's task force and zones for the phone to keep", async () => {
  await h.ok('visit', 'profile', {}, TF); // warm instance: the configuration is cached
  const { data, db } = await h.counted('visit', 'profile', {}, TF);
  expect(data).toMatchObject({ taskForceId: 'tf-02', taskForceName: '建桥C区专班（民盟区委会）', zones: [{ name: '建桥园区C区' }] });
  expect(data.zones[0].code).toBeTruthy();
  expect(data.visitIntervalDays).toBeGreaterThan(0);
  expect(db).toBeLessThanOrEqual(2);
  expect(await h.fail('visit', 'profile', {}, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
});

test('myEnterprises pages through a large zone in pages of up to 200, overdue first', async () => {
  const e = await qiutian();
  const base = await h.db.collection('enterprises').doc(e.id).get();
  const { _id, ...doc } = base.data as any;
  const rows = Array.from({ length: 250 }, (_, i) => ({
    ...doc,
    _id: `bulk-${String(i).padStart(4, '0')}`,
    name: `批量企业${i}`,
    creditCode: `BULK${i}`,
    lastVisitAt: i % 2 ? '2026-03-01T00:00:00.000Z' : '',
  }));
  for (const r of rows) await h.db.collection('enterprises').add({ data: r });
  const seen: any[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const { data, db } = await h.counted('visit', 'myEnterprises', { limit: 200, ...(cursor ? { cursor } : {}) }, TF);
    expect(db).toBeLessThanOrEqual(5);
    expect(data.total).toBe(252);
    seen.push(...data.items);
    cursor = data.nextCursor;
    pages += 1;
  } while (cursor);
  expect(pages).toBe(2);
  expect(new Set(seen.map((x) => x.id)).size).toBe(252);
  const firstFresh = seen.findIndex((x) => !x.overdue);
  expect(seen.slice(firstFresh).every((x) => !x.overdue)).toBe(true);
});

test('visit photos reach the task force as short-lived links, and only uploads count as photos', async () => {
  const e = await qiutian();
  const fileID = await h.rt.files.upload(`${uploadPrefix(TF)}gate-photo.jpg`, Buffer.from('jpeg'));
  await h.ok('visit', 'checkIn', checkIn({ enterpriseId: e.id, photos: [fileID] }), TF);
  const { items } = await h.ok('visit', 'list', { enterpriseId: e.id }, TF);
  expect(items[0].photos).toEqual([fileID]);
  expect(items[0].photoUrls[0]).toMatch(/\/files\/uploads\/[0-9a-f]{16}\/gate-photo\.jpg\?expires=\d+&sig=[\w-]+$/);
  // An export is not a photo: a check-in cannot carry one to have it linked out.
  expect(await h.fail('visit', 'checkIn', checkIn({ enterpriseId: e.id, photos: ['cloud://env.local/exports/abc/report.xlsx'] }), TF)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'photos.0' });
});
