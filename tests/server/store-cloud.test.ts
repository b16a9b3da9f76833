/**
 * Where the local store used to be laxer than CloudBase (issue: "a local
 * store as strict as the cloud"): aggregations without a limit, sort
 * directions against compound indexes, the primary key's ranges; and the
 * code those rules found (digests for every unit, flow over 90 days, the
 * ledger export past 1,000 enterprises).
 */
import { DocumentStore, KNOWN_UNCOVERED, NOT_COVERED_CODE } from '../../server/local/store';
import { AGGREGATE_DEFAULT_LIMIT } from '../../server/local/transport';
import { runScheduler } from '../../server/scheduler/run';
import { addDays, chinaDayOf, chinaDayStart } from '../../server/sla/calendar';
import { DEMO } from '../../server/seed/demo';
import type { CollectionDecl } from '../../server/db/schema';
import { startHarness, type Harness } from './harness';

const refusal = (p: Promise<unknown>) => p.then(() => 'answered', (e: Error) => e.message);
const ADMIN = 'demo-admin';
const UNIT_CODES = (DEMO.files['units.json'] as Array<{ code: string }>).map((u) => u.code);

/** Documents written straight to the database, 500 to a request. */
async function addMany(db: any, collection: string, docs: Array<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) await db.collection(collection).add({ data: docs.slice(i, i + 500) });
}

describe('aggregations answer 20 rows without a limit, as in a cloud function', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await addMany(h.db, 'zones', Array.from({ length: 30 }, (_, i) => ({ _id: `extra-zone-${i}`, name: `区域${i}`, kind: 'street', order: 100 + i })));
  });
  afterAll(() => h.close());

  test('more than 20 rows without .limit() is refused; with it, every row is answered', async () => {
    expect(AGGREGATE_DEFAULT_LIMIT).toBe(20);
    const grouped = () => h.db.collection('zones').aggregate().group({ _id: '$_id' });
    expect(await refusal(grouped().end())).toMatch(/aggregate\(\) without limit\(\) on zones.*LOCAL_UNBOUNDED_READ/);
    const zones = ((await grouped().limit(1000).end()) as { list: unknown[] }).list;
    expect(zones.length).toBeGreaterThan(AGGREGATE_DEFAULT_LIMIT);
    // Up to 20 rows answers as it always did.
    expect(((await h.db.collection('units').aggregate().group({ _id: '$kind' }).end()) as { list: unknown[] }).list.length).toBeLessThanOrEqual(20);
  });
});

test('every unit with open needs gets its digest, however many units there are', async () => {
  const h = await startHarness();
  try {
    expect(UNIT_CODES.length).toBeGreaterThan(AGGREGATE_DEFAULT_LIMIT);
    const now = h.clock.now().toISOString();
    await addMany(h.db, 'users', UNIT_CODES.map((code) => ({ _id: `head-${code}`, roles: ['unit'], unitCodes: [code], headOf: [code], createdAt: now, updatedAt: now })));
    await addMany(h.db, 'needs', UNIT_CODES.map((code, i) => ({ _id: `digest-need-${i}`, unitCode: code, status: 'routed', escalated: false, type: 'legal', createdAt: now })));
    const report = await runScheduler(h.rt.ports);
    const told = new Set(h.rt.outbox.read().filter((m) => m.template === 'dailyDigest').map((m) => m.touser));
    expect(UNIT_CODES.filter((code) => !told.has(`head-${code}`))).toEqual([]);
    expect(report.digests).toBeGreaterThanOrEqual(UNIT_CODES.length);
  } finally {
    h.close();
  }
});

test('ledger.flow counts each of 90 days', async () => {
  const h = await startHarness();
  try {
    const today = chinaDayOf(h.clock.now());
    // One need opened at noon of each of the last 90 China days, and fulfilled the same day.
    const needs = Array.from({ length: 90 }, (_, i) => {
      const noon = new Date(chinaDayStart(addDays(today, -i)).getTime() + 12 * 3600_000).toISOString();
      return { _id: `flow-need-${i}`, unitCode: 'hrss', status: 'fulfilled', type: 'hiring', createdAt: noon, fulfilledAt: noon };
    });
    await addMany(h.db, 'needs', needs);
    const { days } = await h.ok('ledger', 'flow', { days: 90 }, ADMIN);
    expect(days).toHaveLength(90);
    // Today also has whatever the demo did; every earlier day exactly the one need.
    expect(days.slice(0, 89).filter((d: { opened: number; closed: number }) => d.opened !== 1 || d.closed !== 1)).toEqual([]);
  } finally {
    h.close();
  }
});

