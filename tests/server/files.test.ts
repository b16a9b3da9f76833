/**
 * Local storage's links: signed with a key kept in DATA_DIR (so links survive
 * a restart and no other data folder can forge them), and paths that cannot
 * be guessed or climbed out of.
 */
import { mkdtempSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createLocalRuntime, type LocalRuntime } from '../../server/local/runtime';
import { exportPath, safeFileName, uploadPath, uploadPrefix } from '../../server/files/paths';
import { TestClock } from './harness';

const dirs: string[] = [];
const runtimes: LocalRuntime[] = [];
function runtimeIn(dataDir: string, clock = new TestClock()): LocalRuntime {
  const rt = createLocalRuntime({ dataDir, clock });
  runtimes.push(rt);
  return rt;
}
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'files-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const rt of runtimes) rt.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const query = (url: string) => new URL(url, 'http://x').searchParams;

test('the signing key is made on first use in DATA_DIR, readable by its owner only, and kept across restarts', async () => {
  const dir = freshDir();
  const first = runtimeIn(dir);
  const fileID = await first.files.upload('exports/abc/x.xlsx', Buffer.from('PK'));
  const link = await first.files.link(fileID, 600);
  expect(statSync(join(dir, 'link-key')).mode & 0o777).toBe(0o600);

  const q = query(link.url);
  first.close(); // a restart: one process per data folder (closing twice, in afterAll, is harmless)
  const again = runtimeIn(dir);
  expect(again.files.check('exports/abc/x.xlsx', q.get('expires'), q.get('sig'))).toBe('ok');
  const elsewhere = runtimeIn(freshDir());
  expect(elsewhere.files.check('exports/abc/x.xlsx', q.get('expires'), q.get('sig'))).toBe('forged');
});

test('in memory, each runtime signs with its own key', async () => {
  const a = runtimeIn(':memory:');
  const b = runtimeIn(':memory:');
  const fileID = await a.files.upload('uploads/p/1.jpg', Buffer.from('x'));
  const q = query((await a.files.link(fileID, 60)).url);
  expect(a.files.check('uploads/p/1.jpg', q.get('expires'), q.get('sig'))).toBe('ok');
  expect(b.files.check('uploads/p/1.jpg', q.get('expires'), q.get('sig'))).toBe('forged');
});

test('a link expires by the injected clock and names the gateway port once one listens', async () => {
  const clock = new TestClock();
  const rt = runtimeIn(':memory:', clock);
  const fileID = await rt.files.upload('uploads/p/2.jpg', Buffer.from('x'));
  const link = await rt.files.link(fileID, 90);
  expect(link.url.startsWith('/files/uploads/p/2.jpg?')).toBe(true);
  expect(link.expiresAt).toBe(new Date(clock.now().getTime() + 90_000).toISOString());
  const q = query(link.url);
  clock.advance(90_000);
  expect(rt.files.check('uploads/p/2.jpg', q.get('expires'), q.get('sig'))).toBe('ok');
  clock.advance(1000);
  expect(rt.files.check('uploads/p/2.jpg', q.get('expires'), q.get('sig'))).toBe('expired');
  rt.files.baseUrl = 'http://127.0.0.1:4123';
  expect((await rt.files.link(fileID, 90)).url.startsWith('http://127.0.0.1:4123/files/uploads/p/2.jpg?')).toBe(true);
});

test('no link for a folder, a missing file or a path that climbs', async () => {
  const rt = runtimeIn(':memory:');
  await rt.files.upload('exports/abc/x.xlsx', Buffer.from('PK'));
  const ids = ['cloud://e/exports', 'cloud://e/exports/abc', 'cloud://e/exports/abc/missing.xlsx', 'cloud://e/../db.sqlite', 'cloud://e/exports/abc/x.xlsx'];
  expect((await rt.files.links(ids, 60)).map((l) => l.fileID)).toEqual(['cloud://e/exports/abc/x.xlsx']);
  await expect(rt.files.link('cloud://e/exports/abc', 60)).rejects.toMatchObject({ code: 'NOT_FOUND' });
});

test('export paths hide 128 random bits; upload paths sit under the hash of the caller', () => {
  const a = exportPath('report', '20260302-0900');
  expect(a).toMatch(/^exports\/[0-9a-f]{32}\/20260302-0900-report\.xlsx$/);
  expect(exportPath('report', '20260302-0900')).not.toBe(a);
  expect(uploadPrefix('demo-taskforce')).toMatch(/^uploads\/[0-9a-f]{16}\/$/);
  expect(uploadPrefix('demo-taskforce')).not.toBe(uploadPrefix('demo-enterprise'));
  expect(uploadPath('demo-taskforce', 'a.jpg').startsWith(uploadPrefix('demo-taskforce'))).toBe(true);
  expect(uploadPath('demo-taskforce', 'a.jpg')).not.toBe(uploadPath('demo-taskforce', 'a.jpg'));
});

test.each([
  ['visits/ent-qiutian/visit-abc-0.jpg', 'visit-abc-0.jpg'],
  ['../../etc/passwd', 'passwd'],
  ['C:\\photos\\门口.JPG', '门口.JPG'],
  ['..', 'file'],
  ['.hidden', 'hidden'],
  ['a b;rm -rf.png', 'a_b_rm_-rf.png'],
  ['', 'file'],
  [42, 'file'],
])('the client name %j is stored as %j', (given, stored) => {
  expect(safeFileName(given)).toBe(stored);
});
