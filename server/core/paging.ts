import type { Db } from './ports';
import { invalid } from './errors';
import { docsOf } from './tx';

/**
 * Keyset paging on (createdAt, _id): stable under inserts, unlike skip(),
 * and never asks the platform for more than one page (server get() caps at 1000).
 */
export interface CursorKey {
  c: string;
  i: string;
}

export const PAGE_SIZE = 20;

export function encodeCursor(doc: { createdAt: string; _id: string }): string {
  return Buffer.from(JSON.stringify({ c: doc.createdAt, i: doc._id })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorKey;
    if (typeof key.c === 'string' && typeof key.i === 'string') return key;
  } catch {
    // fall through to the error below
  }
  throw invalid('分页游标无效，请刷新列表', 'cursor');
}

export async function pageOf<T extends { createdAt: string; _id: string }>(
  db: Db,
  collection: string,
  filter: Record<string, unknown>,
  direction: 'asc' | 'desc',
  cursor: string | undefined,
  size = PAGE_SIZE,
): Promise<{ docs: T[]; nextCursor?: string }> {
  const _ = db.command;
  const key = decodeCursor(cursor);
  const beyond = direction === 'asc' ? _.gt : _.lt;
  const where = key
    ? _.and([filter, _.or([{ createdAt: beyond(key.c) }, { createdAt: key.c, _id: beyond(key.i) }])])
    : filter;
  const docs = await docsOf<T>(
    db
      .collection(collection)
      .where(where as never)
      .orderBy('createdAt', direction)
      .orderBy('_id', direction)
      .limit(size + 1),
  );
  const page = docs.slice(0, size);
  return { docs: page, nextCursor: docs.length > size ? encodeCursor(page[page.length - 1]) : undefined };
}
