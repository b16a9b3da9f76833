/**
 * The embedded document store behind the local runtime.
 *
 * Documents live in SQLite (persistence, crash safety through SQLite's
 * journal), one row per document with its body as EJSON. Every index declared
 * in server/db/schema.ts is an SQLite table of key entries maintained on every
 * write (an array field gives one entry per element, as a MongoDB multikey
 * index does). A query picks the declared index whose leading fields it pins
 * by equality or `in`, reads candidate ids from that index (walking it in sort
 * order when it can, so a page costs about a page), and mingo evaluates the
 * full query on the candidates only: MongoDB semantics still come from a
 * maintained evaluator rather than from us.
 *
 * Strict like CloudBase: collections must be created before use, transactions
 * take only document operations, field names are checked; and, locally only, a
 * query no declared index covers is refused, so a missing index shows up in a
 * test instead of as a slow scan in production.
 *
 * Each document carries a version (a store-wide sequence, so a document
 * deleted and re-created never repeats a version); transactions are
 * optimistic: they record the version of every document they read or write and
 * the commit fails with DATABASE_TRANSACTION_CONFLICT when any of them moved,
 * which is the code the SDK's runTransaction retries on.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'crypto';
import { Aggregator, Query, update as applyUpdate } from 'mingo';
import { EJSON } from 'bson';
import { COLLECTIONS, type CollectionDecl } from '../db/schema';
import { closeLocked, openLocked } from './database';

export type Doc = Record<string, unknown> & { _id: string };

export interface FindOptions {
  order?: Record<string, 1 | -1>;
  offset?: number;
  limit?: number;
  projection?: Record<string, unknown>;
}

export interface StoreOptions {
  /** The declared collections and their indexes; server/db/schema.ts by default. */
  collections?: readonly CollectionDecl[];
  /** Refuse queries no declared index covers (default on). */
  strictIndexes?: boolean;
}

export interface StoreStats {
  /** Documents loaded and tested against a query (the cost an index saves). */
  docsExamined: number;
  /** Index entries read. */
  keysExamined: number;
  /** find/count/aggregate calls that had to read the whole collection. */
  collectionScans: number;
}

export class StoreError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export const CONFLICT_CODE = 'DATABASE_TRANSACTION_CONFLICT';
/** CloudBase's codes and messages for a collection that is missing, or created twice. */
export const NOT_EXIST_CODE = 'DATABASE_COLLECTION_NOT_EXIST';
export const ALREADY_EXIST_CODE = 'DATABASE_COLLECTION_ALREADY_EXIST';
export const INVALID_PARAM = 'INVALID_PARAM';
/** Local only: CloudBase would answer these, slowly or truncated; we refuse so the code cannot rely on them. */
export const NOT_COVERED_CODE = 'LOCAL_INDEX_NOT_COVERED';
export const UNBOUNDED_CODE = 'LOCAL_UNBOUNDED_READ';

/**
 * Query shapes that run although no declared index covers them, each with
 * why it is safe. Empty: the ledger export's whole-collection reads walk the
 * primary key (a range on `_id`), which CloudBase serves, and every other
 * query has its index.
 */
export const KNOWN_UNCOVERED: ReadonlySet<string> = new Set<string>([]);


interface TxState {
  /** Version seen for each coll/id touched (0 = absent). */
  seen: Map<string, number>;
  /** Pending writes; null means delete. */
  writes: Map<string, Doc | null>;
}

interface Entry {
  doc: Doc;
  version: number;
  rowid: number;
}

const key = (coll: string, id: string) => `${coll}\u0000${id}`;
const splitKey = (k: string) => k.split('\u0000') as [string, string];

export function newId(): string {
  return randomBytes(16).toString('hex');
}

function serialize(doc: Doc): string {
  return EJSON.stringify(doc, { relaxed: false });
}

function deserialize(text: string): Doc {
  return EJSON.parse(text, { relaxed: true }) as Doc;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** A document-like object (from any realm: structuredClone's copies can come from another one under jest), not a Date or a BSON value. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

// ---- index keys ---------------------------------------------------------
//
// A key is a byte string whose memcmp order (SQLite compares BLOBs that way)
// is mingo's sort order: a type tag in mingo's type order, then the value in
// an order-preserving form. Types mingo orders by content we cannot reproduce
// bytewise (objects, arrays, regexps) carry an "unordered" tag: they still
// answer equality lookups, but an index walk that meets one falls back to
// sorting the candidates with mingo.

const TAG = { missing: 0x01, null: 0x02, number: 0x03, string: 0x04, object: 0x05, array: 0x06, boolean: 0x09, date: 0x0a, other: 0x0f };
const UNORDERED = new Set([TAG.object, TAG.array, TAG.other]);
const MISSING = Symbol('missing');
const EMPTY_ARRAY = Symbol('empty array');

function orderedFloat(n: number): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeDoubleBE(n === 0 ? 0 : n);
  if (buf[0] & 0x80) for (let i = 0; i < 8; i++) buf[i] = ~buf[i] & 0xff;
  else buf[0] |= 0x80;
  return buf;
}

function encodeKey(value: unknown): Buffer {
  if (value === MISSING || value === undefined) return Buffer.from([TAG.missing]);
  if (value === null) return Buffer.from([TAG.null]);
  if (value === EMPTY_ARRAY) return Buffer.from([TAG.array]);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return Buffer.from([TAG.other, 0]);
    return Buffer.concat([Buffer.from([TAG.number]), orderedFloat(value)]);
  }
  if (typeof value === 'string') {
    // UTF-16 code units, big-endian: the order JavaScript (and so mingo) compares strings in.
    const buf = Buffer.alloc(1 + value.length * 2);
    buf[0] = TAG.string;
    for (let i = 0; i < value.length; i++) buf.writeUInt16BE(value.charCodeAt(i), 1 + i * 2);
    return buf;
  }
  if (typeof value === 'boolean') return Buffer.from([TAG.boolean, value ? 1 : 0]);
  if (value instanceof Date) return Buffer.concat([Buffer.from([TAG.date]), orderedFloat(value.getTime())]);
  if (Array.isArray(value)) return Buffer.concat([Buffer.from([TAG.array]), Buffer.from(EJSON.stringify(value, { relaxed: false }))]);
  if (isPlainObject(value)) return Buffer.concat([Buffer.from([TAG.object]), Buffer.from(EJSON.stringify(value, { relaxed: false }))]);
  return Buffer.concat([Buffer.from([TAG.other]), Buffer.from(String(value))]);
}

