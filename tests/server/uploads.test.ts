/**
 * Files (issue 13, item 6): a check-in attaches only its caller's own
 * uploads, of an image type; /upload takes files only from the roles that
 * upload, of the kind that role uploads, within a daily quota; uploads no
 * record names are removed by the scheduler after ORPHAN_DAYS.
 */
import type { AddressInfo } from 'net';
import type { Server } from 'http';
import { existsSync } from 'fs';
import { createGateway } from '../../server/local/gateway';
import { uploadPrefix } from '../../server/files/paths';
import { DAILY_UPLOADS, ORPHAN_DAYS } from '../../server/files/uploads';
import { runScheduler } from '../../server/scheduler/run';
import { startHarness, type Harness } from './harness';

let h: Harness;
let server: Server;
let base: string;
beforeEach(async () => {
  h = await startHarness();
  server = createGateway(h.rt);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  h.close();
});

const TF = 'demo-taskforce';
const ADMIN = 'demo-admin';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('photo')]).toString('base64');
const XLSX = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('sheet')]).toString('base64');

const upload = (openid: string | undefined, cloudPath: string, contentBase64: string) =>
  fetch(`${base}/upload`, { method: 'POST', headers: { 'content-type': 'application/json', ...(openid ? { 'x-openid': openid } : {}) }, body: JSON.stringify({ cloudPath, contentBase64 }) });
async function uploaded(openid: string, cloudPath: string, content: string): Promise<string> {
  const res = await upload(openid, cloudPath, content);
  const body: any = await res.json();
  if (!body.ok) throw new Error(`upload refused: ${JSON.stringify(body)}`);
  return body.data.fileID;
}

async function qiutian(): Promise<string> {
  return (await h.ok('visit', 'myEnterprises', {}, TF)).items.find((e: any) => e.name === '重庆秋田齿轮有限公司').id;
}
let seq = 0;
const checkIn = (enterpriseId: string, photos: string[]) => ({ enterpriseId, clientKey: `uploads-visit-${++seq}`, photos, checklist: {} });

test("a check-in attaches only the caller's own uploads, of an image type", async () => {
  const e = await qiutian();
  const own = await uploaded(TF, 'gate.jpg', JPEG);
  const adminSheet = await uploaded(ADMIN, 'imports/contacts.xlsx', XLSX);
  // The admin's import sheet, with every phone number: not the member's to attach.
  expect(await h.fail('visit', 'checkIn', checkIn(e, [own, adminSheet]), TF)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'photos.1' });
  // Another person's photo, by a made-up path in their folder, or one under uploads/ but in no one's folder.
  const another = `cloud://env.local/${uploadPrefix('someone-else')}gate.jpg`;
  expect(await h.fail('visit', 'checkIn', checkIn(e, [another]), TF)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'photos.0' });
  expect(await h.fail('visit', 'checkIn', checkIn(e, ['cloud://env.local/uploads/visits/gate.jpg']), TF)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'photos.0' });
  // The member's own folder, but not an image.
  const ownSheet = `cloud://env.local/${uploadPrefix(TF)}notes.xlsx`;
  const err = await h.fail('visit', 'checkIn', checkIn(e, [ownSheet]), TF);
  expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'photos.0' });
  expect(err.message).toMatch(/本人上传的照片/);
  const visit = await h.ok('visit', 'checkIn', checkIn(e, [own]), TF);
  expect(visit.photos).toEqual([own]);
  // The phone learns its folder from the profile (cloud uploads go straight to storage, there).
  expect((await h.ok('visit', 'profile', {}, TF)).uploadFolder).toBe(uploadPrefix(TF));
});

