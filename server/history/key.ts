/**
 * The history key: the secret that makes the timeline's hashes HMACs. It is
 * held outside the database (the function environment variable HISTORY_KEY
 * in the cloud, DATA_DIR/history-key locally), so someone who can write the
 * database but not read the functions' configuration cannot recompute a
 * rewritten chain. Without it nothing that writes a need may run: a default
 * key would be a key everyone knows.
 */
import { createHmac } from 'crypto';
import { AppError } from '../core/errors';
import { sha256 } from '../core/ids';
import type { Ports } from '../core/ports';

/** Short enough to type into a console, long enough not to be guessed: 32 characters (say, 16 random bytes in hex). */
export const MIN_HISTORY_KEY_LENGTH = 32;

export interface HistoryKey {
  /** First 8 hex of sha256(secret): recorded on each event so a rotation can be recognised; reveals nothing usable. */
  id: string;
  secret: string;
}

export const keyIdOf = (secret: string) => sha256(secret).slice(0, 8);

export function keyed(key: HistoryKey, text: string): string {
  return createHmac('sha256', key.secret).update(text).digest('hex');
}

const known = new Map<string, HistoryKey>();

/** The configured key, or a loud refusal: INTERNAL to the caller, the reason in the function's log. */
export function historyKey(ports: Pick<Ports, 'historyKey'>): HistoryKey {
  const secret = ports.historyKey?.();
  if (!secret || secret.length < MIN_HISTORY_KEY_LENGTH) {
    console.error(
      JSON.stringify({
        error: 'HISTORY_KEY',
        message: secret
          ? `HISTORY_KEY is shorter than ${MIN_HISTORY_KEY_LENGTH} characters; refusing to write or verify need histories`
          : 'HISTORY_KEY is not set on this function; refusing to write or verify need histories (see docs/history.md)',
      }),
    );
    throw new AppError('INTERNAL', '系统尚未配置办理记录密钥，暂不能办理，请联系管理员');
  }
  let key = known.get(secret);
  if (!key) {
    key = { id: keyIdOf(secret), secret };
    known.set(secret, key);
  }
  return key;
}
