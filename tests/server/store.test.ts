/**
 * The embedded store, exercised through the real wx-server-sdk: what the
 * functions rely on must behave as CloudBase does.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createLocalRuntime, type LocalRuntime } from '../../server/local/runtime';
import { DocumentStore } from '../../server/local/store';

let rt: LocalRuntime;
// The SDK's typings overload every call with callback forms; tests read results untyped.
let db: any;

beforeEach(async () => {
  // These collections are not declared (no indexes): the query semantics are tested here, index coverage in store-strict.
  rt = createLocalRuntime({ dataDir: ':memory:', strictIndexes: false });
  db = rt.ports.db;
  for (const name of ['items', 'names', 'bulk', 'times']) await db.createCollection(name);
  for (let i = 0; i < 5; i++) {
    await db.collection('items').add({ data: { _id: `i${i}`, n: i, tag: i % 2 ? 'odd' : 'even', nested: { v: i * 10 }, list: [i] } });
  }
});
afterEach(() => rt.close());

const ids = (res: any) => (res.data as Array<{ _id: string }>).map((d) => d._id);

describe('queries', () => {
  test('comparison, $in, $nin, $exists and dotted paths', async () => {
    const _ = db.command;
    expect(ids(await db.collection('items').where({ n: _.gt(2) }).orderBy('n', 'asc').get())).toEqual(['i3', 'i4']);
    expect(ids(await db.collection('items').where({ n: _.lte(1) }).orderBy('n', 'asc').get())).toEqual(['i0', 'i1']);
    expect(ids(await db.collection('items').where({ tag: _.in(['odd']) }).orderBy('n', 'asc').get())).toEqual(['i1', 'i3']);
    expect(ids(await db.collection('items').where({ n: _.nin([0, 1, 2]) }).orderBy('n', 'asc').get())).toEqual(['i3', 'i4']);
    expect(ids(await db.collection('items').where({ 'nested.v': _.gte(30) }).orderBy('n', 'asc').get())).toEqual(['i3', 'i4']);
    expect(ids(await db.collection('items').where({ missing: _.exists(false), n: 0 }).get())).toEqual(['i0']);
  });

  test('and / or / neq', async () => {
    const _ = db.command;
    const either = await db.collection('items').where(_.or([{ n: 0 }, { n: 4 }])).orderBy('n', 'asc').get();
    expect(ids(either)).toEqual(['i0', 'i4']);
    const both = await db.collection('items').where(_.and([{ tag: 'even' }, { n: _.neq(0) }])).orderBy('n', 'desc').get();
    expect(ids(both)).toEqual(['i4', 'i2']);
  });

  test('RegExp queries are translated for the evaluator', async () => {
    await db.collection('names').add({ data: { name: '重庆秋田齿轮有限公司' } });
    await db.collection('names').add({ data: { name: '重庆华伦医疗实业有限公司' } });
    const res = await db.collection('names').where({ name: db.RegExp({ regexp: '秋田', options: 'i' }) }).get();
    expect((res.data as any[]).map((d) => d.name)).toEqual(['重庆秋田齿轮有限公司']);
  });

  test('ordering on two keys, skip and limit', async () => {
    const page = await db.collection('items').orderBy('tag', 'asc').orderBy('n', 'desc').skip(1).limit(2).get();
    expect(ids(page)).toEqual(['i2', 'i0']);
  });

  test('get() without limit() is refused once it would be cut at 100; limit() above 1000 is refused', async () => {
    const docs = Array.from({ length: 1100 }, (_, i) => ({ _id: `b${String(i).padStart(4, '0')}`, i }));
    rt.store.insert('bulk', docs.slice(0, 100));
    // Exactly 100: the cloud answers them all, so nothing is hidden.
    expect((await db.collection('bulk').get()).data).toHaveLength(100);
    rt.store.insert('bulk', docs.slice(100));
    await expect(db.collection('bulk').get()).rejects.toThrow(/LOCAL_UNBOUNDED_READ/);
    // An explicit limit(100) is a page, not a truncation.
    expect((await db.collection('bulk').limit(100).get()).data).toHaveLength(100);
    expect((await db.collection('bulk').where({ i: db.command.lt(40) }).get()).data).toHaveLength(40);
    expect((await db.collection('bulk').limit(1000).get()).data).toHaveLength(1000);
    await expect(db.collection('bulk').limit(1001).get()).rejects.toThrow(/INVALID_PARAM/);
    expect((await db.collection('bulk').count()).total).toBe(1100);
  });

  test('count honours the filter', async () => {
    expect((await db.collection('items').where({ tag: 'odd' }).count()).total).toBe(2);
  });

  test('a missing document is an error, as on CloudBase', async () => {
    await expect(db.collection('items').doc('nope').get()).rejects.toThrow(/does not exist/);
  });

  test('serverDate is filled in by the store', async () => {
    await db.collection('times').add({ data: { _id: 't', at: db.serverDate() } });
    const doc = (await db.collection('times').doc('t').get()).data as any;
    expect(doc.at).toBeInstanceOf(Date);
    expect(Math.abs(doc.at.getTime() - Date.now())).toBeLessThan(5000);
  });
});

describe('updates', () => {
  test('$inc, $push, dotted $set, remove', async () => {
    const _ = db.command;
    await db.collection('items').doc('i1').update({ data: { n: _.inc(10), list: _.push([7, 8]), 'nested.w': 'x' } });
    const doc = (await db.collection('items').doc('i1').get()).data as any;
    expect(doc).toMatchObject({ n: 11, list: [1, 7, 8], nested: { v: 10, w: 'x' } });
    await db.collection('items').doc('i1').update({ data: { nested: _.remove() } });
    expect(((await db.collection('items').doc('i1').get()).data as any).nested).toBeUndefined();
  });

  test('where().update() touches only matching documents and reports how many', async () => {
    const res = await db.collection('items').where({ tag: 'odd' }).update({ data: { flagged: true } });
    expect(res.stats.updated).toBe(2);
    expect((await db.collection('items').where({ flagged: true }).count()).total).toBe(2);
  });

  test('a conditional update is the atomic claim: only one of many succeeds', async () => {
    const attempts = Array.from({ length: 20 }, (_, i) =>
      db.collection('items').where({ _id: 'i0', claimedBy: db.command.exists(false) }).update({ data: { claimedBy: `u${i}` } }),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.stats.updated === 1)).toHaveLength(1);
  });

  test('set replaces the document; a duplicate add fails', async () => {
    await db.collection('items').doc('i2').set({ data: { only: 'this' } });
    expect((await db.collection('items').doc('i2').get()).data).toEqual({ _id: 'i2', only: 'this' });
    await expect(db.collection('items').add({ data: { _id: 'i2' } })).rejects.toBeTruthy();
  });

  test('where().remove()', async () => {
    const res = await db.collection('items').where({ tag: 'even' }).remove();
    expect(res.stats.removed).toBe(3);
    expect((await db.collection('items').count()).total).toBe(2);
  });
});

describe('transactions', () => {
  test('commit makes every write visible at once', async () => {
    const result = await db.runTransaction(async (tx: any) => {
      const doc = (await tx.collection('items').doc('i0').get()).data;
      await tx.collection('items').doc('i0').update({ data: { n: doc.n + 100 } });
      await tx.collection('items').add({ data: { _id: 'new', n: 9 } });
      // Writes inside are invisible outside until commit.
      expect((await db.collection('items').where({ _id: 'new' }).count()).total).toBe(0);
      return 'done';
    });
    expect(result).toBe('done');
    expect(((await db.collection('items').doc('i0').get()).data as any).n).toBe(100);
    expect((await db.collection('items').doc('new').get()).data).toBeTruthy();
  });

  test('a thrown error rolls everything back', async () => {
    await expect(
      db.runTransaction(async (tx: any) => {
        await tx.collection('items').doc('i0').update({ data: { n: -1 } });
        await tx.collection('items').add({ data: { _id: 'ghost' } });
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(((await db.collection('items').doc('i0').get()).data as any).n).toBe(0);
    expect((await db.collection('items').where({ _id: 'ghost' }).count()).total).toBe(0);
  });

  test('concurrent increments conflict and are retried, so none is lost', async () => {
    const bump = () =>
      db.runTransaction(async (tx: any) => {
        const doc = (await tx.collection('items').doc('i4').get()).data;
        await new Promise((r) => setImmediate(r));
        await tx.collection('items').doc('i4').update({ data: { n: doc.n + 1 } });
      }, 20);
    await Promise.all(Array.from({ length: 8 }, bump));
    expect(((await db.collection('items').doc('i4').get()).data as any).n).toBe(12);
  });

  test('a conflict without retries left surfaces as an error', async () => {
    const tx1: any = await db.startTransaction();
    const tx2: any = await db.startTransaction();
    await tx1.collection('items').doc('i3').get();
    await tx2.collection('items').doc('i3').get();
    await tx1.collection('items').doc('i3').update({ data: { n: 1000 } });
    await tx2.collection('items').doc('i3').update({ data: { n: 2000 } });
    await tx1.commit();
    await expect(tx2.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
    expect(((await db.collection('items').doc('i3').get()).data as any).n).toBe(1000);
  });
});

describe('strict like CloudBase', () => {
  test('a collection that was never created refuses reads and writes with DATABASE_COLLECTION_NOT_EXIST', async () => {
    const ghost = db.collection('ghosts');
    const attempts = [
      () => ghost.get(),
      () => ghost.where({ a: 1 }).count(),
      () => ghost.doc('x').get(),
      () => ghost.add({ data: { a: 1 } }),
      () => ghost.doc('x').set({ data: { a: 1 } }),
      () => ghost.doc('x').update({ data: { a: 1 } }),
      () => ghost.where({ a: 1 }).remove(),
      () => ghost.aggregate().match({ a: 1 }).end(),
    ];
    for (const attempt of attempts) {
      const err: any = await attempt().then(() => undefined, (e: unknown) => e);
      expect(err).toBeDefined();
      // wx-server-sdk turns the code into its number (-502005) where it maps errors, and keeps the message.
      expect(err.message).toMatch(/DATABASE_COLLECTION_NOT_EXIST/);
    }
    expect(rt.store.hasCollection('ghosts')).toBe(false);
  });

  test('creating a collection twice answers the already-exists code, which setup tolerates', async () => {
    await expect(db.createCollection('items')).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_ALREADY_EXIST' });
    const { createCollections } = await import('../../server/db/collections');
    const first = await createCollections(db);
    expect(first.created.length).toBeGreaterThan(0);
    const again = await createCollections(db);
    expect(again.created).toEqual([]);
    expect(again.existing).toEqual([...first.created, ...first.existing]);
  });

  test('inside a transaction only document operations are accepted', async () => {
    const tx: any = await db.startTransaction();
    await expect(tx.collection('items').where({ tag: 'odd' }).get()).rejects.toThrow(/transaction/);
    // doc() reads and writes work in the same transaction.
    expect((await tx.collection('items').doc('i1').get()).data).toMatchObject({ n: 1 });
    await tx.collection('items').doc('i1').update({ data: { n: 5 } });
    await tx.commit();
    expect(((await db.collection('items').doc('i1').get()).data as any).n).toBe(5);
  });

  test("field names with '.' or a leading '$' are refused in stored documents, dotted update paths are not", async () => {
    const refused = [
      () => db.collection('items').add({ data: { 'a.b': 1 } }),
      () => db.collection('items').add({ data: { nested: { $bad: 1 } } }),
      () => db.collection('items').add({ data: { list: [{ 'x.y': 1 }] } }),
      () => db.collection('items').doc('i1').set({ data: { 'a.b': 1 } }),
      () => db.collection('items').doc('i1').update({ data: { nested: db.command.set({ 'w.z': 1 }) } }),
      () => db.collection('items').doc('i1').update({ data: { list: db.command.push([{ $x: 1 }]) } }),
    ];
    for (const attempt of refused) await expect(attempt()).rejects.toThrow(/INVALID_PARAM/);
    expect((await db.collection('items').doc('i1').get()).data).toEqual({ _id: 'i1', n: 1, tag: 'odd', nested: { v: 10 }, list: [1] });
    await db.collection('items').doc('i1').update({ data: { 'nested.w': 2, list: db.command.push([{ ok: true }]) } });
    expect((await db.collection('items').doc('i1').get()).data).toEqual({ _id: 'i1', n: 1, tag: 'odd', nested: { v: 10, w: 2 }, list: [1, { ok: true }] });
  });
});

describe('transactions touch only their documents', () => {
  test('a concurrent write to another document of the same collection does not conflict', async () => {
    const tx: any = await db.startTransaction();
    const doc = (await tx.collection('items').doc('i0').get()).data;
    // Others write to the same collection meanwhile: a document, an added one, a where() update.
    await db.collection('items').doc('i1').update({ data: { n: 100 } });
    await db.collection('items').add({ data: { _id: 'other', n: 7 } });
    await db.collection('items').where({ tag: 'even', _id: db.command.neq('i0') }).update({ data: { seen: true } });
    await tx.collection('items').doc('i0').update({ data: { n: doc.n + 1 } });
    await tx.commit();
    expect(((await db.collection('items').doc('i0').get()).data as any).n).toBe(1);
    expect(((await db.collection('items').doc('i1').get()).data as any).n).toBe(100);
  });

  test('a document deleted and created again is a conflict, not the same version', async () => {
    const tx: any = await db.startTransaction();
    await tx.collection('items').doc('i2').get();
    await db.collection('items').doc('i2').remove();
    await db.collection('items').add({ data: { _id: 'i2', n: 2, tag: 'even' } });
    await tx.collection('items').doc('i2').update({ data: { n: 20 } });
    await expect(tx.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
  });

  test('reading a document in a transaction reads that document only', async () => {
    rt.store.resetStats();
    const tx: any = await db.startTransaction();
    await tx.collection('items').doc('i3').get();
    await tx.collection('items').doc('i3').update({ data: { n: 33 } });
    await tx.commit();
    const stats = rt.store.stats();
    expect(stats.collectionScans).toBe(0);
    expect(stats.docsExamined).toBeLessThanOrEqual(1);
  });
});

describe('durability', () => {
  test('data written before a kill survives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-crash-'));
    const file = join(dir, 'db.sqlite');
    const child = `
      require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
      const { DocumentStore } = require(${JSON.stringify(require.resolve('../../server/local/store'))});
      const s = new DocumentStore(${JSON.stringify(file)});
      s.createCollection('c');
      for (let i = 0; i < 50; i++) s.insert('c', [{ _id: 'd' + i, i }]);
      process.kill(process.pid, 'SIGKILL');
    `;
    const run = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8' });
    expect(run.signal).toBe('SIGKILL');
    const reopened = new DocumentStore(file, { strictIndexes: false });
    expect(reopened.hasCollection('c')).toBe(true);
    expect(reopened.count('c', {})).toBe(50);
    expect(reopened.getById('c', 'd49')).toEqual({ _id: 'd49', i: 49 });
    reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