const decodeString = (k: Buffer) => Buffer.from(k.subarray(1)).swap16().toString('utf16le');

/** Every value at a dotted path, descending through arrays as MongoDB does; one entry per array element. */
function valuesAt(doc: unknown, parts: string[]): { values: unknown[]; multikey: boolean } {
  let multikey = false;
  const walk = (value: unknown, i: number): unknown[] => {
    if (i === parts.length) {
      if (Array.isArray(value)) {
        multikey = true;
        return value.length ? value.map((v) => (v === undefined ? null : v)) : [EMPTY_ARRAY];
      }
      return [value === undefined ? MISSING : value];
    }
    if (Array.isArray(value)) {
      multikey = true;
      const out = value.flatMap((v) => (isPlainObject(v) ? walk(v, i) : []));
      return out.length ? out : [MISSING];
    }
    if (isPlainObject(value)) return walk(value[parts[i]], i + 1);
    return [MISSING];
  };
  const values = walk(doc, 0);
  return { values: [...new Map(values.map((v) => [encodeKey(v).toString('hex'), v])).values()], multikey };
}

// ---- query analysis -----------------------------------------------------

interface Bound {
  key: Buffer;
  inclusive: boolean;
}

interface Conj {
  /** Fields pinned by equality or `in`, with the keys a matching document may carry. */
  eq: Map<string, Buffer[]>;
  /** Range bounds per field, already bracketed to the operand's type as MongoDB compares. */
  range: Map<string, { lower: Bound; upper: Bound }>;
  /** Whether the filter says anything at all (for the "ordered index walk" rule). */
  filtered: boolean;
}

const MAX_BRANCHES = 64;
const MAX_COMBOS = 256;
const RANGE_TYPES: Record<string, number> = { number: TAG.number, string: TAG.string };

function eqKeys(value: unknown): Buffer[] | undefined {
  if (value === null) return [encodeKey(MISSING), encodeKey(null)];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) {
    if (typeof value === 'number' && Number.isNaN(value)) return undefined;
    return [encodeKey(value)];
  }
  return undefined;
}

function typeTag(value: unknown): number | undefined {
  if (value instanceof Date) return TAG.date;
  return RANGE_TYPES[typeof value];
}

function rangeOf(ops: Record<string, unknown>): { lower: Bound; upper: Bound } | undefined {
  let tag: number | undefined;
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  for (const [op, operand] of Object.entries(ops)) {
    if (!['$gt', '$gte', '$lt', '$lte'].includes(op)) continue;
    const t = typeTag(operand);
    if (t === undefined || (tag !== undefined && t !== tag)) return undefined;
    tag = t;
    const bound = { key: encodeKey(operand), inclusive: op.endsWith('e') };
    if (op.startsWith('$g')) lower = bound;
    else upper = bound;
  }
  if (tag === undefined) return undefined;
  // $gt/$lt only match values of the operand's type (mingo and MongoDB alike).
  return {
    lower: lower ?? { key: Buffer.from([tag]), inclusive: true },
    upper: upper ?? { key: Buffer.from([tag + 1]), inclusive: false },
  };
}

function fieldConstraint(value: unknown): { eq?: Buffer[]; range?: { lower: Bound; upper: Bound } } {
  if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
    if ('$eq' in value) {
      const keys = eqKeys(value.$eq);
      if (keys) return { eq: keys };
    }
    if (Array.isArray(value.$in)) {
      const keys = value.$in.map(eqKeys);
      if (keys.every(Boolean)) return { eq: [...new Map((keys as Buffer[][]).flat().map((k) => [k.toString('hex'), k])).values()] };
    }
    return { range: rangeOf(value) };
  }
  const keys = eqKeys(value);
  return keys ? { eq: keys } : {};
}

const emptyConj = (): Conj => ({ eq: new Map(), range: new Map(), filtered: false });

function merge(a: Conj, b: Conj): Conj {
  const eq = new Map(a.eq);
  for (const [f, k] of b.eq) if (!eq.has(f)) eq.set(f, k);
  const range = new Map(a.range);
  for (const [f, r] of b.range) if (!range.has(f)) range.set(f, r);
  return { eq, range, filtered: a.filtered || b.filtered };
}

/**
 * The filter as a disjunction of conjunctions ($or distributed over $and),
 * keeping what an index can use: equality/`in` keys and ranges per field. Too
 * many branches give up on index use (one unconstrained branch).
 */
function conjunctions(filter: Record<string, unknown>): Conj[] {
  let acc: Conj[] = [emptyConj()];
  for (const [field, value] of Object.entries(filter)) {
    if ((field === '$and' || field === '$or') && Array.isArray(value)) {
      const parts = value.map((v) => conjunctions(isPlainObject(v) ? v : {}));
      if (field === '$and') for (const part of parts) acc = acc.flatMap((c) => part.map((p) => merge(c, p)));
      else {
        const branches = parts.flat();
        acc = acc.flatMap((c) => branches.map((b) => merge(c, b)));
      }
      for (const c of acc) c.filtered = true;
    } else if (field.startsWith('$')) {
      for (const c of acc) c.filtered = true;
    } else {
      const { eq, range } = fieldConstraint(value);
      acc = acc.map((c) => {
        const next: Conj = { eq: new Map(c.eq), range: new Map(c.range), filtered: true };
        if (eq && !next.eq.has(field)) next.eq.set(field, eq);
        if (range && !next.range.has(field)) next.range.set(field, range);
        return next;
      });
    }
    if (acc.length > MAX_BRANCHES) acc = [{ ...emptyConj(), filtered: true }];
  }
  return acc;
}

/** Every field a filter mentions, in order of first appearance (for the shape in messages). */
function filterFields(filter: unknown, out: string[] = []): string[] {
  if (!isPlainObject(filter)) return out;
  for (const [field, value] of Object.entries(filter)) {
    if (field.startsWith('$')) {
      if (Array.isArray(value)) for (const v of value) filterFields(v, out);
    } else if (!out.includes(field)) out.push(field);
  }
  return out;
}