describe('a compound index serves its own order or its exact reverse, nothing else', () => {
  const decl: CollectionDecl[] = [
    { name: 'items', holds: 'test', indexes: [{ name: 'items_kind_at', fields: [['kind', 'asc'], ['at', 'desc'], ['_id', 'asc']] }] },
  ];
  let store: DocumentStore;
  beforeAll(() => {
    store = new DocumentStore(':memory:', { collections: decl });
    store.createCollection('items');
    store.insert('items', [
      { _id: 'a', kind: 'k', at: '2' },
      { _id: 'b', kind: 'k', at: '1' },
    ]);
  });
  afterAll(() => store.close());

  const find = (order: Record<string, 1 | -1>) => {
    try {
      return store.find('items', { kind: 'k' }, { order, limit: 10 }).map((d) => d._id);
    } catch (err) {
      return (err as { code: string }).code;
    }
  };

  test('its own order, its exact reverse, and a prefix of either are covered', () => {
    expect(find({ at: -1, _id: 1 })).toEqual(['a', 'b']);
    expect(find({ at: 1, _id: -1 })).toEqual(['b', 'a']);
    expect(find({ at: -1 })).toEqual(['a', 'b']);
    expect(find({ at: 1 })).toEqual(['b', 'a']);
    // A field pinned by equality may sit in the sort.
    expect(find({ kind: 1, at: -1, _id: 1 })).toEqual(['a', 'b']);
  });

  test('mixed directions, or fields out of the index order, would sort in memory: refused', () => {
    expect(find({ at: -1, _id: -1 })).toBe(NOT_COVERED_CODE);
    expect(find({ at: 1, _id: 1 })).toBe(NOT_COVERED_CODE);
    expect(find({ _id: 1 })).toBe(NOT_COVERED_CODE);
    expect(find({ _id: 1, at: -1 })).toBe(NOT_COVERED_CODE);
  });
});

test('no uncovered query shape is tolerated', () => {
  expect([...KNOWN_UNCOVERED]).toEqual([]);
});

describe('the primary key: ranges on _id are covered, as CloudBase serves them', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const now = h.clock.now().toISOString();
    const enterprises = Array.from({ length: 1100 }, (_, i) => ({
      _id: `bulk-${String(i).padStart(5, '0')}`,
      name: `重庆批量测试企业${i}有限公司`,
      creditCode: `BULK${String(i).padStart(14, '0')}`,
      industry: 'manufacturing',
      zone: 'jianqiao-c',
      address: '建桥工业园C区',
      contactName: '张三',
      contactPhone: '13800138000',
      employees: 10,
      chamberCodes: [],
      verified: true,
      lastVisitAt: '',
      createdAt: now,
      updatedAt: now,
    }));
    await addMany(h.db, 'enterprises', enterprises);
  });
  afterAll(() => h.close());

  test('a page after an _id, in _id order either way, reads only what it answers', async () => {
    const _ = h.db.command;
    h.rt.store.resetStats();
    const page = (await h.db.collection('enterprises').where({ _id: _.gt('bulk-00999') }).orderBy('_id', 'asc').limit(50).get()).data;
    expect(page.map((e: { _id: string }) => e._id).slice(0, 2)).toEqual(['bulk-01000', 'bulk-01001']);
    expect(h.rt.store.stats()).toMatchObject({ collectionScans: 0 });
    expect(h.rt.store.stats().docsExamined).toBeLessThan(60);
    const back = (await h.db.collection('enterprises').where({ _id: _.lt('bulk-00002') }).orderBy('_id', 'desc').limit(2).get()).data;
    expect(back.map((e: { _id: string }) => e._id)).toEqual(['bulk-00001', 'bulk-00000']);
  });

  test('ledger.export lists every enterprise past 1,000', async () => {
    const data = await h.ok('ledger', 'export', { kind: 'ledger' }, ADMIN);
    expect(data.enterprises).toBe(1100 + (DEMO.files['enterprises.json'] as unknown[]).length);
  });
});
