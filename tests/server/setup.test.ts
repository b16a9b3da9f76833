/**
 * Setup on an environment nobody set up: collections, the district's data
 * files and the first admin, through a one-time setup code — the same path
 * for the cloud (admin.setup) and for `npm start` (setUpLocal).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import * as esbuild from 'esbuild';
import { tmpdir } from 'os';
import { join } from 'path';
import { LocalDbRequester } from '../../server/local/transport';
import { createLocalRuntime } from '../../server/local/runtime';
import { dispatch } from '../../server/core/actions';
import { gate } from '../../server/functions/gate';
import { getDoc } from '../../server/core/tx';
import { COLLECTION_NAMES } from '../../server/db/schema';
import { DISTRICT } from '../../server/seed/dataset';
import { DEMO } from '../../server/seed/demo';
import { setupAction } from '../../server/setup/action';
import { installDistrict } from '../../server/setup/install';
import { INDEX_TABLE_END, INDEX_TABLE_START, indexInstructions, indexTableMarkdown } from '../../server/setup/indexes';
import { setUpLocal } from '../../server/setup/local';
import { SETUP_CODE_FILE } from '../../server/setup/code';
import type { Dataset } from '../../server/setup/dataset';
import { startHarness, TestClock, type Harness } from './harness';

const CODE = 'c0ffee-setup-code-0123456789abcdef';

/** Every request the SDK sends to the database, by action, while the spy is on. */
function watchRequests() {
  const sent: string[] = [];
  const original = LocalDbRequester.prototype.send;
  const spy = jest.spyOn(LocalDbRequester.prototype, 'send').mockImplementation(function (this: LocalDbRequester, action: string, params?: Record<string, any>) {
    sent.push(params?.collectionName ? `${action} ${params.collectionName}` : action);
    return original.call(this, action, params);
  });
  const writes = () => sent.filter((s) => !/^database\.(getDocument|calculateDocument|aggregateDocuments)\b/.test(s));
  return { sent, writes, stop: () => spy.mockRestore() };
}

/** Every document of every declared collection (a collection that does not exist reads as absent). */
async function dump(h: Harness | { db: any }): Promise<Record<string, unknown>> {
  const _ = h.db.command;
  const out: Record<string, unknown> = {};
  for (const name of COLLECTION_NAMES) {
    try {
      out[name] = (await h.db.collection(name).where({ _id: _.gt('') }).orderBy('_id', 'asc').limit(1000).get()).data;
    } catch (err) {
      out[name] = `absent: ${(err as { errCode?: number }).errCode}`;
    }
  }
  return out;
}

const sizeOf = (file: keyof Dataset['files']) => (DEMO.files[file] as unknown[]).length;

/** The demo data set with one file changed. */
const withFile = (file: keyof Dataset['files'], edit: (rows: any[]) => any[]): Dataset => ({
  ...DEMO,
  files: { ...DEMO.files, [file]: edit(structuredClone(DEMO.files[file] as any[])) },
});