export function queryShape(coll: string, filter: Record<string, unknown>, order: Record<string, 1 | -1> = {}): string {
  const sorted = Object.keys(order);
  return `${coll} where {${filterFields(filter).join(',')}}${sorted.length ? ` orderBy ${sorted.join(',')}` : ''}`;
}

/**
 * Whether `index` serves a query: it seeks (its first field pinned by
 * equality or `in`; or, for a query with no filter, it is walked from its
 * first field), and the sort, less the fields pinned by
 * equality, is the run of index fields right after the pinned ones, all in
 * the index's own directions or all in their exact reverse. A compound index
 * serves nothing else: `(createdAt desc, _id asc)` does not serve
 * `createdAt desc, _id desc`, and the database would sort in memory.
 */
function serves(index: { fields: readonly string[]; dirs: ReadonlyArray<1 | -1> }, conj: Conj, sort: SortKey[]): boolean {
  let pinned = 0;
  while (pinned < index.fields.length && conj.eq.has(index.fields[pinned])) pinned++;
  const seeks = pinned > 0 || (!conj.filtered && sort.length > 0);
  if (!seeks) return false;
  const rest = sort.filter((s) => !index.fields.slice(0, pinned).includes(s.field));
  let direction: number | undefined;
  return rest.every((s, j) => {
    const at = pinned + j;
    if (index.fields[at] !== s.field) return false;
    const d = s.dir * index.dirs[at];
    direction ??= d;
    return d === direction;
  });
}

// ---- indexes ------------------------------------------------------------

interface IndexInfo {
  name: string;
  table: string;
  signature: string;
  insert?: Database.Statement;
  removeId?: Database.Statement;
  fields: string[];
  paths: string[][];
  /** 1 ascending, -1 descending, per field. */
  dirs: Array<1 | -1>;
  multikey: Set<string>;
}

interface SortKey {
  field: string;
  dir: 1 | -1;
}

/** How one conjunction reads its candidates. */
type Plan =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'scan' }
  /** A range (or the whole) of the primary key, read in _id order: 1 ascending, -1 descending. */
  | { kind: 'primary'; lower?: { id: string; inclusive: boolean }; upper?: { id: string; inclusive: boolean }; walk: 1 | -1 }
  | {
      kind: 'index';
      index: IndexInfo;
      /** Leading fields pinned by equality; each combination of their keys is one range of the index. */
      prefix: number;
      combos: Buffer[][];
      range?: { lower: Bound; upper: Bound };
      /** Set when reading each range in index order gives the query's sort order: 1 forward, -1 backward. */
      walk?: 1 | -1;
    };

interface Row {
  id: string;
  keys: Buffer[];
}

interface RangeCursor {
  plan: Extract<Plan, { kind: 'index' }>;
  combo: Buffer[];
  offset: number;
  batch: number;
  buf: Row[];
  pos: number;
  done: boolean;
}

function indexTable(name: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`index name ${name} is not a plain identifier`);
  return `ix_${name}`;
}

const signature = (decl: CollectionDecl['indexes'][number]) => JSON.stringify(decl.fields);

export class DocumentStore {
  private readonly sql: Database.Database;
  private readonly txs = new Map<string, TxState>();
  private readonly collections = new Set<string>();
  private readonly indexes = new Map<string, IndexInfo[]>();
  private readonly cache = new Map<string, Entry>();
  private readonly stmts;
  private readonly rangeStmts = new Map<string, Database.Statement>();
  private readonly strict: boolean;
  private seq: number;
  private counters: StoreStats = { docsExamined: 0, keysExamined: 0, collectionScans: 0 };

