/** The local history key: DATA_DIR/history-key, made on first use, readable by its owner only, never replaced. */
import { randomBytes } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

export const HISTORY_KEY_FILE = 'history-key';

function readKey(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, HISTORY_KEY_FILE), 'utf8').trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export const newHistoryKey = () => randomBytes(32).toString('hex');

export function ensureHistoryKey(dataDir: string): string {
  const existing = readKey(dataDir);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const key = newHistoryKey();
  try {
    writeFileSync(join(dataDir, HISTORY_KEY_FILE), `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process wrote it first: theirs is the key.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKey(dataDir)!;
    throw err;
  }
  return key;
}
