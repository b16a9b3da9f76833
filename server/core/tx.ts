import type { Db } from './ports';

/** The transactional view of the database: single-document operations only (a platform limit). */
export type Tx = Pick<Db, 'collection'>;

/**
 * Runs `work` in a database transaction. The SDK retries the whole function
 * when the commit reports a write conflict, so `work` must be safe to run
 * again: read inside it, decide inside it, throw AppErrors to abort.
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.runTransaction(work, 8) as Promise<T>;
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
  return /does not exist|not exist|document\.get:fail/i.test(text);
}

/** The SDK's typings overload get()/count() with callback forms; these give the promise form a type. */
export async function docsOf<T>(query: { get(): unknown }): Promise<T[]> {
  return ((await query.get()) as { data: T[] }).data;
}

export async function countOf(query: { count(): unknown }): Promise<number> {
  return ((await query.count()) as { total: number }).total;
}
