import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, isAbsolute, join, normalize } from 'path';
import type { FileStore } from '../core/ports';
import { invalid, notFound } from '../core/errors';

/** Cloud storage, locally: a folder; file IDs keep the cloud's `cloud://` shape. */
export class LocalFiles implements FileStore {
  constructor(
    private readonly root: string,
    private readonly env: string,
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
    const file = this.pathOf(fileID);
    if (fileID.includes('..') || !existsSync(file)) throw notFound('文件不存在，请重新上传');
    return readFileSync(file);
  }

  pathOf(fileID: string): string {
    return join(this.root, fileID.replace(/^cloud:\/\/[^/]+\//, ''));
  }
}
