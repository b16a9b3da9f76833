/**
 * The index path answers exactly what mingo answers over the whole
 * collection: the same queries on a store with indexes and on one without
 * (which scans) must agree, including missing fields, null, mixed types,
 * arrays, ties at a page boundary and both sort directions.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DocumentStore } from '../../server/local/store';
import type { CollectionDecl } from '../../server/db/schema';

const decl: CollectionDecl[] = [
  {
    name: 'items',
    holds: 'test documents',
    indexes: [
      { name: 'items_a_at', fields: [['a', 'asc'], ['at', 'desc'], ['_id', 'asc']] },
      { name: 'items_tags', fields: [['tags', 'asc']] },
      { name: 'items_b', fields: [['b', 'asc']] },
      { name: 'items_n_id', fields: [['n', 'asc'], ['_id', 'asc']] },
    ],
  },
];

let indexed: DocumentStore;
let scanning: DocumentStore;

// A small deterministic generator: the same documents on every run.
let seed = 7;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};

function doc(i: number): Record<string, unknown> {
  const d: Record<string, unknown> = { _id: `d${String(i).padStart(4, '0')}`, n: rand(20) };
  const a = rand(7);
  if (a < 3) d.a = ['x', 'y', 'z'][a];
  else if (a === 3) d.a = null;
  else if (a === 4) d.a = rand(3);
  else if (a === 5) d.a = true;
  // a === 6: missing
  if (rand(4)) d.at = `2026-03-0${1 + rand(3)}T0${rand(3)}:00:00.000Z`;
  const b = rand(6);
  if (b < 3) d.b = rand(50) - 10;
  else if (b === 3) d.b = `s${rand(9)}`;
  else if (b === 4) d.b = [rand(5), rand(5)];
  if (rand(3)) d.tags = Array.from({ length: rand(3) }, () => ['red', 'green', 'blue'][rand(3)]);
  return d;
}

beforeAll(() => {
  indexed = new DocumentStore(':memory:', { collections: decl, strictIndexes: false });
  scanning = new DocumentStore(':memory:', { collections: [], strictIndexes: false });
  const docs = Array.from({ length: 600 }, (_, i) => doc(i));
  for (const s of [indexed, scanning]) {
    s.createCollection('items');
    s.insert('items', docs);
  }
  // Updates and removals keep the index entries in step.
  for (const s of [indexed, scanning]) {
    s.modify('items', { n: 3 }, { $set: { a: 'y', tags: ['red'] } }, { multi: true, merge: true, upsert: false });
    s.remove('items', { n: 4 }, true);
  }
});
afterAll(() => {
  indexed.close();
  scanning.close();
});

const cases: Array<[string, Record<string, unknown>, { order?: Record<string, 1 | -1>; limit?: number; offset?: number }]> = [
  ['equality', { a: 'x' }, {}],
  ['null matches null and missing', { a: null }, {}],
  ['in with mixed types', { a: { $in: ['y', 1, true] } }, {}],
  ['page, sorted like the index, ties on at', { a: 'x' }, { order: { at: -1, _id: 1 }, limit: 7 }],
  ['page sorted against the index direction', { a: { $in: ['x', 'z'] } }, { order: { at: 1, _id: -1 }, limit: 9 }],
  ['ties at the page boundary without _id', { a: 'y' }, { order: { at: -1 }, limit: 5 }],
  ['missing sort values first', { a: 'z' }, { order: { at: 1 }, limit: 12 }],
  ['offset', { a: 'y' }, { order: { at: -1, _id: 1 }, limit: 5, offset: 6 }],
  ['range on the field after the prefix', { a: 'x', at: { $gte: '2026-03-02' } }, { order: { at: -1, _id: 1 } }],
  ['multikey equality', { tags: 'red' }, {}],
  ['multikey in with a sort on another index', { tags: { $in: ['green', 'blue'] } }, { order: { n: 1 }, limit: 10 }],
  ['range bracketed by type over mixed values', { b: { $gt: 5 } }, { order: { n: 1, _id: 1 } }],
  ['string range', { b: { $lt: 's5' } }, {}],
  ['array values compare by element', { b: 3 }, {}],
  ['ordered walk with no filter', {}, { order: { n: -1, _id: -1 }, limit: 15 }],
  ['$or across indexes', { $or: [{ a: 'x' }, { tags: 'blue' }] }, { order: { _id: 1 }, limit: 20 }],
  ['$and with an $or on the sort key (a cursor)', { $and: [{ a: 'y' }, { $or: [{ at: { $lt: '2026-03-02' } }, { at: '2026-03-02T01:00:00.000Z', _id: { $lt: 'd0300' } }] }] }, { order: { at: -1, _id: -1 }, limit: 8 }],
  ['_id in', { _id: { $in: ['d0001', 'd0002', 'nope'] } }, {}],
  ['unindexed filter beside an indexed one', { a: 'x', n: { $ne: 5 } }, { order: { at: -1, _id: 1 }, limit: 6 }],
  ['sort on a multikey field', { a: 'y' }, { order: { b: 1, _id: 1 }, limit: 10 }],
];

test.each(cases)('%s: the indexed store answers what a scan answers', (_name, query, options) => {
  const ids = (s: DocumentStore) => s.find('items', query, options).map((d) => d._id);
  const expected = ids(scanning);
  expect(ids(indexed)).toEqual(expected);
  expect(indexed.count('items', query)).toBe(scanning.count('items', query));
});

test('selective queries read fewer documents than a scan', () => {
  indexed.resetStats();
  scanning.resetStats();
  const query = { a: 'x' };
  indexed.find('items', query, { order: { at: -1, _id: 1 }, limit: 3 });
  scanning.find('items', query, { order: { at: -1, _id: 1 }, limit: 3 });
  expect(indexed.stats().collectionScans).toBe(0);
  expect(indexed.stats().docsExamined).toBeLessThan(10);
  expect(scanning.stats().docsExamined).toBeGreaterThan(400);
});

test('an index declared later is built from the documents already there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-index-'));
  const file = join(dir, 'db.sqlite');
  const before = new DocumentStore(file, { collections: [] });
  before.createCollection('items');
  before.insert('items', Array.from({ length: 50 }, (_, i) => ({ _id: `p${i}`, a: `v${i}`, tags: [`t${i}`] })));
  before.close();
  const after = new DocumentStore(file, { collections: decl });
  after.resetStats();
  expect(after.find('items', { a: 'v7' }, { limit: 5 }).map((d) => d._id)).toEqual(['p7']);
  expect(after.find('items', { tags: 't9' }, { limit: 5 }).map((d) => d._id)).toEqual(['p9']);
  expect(after.stats()).toMatchObject({ docsExamined: 2, collectionScans: 0 });
  after.close();
  rmSync(dir, { recursive: true, force: true });
});
