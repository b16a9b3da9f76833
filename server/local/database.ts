/**
 * Opening the store's SQLite file in DATA_DIR: one writer per folder, and a
 * damaged or missing file named with what to do, never a stack.
 *
 * One writer: two processes on one folder each keep their own picture of it
 * (the store's document cache, the in-memory sequence, the keys), so their
 * conditional writes decide on stale copies: two claim winners, acknowledged
 * writes lost. The database is opened in SQLite's exclusive locking mode and
 * its write lock taken at once and held until close. The lock is the
 * operating system's (fcntl on Unix, LockFileEx on Windows), so it is
 * released when the process dies however it dies — a stale lock of a dead
 * process is taken over by the next start with nothing to clean up — and a
 * second process, or a second store in the same process, is refused. The
 * holder's pid is written beside it so the refusal can name it.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';

/** Who holds the folder: the pid of the process that has the database open. */
export const PID_FILE = 'store.pid';

/** Pages the write-ahead log may hold before it is folded into the database. */
export const WAL_PAGES = 256;

/** A folder the store will not open, with what to do; `npm start` prints the message alone. */
export class DataDirError extends Error {}

function holderOf(folder: string): string {
  try {
    const pid = readFileSync(join(folder, PID_FILE), 'utf8').trim();
    if (/^\d+$/.test(pid)) return `process ${pid}`;
  } catch {
    // no pid file: a process of an older version, or one that is still starting
  }
  return 'another process';
}

export const inUse = (folder: string) =>
  new DataDirError(
    `${folder} is in use by ${holderOf(folder)}: one data folder has one writer. Stop that process first, or give this one another folder (DATA_DIR=…).`,
  );

export const damaged = (file: string, reason: string) =>
  new DataDirError(
    `The database ${file} is damaged (${reason}). Restore the folder ${dirname(file)} from a backup; ` +
      `or try to salvage it with \`sqlite3 ${file} .recover | sqlite3 recovered.sqlite\` and put the result in its place; ` +
      `or, to start afresh, empty the folder (everything in it is lost).`,
  );

/** SQLite's own words for a file that is not, or no longer, a database. */
export function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

/**
 * The database in `file`, locked for this process, checked; a DataDirError
 * when another process holds it or it is damaged.
 */
export function openLocked(file: string): Database.Database {
  const folder = dirname(file);
  // Without its file, a journal would be replayed into a new, empty database: pages of the lost one.
  if (!existsSync(file) && existsSync(`${file}-wal`)) {
    throw new DataDirError(
      `${file} is missing but its journal ${file}-wal is there: the database was deleted or moved. Put it back (or restore the folder from a backup); or, to start afresh, empty ${folder}.`,
    );
  }
  mkdirSync(folder, { recursive: true });
  // No busy wait: a lock that is held is held by another writer, and waiting would not make it ours.
  const sql = new Database(file, { timeout: 0 });
  try {
    // Before the first read: in exclusive mode WAL keeps its index in this process, not in a shared -shm file.
    sql.pragma('locking_mode = EXCLUSIVE');
    sql.pragma('journal_mode = WAL');
    // A checkpoint every 256 pages (1 MB) instead of 1000: the log then never holds the space its own
    // checkpoint would need, which wedged a small full folder for good (docs/setup.md, "Disk space").
    sql.pragma(`wal_autocheckpoint = ${WAL_PAGES}`);
    sql.exec('BEGIN EXCLUSIVE; COMMIT');
    // Damage the header does not show (a page overwritten) would otherwise surface mid-call as INTERNAL.
    const check = sql.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw damaged(file, String(check));
  } catch (err) {
    sql.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw inUse(folder);
    if (isDamage(err)) throw damaged(file, (err as Error).message);
    throw err;
  }
  try {
    writeFileSync(join(folder, PID_FILE), `${process.pid}\n`);
  } catch {
    // Only the refusal's wording depends on it (a full disk must not stop a start).
  }
  return sql;
}

/** Closes a database opened by openLocked and lets the folder go. */
export function closeLocked(sql: Database.Database, file: string): void {
  sql.close();
  rmSync(join(dirname(file), PID_FILE), { force: true });
}
