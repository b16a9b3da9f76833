import type { Db } from './ports';

/** The transactional view of the database: single-document operations only (a platform limit). */
export type Tx = Pick<Db, 'collection'>;

const MAX_ATTEMPTS = 10;

/**
 * A write conflict, however it reaches us: the SDK's commit answers the code
 * DATABASE_TRANSACTION_CONFLICT, but a conflicting write inside the
 * transaction comes back wrapped by wx-server-sdk with the text only.
 */
export function isConflict(err: unknown): boolean {
  const e = err as { code?: string; errMsg?: string; message?: string } | undefined;
  return e?.code === 'DATABASE_TRANSACTION_CONFLICT' || /transaction conflict|write ?conflict/i.test(String(e?.errMsg ?? e?.message ?? ''));
}

/**
 * Runs `work` in a database transaction, retried on a write conflict, so
 * `work` must be safe to run again: read inside it, decide inside it, throw
 * AppErrors to abort (the SDK rolls back and rethrows them untouched).
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      // 0: no retries inside the SDK; this loop also catches the conflicts the SDK does not recognise.
      return (await db.runTransaction(work, 0)) as T;
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isConflict(err)) throw err;
      // A little jitter keeps a crowd of retries from colliding again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3 * attempt));
    }
  }
}

/** An insert that collided on `_id`: how idempotent writes learn they were already made. */
export function isDuplicateWrite(err: unknown): boolean {
  const e = err as { code?: string; errMsg?: string; message?: string } | undefined;
  return /DUPLICATE|duplicate key|E11000/i.test(`${e?.code ?? ''} ${e?.errMsg ?? e?.message ?? ''}`);
}

/** Reads one document by id inside or outside a transaction; null when absent. */
export async function getDoc<T>(db: Tx, collection: string, id: string): Promise<(T & { _id: string }) | null> {
  try {
    const res = await db.collection(collection).doc(id).get();
    const data = (res as { data: unknown }).data;
    // Outside a transaction the SDK answers an array, inside it the document or null.
    const doc = Array.isArray(data) ? data[0] : data;
    return (doc as (T & { _id: string }) | undefined) ?? null;
  } catch (err) {
    // CloudBase answers a missing document on doc().get() with an error rather than empty data.
    if (isMissingDocError(err)) return null;
    throw err;
  }
}

function isMissingDocError(err: unknown): boolean {
  const text = String((err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message ?? '');
  // A missing collection reads "collection not exist(s)": that is a setup fault, not an absent document.
  if (/collection[^.]*not exist|COLLECTION_NOT_EXIST/i.test(text)) return false;
  return /does not exist|not exist|document\.get:fail/i.test(text);
}

/** The SDK's typings overload get()/count() with callback forms; these give the promise form a type. */
export async function docsOf<T>(query: { get(): unknown }): Promise<T[]> {
  return ((await query.get()) as { data: T[] }).data;
}

export async function countOf(query: { count(): unknown }): Promise<number> {
  return ((await query.count()) as { total: number }).total;
}

/**
 * Every matching document, read in pages of the platform's maximum (1000) by
 * _id, for reports that must see all of a collection rather than a screenful.
 */
export async function readAll<T extends { _id: string }>(db: Db, collection: string, where: Record<string, unknown> = {}): Promise<T[]> {
  const _ = db.command;
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const filter = after ? _.and([where, { _id: _.gt(after) }]) : where;
    const page = await docsOf<T>(db.collection(collection).where(filter as never).orderBy('_id', 'asc').limit(1000));
    out.push(...page);
    if (page.length < 1000) return out;
    after = page[page.length - 1]._id;
  }
}