test('/upload takes files only from the roles that upload, each its own kind, of what they claim to be', async () => {
  const refused = async (openid: string | undefined, cloudPath: string, content: string, status: number, code: string) => {
    const res = await upload(openid, cloudPath, content);
    expect([openid, cloudPath, res.status]).toEqual([openid, cloudPath, status]);
    const body: any = await res.json();
    expect(body).toMatchObject({ ok: false, error: { code } });
    expect(body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  };
  await refused(undefined, 'a.jpg', JPEG, 401, 'UNAUTHENTICATED');
  // Someone the app has never seen, and an owner: neither role uploads.
  await refused('never-seen-openid', 'a.jpg', JPEG, 403, 'FORBIDDEN');
  await refused('demo-enterprise', 'a.jpg', JPEG, 403, 'FORBIDDEN');
  // A task force uploads photos, an admin sheets.
  await refused(TF, 'contacts.xlsx', XLSX, 403, 'FORBIDDEN');
  await refused(ADMIN, 'a.jpg', JPEG, 403, 'FORBIDDEN');
  // Named a photo, but not one; no kind at all.
  await refused(TF, 'a.jpg', XLSX, 400, 'INVALID_ARGUMENT');
  await refused(TF, 'a.html', JPEG, 400, 'INVALID_ARGUMENT');
  const records = (await h.db.collection('uploads').where({ kind: h.db.command.in(['photo', 'sheet']) }).get()).data;
  expect(records).toHaveLength(0);
  expect(await uploaded(TF, 'a.jpg', JPEG)).toMatch(/^cloud:\/\//);
  expect(await uploaded(ADMIN, 'b.xlsx', XLSX)).toMatch(/^cloud:\/\//);
});

test(`/upload counts a daily quota of ${DAILY_UPLOADS} files a person, renewed each China-time day`, async () => {
  for (let i = 0; i < DAILY_UPLOADS; i++) await uploaded(TF, `p${i}.jpg`, JPEG);
  const over = await upload(TF, 'one-more.jpg', JPEG);
  expect(over.status).toBe(429);
  expect(await over.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringContaining('每人每天最多上传') } });
  // Another person's quota is their own.
  expect(await uploaded(ADMIN, 'b.xlsx', XLSX)).toMatch(/^cloud:\/\//);
  // 2026-03-02T01:00Z is 09:00 in China: the next China day starts 15 hours later.
  h.clock.advance(15 * 3_600_000);
  expect(await uploaded(TF, 'next-day.jpg', JPEG)).toMatch(/^cloud:\/\//);
});

test(`the scheduler removes uploads no record names after ${ORPHAN_DAYS} days, and keeps the photos visits name`, async () => {
  const e = await qiutian();
  const kept = await uploaded(TF, 'kept.jpg', JPEG);
  const abandoned = await uploaded(TF, 'abandoned.jpg', JPEG);
  const sheet = await uploaded(ADMIN, 'contacts.xlsx', XLSX);
  await h.ok('visit', 'checkIn', checkIn(e, [kept]), TF);
  const onDisk = (fileID: string) => existsSync(h.rt.files.pathOf(fileID));

  h.clock.advance((ORPHAN_DAYS - 1) * 86_400_000);
  expect((await runScheduler(h.rt.ports)).uploadsRemoved).toBe(0);
  expect([kept, abandoned, sheet].every(onDisk)).toBe(true);

  h.clock.advance(2 * 86_400_000);
  expect((await runScheduler(h.rt.ports)).uploadsRemoved).toBe(2);
  expect([onDisk(kept), onDisk(abandoned), onDisk(sheet)]).toEqual([true, false, false]);
  // The visit still links its photo; nothing is left to sweep.
  const { items } = await h.ok('visit', 'list', { enterpriseId: e }, TF);
  expect(items[0].photoUrls[0]).toMatch(/sig=/);
  expect((await h.db.collection('uploads').where({ kind: h.db.command.in(['photo', 'sheet']) }).get()).data).toHaveLength(0);
  expect((await runScheduler(h.rt.ports)).uploadsRemoved).toBe(0);
});

test('a visit stored before the rule, naming an admin’s import sheet as a photo, gets no link for it', async () => {
  const e = await qiutian();
  const own = await uploaded(TF, 'gate.jpg', JPEG);
  const sheet = await uploaded(ADMIN, 'contacts.xlsx', XLSX);
  const visit = await h.ok('visit', 'checkIn', checkIn(e, [own]), TF);
  // As main let it be written: any uploads/ path was taken.
  await h.db.collection('visits').doc(visit.id).update({ data: { photos: [own, sheet] } });
  const { items } = await h.ok('visit', 'list', { enterpriseId: e }, TF);
  expect(items[0].photos).toEqual([own, sheet]);
  expect(items[0].photoUrls[0]).toMatch(/sig=/);
  expect(items[0].photoUrls[1]).toBe('');
});
