/**
 * The embedded document store behind the local runtime.
 *
 * Documents live in one SQLite table (persistence, crash safety through
 * SQLite's journal) and in an in-memory mirror per collection (queries are
 * evaluated by mingo over plain objects, so MongoDB semantics come from a
 * maintained evaluator rather than from us). Every write goes to SQLite first
 * and to the mirror only after SQLite accepted it.
 *
 * Each document carries a version; transactions are optimistic: they record
 * the version of every document they read or write and the commit fails with
 * DATABASE_TRANSACTION_CONFLICT when any of them moved, which is the code the
 * SDK's runTransaction retries on.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'crypto';
import { mkdirSync } from 'fs';
import { dirname } from 'path';
import { Aggregator, Query, update as applyUpdate } from 'mingo';
import { EJSON } from 'bson';

export type Doc = Record<string, unknown> & { _id: string };

interface Stored {
  doc: Doc;
  version: number;
}

export interface FindOptions {
  order?: Record<string, 1 | -1>;
  offset?: number;
  limit?: number;
  projection?: Record<string, unknown>;
}

export class StoreError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export const CONFLICT_CODE = 'DATABASE_TRANSACTION_CONFLICT';

interface TxState {
  /** Version seen for each coll/id touched (0 = absent). */
  seen: Map<string, number>;
  /** Pending writes; null means delete. */
  writes: Map<string, Doc | null>;
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

export class DocumentStore {
  private readonly sql: Database.Database;
  private readonly mirror = new Map<string, Map<string, Stored>>();
  private readonly txs = new Map<string, TxState>();
  private readonly stmts;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.sql = new Database(file);
    this.sql.pragma('journal_mode = WAL');
    // FULL: a write acknowledged to a caller survives a kill or power loss.
    this.sql.pragma('synchronous = FULL');
    this.sql.exec(
      'CREATE TABLE IF NOT EXISTS docs (coll TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (coll, id))',
    );
    this.stmts = {
      upsert: this.sql.prepare(
        'INSERT INTO docs (coll, id, version, body) VALUES (?, ?, ?, ?) ON CONFLICT(coll, id) DO UPDATE SET version = excluded.version, body = excluded.body',
      ),
      remove: this.sql.prepare('DELETE FROM docs WHERE coll = ? AND id = ?'),
    };
    for (const row of this.sql.prepare('SELECT coll, id, version, body FROM docs').iterate() as Iterable<{
      coll: string;
      id: string;
      version: number;
      body: string;
    }>) {
      this.collection(row.coll).set(row.id, { doc: deserialize(row.body), version: row.version });
    }
  }

  close(): void {
    this.sql.close();
  }

  private collection(name: string): Map<string, Stored> {
    let coll = this.mirror.get(name);
    if (!coll) {
      coll = new Map();
      this.mirror.set(name, coll);
    }
    return coll;
  }

  private stored(coll: string, id: string): Stored | undefined {
    return this.mirror.get(coll)?.get(id);
  }

  /** Applies a batch of writes atomically: SQLite first, then the mirror. */
  private commitWrites(writes: Map<string, Doc | null>): void {
    const applied: Array<[string, string, Stored | null]> = [];
    this.sql.transaction(() => {
      for (const [k, doc] of writes) {
        const [coll, id] = splitKey(k);
        const version = (this.stored(coll, id)?.version ?? 0) + 1;
        if (doc === null) {
          this.stmts.remove.run(coll, id);
          applied.push([coll, id, null]);
        } else {
          this.stmts.upsert.run(coll, id, version, serialize(doc));
          applied.push([coll, id, { doc, version }]);
        }
      }
    })();
    for (const [coll, id, stored] of applied) {
      if (stored) this.collection(coll).set(id, stored);
      else this.collection(coll).delete(id);
    }
  }

  private write(coll: string, id: string, doc: Doc | null): void {
    this.commitWrites(new Map([[key(coll, id), doc]]));
  }

  // ---- reads ----------------------------------------------------------

  /** The documents visible to a caller: committed state overlaid with the transaction's own writes. */
  private visible(coll: string, tx?: TxState): Doc[] {
    const committed = this.collection(coll);
    if (!tx) return [...committed.values()].map((s) => s.doc);
    const out = new Map<string, Doc>();
    for (const [id, s] of committed) out.set(id, s.doc);
    for (const [k, doc] of tx.writes) {
      const [c, id] = splitKey(k);
      if (c !== coll) continue;
      if (doc === null) out.delete(id);
      else out.set(id, doc);
    }
    return [...out.values()];
  }

  find(coll: string, query: Record<string, unknown>, options: FindOptions = {}, txId?: string): Doc[] {
    const tx = txId ? this.tx(txId) : undefined;
    const matcher = new Query(query);
    let cursor = matcher.find<Doc>(this.visible(coll, tx), options.projection as never);
    if (options.order && Object.keys(options.order).length) cursor = cursor.sort(options.order);
    if (options.offset) cursor = cursor.skip(options.offset);
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    const found = cursor.all().map(clone);
    if (tx) for (const doc of found) this.see(tx, coll, doc._id);
    return found;
  }

  count(coll: string, query: Record<string, unknown>): number {
    const matcher = new Query(query);
    return this.visible(coll).filter((d) => matcher.test(d)).length;
  }

  aggregate(coll: string, pipeline: Array<Record<string, unknown>>): Doc[] {
    return new Aggregator(pipeline).run(this.visible(coll)).map((d) => clone(d) as Doc);
  }

  getById(coll: string, id: string, txId?: string): Doc | null {
    const tx = txId ? this.tx(txId) : undefined;
    if (tx) {
      this.see(tx, coll, id);
      const k = key(coll, id);
      if (tx.writes.has(k)) return clone(tx.writes.get(k) ?? null);
    }
    const s = this.stored(coll, id);
    return s ? clone(s.doc) : null;
  }

  // ---- writes ---------------------------------------------------------

  insert(coll: string, docs: Array<Record<string, unknown>>, txId?: string): string[] {
    const tx = txId ? this.tx(txId) : undefined;
    const prepared = docs.map((d) => ({ ...clone(d), _id: (d._id as string | undefined) ?? newId() }) as Doc);
    const ids = new Set<string>();
    for (const doc of prepared) {
      const exists = tx ? this.getById(coll, doc._id, txId) : this.stored(coll, doc._id);
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
    const targets = this.find(coll, query, opts.multi ? {} : { limit: 1 }, txId);
    const isOperatorUpdate = Object.keys(data).some((k) => k.startsWith('$'));
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
    }
    else this.write(coll, doc._id, doc);
  }

  private applyOperators(doc: Doc, data: Record<string, unknown>): Doc {
    const next = clone(doc);
    applyUpdate(next, data as never, undefined, undefined, { cloneMode: 'deep' });
    if (next._id !== doc._id) throw new StoreError('INVALID_PARAM', '不能更新_id的值');
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
    if (!tx.seen.has(k)) tx.seen.set(k, this.stored(coll, id)?.version ?? 0);
  }

  /** Whether anything the transaction read has since been changed by another commit. */
  private isStale(tx: TxState): boolean {
    for (const [k, version] of tx.seen) {
      const [coll, id] = splitKey(k);
      if ((this.stored(coll, id)?.version ?? 0) !== version) return true;
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
