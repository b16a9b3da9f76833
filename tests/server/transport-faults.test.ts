/**
 * The local transport's test hooks (server/local/transport.ts): seeded,
 * virtual latency that replays the same interleaving for a seed, and a crash
 * point after which nothing reaches the database. The race and crash-point
 * suites (tests/slow) are built on them.
 */
import { crashAtWrite, observeRequests } from '../../server/local/transport';
import { startHarness, type Harness } from './harness';

let h: Harness | undefined;
afterEach(() => h?.close());

/** Two callers each add three documents at once; answers the order in which their inserts reached the store. */
async function interleaving(latency?: { seed: number; maxMs: number }): Promise<string> {
  h = await startHarness({ seed: false, latency });
  const db = h.db;
  await db.createCollection('settings');
  const order: string[] = [];
  observeRequests(h.rt.env, ({ action, params }) => {
    if (action === 'database.insertDocument') order.push(String(params.data?.[0]).match(/"who":"(\w)/)?.[1] ?? '?');
  });
  const writer = async (who: string) => {
    for (let i = 0; i < 3; i++) await db.collection('settings').add({ data: { who: `${who}${i}` } });
  };
  await Promise.all([writer('a'), writer('b')]);
  h.close();
  h = undefined;
  return order.join('');
}

test('without latency the calls take turns request by request; with it, a seed picks an order and replays it', async () => {
  expect(await interleaving()).toBe('ababab');
  const seeded = await interleaving({ seed: 3, maxMs: 5 });
  expect(await interleaving({ seed: 3, maxMs: 5 })).toBe(seeded);
  const orders = new Set<string>();
  for (let seed = 1; seed <= 12; seed++) orders.add(await interleaving({ seed, maxMs: 5 }));
  expect(orders.size).toBeGreaterThan(2);
  for (const order of orders) expect([...order].sort().join('')).toBe('aaabbb');
});

test('a crash fails its write and every request after it, reads included, until healed; a transaction counts once, at its commit', async () => {
  h = await startHarness({ seed: false });
  const db = h.db;
  await db.createCollection('settings');
  const crash = crashAtWrite(h.rt.env, 3);
  await db.collection('settings').doc('one').set({ data: { n: 1 } });
  await db.runTransaction(async (tx: any) => {
    await tx.collection('settings').doc('two').set({ data: { n: 2 } });
    await tx.collection('settings').doc('three').set({ data: { n: 3 } });
  }, 0);
  expect({ writes: crash.writes(), reached: crash.reached() }).toEqual({ writes: 2, reached: false });
  await expect(db.collection('settings').doc('four').set({ data: { n: 4 } })).rejects.toThrow(/injected crash/);
  expect(crash.reached()).toBe(true);
  await expect(db.collection('settings').doc('one').get()).rejects.toThrow(/injected crash/);
  crash.heal();
  const ids = (await db.collection('settings').orderBy('_id', 'asc').limit(10).get()).data.map((d: any) => d._id);
  expect(ids).toEqual(['one', 'three', 'two']);
});
