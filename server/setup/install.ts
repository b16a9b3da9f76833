/**
 * Installs a district on a CloudBase environment, empty or not: every
 * declared collection, then the data set's documents that are not there yet.
 * A document already present is never written, so an admin's edits survive
 * a second run and a second run writes nothing at all.
 */
import type { Clock, Db } from '../core/ports';
import { docsOf } from '../core/tx';
import { createCollections } from '../db/collections';
import { documentsOf, type Dataset, type Doc } from './dataset';
import { indexInstructions, type IndexInstruction } from './indexes';

export interface InstallResult {
  dataset: string;
  collections: { created: string[]; existing: string[] };
  /** Documents written per collection (0 where all were already there). */
  seeded: Record<string, number>;
  indexes: IndexInstruction[];
}

/** The platform's cap on one read; also the size of one `_id in [...]` probe. */
const READ_PAGE = 1000;
/** Documents per batch insert, well under a request's size limit for rows of this kind. */
const WRITE_BATCH = 500;

const chunks = <T>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

async function absentOf(db: Db, collection: string, docs: Doc[]): Promise<Doc[]> {
  const _ = db.command;
  const present = new Set<string>();
  for (const ids of chunks(docs.map((d) => d._id), READ_PAGE)) {
    const found = await docsOf<{ _id: string }>(db.collection(collection).where({ _id: _.in(ids) }).field({ _id: true }).limit(READ_PAGE));
    for (const f of found) present.add(f._id);
  }
  return docs.filter((d) => !present.has(d._id));
}

/**
 * Validates the whole data set first (INVALID_ARGUMENT naming file, row and
 * field, with nothing written), then creates what is missing. Settings are
 * written last: a run cut short is finished by the next one.
 */
export async function installDistrict(db: Db, clock: Clock, dataset: Dataset): Promise<InstallResult> {
  const seed = documentsOf(dataset, clock.now().toISOString());
  const collections = await createCollections(db);
  const seeded: Record<string, number> = {};
  for (const [collection, docs] of seed) {
    const absent = docs.length ? await absentOf(db, collection, docs) : [];
    for (const batch of chunks(absent, WRITE_BATCH)) {
      await db.collection(collection).add({ data: batch as never });
    }
    seeded[collection] = absent.length;
  }
  return { dataset: dataset.name, collections, seeded, indexes: indexInstructions() };
}
