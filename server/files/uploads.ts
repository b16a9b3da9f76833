/**
 * What people upload, and what becomes of it (issue 13, item 6).
 *
 * Only two kinds of person upload: a task-force member (check-in photos)
 * and an admin (the import sheet). Each upload lands in its uploader's own
 * folder (paths.ts), is counted against a daily quota, and is recorded in
 * `uploads` so that the scheduler can remove what no record came to
 * reference. A check-in attaches only its caller's own photos.
 */
import type { Role } from '../../typings/api';
import { forbidden, invalid } from '../core/errors';
import { sha256 } from '../core/ids';
import type { Clock, Db, FileStore } from '../core/ports';
import { checkRate } from '../core/rateLimit';
import { docsOf } from '../core/tx';
import { loadUser } from '../access/session';
import { isCollectionMissing } from '../db/collections';
import { cloudPathOf, uploadPath, uploadPrefix } from './paths';

export type UploadKind = 'photo' | 'sheet';

/** The kinds by file extension, and the role whose work each is. */
const KIND_BY_EXTENSION: Record<string, UploadKind> = { jpg: 'photo', jpeg: 'photo', png: 'photo', webp: 'photo', xlsx: 'sheet', csv: 'sheet' };
const ROLE_OF: Record<UploadKind, Role> = { photo: 'taskforce', sheet: 'admin' };

/** Files a person may upload a China-time day: a busy day of visits is a few dozen photos, an admin's a few sheets. */
export const DAILY_UPLOADS = 200;
/** How long an upload may wait for a record to name it before the scheduler removes it. */
export const ORPHAN_DAYS = 3;

const extensionOf = (path: string) => (/\.([A-Za-z0-9]{1,5})$/.exec(path)?.[1] ?? '').toLowerCase();

export const kindOf = (path: string): UploadKind | undefined => KIND_BY_EXTENSION[extensionOf(path)];

/** Whether a file ID is a photo its caller uploaded: in the caller's own folder, of an image type. */
export function isOwnPhoto(openid: string, fileID: string): boolean {
  const path = cloudPathOf(fileID);
  return /^cloud:\/\/[^/]+\//.test(fileID) && path.startsWith(uploadPrefix(openid)) && kindOf(path) === 'photo';
}

/** What the first bytes say a file is; the extension alone is the client's word. */
function looksLike(kind: UploadKind, ext: string, content: Buffer): boolean {
  if (kind === 'photo') {
    if (ext === 'png') return content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    if (ext === 'webp') return content.toString('latin1', 0, 4) === 'RIFF' && content.toString('latin1', 8, 12) === 'WEBP';
    return content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff;
  }
  if (ext === 'xlsx') return content.length >= 4 && content.readUInt32LE(0) === 0x04034b50;
  // A csv is text: no NUL in what the import will read.
  return !content.subarray(0, 64 * 1024).includes(0);
}

export interface UploadPorts {
  db: Db;
  clock: Clock;
  files: Pick<FileStore, 'upload'>;
}

/**
 * Takes one file from `openid`: refused unless their role uploads this
 * kind, the bytes are of that kind, and today's quota has room; stored in
 * their folder under a fresh name and recorded. Answers the file ID.
 */
export async function acceptUpload(ports: UploadPorts, openid: string, clientPath: unknown, content: Buffer): Promise<string> {
  const path = uploadPath(openid, clientPath);
  const kind = kindOf(path);
  if (!kind) throw invalid('只能上传照片（jpg、png、webp）或表格（xlsx、csv）', 'cloudPath');
  const user = await loadUser(ports.db, openid);
  if (!user?.roles.includes(ROLE_OF[kind])) throw forbidden(kind === 'photo' ? '只有服务专班成员可以上传走访照片' : '只有工商联管理员可以上传导入表格');
  if (!content.length || !looksLike(kind, extensionOf(path), content)) throw invalid(kind === 'photo' ? '文件不是有效的图片' : '文件不是有效的表格', 'contentBase64');
  await checkRate(ports.db, ports.clock, `upload:${openid}`, DAILY_UPLOADS, { window: 'day', message: `每人每天最多上传 ${DAILY_UPLOADS} 个文件，请明天再试` });
  const fileID = await ports.files.upload(path, content);
  const createdAt = ports.clock.now().toISOString();
  await ports.db.collection('uploads').add({ data: { _id: sha256(fileID).slice(0, 32), fileID, owner: openid, kind, bytes: content.length, createdAt } });
  return fileID;
}

interface UploadDoc {
  _id: string;
  fileID: string;
  kind: UploadKind;
  createdAt: string;
}

export interface SweepPorts {
  db: Db;
  clock: Clock;
  files: Pick<FileStore, 'remove'>;
}

/**
 * The scheduler's step: uploads older than ORPHAN_DAYS that no visit names
 * are removed from storage, and their records with them; a photo a visit
 * names keeps its file and loses only the record (the visit is its record
 * now). Import sheets are read by the import and named by nothing, so they
 * go too: they carry every contact's phone number. A page of 100 a call
 * (three requests), until `outOfTime` says stop; answers how many files were removed.
 */
export async function sweepOrphanUploads(ports: SweepPorts, outOfTime: () => boolean = () => false): Promise<{ removed: number; unfinished: boolean }> {
  const _ = ports.db.command;
  const cutoff = new Date(ports.clock.now().getTime() - ORPHAN_DAYS * 86_400_000).toISOString();
  let removed = 0;
  for (;;) {
    if (outOfTime()) return { removed, unfinished: true };
    let page: UploadDoc[];
    try {
      page = await docsOf<UploadDoc>(
        ports.db.collection('uploads').where({ kind: _.in(['photo', 'sheet']), createdAt: _.lt(cutoff) }).orderBy('createdAt', 'asc').limit(100),
      );
    } catch (err) {
      // An environment set up before `uploads` existed has nothing recorded to sweep (docs/setup.md, upgrading).
      if (isCollectionMissing(err)) return { removed, unfinished: false };
      throw err;
    }
    if (!page.length) return { removed, unfinished: false };
    const photos = page.filter((u) => u.kind === 'photo').map((u) => u.fileID);
    const named = new Set<string>();
    if (photos.length) {
      const visits = await docsOf<{ photos: string[] }>(ports.db.collection('visits').where({ photos: _.in(photos) }).field({ photos: true }).limit(1000));
      for (const v of visits) for (const p of v.photos) named.add(p);
    }
    const orphans = page.filter((u) => !named.has(u.fileID)).map((u) => u.fileID);
    if (orphans.length) await ports.files.remove(orphans);
    removed += orphans.length;
    await ports.db.collection('uploads').where({ _id: _.in(page.map((u) => u._id)) }).remove();
    if (page.length < 100) return { removed, unfinished: false };
  }
}
