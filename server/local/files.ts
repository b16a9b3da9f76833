import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, isAbsolute, join, normalize } from 'path';
import type { Clock, FileLink, FileStore } from '../core/ports';
import { invalid, notFound } from '../core/errors';
import { cloudPathOf } from '../files/paths';
import { ensureKeyFile } from '../history/keyFile';

export interface LocalFilesOptions {
  clock: Clock;
  /** Where the link-signing key is kept (created on first use); none: a key for this process only. */
  keyFile?: string;
}

export type LinkCheck = 'ok' | 'unsigned' | 'forged' | 'expired';

/** The segments of a cloud path, or null when it is not one: empty, a folder, absolute, or climbing. */
export function cloudPathSegments(path: string): string[] | null {
  const segments = path.split('/');
  const bad = (s: string) => !s || s === '.' || s === '..' || /[\\\0]/.test(s);
  return segments.length && !segments.some(bad) ? segments : null;
}

/**
 * Cloud storage, locally: a folder; file IDs keep the cloud's `cloud://`
 * shape. Files are read through expiring signed links, as the cloud's
 * getTempFileURL hands them out.
 */
export class LocalFiles implements FileStore {
  /**
   * Set by the gateway once it listens, so that links name the port it
   * really serves on; until then links are paths without a host.
   */
  baseUrl = '';
  private key?: Buffer;

  constructor(
    private readonly root: string,
    private readonly env: string,
    private readonly options: LocalFilesOptions,
  ) {}

  async upload(cloudPath: string, content: Buffer): Promise<string> {
    // Cloud paths are relative and never climb: refuse rather than quietly rewrite.
    if (!cloudPath || isAbsolute(cloudPath) || cloudPath.split(/[\\/]/).includes('..')) throw invalid('文件路径不合法', 'cloudPath');
    const safe = normalize(cloudPath);
    const target = join(this.root, safe);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    return `cloud://${this.env}.local/${safe}`;
  }

  async download(fileID: string): Promise<Buffer> {
    const content = this.read(cloudPathOf(fileID));
    if (!content) throw notFound('文件不存在，请重新上传');
    return content;
  }

  async link(fileID: string, seconds: number): Promise<FileLink> {
    const [link] = await this.links([fileID], seconds);
    if (!link) throw notFound('文件不存在或已被删除');
    return link;
  }

  async links(fileIDs: string[], seconds: number): Promise<FileLink[]> {
    const expires = Math.floor(this.options.clock.now().getTime() / 1000) + Math.max(1, Math.floor(seconds));
    return fileIDs
      .filter((fileID) => this.fileOf(cloudPathOf(fileID)))
      .map((fileID) => {
        const path = cloudPathOf(fileID);
        const query = `expires=${expires}&sig=${this.sign(path, expires)}`;
        return {
          fileID,
          url: `${this.baseUrl}/files/${path.split('/').map(encodeURIComponent).join('/')}?${query}`,
          expiresAt: new Date(expires * 1000).toISOString(),
        };
      });
  }

  async remove(fileIDs: string[]): Promise<void> {
    for (const fileID of fileIDs) {
      const file = this.fileOf(cloudPathOf(fileID));
      if (file) rmSync(file, { force: true });
    }
  }

  /** Whether a link's `expires` and `sig` open this cloud path now. */
  check(cloudPath: string, expires: string | null, sig: string | null): LinkCheck {
    if (!expires || !sig) return 'unsigned';
    if (!/^\d{1,12}$/.test(expires)) return 'forged';
    const expected = Buffer.from(this.sign(cloudPath, Number(expires)));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    return this.options.clock.now().getTime() > Number(expires) * 1000 ? 'expired' : 'ok';
  }

  /** The bytes of a stored file; undefined for anything that is not one (a folder, a bad path). */
  read(cloudPath: string): Buffer | undefined {
    const file = this.fileOf(cloudPath);
    return file ? readFileSync(file) : undefined;
  }

  /** Where a stored file sits on disk (tests open exported workbooks with it). */
  pathOf(fileID: string): string {
    return join(this.root, cloudPathOf(fileID));
  }

  private fileOf(cloudPath: string): string | undefined {
    if (!cloudPathSegments(cloudPath)) return undefined;
    const file = join(this.root, cloudPath);
    try {
      return statSync(file).isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(cloudPath: string, expires: number): string {
    return createHmac('sha256', this.signingKey()).update(`${cloudPath}\n${expires}`).digest('base64url');
  }

  private signingKey(): Buffer {
    if (this.key) return this.key;
    const file = this.options.keyFile;
    // Written whole or not at all (server/history/keyFile.ts): an empty key would let anyone sign a link.
    this.key = file ? Buffer.from(ensureKeyFile(file), 'hex') : randomBytes(32);
    return this.key;
  }
}