describe('on an empty environment', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ seed: false, setupCode: CODE });
  });
  afterEach(() => h.close());

  test('the first caller without the code is not an admin, before or after setup', async () => {
    expect((await h.fail('admin', 'getSettings', {}, 'first-caller')).code).toBe('FORBIDDEN');
    await h.ok('admin', 'setup', { code: CODE }, 'district-staff');
    expect((await h.ok('user', 'login', {}, 'first-caller')).roles).not.toContain('admin');
    expect((await h.fail('admin', 'getSettings', {}, 'first-caller')).code).toBe('FORBIDDEN');
  });

  test('setup with the code installs the district and makes the caller its admin', async () => {
    const data = await h.ok('admin', 'setup', { code: CODE }, 'district-staff');
    expect(data.admin).toBe('district-staff');
    expect(data.dataset).toBe('dadukou');
    // The district's configuration, and nothing of the demo.
    expect(data.seeded).toEqual({
      units: sizeOf('units.json'),
      zones: sizeOf('zones.json'),
      taskForces: sizeOf('taskForces.json'),
      routingRules: sizeOf('routingRules.json'),
      policies: sizeOf('policies.json'),
      holidays: sizeOf('holidays.json'),
      settings: 1,
    });
    expect([...data.collections.created, ...data.collections.existing].sort()).toEqual([...COLLECTION_NAMES].sort());
    expect(data.indexes).toEqual(indexInstructions());
    expect(data.indexes).toContainEqual(
      expect.objectContaining({ collection: 'needs', name: 'needs_unitCode_status_createdAt', fields: expect.arrayContaining([{ field: 'unitCode', order: 'asc' }]) }),
    );

    expect((await h.ok('user', 'login', {}, 'district-staff')).roles).toEqual(['admin']);
    expect((await h.ok('admin', 'getSettings', {}, 'district-staff')).supplyPoolUnitCode).toBe('fic-supply-pool');
    const units = await h.ok('admin', 'listUnits', {}, 'district-staff');
    expect(units.items.map((u: { code: string }) => u.code)).toEqual((DISTRICT.files['units.json'] as Array<{ code: string }>).map((u) => u.code));
    const record = (await getDoc<any>(h.db, 'settings', 'setup'))!;
    expect(record).toMatchObject({ spentBy: 'district-staff', spentAt: h.clock.now().toISOString() });
    expect(record.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(CODE);
  });

  test('a second setup with the spent code is FORBIDDEN and changes nothing', async () => {
    await h.ok('admin', 'setup', { code: CODE }, 'district-staff');
    const before = await dump(h);
    const watch = watchRequests();
    try {
      const err = await h.fail('admin', 'setup', { code: CODE }, 'someone-else');
      expect(err.code).toBe('FORBIDDEN');
      expect(err.message).toContain('已使用');
      expect(watch.writes()).toEqual([]);
    } finally {
      watch.stop();
    }
    expect(await dump(h)).toEqual(before);
    expect((await h.ok('user', 'login', {}, 'someone-else')).roles).not.toContain('admin');
  });

  test('a production setup has no demo enterprise and no demo identity: its one admin is the caller', async () => {
    await h.ok('admin', 'setup', { code: CODE }, 'district-staff');
    const { enterprises, creditCodes, users } = (await dump(h)) as Record<string, Array<{ _id: string; roles?: string[] }>>;
    expect(enterprises).toEqual([]);
    expect(creditCodes).toEqual([]);
    expect(users.map((u) => [u._id, u.roles])).toEqual([['district-staff', ['admin']]]);
    // demo-admin is nobody here: signing in gives no role, and the admin actions refuse it.
    expect((await h.ok('user', 'login', {}, 'demo-admin')).roles).toEqual([]);
    expect((await h.fail('admin', 'getSettings', {}, 'demo-admin')).code).toBe('FORBIDDEN');
    // So the last-admin guard counts the one real admin, and the ledger no fictitious enterprise.
    expect(((await h.db.collection('users').where({ roles: 'admin' }).count()) as { total: number }).total).toBe(1);
    const ledger = await h.ok('ledger', 'summary', { includeUnverified: true }, 'district-staff');
    expect(ledger.overall.enterprises).toBe(0);
  });

  test('an admin who already holds other roles keeps them', async () => {
    // An environment where the demo was installed (npm start): demo-hrss is a unit member there.
    await installDistrict(h.db, h.clock, DEMO);
    await h.ok('admin', 'setup', { code: CODE }, 'demo-hrss');
    expect((await h.ok('user', 'login', {}, 'demo-hrss')).roles.sort()).toEqual(['admin', 'unit']);
  });

  test('a wrong code is FORBIDDEN and sends nothing but the session read to the database', async () => {
    const before = await dump(h);
    const watch = watchRequests();
    try {
      for (const code of ['wrong-code-0123456789', CODE.slice(0, -1), `${CODE}x`]) {
        expect((await h.fail('admin', 'setup', { code }, 'guesser')).code).toBe('FORBIDDEN');
      }
      expect(watch.writes()).toEqual([]);
      expect(watch.sent.every((s) => s === 'database.getDocument users')).toBe(true);
    } finally {
      watch.stop();
    }
    expect(await dump(h)).toEqual(before);
  });

  test('with no setup code configured, or one too short to be safe, nobody can set up', async () => {
    const unset = await startHarness({ seed: false });
    const short = await startHarness({ seed: false, setupCode: 'short-code' });
    try {
      const none = await unset.fail('admin', 'setup', { code: CODE }, 'district-staff');
      expect(none).toMatchObject({ code: 'FORBIDDEN' });
      expect(none.message).toContain('尚未配置设置码');
      const weak = await short.fail('admin', 'setup', { code: 'short-code' }, 'district-staff');
      expect(weak).toMatchObject({ code: 'FORBIDDEN' });
      expect(weak.message).toContain('太短');
    } finally {
      unset.close();
      short.close();
    }
  });

  describe('a data set with a bad row answers INVALID_ARGUMENT naming the file and the row, and writes nothing', () => {
    const cases: Array<[string, Dataset, RegExp, string]> = [
      [
        'a unit without a name at row 3',
        withFile('units.json', (rows) => rows.map((r, i) => (i === 2 ? { ...r, name: undefined } : r))),
        /units\.json 第 3 条.*name/,
        'units.json[3].name',
      ],
      [
        'an enterprise whose credit code has a wrong check digit',
        withFile('enterprises.json', (rows) => rows.map((r, i) => (i === 1 ? { ...r, creditCode: r.creditCode.slice(0, 17) + (r.creditCode[17] === '0' ? '1' : '0') } : r))),
        /enterprises\.json 第 2 条.*creditCode.*校验位/,
        'enterprises.json[2].creditCode',
      ],
      [
        'a routing rule sending needs to a unit the data set does not have',
        withFile('routingRules.json', (rows) => rows.map((r, i) => (i === 4 ? { ...r, unitCode: 'chamber-nowhere' } : r))),
        /routingRules\.json 第 5 条.*unitCode.*chamber-nowhere/,
        'routingRules.json[5].unitCode',
      ],
      [
        'a zone listed twice',
        withFile('zones.json', (rows) => [...rows, rows[0]]),
        new RegExp(`zones\\.json 第 ${sizeOf('zones.json') + 1} 条.*重复`),
        `zones.json[${sizeOf('zones.json') + 1}].code`,
      ],
      [
        'a misspelt field',
        withFile('taskForces.json', (rows) => rows.map((r, i) => (i === 0 ? { ...r, zoneCode: r.zoneCodes } : r))),
        /taskForces\.json 第 1 条.*zoneCode/,
        'taskForces.json[1]',
      ],
    ];

    test.each(cases)('%s', async (_name, dataset, message, field) => {
      const watch = watchRequests();
      try {
        const env = await dispatch('admin', { setup: setupAction(dataset) }, { action: 'setup', code: CODE }, h.rt.ports, 'district-staff', gate);
        expect(env).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field } });
        expect(!env.ok && env.error.message).toMatch(message);
        expect(watch.writes()).toEqual([]);
      } finally {
        watch.stop();
      }
      // The code is not spent by a refused data set: the fixed files set up.
      await h.ok('admin', 'setup', { code: CODE }, 'district-staff');
    });
  });
});

