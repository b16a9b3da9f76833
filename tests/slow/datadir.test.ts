/**
 * The data folder with real gateway processes (npm run test:slow): a second
 * gateway on a DATA_DIR in use refuses to start naming the folder and the
 * first one's pid; a gateway killed with -9 leaves a lock the next start
 * takes over; a used folder whose database is gone, or damaged, refuses to
 * start with what to do, never with a stack.
 */
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const { bundleGateway } = require('../../scripts/bundle');

const PORT = 3600 + Math.floor(Math.random() * 200);
let dataDir: string;
let gatewayFile: string;
const running: ChildProcess[] = [];

function launch(port: number): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [gatewayFile], { env: { ...process.env, PORT: String(port), DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => text, exited };
}

async function healthy(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('gateway did not start');
}

beforeAll(async () => {
  gatewayFile = await bundleGateway();
  dataDir = mkdtempSync(join(tmpdir(), 'desk-datadir-slow-'));
});
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

test('one gateway per DATA_DIR: the second refuses naming the first; after a kill -9 the next start takes over', async () => {
  const first = launch(PORT);
  await healthy(PORT);
  const second = launch(PORT + 1);
  expect(await second.exited).toBe(1);
  expect(second.output()).toContain(`Not starting: ${dataDir} is in use by process ${first.child.pid}`);
  expect(second.output()).not.toMatch(/\n\s+at /);

  first.child.kill('SIGKILL');
  await first.exited;
  const third = launch(PORT);
  await healthy(PORT);
  expect(third.output()).toContain(`Using the existing database in ${dataDir}`);
  third.child.kill('SIGTERM');
  expect(await third.exited).toBe(0);
}, 60_000);

test('a used folder whose database is damaged, or gone, refuses to start and says what to do', async () => {
  const fd = openSync(join(dataDir, 'db.sqlite'), 'r+');
  writeSync(fd, Buffer.from('not an SQLite database header'), 0, 29, 0);
  closeSync(fd);
  const damaged = launch(PORT);
  expect(await damaged.exited).toBe(1);
  expect(damaged.output()).toMatch(/Not starting: The database .*db\.sqlite is damaged .*Restore the folder/);
  expect(damaged.output()).not.toContain('SqliteError');

  rmSync(join(dataDir, 'db.sqlite'));
  rmSync(join(dataDir, 'db.sqlite-wal'), { force: true });
  const gone = launch(PORT);
  expect(await gone.exited).toBe(1);
  expect(gone.output()).toMatch(/Not starting: .* has been used \(it holds .*setup-code\) but has no set-up database.*Restore db\.sqlite from a backup/);
}, 60_000);
