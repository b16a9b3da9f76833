/**
 * Key files in DATA_DIR (the local history key here, the link-signing key in
 * server/local/files.ts): made on first use, readable by their owner only,
 * never replaced, and written whole. A key is written to a temporary file,
 * synced, then linked into place — link, not rename, because it fails when the
 * name exists, so a key once in place is never swapped for another. A file
 * that is there but is not a whole key (a disk that filled while it was being
 * written, a truncation) is an error: an empty key would sign with nothing.
 */
import { randomBytes } from 'crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'fs';
import { basename, dirname, join } from 'path';

export const HISTORY_KEY_FILE = 'history-key';
export const LINK_KEY_FILE = 'link-key';

/** A local key: 32 random bytes in hex. */
export const newHistoryKey = () => randomBytes(32).toString('hex');
const WHOLE_KEY = /^[0-9a-f]{64}$/;

/** What makes a key file unusable, with what to do about it: a person reads it when the gateway refuses to start. */
export class KeyFileError extends Error {
  constructor(readonly file: string, remedy: string) {
    super(`${file} is not a whole key (empty, short or altered). ${remedy}`);
  }
}

const REMEDIES: Record<string, string> = {
  [HISTORY_KEY_FILE]:
    'Restore it from a backup of this folder: the need timelines were signed with it and cannot be verified without it. Only on a folder whose needs you will discard, delete it to make a new key.',
  [LINK_KEY_FILE]: 'Delete it: a new key is made when the next link is signed (file links already handed out stop working, as they do when they expire).',
};

/** The key in `file`, undefined when there is none; a KeyFileError when the file holds anything but a whole key. */
export function readKeyFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const key = text.trim();
  if (!WHOLE_KEY.test(key)) throw new KeyFileError(file, REMEDIES[basename(file)] ?? 'Restore it from a backup.');
  return key;
}

function syncFolder(folder: string): void {
  // Makes the new name itself durable; not every platform lets a folder be opened for it.
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot fsync a directory; NTFS journals the name.
  }
}

/** The key in `file`, made (whole, mode 600) when absent. Of two processes racing, both end with the first one's key. */
export function ensureKeyFile(file: string): string {
  const existing = readKeyFile(file);
  if (existing) return existing;
  mkdirSync(dirname(file), { recursive: true });
  const key = newHistoryKey();
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    try {
      writeSync(fd, `${key}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, file);
  } catch (err) {
    // Another process put its key in place first: theirs is the key.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file)!;
    throw err;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
  syncFolder(dirname(file));
  return key;
}

export const ensureHistoryKey = (dataDir: string): string => ensureKeyFile(join(dataDir, HISTORY_KEY_FILE));