test('installDistrict a second time writes nothing and changes nothing', async () => {
  const h = await startHarness({ seed: false });
  try {
    const first = await installDistrict(h.db, h.clock, DEMO);
    expect(Object.values(first.seeded).every((n) => n > 0)).toBe(true);
    const before = await dump(h);
    h.clock.advance(60_000);
    const watch = watchRequests();
    let second;
    try {
      second = await installDistrict(h.db, h.clock, DEMO);
      // Creating a collection that exists is refused by CloudBase and changes nothing; no document is written.
      expect(watch.writes().filter((w) => !w.startsWith('database.addCollection'))).toEqual([]);
    } finally {
      watch.stop();
    }
    expect(Object.values(second.seeded).every((n) => n === 0)).toBe(true);
    expect(Object.keys(second.seeded)).toEqual(Object.keys(first.seeded));
    expect(await dump(h)).toEqual(before);
  } finally {
    h.close();
  }
});

test("a second install keeps an admin's edits and restores only what is missing", async () => {
  const h = await startHarness({ setupCode: CODE });
  try {
    await h.ok('admin', 'saveUnit', { code: 'chamber-pharma', name: '区医药健康商会', kind: 'chamber', order: 10 }, 'demo-admin');
    await h.db.collection('zones').doc('tiaodeng').remove();
    const again = await installDistrict(h.db, h.clock, DEMO);
    expect(again.seeded).toMatchObject({ units: 0, zones: 1, users: 0, settings: 0 });
    expect((await getDoc<any>(h.db, 'units', 'chamber-pharma'))?.name).toBe('区医药健康商会');
    expect((await getDoc<any>(h.db, 'zones', 'tiaodeng'))?.name).toBe('跳磴镇');
  } finally {
    h.close();
  }
});

test('the demo data set reads in round trips per collection, not per document', async () => {
  const h = await startHarness({ seed: false });
  try {
    const watch = watchRequests();
    try {
      await installDistrict(h.db, h.clock, DEMO);
    } finally {
      watch.stop();
    }
    const seeded = 10; // collections the demo writes
    // One createCollection per declared collection, then one probe and one batch insert per seeded collection.
    expect(watch.sent.length).toBe(COLLECTION_NAMES.length + 2 * seeded);
  } finally {
    h.close();
  }
});

