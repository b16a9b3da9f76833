import type { Db } from '../core/ports';
import { COLLECTION_NAMES } from './schema';

/** CloudBase's answer when a collection is created twice: not a failure for an idempotent setup. */
const isAlreadyThere = (err: unknown) => /ALREADY_EXIST|already exists/i.test(String((err as { code?: string })?.code ?? '') + String((err as Error)?.message ?? ''));

/**
 * CloudBase's answer to a read or write on a collection nobody created
 * (wx-server-sdk turns DATABASE_COLLECTION_NOT_EXIST into errCode -502005):
 * on an environment that was never set up, that is an empty answer.
 */
export const isCollectionMissing = (err: unknown) => {
  const e = err as { code?: unknown; errCode?: unknown; errMsg?: unknown; message?: unknown } | undefined;
  return e?.errCode === -502005 || e?.code === 'DATABASE_COLLECTION_NOT_EXIST' || /COLLECTION_NOT_EXIST|collection not exist/i.test(String(e?.errMsg ?? e?.message ?? ''));
};

/**
 * Creates every declared collection that does not exist yet (CloudBase does
 * not create a collection on first write). Answers which were created.
 */
export async function createCollections(db: Db): Promise<{ created: string[]; existing: string[] }> {
  const created: string[] = [];
  const existing: string[] = [];
  for (const name of COLLECTION_NAMES) {
    try {
      await (db as unknown as { createCollection(name: string): Promise<unknown> }).createCollection(name);
      created.push(name);
    } catch (err) {
      if (!isAlreadyThere(err)) throw err;
      existing.push(name);
    }
  }
  return { created, existing };
}
