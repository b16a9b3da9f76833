/**
 * Check-ins are whole (issue 20): the rate limit is decided before anything
 * is written; a replay completes what a failed first attempt left (its needs,
 * the enterprise's last visit) and answers the complete visit; no answer
 * says ok for a visit that is not stored.
 */
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const TF = 'demo-taskforce'; // tf-02, 建桥园区C区
const ENTERPRISE = 'ent-qiutian';

const checkIn = (clientKey: string, needs: unknown[] = []) => ({
  enterpriseId: ENTERPRISE,
  clientKey,
  location: { latitude: 29.4517, longitude: 106.4632 },
  photos: [],
  checklist: { look: '测温点已设', check: '台账齐全', ask: '缺工人', guide: [] },
  needs,
});
const hiring = { type: 'hiring', positions: [{ title: '装配工', count: 10 }] };
const legal = { type: 'legal', topic: '租赁', description: '厂房租金减免怎么谈' };

async function lastVisitAt(): Promise<string> {
  return (await h.db.collection('enterprises').doc(ENTERPRISE).get()).data.lastVisitAt;
}
const count = async (collection: string, where: Record<string, unknown> = {}) => (await h.db.collection(collection).where(where).count()).total;

test('a replay completes a check-in whose first attempt stopped after the visit, and answers it whole', async () => {
  const first = await h.ok('visit', 'checkIn', checkIn('half-written-0001', [hiring, legal]), TF);
  expect(first.needs).toHaveLength(2);
  const visitedAt = await lastVisitAt();
  // What a kill (or a full disk) between the visit and the rest leaves: the visit alone.
  await h.db.collection('needs').doc(first.needs[0].id).remove();
  await h.db.collection('enterprises').doc(ENTERPRISE).update({ data: { lastVisitAt: '' } });
  h.clock.advance(3600_000);

  const replay = await h.ok('visit', 'checkIn', checkIn('half-written-0001', [hiring, legal]), TF);
  expect(replay.id).toBe(first.id);
  expect(replay.needs.map((n: { id: string }) => n.id)).toEqual(first.needs.map((n: { id: string }) => n.id));
  expect(await count('needs', { _id: h.db.command.in(first.needIds) })).toBe(2);
  // The visit's own time, not the replay's.
  expect(await lastVisitAt()).toBe(visitedAt);
  // The replay tells the unit of the need it added (its first announcement was of a need since lost), and of nothing else.
  const sent = h.rt.outbox.read();
  expect(sent.filter((m) => m.page?.includes(first.needs[0].id))).toHaveLength(2);
  expect(sent).toHaveLength(2);

  // A replay of a whole check-in changes nothing and answers the same.
  const again = await h.ok('visit', 'checkIn', checkIn('half-written-0001', [hiring, legal]), TF);
  expect(again).toEqual(replay);
  expect(await count('visits')).toBe(1);
});

test('a replay never sets the last visit back past a later one', async () => {
  await h.ok('visit', 'checkIn', checkIn('older-visit-0001'), TF);
  await h.db.collection('enterprises').doc(ENTERPRISE).update({ data: { lastVisitAt: '' } });
  h.clock.advance(86400_000);
  const later = await h.ok('visit', 'checkIn', checkIn('later-visit-0001'), TF);
  await h.ok('visit', 'checkIn', checkIn('older-visit-0001'), TF);
  expect(await lastVisitAt()).toBe(later.createdAt);
});

test('over the rate limit nothing is written, and no copy answers ok for a visit that is not stored', async () => {
  await h.ok('admin', 'saveSettings', { rateLimits: { 'visit.checkIn': 1 } }, 'demo-admin');
  await h.ok('visit', 'checkIn', checkIn('within-limit-0001'), TF);
  const inserts = jest.spyOn(h.rt.store, 'insert');
  try {
    const copies = await Promise.all(Array.from({ length: 12 }, () => h.raw('visit', 'checkIn', checkIn('over-limit-0001', [hiring]), TF)));
    expect(copies.every((c) => !c.ok && c.error.code === 'RATE_LIMITED')).toBe(true);
    expect(inserts.mock.calls.filter(([coll]) => coll === 'visits' || coll === 'needs')).toEqual([]);
  } finally {
    inserts.mockRestore();
  }
  expect(await count('visits')).toBe(1);
  expect(await count('needs', { enterpriseId: ENTERPRISE, type: 'hiring' })).toBe(0);
});

test('concurrent copies of a new check-in near the limit: every ok names a stored visit', async () => {
  await h.ok('admin', 'saveSettings', { rateLimits: { 'visit.checkIn': 3 } }, 'demo-admin');
  await h.ok('visit', 'checkIn', checkIn('near-limit-0001'), TF);
  await h.ok('visit', 'checkIn', checkIn('near-limit-0002'), TF);
  const copies = await Promise.all(Array.from({ length: 12 }, () => h.raw<{ id: string }>('visit', 'checkIn', checkIn('near-limit-0003', [hiring]), TF)));
  const ok = copies.filter((c) => c.ok);
  expect(ok.length).toBeGreaterThanOrEqual(1);
  for (const c of copies) if (!c.ok) expect(c.error.code).toBe('RATE_LIMITED');
  for (const c of ok) {
    const stored = (await h.db.collection('visits').where({ _id: c.ok ? c.data.id : '' }).get()).data;
    expect(stored).toHaveLength(1);
  }
  expect(await count('needs', { enterpriseId: ENTERPRISE, type: 'hiring' })).toBe(1);
});

test("a need a replay adds is the one the first attempt would have written: its visit's own needs are not its duplicates", async () => {
  const twoHiring = [hiring, { type: 'hiring', positions: [{ title: '电焊工', count: 2 }] }];
  const first = await h.ok('visit', 'checkIn', checkIn('two-hiring-0001', twoHiring), TF);
  const second = (await h.db.collection('needs').doc(first.needs[1].id).get()).data;
  await h.db.collection('needs').doc(second._id).remove();
  await h.ok('visit', 'checkIn', checkIn('two-hiring-0001', twoHiring), TF);
  const again = (await h.db.collection('needs').doc(second._id).get()).data;
  expect(again.duplicateOf).toBe(second.duplicateOf);
  expect(again.positions).toEqual(second.positions);
});
