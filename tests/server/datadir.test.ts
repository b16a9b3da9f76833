/**
 * The data folder (issue 20): one writer per DATA_DIR, a used folder never
 * set up again, a damaged database or key file named with its remedy, key
 * files written whole, a full disk that answers clean errors and lets writes
 * resume; and in-memory runtimes that leave no folder behind (issue 14).
 */
import { spawn } from 'child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DocumentStore } from '../../server/local/store';
import { DataDirError, PID_FILE, WAL_PAGES } from '../../server/local/database';
import { createLocalRuntime, type LocalRuntime } from '../../server/local/runtime';
import { FileOutbox } from '../../server/local/outbox';
import { ensureHistoryKey, HISTORY_KEY_FILE, KeyFileError, LINK_KEY_FILE } from '../../server/history/keyFile';
import { setUpLocal, UsedFolderError } from '../../server/setup/local';
import { getDoc } from '../../server/core/tx';
import { historyKey } from '../../server/history/key';
import { masks, startHarness, TestClock } from './harness';
import type { SubscribeMessage } from '../../server/core/ports';

/** fs, with a way to make its next writeSync fail as a full disk does (its own properties cannot be spied on). */
const mockDisk: { nextWrite?: (real: typeof import('fs').writeSync, ...args: any[]) => number } = {};
jest.mock('fs', () => {
  const real = jest.requireActual('fs');
  return {
    ...real,
    writeSync: (...args: any[]) => {
      const fail = mockDisk.nextWrite;
      mockDisk.nextWrite = undefined;
      return fail ? fail(real.writeSync, ...args) : real.writeSync(...args);
    },
  };
});
const noSpace = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'desk-datadir-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const dbFile = () => join(dir, 'db.sqlite');

/** A local runtime on `dir` that `npm start` has set up, closed again. */
async function usedFolder(): Promise<string> {
  const rt = createLocalRuntime({ dataDir: dir, clock: new TestClock() });
  try {
    const { code } = await setUpLocal(rt.ports, dir, 3000);
    expect(await rt.call('admin', { action: 'setup', code }, 'first-admin')).toMatchObject({ ok: true });
    historyKey(rt.ports);
    return code;
  } finally {
    rt.close();
  }
}

