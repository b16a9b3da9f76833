/**
 * The one-time setup code. It stands in for "the first caller becomes
 * admin": only someone who can read the admin function's environment (the
 * cloud console) or the local DATA_DIR can know it.
 */
import { randomBytes, timingSafeEqual } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { sha256 } from '../core/ids';

export const SETUP_CODE_FILE = 'setup-code';

/**
 * Setup cannot be rate-limited (a refused attempt must write nothing, and on
 * an empty environment there is nowhere to count), so a code must be too long
 * to guess instead.
 */
export const MIN_SETUP_CODE_LENGTH = 16;

export const codeHash = (code: string) => sha256(code);

/** Compares digests, so the time taken says nothing about how much of a guess matched. */
export function sameCode(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(codeHash(given), 'hex'), Buffer.from(codeHash(expected), 'hex'));
}

export function readSetupCode(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, SETUP_CODE_FILE), 'utf8').trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The local code, made on first use: readable by its owner only, never replaced once written. */
export function ensureSetupCode(dataDir: string): { code: string; created: boolean } {
  const existing = readSetupCode(dataDir);
  if (existing) return { code: existing, created: false };
  mkdirSync(dataDir, { recursive: true });
  const code = randomBytes(16).toString('hex');
  try {
    writeFileSync(join(dataDir, SETUP_CODE_FILE), `${code}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process wrote it first: theirs is the code.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { code: readSetupCode(dataDir)!, created: false };
    throw err;
  }
  return { code, created: true };
}
