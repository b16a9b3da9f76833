/**
 * Where stored files live. Storage is closed to clients (the exports carry
 * phone numbers), so a path is never the key to a file; still, a path that
 * cannot be guessed keeps a file private should a storage rule be loosened
 * by mistake, and a per-person upload prefix lets the cloud's storage rule
 * and the local gateway keep one person's uploads from replacing another's.
 */
import { createHash, randomBytes } from 'crypto';

/** 128 random bits: the folder of an export is the secret, not its name. */
export const secretFolder = () => randomBytes(16).toString('hex');

export function exportPath(kind: string, stamp: string): string {
  return `exports/${secretFolder()}/${stamp}-${kind}.xlsx`;
}

/** The caller's own upload folder; a hash, so that paths do not publish OPENIDs. */
export function uploadPrefix(openid: string): string {
  return `uploads/${createHash('sha256').update(openid).digest('hex').slice(0, 16)}/`;
}

/** Only the last segment of what the client calls its file, in letters, digits, '.', '-' and '_'. */
export function safeFileName(clientPath: unknown): string {
  const last = typeof clientPath === 'string' ? (clientPath.split(/[\\/]/).pop() ?? '') : '';
  const name = last
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^[._]+/, '')
    .slice(-64);
  return name || 'file';
}

/** A random part in every name: two uploads of the same file name never land on one path. */
export function uploadPath(openid: string, clientPath: unknown): string {
  return `${uploadPrefix(openid)}${randomBytes(8).toString('hex')}-${safeFileName(clientPath)}`;
}

/** The cloud path inside a file ID (`cloud://<env>.<bucket>/<path>`). */
export const cloudPathOf = (fileID: string) => fileID.replace(/^cloud:\/\/[^/]+\//, '');

/**
 * Photos are what the phone uploaded. A check-in stores whatever file IDs it
 * was sent, so only uploads get photo links: a visit that names an export
 * as a "photo" does not hand that export to everyone who reads the visit.
 */
export const isUpload = (fileID: string) => cloudPathOf(fileID).startsWith('uploads/');
