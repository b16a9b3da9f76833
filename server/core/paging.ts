import type { Db } from './ports';
import { invalid } from './errors';
import { docsOf } from './tx';

/**
 * Keyset paging: the cursor carries the sort values of the last item, and the
 * next page asks for what sorts after them. Stable under inserts, unlike
 * skip(), and never asks the platform for more than one page (server get()
 * caps at 1000). `_id` is always the last sort key, so ties are broken.
 */
export const PAGE_SIZE = 20;
/** The contract's ceiling on one page of any list. */
export const MAX_PAGE_SIZE = 200;

export type Direction = 'asc' | 'desc';
export type SortKey = readonly [field: string, direction: Direction];

type Values = Array<string | number>;

function encode(values: Values): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decode(cursor: string | undefined, arity: number): Values | undefined {
  if (!cursor) return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number')) return values;
  } catch {
    // fall through to the error below
  }
  throw invalid('分页游标无效，请刷新列表', 'cursor');
}

/** (a, b, c) after (x, y, z): a > x, or a = x and b > y, or a = x, b = y and c > z — each by its own direction. */
function after(db: Db, keys: readonly SortKey[], values: Values): Record<string, unknown> {
  const _ = db.command;
  const branches = keys.map(([field, direction], i) => {
    const branch: Record<string, unknown> = {};
    for (let j = 0; j < i; j++) branch[keys[j][0]] = values[j];
    branch[field] = direction === 'asc' ? _.gt(values[i]) : _.lt(values[i]);
    return branch;
  });
  return _.or(branches) as unknown as Record<string, unknown>;
}

export async function pageBy<T extends { _id: string }>(
  db: Db,
  collection: string,
  filter: Record<string, unknown>,
  sort: readonly SortKey[],
  cursor: string | undefined,
  size = PAGE_SIZE,
): Promise<{ docs: T[]; nextCursor?: string }> {
  // The tie-break runs in the last key's direction, so a newest-first list sorts (createdAt desc, _id desc):
  // the order (or exact reverse) a compound index must be declared in to serve it (server/db/schema.ts).
  const keys: SortKey[] = [...sort, ['_id', sort[sort.length - 1]?.[1] ?? 'asc']];
  const last = decode(cursor, keys.length);
  const where = last ? db.command.and([filter, after(db, keys, last)]) : filter;
  let query = db.collection(collection).where(where as never);
  for (const [field, direction] of keys) query = query.orderBy(field, direction) as never;
  const docs = await docsOf<T>(query.limit(size + 1));
  const page = docs.slice(0, size);
  const tail = page[page.length - 1] as Record<string, unknown> | undefined;
  const nextCursor = docs.length > size && tail ? encode(keys.map(([field]) => (tail[field] ?? '') as string | number)) : undefined;
  return { docs: page, nextCursor };
}

/** Newest or oldest first by creation: how most lists of the contract read. */
export function pageOf<T extends { createdAt: string; _id: string }>(
  db: Db,
  collection: string,
  filter: Record<string, unknown>,
  direction: Direction,
  cursor: string | undefined,
  size = PAGE_SIZE,
): Promise<{ docs: T[]; nextCursor?: string }> {
  return pageBy<T>(db, collection, filter, [['createdAt', direction]], cursor, size);
}

/**
 * A page of a list already read whole (a small configuration list such as
 * the policies): the same {items, nextCursor} and cursor as every list, the
 * cursor being the position in the list.
 */
export function pageList<T>(all: T[], cursor: string | undefined, size = PAGE_SIZE): { items: T[]; nextCursor?: string } {
  const [from] = decode(cursor, 1) ?? [0];
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) throw invalid('分页游标无效，请刷新列表', 'cursor');
  const items = all.slice(from, from + size);
  return from + size < all.length ? { items, nextCursor: encode([from + size]) } : { items };
}
