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
  rt = createLocalRuntime({ dataDir: ':memory:' });
  db = rt.ports.db;
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

  test('the default page is 100 and no read returns more than 1000', async () => {
    const docs = Array.from({ length: 1100 }, (_, i) => ({ _id: `b${String(i).padStart(4, '0')}`, i }));
    for (const d of docs) await db.collection('bulk').add({ data: d });
    expect((await db.collection('bulk').get()).data).toHaveLength(100);
    expect((await db.collection('bulk').limit(5000).get()).data).toHaveLength(1000);
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

describe('durability', () => {
  test('data written before a kill survives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-crash-'));
    const file = join(dir, 'db.sqlite');
    const child = `
      require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
      const { DocumentStore } = require(${JSON.stringify(require.resolve('../../server/local/store'))});
      const s = new DocumentStore(${JSON.stringify(file)});
      for (let i = 0; i < 50; i++) s.insert('c', [{ _id: 'd' + i, i }]);
      process.kill(process.pid, 'SIGKILL');
    `;
    const run = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8' });
    expect(run.signal).toBe('SIGKILL');
    const reopened = new DocumentStore(file);
    expect(reopened.count('c', {})).toBe(50);
    expect(reopened.getById('c', 'd49')).toEqual({ _id: 'd49', i: 49 });
    reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