describe('npm start', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'desk-setup-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  test('an empty DATA_DIR is set up, and the setup code it prints makes an admin once', async () => {
    const rt = createLocalRuntime({ dataDir });
    try {
      const first = await setUpLocal(rt.ports, dataDir, 3999);
      expect(first.installed?.seeded.units).toBe(sizeOf('units.json'));
      expect(readFileSync(join(dataDir, SETUP_CODE_FILE), 'utf8').trim()).toBe(first.code);
      expect(statSync(join(dataDir, SETUP_CODE_FILE)).mode & 0o777).toBe(0o600);
      expect(first.code.length).toBeGreaterThanOrEqual(32);
      const printed = first.lines.join('\n');
      expect(printed).toContain(`Setup code: ${first.code}`);
      expect(printed).toContain(`curl -s -X POST http://127.0.0.1:3999/api/admin`);
      expect(printed).toContain(`{"action":"setup","code":"${first.code}"}`);

      // The demo identities are there, as the README lists them.
      expect(await rt.call('user', { action: 'login' }, 'demo-enterprise')).toMatchObject({ ok: true, data: { roles: ['enterprise'], enterpriseId: 'ent-qiutian' } });
      expect(await rt.call('admin', { action: 'setup', code: first.code }, 'local-developer')).toMatchObject({ ok: true, data: { admin: 'local-developer' } });
      expect(await rt.call('admin', { action: 'setup', code: first.code }, 'local-developer')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    } finally {
      rt.close();
    }

    const restarted = createLocalRuntime({ dataDir });
    try {
      const second = await setUpLocal(restarted.ports, dataDir, 3999);
      expect(second.installed).toBeNull();
      expect(second.lines[0]).toBe(`Using the existing database in ${dataDir}`);
      expect(second.lines.join('\n')).toContain('was used by local-developer');
      expect(second.lines.join('\n')).not.toContain(second.code);
    } finally {
      restarted.close();
    }
  });

  test('DEMO=0 on an empty DATA_DIR goes through what the cloud setup does: no demo identities, the first admin by the code', async () => {
    const rt = createLocalRuntime({ dataDir, clock: new TestClock() });
    const cloud = await startHarness({ seed: false, setupCode: CODE });
    try {
      const local = await setUpLocal(rt.ports, dataDir, 3000, DISTRICT);
      expect(Object.keys(local.installed!.seeded).sort()).toEqual(['holidays', 'policies', 'routingRules', 'settings', 'taskForces', 'units', 'zones']);
      expect(local.lines.join('\n')).toContain(`Setup code: ${local.code}`);
      expect(await rt.call('admin', { action: 'getSettings' }, 'district-staff')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await rt.call('admin', { action: 'setup', code: local.code }, 'district-staff')).toMatchObject({ ok: true, data: { admin: 'district-staff' } });
      await cloud.ok('admin', 'setup', { code: CODE }, 'district-staff');
      // The same database document for document, but for the hash of each side's own code.
      const withoutCode = (d: Record<string, unknown>) => ({
        ...d,
        settings: (d.settings as Array<Record<string, unknown>>).map(({ codeHash: _hash, ...doc }) => doc),
      });
      expect(withoutCode(await dump({ db: rt.ports.db }))).toEqual(withoutCode(await dump(cloud)));
      // (Signing in writes a first users document, so this comes after the comparison.)
      for (const demo of ['demo-admin', 'demo-enterprise', 'demo-chamber-head']) {
        expect(await rt.call('user', { action: 'login' }, demo)).toMatchObject({ ok: true, data: { roles: [] } });
      }
    } finally {
      rt.close();
      cloud.close();
    }
  });

  test('a DATA_DIR set up before keeps its code and is not seeded again', async () => {
    const rt = createLocalRuntime({ dataDir });
    try {
      const first = await setUpLocal(rt.ports, dataDir, 3000);
      await rt.call('admin', { action: 'saveUnit', code: 'hrss', name: '区人社局', kind: 'department', order: 4 }, 'demo-admin');
      const second = await setUpLocal(rt.ports, dataDir, 3000);
      expect(second).toMatchObject({ installed: null, code: first.code });
      expect(second.lines.join('\n')).toContain(`Setup code: ${first.code}`);
      expect((await getDoc<any>(rt.ports.db, 'units', 'hrss'))?.name).toBe('区人社局');
    } finally {
      rt.close();
    }
  });
});

test('docs/setup.md lists every declared index (node scripts/setup-docs.js rewrites it)', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'setup.md'), 'utf8');
  const start = doc.indexOf(INDEX_TABLE_START);
  const end = doc.indexOf(INDEX_TABLE_END);
  expect(start).toBeGreaterThan(-1);
  expect(doc.slice(start + INDEX_TABLE_START.length, end).trim()).toBe(indexTableMarkdown());
});

test('no deployed function carries the demo: its enterprises and identities are in no bundle', async () => {
  const root = join(__dirname, '..', '..');
  const names = readdirSync(join(root, 'cloudfunctions')).filter((d) => existsSync(join(root, 'cloudfunctions', d, 'src', 'index.ts')));
  expect(names).toContain('admin');
  for (const name of names) {
    const built = await esbuild.build({
      entryPoints: [join(root, 'cloudfunctions', name, 'src', 'index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    const inputs = Object.keys(built.metafile.inputs);
    expect({ name, demo: inputs.filter((i) => i.startsWith('server/seed/demo')) }).toEqual({ name, demo: [] });
    if (name === 'admin') expect(inputs).toContain('server/seed/dadukou/units.json');
    expect(built.outputFiles[0].text).not.toContain('demo-admin');
  }
});