describe('one writer per data folder', () => {
  test('a second store on a folder in use is refused, naming the folder and the process', () => {
    const first = new DocumentStore(dbFile());
    try {
      expect(() => new DocumentStore(dbFile())).toThrow(DataDirError);
      expect(() => new DocumentStore(dbFile())).toThrow(`${dir} is in use by process ${process.pid}`);
      expect(() => createLocalRuntime({ dataDir: dir })).toThrow(/one data folder has one writer/);
      expect(readFileSync(join(dir, PID_FILE), 'utf8').trim()).toBe(String(process.pid));
    } finally {
      first.close();
    }
    // Closed, the folder is free again.
    const again = new DocumentStore(dbFile());
    again.close();
  });

  test('another process holding the folder is named; once it is killed its stale lock is taken over', async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
         const { DocumentStore } = require(${JSON.stringify(require.resolve('../../server/local/store'))});
         const s = new DocumentStore(${JSON.stringify(dbFile())});
         s.createCollection('c');
         s.insert('c', [{ _id: 'written-by-the-child' }]);
         console.log('ready');
         setInterval(() => {}, 1000);`,
      ],
      { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
      });
      expect(() => new DocumentStore(dbFile())).toThrow(`${dir} is in use by process ${child.pid}`);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    // The dead process's pid file is still there; its lock went with it.
    expect(readFileSync(join(dir, PID_FILE), 'utf8').trim()).toBe(String(child.pid));
    const store = new DocumentStore(dbFile(), { strictIndexes: false });
    try {
      expect(store.getById('c', 'written-by-the-child')).toEqual({ _id: 'written-by-the-child' });
      expect(readFileSync(join(dir, PID_FILE), 'utf8').trim()).toBe(String(process.pid));
    } finally {
      store.close();
    }
  }, 30_000);

  test('a conditional write is decided on the stored version, never on a cached copy', () => {
    const store = new DocumentStore(dbFile(), { collections: [{ name: 'needs', indexes: [] }] as never });
    try {
      store.createCollection('needs');
      store.insert('needs', [{ _id: 'n1', status: 'routed', eventSeq: 1 }]);
      expect(store.getById('needs', 'n1')).toMatchObject({ eventSeq: 1 }); // now cached
      // A write the cache did not see (what a second process on the file did before the lock).
      (store as unknown as { sql: { prepare(s: string): { run(...a: unknown[]): void } } }).sql
        .prepare('UPDATE docs SET body = ?, version = version + 1000 WHERE coll = ? AND id = ?')
        .run(JSON.stringify({ _id: 'n1', status: 'claimed', claimedBy: 'winner', eventSeq: 2 }), 'needs', 'n1');
      const lost = store.modify('needs', { _id: 'n1', eventSeq: 1 }, { $set: { status: 'claimed', claimedBy: 'second', eventSeq: 2 } }, { multi: false, merge: true, upsert: false });
      expect(lost.updated).toBe(0);
      expect(store.getById('needs', 'n1')).toMatchObject({ claimedBy: 'winner' });
    } finally {
      store.close();
    }
  });
});

describe('a used folder is never set up again', () => {
  test('an emptied db.sqlite next to a used folder refuses to start, says what to do, and the spent code stays spent', async () => {
    await usedFolder();
    writeFileSync(dbFile(), '');
    rmSync(`${dbFile()}-wal`, { force: true });
    const rt = createLocalRuntime({ dataDir: dir });
    try {
      const refused = setUpLocal(rt.ports, dir, 3000);
      await expect(refused).rejects.toThrow(UsedFolderError);
      await expect(setUpLocal(rt.ports, dir, 3000)).rejects.toThrow(/has been used \(it holds history-key, setup-code\).*Restore db\.sqlite from a backup.*empty the folder/);
      // Nothing was set up: no district, and the spent code opens nothing.
      // Nothing was set up (and npm start stops here, so the spent code is never offered to admin.setup).
      expect(rt.store.hasCollection('settings')).toBe(false);
    } finally {
      rt.close();
    }
  });

  test('a deleted db.sqlite whose journal is left refuses to open', async () => {
    await usedFolder();
    writeFileSync(`${dbFile()}-wal`, 'left over');
    rmSync(dbFile());
    expect(() => createLocalRuntime({ dataDir: dir })).toThrow(/db\.sqlite is missing but its journal .* is there/);
    expect(existsSync(dbFile())).toBe(false);
  });

  test('a database holding needs refuses to start without its history key', async () => {
    const rt = createLocalRuntime({ dataDir: dir, clock: new TestClock() });
    try {
      await setUpLocal(rt.ports, dir, 3000);
      await rt.store.insert('needs', [{ _id: 'n1', status: 'routed' }]);
      rmSync(join(dir, HISTORY_KEY_FILE), { force: true });
      await expect(setUpLocal(rt.ports, dir, 3000)).rejects.toThrow(/history-key is missing but the database holds needs/);
    } finally {
      rt.close();
    }
  });

  test('a damaged database is named with its remedy, not a SqliteError', async () => {
    await usedFolder();
    const fd = openSync(dbFile(), 'r+');
    writeSync(fd, Buffer.from('this is not an SQLite header'), 0, 28, 0);
    closeSync(fd);
    let error: unknown;
    try {
      createLocalRuntime({ dataDir: dir }).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirError);
    expect(String((error as Error).message)).toMatch(/db\.sqlite is damaged .*Restore the folder .* from a backup.*\.recover.*empty the folder/);
  });
});

describe('key files', () => {
  test.each([
    [HISTORY_KEY_FILE, ''],
    [HISTORY_KEY_FILE, '3f1c'],
    [LINK_KEY_FILE, ''],
    [LINK_KEY_FILE, 'ab'.repeat(20)],
  ])('a %s holding %j is an error at start, never a key', (name, content) => {
    writeFileSync(join(dir, name), content);
    expect(() => createLocalRuntime({ dataDir: dir })).toThrow(KeyFileError);
    expect(() => createLocalRuntime({ dataDir: dir })).toThrow(`${join(dir, name)} is not a whole key`);
  });

  test('a key cut short by a full disk leaves no key file, and the next attempt writes it whole', () => {
    mockDisk.nextWrite = () => {
      throw noSpace();
    };
    expect(() => ensureHistoryKey(dir)).toThrow('ENOSPC');
    expect(readdirSync(dir)).toEqual([]);
    const key = ensureHistoryKey(dir);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, HISTORY_KEY_FILE), 'utf8')).toBe(`${key}\n`);
    expect(statSync(join(dir, HISTORY_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(ensureHistoryKey(dir)).toBe(key);
    expect(readdirSync(dir)).toEqual([HISTORY_KEY_FILE]);
  });
});

describe('a full disk', () => {
  test('answers a clean error, stores nothing half, and writes resume once space is freed', async () => {
    const rt = createLocalRuntime({ dataDir: dir, clock: new TestClock() });
    try {
      await setUpLocal(rt.ports, dir, 3000);
      const sql = (rt.store as unknown as { sql: { pragma(s: string, o?: object): unknown } }).sql;
      // SQLite's own disk-full path: the database may not grow past its present size.
      sql.pragma(`max_page_count = ${sql.pragma('page_count', { simple: true })}`);
      const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      let answer;
      try {
        const big = Array.from({ length: 40 }, (_, i) => ({ _id: `big-${i}`, text: 'x'.repeat(4000) }));
        answer = await (rt.ports.db as any).collection('auditLog').add({ data: big }).then(() => 'stored', (err: Error) => err.message);
      } finally {
        logged.mockRestore();
      }
      expect(answer).toMatch(/database or disk is full/);
      expect(await getDoc(rt.ports.db, 'auditLog', 'big-0')).toBeNull();
      sql.pragma('max_page_count = 1073741823');
      await rt.ports.db.collection('auditLog').add({ data: { _id: 'after', text: 'x' } });
      expect(await getDoc(rt.ports.db, 'auditLog', 'after')).toMatchObject({ text: 'x' });
    } finally {
      rt.close();
    }
  });

  test(`the write-ahead log stays near ${WAL_PAGES} pages, so it never holds the space its own checkpoint needs`, () => {
    const store = new DocumentStore(dbFile(), { collections: [{ name: 'c', indexes: [] }] as never });
    try {
      store.createCollection('c');
      for (let i = 0; i < 600; i++) store.insert('c', [{ _id: `d${i}`, text: 'x'.repeat(6000) }]);
      const pageSize = 4096;
      expect(statSync(`${dbFile()}-wal`).size).toBeLessThan((WAL_PAGES + 64) * pageSize);
    } finally {
      store.close();
    }
  });

  test('an outbox line cut short is cut off: the file still reads, and the next message lands whole', async () => {
    // A real message, as a submission sends it to the unit.
    const h = await startHarness();
    let message: SubscribeMessage;
    try {
      await h.ok('need', 'submit', { ...masks(), clientKey: 'outbox-full-0001' }, 'demo-enterprise');
      const { at: _at, ...sent } = h.rt.outbox.read()[0];
      message = sent;
    } finally {
      h.close();
    }
    const file = join(dir, 'outbox.jsonl');
    const outbox = new FileOutbox(file, () => new Date('2026-03-02T01:00:00Z'));
    await outbox.send(message);
    mockDisk.nextWrite = (write, fd: number, buffer: Buffer) => {
      write(fd, buffer, 0, 10);
      throw noSpace();
    };
    await expect(outbox.send(message)).rejects.toThrow('ENOSPC');
    expect(outbox.read()).toHaveLength(1);
    await outbox.send(message);
    expect(outbox.read()).toHaveLength(2);
  });
});

describe('in-memory runtimes', () => {
  test('leave no folder behind once closed', () => {
    const before = new Set(readdirSync(tmpdir()));
    const rts: LocalRuntime[] = Array.from({ length: 3 }, () => createLocalRuntime({ dataDir: ':memory:' }));
    const made = readdirSync(tmpdir()).filter((n) => !before.has(n) && n.startsWith('resumption-desk-'));
    expect(made).toHaveLength(3);
    for (const rt of rts) rt.close();
    expect(readdirSync(tmpdir()).filter((n) => made.includes(n))).toEqual([]);
  });
});
