/** What the federation's dashboard taps through to: needs across units, and needs opened and closed per day. */
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

let seq = 0;
const key = () => `over-${String(++seq).padStart(8, '0')}`;
const ADMIN = 'demo-admin';
const submit = async (owner: string, payload: Record<string, unknown> = masks()) => (await h.ok('need', 'submit', { ...payload, clientKey: key() }, owner)).needs[0];

test("admins list every unit's needs, one unit's, or the overdue ones; a handler only their own units", async () => {
  const pool = await submit('demo-enterprise'); // → fic-supply-pool
  const hire = await submit('demo-enterprise', { type: 'hiring', positions: [{ title: '装配工', count: 3 }] }); // → hrss
  const all = await h.ok('need', 'queue', {}, ADMIN);
  expect(all.items.map((n: any) => n.id)).toEqual(expect.arrayContaining([pool.id, hire.id]));
  const hrss = await h.ok('need', 'queue', { unitCode: 'hrss' }, ADMIN);
  expect(hrss.items.map((n: any) => n.id)).toEqual([hire.id]);
  expect((await h.ok('need', 'queue', { escalated: true }, ADMIN)).items).toEqual([]);
  await h.ok('scheduler', 'run', {}, ADMIN);
  h.clock.advance(3 * 3600_000); // past the first-response deadline
  await h.ok('scheduler', 'run', {}, ADMIN);
  const overdue = await h.ok('need', 'queue', { escalated: true }, ADMIN);
  expect(overdue.items.map((n: any) => n.id)).toEqual(expect.arrayContaining([pool.id, hire.id]));
  // A handler asking for another unit's needs is refused; their own unit is fine.
  expect(await h.fail('need', 'queue', { unitCode: 'hrss' }, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
  expect((await h.ok('need', 'queue', { unitCode: 'hrss' }, 'demo-hrss')).items.map((n: any) => n.id)).toEqual([hire.id]);
  expect(await h.fail('need', 'queue', {}, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
});

test('ledger.flow counts needs opened and fulfilled per China day, in two round trips besides the session', async () => {
  const first = await submit('demo-hualun');
  await submit('demo-hualun', { type: 'policy', question: '社保能缓缴吗？' });
  await h.ok('need', 'claim', { id: first.id }, 'demo-chamber-head');
  await h.ok('need', 'fulfil', { id: first.id, note: '已送达' }, 'demo-chamber-head');
  h.clock.advance(24 * 3600_000);
  await submit('demo-hualun', { type: 'legal', topic: '合同', description: '复工后的劳动合同怎么续签' });
  const { data, db } = await h.counted('ledger', 'flow', { days: 3 }, ADMIN);
  // The harness clock starts at 2026-03-02 09:00 China time; a day later is the 3rd.
  expect(data.days).toEqual([
    { date: '2026-03-01', opened: 0, closed: 0 },
    { date: '2026-03-02', opened: 2, closed: 1 },
    { date: '2026-03-03', opened: 1, closed: 0 },
  ]);
  expect(db).toBeLessThanOrEqual(3);
  expect(await h.fail('ledger', 'flow', { days: 91 }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'days' });
  expect(await h.fail('ledger', 'flow', { days: 7 }, 'demo-taskforce')).toMatchObject({ code: 'FORBIDDEN' });
});