  constructor(private readonly file: string, options: StoreOptions = {}) {
    this.strict = options.strictIndexes ?? true;
    // On disk: locked for this process, checked whole (server/local/database.ts); WAL is set there, before the lock.
    this.sql = file === ':memory:' ? new Database(file) : openLocked(file);
    // WAL with NORMAL: a write acknowledged to a caller survives a killed process (the crash test
    // kills the gateway mid-burst); only a power cut can lose the last moments. FULL would fsync
    // every commit — about 3 ms each here, most of a submission's time — for a local stand-in of a
    // cloud database whose own durability is the cloud's.
    this.sql.pragma('synchronous = NORMAL');
    const hadCollections = Boolean(this.sql.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'collections'").get());
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS docs (coll TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (coll, id));
      CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS indexes (name TEXT PRIMARY KEY, coll TEXT NOT NULL, signature TEXT NOT NULL, multikey TEXT NOT NULL);
    `);
    // A database written before collections were recorded: what holds documents was created.
    if (!hadCollections) this.sql.exec('INSERT OR IGNORE INTO collections (name) SELECT DISTINCT coll FROM docs');
    this.stmts = {
      upsert: this.sql.prepare(
        'INSERT INTO docs (coll, id, version, body) VALUES (?, ?, ?, ?) ON CONFLICT(coll, id) DO UPDATE SET version = excluded.version, body = excluded.body',
      ),
      remove: this.sql.prepare('DELETE FROM docs WHERE coll = ? AND id = ?'),
      get: this.sql.prepare('SELECT rowid, version, body FROM docs WHERE coll = ? AND id = ?'),
      version: this.sql.prepare('SELECT version FROM docs WHERE coll = ? AND id = ?').pluck(),
      scan: this.sql.prepare('SELECT rowid, id, version, body FROM docs WHERE coll = ? ORDER BY rowid'),
      addCollection: this.sql.prepare('INSERT INTO collections (name) VALUES (?)'),
      saveIndex: this.sql.prepare(
        'INSERT INTO indexes (name, coll, signature, multikey) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET coll = excluded.coll, signature = excluded.signature, multikey = excluded.multikey',
      ),
    };
    this.seq = (this.sql.prepare('SELECT MAX(version) FROM docs').pluck().get() as number | null) ?? 0;
    for (const name of this.sql.prepare('SELECT name FROM collections').pluck().all() as string[]) this.collections.add(name);
    this.setUpIndexes(options.collections ?? COLLECTIONS);
  }

  close(): void {
    if (this.file === ':memory:') this.sql.close();
    else closeLocked(this.sql, this.file);
  }

  stats(): StoreStats {
    return { ...this.counters };
  }

  resetStats(): void {
    this.counters = { docsExamined: 0, keysExamined: 0, collectionScans: 0 };
  }

  // ---- collections and indexes ----------------------------------------

  /** database.addCollection: CloudBase refuses a second creation. */
  createCollection(name: string): void {
    if (this.collections.has(name)) throw new StoreError(ALREADY_EXIST_CODE, `[ResourceUnavailable.ResourceExist] Table exist. (${name})`);
    this.ensureCollection(name);
  }

  hasCollection(name: string): boolean {
    return this.collections.has(name);
  }

  private ensureCollection(name: string): void {
    if (this.collections.has(name)) return;
    this.stmts.addCollection.run(name);
    this.collections.add(name);
  }

  private requireCollection(name: string): void {
    if (!this.collections.has(name)) {
      throw new StoreError(NOT_EXIST_CODE, `[ResourceNotFound] Db or Table not exist. Please check your request, but if the problem cannot be solved, contact us. (${name})`);
    }
  }

  private setUpIndexes(decls: readonly CollectionDecl[]): void {
    const saved = new Map(
      (this.sql.prepare('SELECT name, coll, signature, multikey FROM indexes').all() as Array<{ name: string; coll: string; signature: string; multikey: string }>).map(
        (r) => [r.name, r],
      ),
    );
    const declared = new Set<string>();
    for (const decl of decls) {
      const infos: IndexInfo[] = [];
      for (const idx of decl.indexes) {
        declared.add(idx.name);
        const info: IndexInfo = {
          name: idx.name,
          table: indexTable(idx.name),
          fields: idx.fields.map((f) => f[0]),
          paths: idx.fields.map((f) => f[0].split('.')),
          dirs: idx.fields.map((f) => (f[1] === 'desc' ? -1 : 1)),
          signature: signature(idx),
          multikey: new Set(),
        };
        const prior = saved.get(idx.name);
        if (prior && prior.coll === decl.name && prior.signature === info.signature) {
          for (const f of JSON.parse(prior.multikey) as string[]) info.multikey.add(f);
          this.prepareIndex(info);
        } else {
          this.buildIndex(decl.name, info);
        }
        infos.push(info);
      }
      this.indexes.set(decl.name, infos);
    }
    for (const name of saved.keys()) {
      if (declared.has(name)) continue;
      this.sql.exec(`DROP TABLE IF EXISTS ${indexTable(name)}`);
      this.sql.prepare('DELETE FROM indexes WHERE name = ?').run(name);
    }
  }

  private prepareIndex(info: IndexInfo): void {
    info.insert = this.sql.prepare(`INSERT OR IGNORE INTO ${info.table} VALUES (${info.fields.map(() => '?').join(', ')}, ?)`);
    info.removeId = this.sql.prepare(`DELETE FROM ${info.table} WHERE id = ?`);
  }

  private buildIndex(coll: string, info: IndexInfo): void {
    const cols = info.fields.map((_, i) => `k${i}`);
    const pk = [...cols.map((c, i) => `${c}${info.dirs[i] === -1 ? ' DESC' : ''}`), 'id'].join(', ');
    this.sql.transaction(() => {
      this.sql.exec(`DROP TABLE IF EXISTS ${info.table}`);
      this.sql.exec(`CREATE TABLE ${info.table} (${cols.map((c) => `${c} BLOB NOT NULL`).join(', ')}, id TEXT NOT NULL, PRIMARY KEY (${pk})) WITHOUT ROWID`);
      this.sql.exec(`CREATE INDEX ${info.table}_id ON ${info.table} (id)`);
      this.prepareIndex(info);
      for (const row of this.stmts.scan.all(coll) as Array<{ id: string; body: string }>) this.writeEntries(coll, info, row.id, deserialize(row.body));
      this.stmts.saveIndex.run(info.name, coll, info.signature, JSON.stringify([...info.multikey]));
    })();
  }

  private writeEntries(coll: string, info: IndexInfo, id: string, doc: Doc): void {
    let combos: unknown[][] = [[]];
    let newMultikey = false;
    info.paths.forEach((path, i) => {
      const { values, multikey } = valuesAt(doc, path);
      if (multikey && !info.multikey.has(info.fields[i])) {
        info.multikey.add(info.fields[i]);
        newMultikey = true;
      }
      combos = combos.flatMap((c) => values.map((v) => [...c, v]));
    });
    for (const combo of combos) info.insert!.run(...combo.map(encodeKey), id);
    if (newMultikey) this.stmts.saveIndex.run(info.name, coll, info.signature, JSON.stringify([...info.multikey]));
  }

  // ---- documents --------------------------------------------------------

  private load(coll: string, id: string): Entry | undefined {
    const k = key(coll, id);
    const cached = this.cache.get(k);
    // A copy decides a read (and so a conditional write) only while the database holds that very
    // version: one version lookup by key instead of trusting that nothing else wrote the file.
    if (cached && this.version(coll, id) === cached.version) return cached;
    const row = this.stmts.get.get(coll, id) as { rowid: number; version: number; body: string } | undefined;
    if (!row) return undefined;
    return this.remember(k, { doc: deserialize(row.body), version: row.version, rowid: row.rowid });
  }

  private remember(k: string, entry: Entry): Entry {
    // Bounded: a cache of what was read lately, never a copy of the collection to scan.
    if (this.cache.size >= 20_000) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(k, entry);
    return entry;
  }

  private version(coll: string, id: string): number {
    return (this.stmts.version.get(coll, id) as number | undefined) ?? 0;
  }

  private scan(coll: string): Entry[] {
    this.counters.collectionScans++;
    const out: Entry[] = [];
    for (const row of this.stmts.scan.all(coll) as Array<{ rowid: number; id: string; version: number; body: string }>) {
      const k = key(coll, row.id);
      const cached = this.cache.get(k);
      out.push(cached && cached.version === row.version ? cached : { doc: deserialize(row.body), version: row.version, rowid: row.rowid });
    }
    return out;
  }

  /** Applies a batch of writes atomically: documents and their index entries in one SQLite transaction. */
  private commitWrites(writes: Map<string, Doc | null>): void {
    try {
      this.applyWrites(writes);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_FULL') throw err;
      // A full disk: SQLite rolled the batch back whole. The write-ahead log may hold most of the
      // space (it grows to ~4 MB between checkpoints); folding it into the database and cutting it
      // back can free enough for this write. If not, the caller gets the error, and the next write
      // tries again: writes resume as soon as space is freed.
      try {
        this.sql.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // no room even for that
      }
      this.applyWrites(writes);
    }
  }

  private applyWrites(writes: Map<string, Doc | null>): void {
    this.sql.transaction(() => {
      for (const [k, doc] of writes) {
        const [coll, id] = splitKey(k);
        this.cache.delete(k);
        const infos = this.indexes.get(coll) ?? [];
        for (const info of infos) info.removeId!.run(id);
        if (doc === null) {
          this.stmts.remove.run(coll, id);
        } else {
          this.stmts.upsert.run(coll, id, ++this.seq, serialize(doc));
          for (const info of infos) this.writeEntries(coll, info, id, doc);
        }
      }
    })();
  }

  // ---- planning ---------------------------------------------------------

  /**
   * CloudBase's rule, checked locally: a query is covered when the database
   * can seek to its documents and read them in its sort order without sorting
   * in memory. By `_id` (equal, `in`, or a range: the primary key) always; by
   * a walk of the primary key when it sorts by `_id` alone; otherwise by an
   * index that `serves` it.
   */
  private covered(coll: string, conj: Conj, sort: SortKey[]): boolean {
    if (conj.eq.has('_id')) return true;
    const byIdOnly = sort.every((s) => s.field === '_id');
    if (byIdOnly && (conj.range.has('_id') || (!conj.filtered && sort.length > 0))) return true;
    return (this.indexes.get(coll) ?? []).some((info) => serves(info, conj, sort));
  }

  private checkCoverage(coll: string, filter: Record<string, unknown>, conjs: Conj[], sort: SortKey[]): void {
    if (!this.strict || conjs.every((c) => this.covered(coll, c, sort))) return;
    const shape = queryShape(coll, filter, Object.fromEntries(sort.map((s) => [s.field, s.dir])));
    if (KNOWN_UNCOVERED.has(shape)) return;
    throw new StoreError(NOT_COVERED_CODE, `no declared index covers ${shape}`);
  }

  private plan(coll: string, conj: Conj, sort: SortKey[]): Plan {
    const ids = conj.eq.get('_id');
    if (ids) {
      const values = ids.filter((k) => k[0] === TAG.string).map(decodeString);
      return { kind: 'ids', ids: [...new Set(values)] };
    }
    let best: { plan: Extract<Plan, { kind: 'index' }>; score: number } | undefined;
    for (const index of this.indexes.get(coll) ?? []) {
      let prefix = 0;
      let combos: Buffer[][] = [[]];
      while (prefix < index.fields.length && conj.eq.has(index.fields[prefix])) {
        const keys = conj.eq.get(index.fields[prefix])!;
        if (combos.length * keys.length > MAX_COMBOS) break;
        combos = combos.flatMap((c) => keys.map((k) => [...c, k]));
        prefix++;
      }
      const range = prefix < index.fields.length ? conj.range.get(index.fields[prefix]) : undefined;
      const walk = this.walkDirection(index, prefix, sort);
      if (prefix === 0 && !range && !(walk && sort.length)) continue;
      const score = prefix * 4 + (range ? 2 : 0) + (walk ? 1 : 0);
      if (!best || score > best.score) best = { plan: { kind: 'index', index, prefix, combos, range, walk }, score };
    }
    if (best && best.plan.prefix > 0) return best.plan;
    return this.primaryPlan(conj, sort) ?? best?.plan ?? { kind: 'scan' };
  }

  /** The primary key's plan, when the query bounds `_id` or walks it, and sorts by `_id` alone. */
  private primaryPlan(conj: Conj, sort: SortKey[]): Extract<Plan, { kind: 'primary' }> | undefined {
    if (!sort.every((s) => s.field === '_id')) return undefined;
    const range = conj.range.get('_id');
    if (!range && (conj.filtered || !sort.length)) return undefined;
    // A bound that is only the type bracket (no operand) leaves that side open.
    const bound = (b: Bound) => (b.key.length > 1 && b.key[0] === TAG.string ? { id: decodeString(b.key), inclusive: b.inclusive } : undefined);
    if (range && range.lower.key[0] !== TAG.string) return undefined;
    return { kind: 'primary', lower: range && bound(range.lower), upper: range && bound(range.upper), walk: sort[0]?.dir ?? 1 };
  }

  /** Ids of the primary-key range in `_id` order, `limit` of them from `offset` (-1: all). */
  private primaryIds(coll: string, plan: Extract<Plan, { kind: 'primary' }>, limit: number, offset: number): string[] {
    const where = ['coll = ?'];
    const params: unknown[] = [coll];
    if (plan.lower) {
      where.push(`id ${plan.lower.inclusive ? '>=' : '>'} ?`);
      params.push(plan.lower.id);
    }
    if (plan.upper) {
      where.push(`id ${plan.upper.inclusive ? '<=' : '<'} ?`);
      params.push(plan.upper.id);
    }
    const text = `SELECT id FROM docs WHERE ${where.join(' AND ')} ORDER BY id ${plan.walk === 1 ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`;
    let stmt = this.rangeStmts.get(text);
    if (!stmt) this.rangeStmts.set(text, (stmt = this.sql.prepare(text).pluck()));
    const ids = stmt.all(...params, limit, offset) as string[];
    this.counters.keysExamined += ids.length;
    return ids;
  }

  /** Reads the primary-key range in order, testing documents as they come, until `need` match. */
  private walkPrimary(coll: string, plan: Extract<Plan, { kind: 'primary' }>, matcher: Query, need: number): Entry[] {
    const accepted: Entry[] = [];
    let batch = Math.min(need + 1, 1000);
    for (let offset = 0; accepted.length < need; ) {
      const ids = this.primaryIds(coll, plan, batch, offset);
      offset += ids.length;
      for (const id of ids) {
        const entry = this.load(coll, id);
        this.counters.docsExamined++;
        if (entry && matcher.test(entry.doc)) accepted.push(entry);
        if (accepted.length >= need) break;
      }
      if (ids.length < batch) break;
      batch = Math.min(batch * 2, 1000);
    }
    return accepted.sort((a, b) => a.rowid - b.rowid);
  }

  /**
   * Whether reading each range of `index` (its first `prefix` fields fixed) in
   * index order yields documents in `sort` order, and in which direction.
   */
  private walkDirection(index: IndexInfo, prefix: number, sort: SortKey[]): 1 | -1 | undefined {
    if (sort.some((s) => index.multikey.has(s.field))) return undefined;
    const fixed = new Set(index.fields.slice(0, prefix));
    const rest = sort.filter((s) => !fixed.has(s.field));
    let direction: 1 | -1 | undefined;
    for (let j = 0; j < rest.length; j++) {
      const at = prefix + j;
      // The id column ends every index in ascending order, declared or not.
      const field = at < index.fields.length ? index.fields[at] : at === index.fields.length ? '_id' : undefined;
      const declared = at < index.fields.length ? index.dirs[at] : 1;
      if (field !== rest[j].field) return undefined;
      const d = (rest[j].dir * declared) as 1 | -1;
      if (direction && d !== direction) return undefined;
      direction = d;
    }
    return direction ?? 1;
  }

  private rangeStatement(plan: Extract<Plan, { kind: 'index' }>, direction: 1 | -1): Database.Statement {
    const { index, prefix, range } = plan;
    const name = `${index.table}|${prefix}|${range ? `${range.lower.inclusive}${range.upper.inclusive}` : '-'}|${direction}`;
    let stmt = this.rangeStmts.get(name);
    if (!stmt) {
      const where = index.fields.slice(0, prefix).map((_, i) => `k${i} = ?`);
      if (range) where.push(`k${prefix} ${range.lower.inclusive ? '>=' : '>'} ?`, `k${prefix} ${range.upper.inclusive ? '<=' : '<'} ?`);
      const order = [...index.fields.map((_, i) => ({ col: `k${i}`, dir: index.dirs[i] })), { col: 'id', dir: 1 as const }]
        .slice(prefix)
        .map(({ col, dir }) => `${col} ${dir * direction === 1 ? 'ASC' : 'DESC'}`);
      const cols = [...index.fields.map((_, i) => `k${i}`), 'id'].join(', ');
      stmt = this.sql.prepare(`SELECT ${cols} FROM ${index.table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`);
      this.rangeStmts.set(name, stmt);
    }
    return stmt;
  }

  private fetchRange(cursor: RangeCursor, direction: 1 | -1, limit: number): Row[] {
    const { plan } = cursor;
    const params: unknown[] = [...cursor.combo];
    if (plan.range) params.push(plan.range.lower.key, plan.range.upper.key);
    const raw = this.rangeStatement(plan, direction).raw().all(...params, limit, cursor.offset) as unknown[][];
    cursor.offset += raw.length;
    this.counters.keysExamined += raw.length;
    return raw.map((r) => ({ id: r[r.length - 1] as string, keys: r.slice(0, -1) as Buffer[] }));
  }

  /** Candidate ids of every branch, or undefined when one branch needs the whole collection. */
  private candidateIds(coll: string, plans: Plan[]): string[] | undefined {
    if (plans.some((p) => p.kind === 'scan')) return undefined;
    const ids = new Set<string>();
    for (const plan of plans) {
      if (plan.kind === 'ids') for (const id of plan.ids) ids.add(id);
      else if (plan.kind === 'primary') for (const id of this.primaryIds(coll, plan, -1, 0)) ids.add(id);
      else if (plan.kind === 'index') {
        for (const combo of plan.combos) {
          const cursor: RangeCursor = { plan, combo, offset: 0, batch: 0, buf: [], pos: 0, done: false };
          for (const row of this.fetchRange(cursor, 1, -1)) ids.add(row.id);
        }
      }
    }
    return [...ids];
  }

  /** The committed documents that may match `plans`, in insertion order (mingo's tie order, as before). */
  private candidates(coll: string, plans: Plan[]): Entry[] {
    const ids = this.candidateIds(coll, plans);
    const entries = ids ? ids.map((id) => this.load(coll, id)).filter((e): e is Entry => Boolean(e)) : this.scan(coll);
    this.counters.docsExamined += entries.length;
    return entries.sort((a, b) => a.rowid - b.rowid);
  }

  /**
   * Reads the ranges of every branch in sort order, merged, testing documents
   * as they come, until `need` match and the next key differs from the last
   * accepted one (so ties at the page boundary are all seen). Undefined when a
   * key mingo orders by content turns up: the caller sorts candidates instead.
   */
  private walk(coll: string, plans: Array<Extract<Plan, { kind: 'index' }>>, sort: SortKey[], matcher: Query, need: number): Entry[] | undefined {
    const cursors: RangeCursor[] = plans.flatMap((plan) =>
      plan.combos.map((combo) => ({ plan, combo, offset: 0, batch: Math.min(need + 1, 1000), buf: [], pos: 0, done: false })),
    );
    const sortKeyOf = (cursor: RangeCursor, row: Row): Buffer[] | undefined => {
      const out: Buffer[] = [];
      for (const s of sort) {
        const at = cursor.plan.index.fields.indexOf(s.field);
        const k = at >= 0 ? row.keys[at] : s.field === '_id' ? encodeKey(row.id) : undefined;
        if (!k || UNORDERED.has(k[0])) return undefined;
        out.push(k);
      }
      return out;
    };
    const compare = (a: Buffer[], b: Buffer[]) => {
      for (let j = 0; j < sort.length; j++) {
        const c = Buffer.compare(a[j], b[j]) * sort[j].dir;
        if (c) return c;
      }
      return 0;
    };
    const head = (cursor: RangeCursor): Row | undefined => {
      if (cursor.pos >= cursor.buf.length && !cursor.done) {
        cursor.buf = this.fetchRange(cursor, cursor.plan.walk!, cursor.batch);
        cursor.pos = 0;
        if (cursor.buf.length < cursor.batch) cursor.done = true;
        cursor.batch = Math.min(cursor.batch * 2, 1000);
      }
      return cursor.buf[cursor.pos];
    };
    const accepted: Entry[] = [];
    const seen = new Set<string>();
    let last: Buffer[] | undefined;
    for (;;) {
      let pick: { cursor: RangeCursor; row: Row; key: Buffer[] } | undefined;
      for (const cursor of cursors) {
        const row = head(cursor);
        if (!row) continue;
        const k = sortKeyOf(cursor, row);
        if (!k) return undefined;
        if (!pick || compare(k, pick.key) < 0) pick = { cursor, row, key: k };
        if (!sort.length) break;
      }
      if (!pick) break;
      if (accepted.length >= need && (!sort.length || !last || compare(pick.key, last) !== 0)) break;
      pick.cursor.pos++;
      if (seen.has(pick.row.id)) continue;
      seen.add(pick.row.id);
      const entry = this.load(coll, pick.row.id);
      this.counters.docsExamined++;
      if (entry && matcher.test(entry.doc)) {
        accepted.push(entry);
        last = pick.key;
      }
    }
    return accepted.sort((a, b) => a.rowid - b.rowid);
  }

  // ---- reads ----------------------------------------------------------

  private sortOf(order: FindOptions['order']): SortKey[] {
    return Object.entries(order ?? {}).map(([field, dir]) => ({ field, dir: dir === -1 ? -1 : 1 }));
  }

  find(coll: string, query: Record<string, unknown>, options: FindOptions = {}, txId?: string): Doc[] {
    this.requireCollection(coll);
    const sort = this.sortOf(options.order);
    const conjs = conjunctions(query);
    const matcher = new Query(query);
    let docs: Doc[];
    if (txId) {
      const tx = this.tx(txId);
      docs = this.idsInTx(conjs).flatMap((id) => {
        const doc = this.visibleInTx(tx, coll, id);
        return doc ? [doc] : [];
      });
    } else {
      this.checkCoverage(coll, query, conjs, sort);
      const plans = conjs.map((c) => this.plan(coll, c, sort));
      let entries: Entry[] | undefined;
      if (options.limit !== undefined && plans.length === 1 && plans[0].kind === 'primary') {
        entries = this.walkPrimary(coll, plans[0], matcher, (options.offset ?? 0) + options.limit);
      } else if (options.limit !== undefined && plans.every((p) => p.kind === 'index' && p.walk)) {
        entries = this.walk(coll, plans as Array<Extract<Plan, { kind: 'index' }>>, sort, matcher, (options.offset ?? 0) + options.limit);
      }
      docs = (entries ?? this.candidates(coll, plans)).map((e) => e.doc);
    }
    let cursor = matcher.find<Doc>(docs, options.projection as never);
    if (sort.length) cursor = cursor.sort(options.order!);
    if (options.offset) cursor = cursor.skip(options.offset);
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    return cursor.all().map(clone);
  }

  count(coll: string, query: Record<string, unknown>): number {
    this.requireCollection(coll);
    // A collection's size is the database's own bookkeeping, not a scan: always allowed.
    if (Object.keys(query).length === 0) return (this.sql.prepare('SELECT COUNT(*) AS n FROM docs WHERE coll = ?').get(coll) as { n: number }).n;
    const conjs = conjunctions(query);
    this.checkCoverage(coll, query, conjs, []);
    const matcher = new Query(query);
    return this.candidates(coll, conjs.map((c) => this.plan(coll, c, []))).filter((e) => matcher.test(e.doc)).length;
  }

  aggregate(coll: string, pipeline: Array<Record<string, unknown>>): Doc[] {
    this.requireCollection(coll);
    const first = pipeline[0]?.$match as Record<string, unknown> | undefined;
    let entries: Entry[];
    if (first && isPlainObject(first)) {
      const conjs = conjunctions(first);
      this.checkCoverage(coll, first, conjs, []);
      entries = this.candidates(coll, conjs.map((c) => this.plan(coll, c, [])));
    } else {
      // A pipeline that starts elsewhere is an explicit whole-collection aggregation.
      entries = this.scan(coll);
      this.counters.docsExamined += entries.length;
    }
    return new Aggregator(pipeline).run(entries.map((e) => e.doc)).map((d) => clone(d) as Doc);
  }

  getById(coll: string, id: string, txId?: string): Doc | null {
    this.requireCollection(coll);
    if (txId) return clone(this.visibleInTx(this.tx(txId), coll, id));
    const entry = this.load(coll, id);
    return entry ? clone(entry.doc) : null;
  }

  /** A transaction reads documents by id only (CloudBase's rule), so it touches only those. */
  private idsInTx(conjs: Conj[]): string[] {
    const ids = new Set<string>();
    for (const conj of conjs) {
      const keys = conj.eq.get('_id');
      if (!keys) throw new StoreError(INVALID_PARAM, 'a transaction accepts document operations only (doc(id).get/update/set/remove, add)');
      for (const k of keys) if (k[0] === TAG.string) ids.add(decodeString(k));
    }
    return [...ids];
  }

  private visibleInTx(tx: TxState, coll: string, id: string): Doc | null {
    this.see(tx, coll, id);
    const k = key(coll, id);
    if (tx.writes.has(k)) return tx.writes.get(k) ?? null;
    return this.load(coll, id)?.doc ?? null;
  }

  // ---- writes ---------------------------------------------------------

  insert(coll: string, docs: Array<Record<string, unknown>>, txId?: string): string[] {
    this.requireCollection(coll);
    const tx = txId ? this.tx(txId) : undefined;
    const prepared = docs.map((d) => ({ ...clone(d), _id: (d._id as string | undefined) ?? newId() }) as Doc);
    for (const doc of prepared) checkFieldNames(coll, doc);
    const ids = new Set<string>();
    for (const doc of prepared) {
      const exists = tx ? this.visibleInTx(tx, coll, doc._id) : this.version(coll, doc._id) > 0;
      if (exists || ids.has(doc._id)) {
        // Under snapshot isolation a document committed by a concurrent transaction is a write
        // conflict, not a duplicate: the retry will see it.
        if (tx && this.isStale(tx)) throw new StoreError(CONFLICT_CODE, 'database transaction conflict');
        throw new StoreError('DATABASE_DUPLICATE_WRITE', `duplicate _id ${doc._id} in ${coll}`);
      }
      ids.add(doc._id);
    }
    if (tx) {
      for (const doc of prepared) tx.writes.set(key(coll, doc._id), doc);
    } else {
      this.commitWrites(new Map(prepared.map((doc) => [key(coll, doc._id), doc])));
    }
    return prepared.map((d) => d._id);
  }

  /**
   * Update (operators) or replace (plain document) the documents matching
   * `query`. Returns how many were updated and the upserted id, if any.
   */
  modify(
    coll: string,
    query: Record<string, unknown>,
    data: Record<string, unknown>,
    opts: { multi: boolean; merge: boolean; upsert: boolean },
    txId?: string,
  ): { updated: number; upsertedId?: string; docs: Doc[] } {
    const tx = txId ? this.tx(txId) : undefined;
    const isOperatorUpdate = Object.keys(data).some((k) => k.startsWith('$'));
    if (isOperatorUpdate) checkOperatorValues(coll, data);
    else checkFieldNames(coll, data);
    const targets = this.find(coll, query, opts.multi ? {} : { limit: 1 }, txId);
    if (targets.length === 0) {
      if (!opts.upsert) return { updated: 0, docs: [] };
      const id = typeof query._id === 'string' ? query._id : newId();
      const base: Doc = { _id: id };
      const doc = isOperatorUpdate ? this.applyOperators(base, data) : ({ ...clone(data), _id: id } as Doc);
      this.put(coll, doc, tx);
      return { updated: 0, upsertedId: id, docs: [doc] };
    }
    const updated: Doc[] = [];
    for (const target of targets) {
      const next =
        opts.merge || isOperatorUpdate
          ? this.applyOperators(target, isOperatorUpdate ? data : { $set: data })
          : ({ ...clone(data), _id: target._id } as Doc);
      updated.push(next);
    }
    if (tx) for (const doc of updated) tx.writes.set(key(coll, doc._id), doc);
    else this.commitWrites(new Map(updated.map((doc) => [key(coll, doc._id), doc])));
    return { updated: updated.length, docs: updated };
  }

  remove(coll: string, query: Record<string, unknown>, multi: boolean, txId?: string): number {
    const tx = txId ? this.tx(txId) : undefined;
    const targets = this.find(coll, query, multi ? {} : { limit: 1 }, txId);
    const writes = new Map<string, Doc | null>(targets.map((d) => [key(coll, d._id), null]));
    if (tx) for (const [k, v] of writes) tx.writes.set(k, v);
    else if (writes.size) this.commitWrites(writes);
    return targets.length;
  }

  private put(coll: string, doc: Doc, tx?: TxState): void {
    if (tx) {
      this.see(tx, coll, doc._id);
      tx.writes.set(key(coll, doc._id), doc);
    } else this.commitWrites(new Map([[key(coll, doc._id), doc]]));
  }

  private applyOperators(doc: Doc, data: Record<string, unknown>): Doc {
    checkPaths(doc, data);
    const next = clone(doc);
    applyUpdate(next, data as never, undefined, undefined, { cloneMode: 'deep' });
    if (next._id !== doc._id) throw new StoreError(INVALID_PARAM, '不能更新_id的值');
    return next;
  }

  // ---- transactions ---------------------------------------------------

  begin(): string {
    const id = newId();
    this.txs.set(id, { seen: new Map(), writes: new Map() });
    return id;
  }

  private tx(id: string): TxState {
    const tx = this.txs.get(id);
    if (!tx) throw new StoreError('DATABASE_TRANSACTION_FAIL', `transaction ${id} is not active`);
    return tx;
  }

  private see(tx: TxState, coll: string, id: string): void {
    const k = key(coll, id);
    if (!tx.seen.has(k)) tx.seen.set(k, this.version(coll, id));
  }

  /** Whether anything the transaction read has since been changed by another commit. */
  private isStale(tx: TxState): boolean {
    for (const [k, version] of tx.seen) {
      const [coll, id] = splitKey(k);
      if (this.version(coll, id) !== version) return true;
    }
    return false;
  }

  commit(txId: string): void {
    const tx = this.tx(txId);
    this.txs.delete(txId);
    if (this.isStale(tx)) throw new StoreError(CONFLICT_CODE, 'database transaction conflict');
    if (tx.writes.size) this.commitWrites(tx.writes);
  }

  abort(txId: string): void {
    this.txs.delete(txId);
  }
}

/** Update operators that write at a path, creating the objects on the way. */
const PATH_OPERATORS = new Set(['$set', '$setOnInsert', '$inc', '$mul', '$min', '$max', '$push', '$addToSet']);
const isIndex = (part: string | undefined) => part !== undefined && /^\d+$/.test(part);

/**
 * wx-server-sdk sends an object given to update() as dotted paths
 * (`latestStatus.at`), which CloudBase applies field by field: that is the
 * merge. On the way it creates missing objects but refuses to descend
 * through a value that is there and is not an object (null, a string, a
 * date, an array without an index), as MongoDB does; mingo would overwrite
 * or silently skip it, so the store checks first.
 */
function checkPaths(doc: Doc, update: Record<string, unknown>): void {
  for (const [op, fields] of Object.entries(update)) {
    if (!PATH_OPERATORS.has(op) || !isPlainObject(fields)) continue;
    for (const path of Object.keys(fields)) {
      const parts = path.split('.');
      let value: unknown = doc;
      for (let i = 0; i < parts.length - 1; i++) {
        const next = Array.isArray(value) && isIndex(parts[i]) ? value[Number(parts[i])] : isPlainObject(value) ? value[parts[i]] : undefined;
        if (next === undefined) break;
        if (!isPlainObject(next) && !(Array.isArray(next) && isIndex(parts[i + 1]))) {
          throw new StoreError(INVALID_PARAM, `Cannot create field '${parts[i + 1]}' in element {${parts[i]}: ${EJSON.stringify(next as never)}}`);
        }
        value = next;
      }
    }
  }
}

/** MongoDB (and so CloudBase) keeps '.' for paths and '$' for operators: neither may start or sit in a stored field name. */
function checkFieldNames(coll: string, value: unknown, path = ''): void {
  if (Array.isArray(value)) {
    for (const v of value) checkFieldNames(coll, v, path);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    // CloudBase refuses these field names (settings.rateLimits is stored with ':' for this reason).
    if (k.startsWith('$') || k.includes('.')) {
      throw new StoreError(INVALID_PARAM, `field name "${k}" may not contain "." or start with "$"`);
    }
    checkFieldNames(coll, v, path ? `${path}.${k}` : k);
  }
}

/** In an update, dotted paths are legal; the values they set are documents and must obey the rule. */
function checkOperatorValues(coll: string, update: Record<string, unknown>): void {
  for (const [op, fields] of Object.entries(update)) {
    if (!isPlainObject(fields)) continue;
    for (const [path, value] of Object.entries(fields)) {
      if ((op === '$push' || op === '$addToSet') && isPlainObject(value) && Array.isArray(value.$each)) checkFieldNames(coll, value.$each, path);
      else if (op === '$set' || op === '$setOnInsert' || op === '$push' || op === '$addToSet') checkFieldNames(coll, value, path);
    }
  }
}
