/**
 * Index coverage and index use, through the real wx-server-sdk on the
 * declared collections: a query no declared index covers is refused with its
 * shape, and a covered query reads about what it answers.
 */
import { createLocalRuntime, type LocalRuntime } from '../../server/local/runtime';
import { createCollections } from '../../server/db/collections';

let rt: LocalRuntime;
let db: any;

beforeAll(async () => {
  rt = createLocalRuntime({ dataDir: ':memory:' });
  db = rt.ports.db;
  await createCollections(db);
});
afterAll(() => rt.close());

const refusal = (p: Promise<unknown>) => p.then(() => 'answered', (e: Error) => e.message);

describe('coverage', () => {
  test('a query no declared index covers is refused with its shape', async () => {
    const _ = db.command;
    expect(await refusal(db.collection('needs').where({ neededBy: '2026-03-05' }).limit(10).get())).toMatch(/LOCAL_INDEX_NOT_COVERED/);
    expect(await refusal(db.collection('needs').where({ type: 'supplies', status: _.neq('routed') }).orderBy('createdAt', 'desc').limit(10).get())).toMatch(
      'no declared index covers needs where {type,status} orderBy createdAt',
    );
    // The index leads with unitCode, but the sort field is not in it.
    expect(await refusal(db.collection('needs').where({ unitCode: 'u' }).orderBy('neededBy', 'asc').limit(10).get())).toMatch(
      'no declared index covers needs where {unitCode} orderBy neededBy',
    );
    // A range on the first field is not a seek by the rule.
    expect(await refusal(db.collection('needs').where({ createdAt: _.gt('2026') }).limit(10).get())).toMatch('no declared index covers needs where {createdAt}');
  });

  test('equality or in on an index’s first field covers, with the sort fields in that index', async () => {
    const _ = db.command;
    const queue = db.collection('needs').where({ unitCode: 'u', status: _.in(['routed', 'claimed']) }).orderBy('createdAt', 'desc').orderBy('_id', 'desc');
    expect((await queue.limit(21).get()).data).toEqual([]);
    expect((await db.collection('users').where({ unitCodes: 'u' }).limit(10).get()).data).toEqual([]);
    expect((await db.collection('needs').doc('x').get().catch(() => 'missing'))).toBe('missing');
    expect((await db.collection('needs').where({ _id: _.in(['a', 'b']), type: 'x' }).get()).data).toEqual([]);
  });

  test('no filter and a sort led by an index’s first field is an ordered walk; no filter and no sort is the whole collection', async () => {
    expect((await db.collection('units').orderBy('order', 'asc').limit(10).get()).data).toEqual([]);
    expect(await refusal(db.collection('zones').limit(10).get())).toMatch('no declared index covers zones where {}');
    expect(await refusal(db.collection('zones').orderBy('name', 'asc').limit(10).get())).toMatch('no declared index covers zones where {} orderBy name');
  });

  test('each branch of an $or is covered on its own; $and merges its branches', async () => {
    const _ = db.command;
    const covered = _.or([{ unitCode: 'u' }, { enterpriseId: 'e' }]);
    expect((await db.collection('needs').where(covered).limit(10).get()).data).toEqual([]);
    expect(await refusal(db.collection('needs').where(_.or([{ unitCode: 'u' }, { type: 'supplies' }])).limit(10).get())).toMatch(
      'no declared index covers needs where {unitCode,type}',
    );
    const merged = _.and([{ unitCode: 'u' }, _.or([{ status: 'routed' }, { createdAt: _.lt('2026') }])]);
    expect((await db.collection('needs').where(merged).orderBy('createdAt', 'desc').limit(10).get()).data).toEqual([]);
  });

  test('count, where().update(), where().remove() and an aggregate’s leading $match are checked too', async () => {
    const needs = db.collection('needs');
    expect(await refusal(needs.where({ neededBy: '2026-03-05' }).count())).toMatch('no declared index covers needs where {neededBy}');
    expect(await refusal(needs.where({ neededBy: '2026-03-05' }).update({ data: { x: 1 } }))).toMatch('no declared index covers needs where {neededBy}');
    expect(await refusal(needs.where({ neededBy: '2026-03-05' }).remove())).toMatch('no declared index covers needs where {neededBy}');
    expect(await refusal(needs.aggregate().match({ neededBy: '2026-03-05' }).end())).toMatch('no declared index covers needs where {neededBy}');
    expect((await needs.where({ unitCode: 'u' }).count()).total).toBe(0);
    // A pipeline without $match is an explicit whole-collection aggregation.
    expect((await needs.aggregate().group({ _id: '$status', n: db.command.aggregate.sum(1) }).end()).list).toEqual([]);
  });

  test('strictIndexes: false lets any query through', async () => {
    const loose = createLocalRuntime({ dataDir: ':memory:', strictIndexes: false });
    await createCollections(loose.ports.db);
    expect(((await (loose.ports.db as any).collection('needs').where({ type: 'supplies' }).limit(10).get()) as any).data).toEqual([]);
    loose.close();
  });
});

describe('index use', () => {
  const need = (i: number, units: number) => ({
    _id: `n${String(i).padStart(6, '0')}`,
    unitCode: `unit-${i % units}`,
    enterpriseId: `ent-${i % 500}`,
    parentId: `parent-${i}`,
    status: ['routed', 'claimed', 'in_progress', 'waiting', 'fulfilled', 'confirmed'][i % 6],
    type: 'supplies',
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  });

  test('a one-match query on 10,000 documents examines about one', async () => {
    rt.store.insert('needs', Array.from({ length: 10_000 }, (_, i) => need(i, 10)));
    rt.store.resetStats();
    const res = await db.collection('needs').where({ parentId: 'parent-4321' }).limit(5).get();
    expect(res.data.map((d: any) => d._id)).toEqual(['n004321']);
    expect(rt.store.stats()).toMatchObject({ docsExamined: 1, collectionScans: 0 });
    rt.store.resetStats();
    expect((await db.collection('needs').where({ parentId: 'parent-4321' }).count()).total).toBe(1);
    expect(rt.store.stats()).toMatchObject({ docsExamined: 1, collectionScans: 0 });
  });

  test('the first queue page on 20,000 needs examines about a page, in the order a full sort gives', async () => {
    const _ = db.command;
    rt.store.insert('needs', Array.from({ length: 10_000 }, (_, i) => need(10_000 + i, 10)));
    const open = ['routed', 'claimed', 'in_progress', 'waiting'];
    rt.store.resetStats();
    const page = await db
      .collection('needs')
      .where({ unitCode: 'unit-3', status: _.in(open) })
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'desc')
      .limit(21)
      .get();
    const { docsExamined, collectionScans } = rt.store.stats();
    expect(collectionScans).toBe(0);
    expect(docsExamined).toBeGreaterThanOrEqual(21);
    expect(docsExamined).toBeLessThanOrEqual(21 + open.length);
    // The same answer mingo gives sorting every match (unit-3: every 10th need; open: 4 of each 6 statuses).
    const expected = Array.from({ length: 20_000 }, (_, i) => need(i, 10))
      .filter((n) => n.unitCode === 'unit-3' && open.includes(n.status))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a._id < b._id ? 1 : -1))
      .slice(0, 21)
      .map((n) => n._id);
    expect(page.data.map((d: any) => d._id)).toEqual(expected);
  });
});
