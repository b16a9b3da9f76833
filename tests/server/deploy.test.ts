/**
 * What the two deploy paths read must agree with the code: cloudbaserc.json
 * (the CloudBase CLI) and each function's config.json (DevTools), the
 * function list, the packages each bundle leaves to the cloud, and what the
 * pages import from npm (DevTools' own 构建npm packs only main entries).
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { builtinModules } from 'module';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import * as esbuild from 'esbuild';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { functions } from '../../server/functions';
import { endOfChinaDay, formatDate, formatDateTime, todayInChina } from '../../miniprogram/utils/time';

const root = join(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));

interface RcFunction {
  name: string;
  timeout: number;
  memorySize: number;
  runtime: string;
  installDependency: boolean;
  handler: string;
  envVariables: Record<string, string>;
  triggers?: Array<{ name: string; type: string; config: string }>;
}

const rc = readJson('cloudbaserc.json') as { envId: string; functionRoot: string; functions: RcFunction[] };
const folders = readdirSync(join(root, 'cloudfunctions')).filter((d) => existsSync(join(root, 'cloudfunctions', d, 'src', 'index.ts')));
const names = Object.keys(functions);
const rcOf = (name: string) => rc.functions.find((f) => f.name === name)!;
const packageOf = (name: string) => readJson(`cloudfunctions/${name}/package.json`) as { dependencies: Record<string, string> };

/** The bundle as scripts/bundle.js builds it, with the list of source files it took in. */
const bundles = new Map<string, Promise<{ code: string; inputs: string[]; externals: string[] }>>();
function bundleOf(name: string) {
  if (!bundles.has(name)) {
    bundles.set(
      name,
      esbuild
        .build({
          entryPoints: [join(root, 'cloudfunctions', name, 'src', 'index.ts')],
          bundle: true,
          platform: 'node',
          target: 'node16',
          format: 'cjs',
          external: Object.keys(packageOf(name).dependencies),
          write: false,
          metafile: true,
          logLevel: 'silent',
          absWorkingDir: root,
        })
        .then((r) => {
          const inputs = Object.keys(r.metafile!.inputs);
          const externals = Object.values(r.metafile!.inputs)
            .flatMap((i) => i.imports)
            .filter((i) => i.external && !builtinModules.includes(i.path.replace(/^node:/, '')))
            .map((i) => i.path);
          return { code: r.outputFiles![0].text, inputs, externals: [...new Set(externals)] };
        }),
    );
  }
  return bundles.get(name)!;
}

describe('cloudbaserc.json and the function folders', () => {
  test('every function of server/functions has a folder and an entry in cloudbaserc.json, and nothing else does', () => {
    expect([...folders].sort()).toEqual([...names].sort());
    expect(rc.functions.map((f) => f.name).sort()).toEqual([...names].sort());
    expect(rc.functionRoot).toBe('./cloudfunctions');
    expect(rc.envId).toMatch(/^\{\{env\.\w+\}\}$/);
  });

  test.each(names)('%s: runtime, handler, dependencies installed in the cloud, limits within the platform', (name) => {
    const f = rcOf(name);
    expect(f.runtime).toMatch(/^Nodejs(16\.13|18\.15|20\.19)$/);
    expect(f.handler).toBe('index.main');
    expect(f.installDependency).toBe(true);
    expect(f.timeout).toBeGreaterThanOrEqual(1);
    expect(f.timeout).toBeLessThanOrEqual(60);
    // The platform's 3 s default is too short for a cold start with a database round trip or two.
    expect(f.timeout).toBeGreaterThanOrEqual(10);
    expect([128, 256, 512, 1024, 2048]).toContain(f.memorySize);
    expect(typeof f.envVariables).toBe('object');
  });

  test.each(names)('%s: config.json (what DevTools reads) agrees with cloudbaserc.json', (name) => {
    const f = rcOf(name);
    const config = readJson(`cloudfunctions/${name}/config.json`);
    expect(config.timeout).toBe(f.timeout);
    expect(config.memorySize).toBe(f.memorySize);
    expect(config.triggers ?? []).toEqual(f.triggers ?? []);
  });

  test.each(names)('%s: may call subscribeMessage.send exactly when its code sends messages', async (name) => {
    const { inputs } = await bundleOf(name);
    const sends = inputs.includes('server/notify/notify.ts');
    const config = readJson(`cloudfunctions/${name}/config.json`);
    expect({ name, openapi: config.permissions?.openapi ?? [] }).toEqual({ name, openapi: sends ? ['subscribeMessage.send'] : [] });
  });

  test('only the scheduler has a trigger: a timer every 10 minutes in the 7-field cron the platform takes', () => {
    const withTriggers = rc.functions.filter((f) => f.triggers?.length).map((f) => f.name);
    expect(withTriggers).toEqual(['scheduler']);
    const [trigger] = rcOf('scheduler').triggers!;
    expect(trigger.type).toBe('timer');
    expect(trigger.name).toMatch(/^[A-Za-z][\w-]{0,59}$/);
    const fields = trigger.config.split(' ');
    expect(fields).toHaveLength(7);
    const [second, minute, ...rest] = fields;
    expect(second).toBe('0');
    expect(minute).toMatch(/^(\*|0)\/10$/);
    expect(rest).toEqual(['*', '*', '*', '*', '*']);
  });

  test('SETUP_CODE is declared on the admin function only, filled from .env (never in the repository)', () => {
    expect(rcOf('admin').envVariables.SETUP_CODE).toBe('{{env.SETUP_CODE}}');
    for (const f of rc.functions) if (f.name !== 'admin') expect(f.envVariables.SETUP_CODE).toBeUndefined();
  });

  test.each(names)('%s: HISTORY_KEY is declared (filled from .env, never in the repository) exactly where the code can write or verify a need history', async (name) => {
    const { inputs } = await bundleOf(name);
    const keyed = inputs.includes('server/history/key.ts');
    const { SETUP_CODE: _setup, MINIPROGRAM_STATE: _state, ...rest } = rcOf(name).envVariables;
    expect({ name, env: rest }).toEqual({ name, env: keyed ? { HISTORY_KEY: '{{env.HISTORY_KEY}}' } : {} });
  });

  test.each(names)('%s: MINIPROGRAM_STATE (which build a tapped message opens) is declared exactly where the function sends messages', (name) => {
    const config = readJson(`cloudfunctions/${name}/config.json`);
    const sends = (config.permissions?.openapi ?? []).includes('subscribeMessage.send');
    expect({ name, state: rcOf(name).envVariables.MINIPROGRAM_STATE }).toEqual({ name, state: sends ? '{{env.MINIPROGRAM_STATE}}' : undefined });
  });

  test('.env.example names every variable cloudbaserc.json reads from .env, and .env itself is ignored', () => {
    const used = new Set([...readFileSync(join(root, 'cloudbaserc.json'), 'utf8').matchAll(/\{\{env\.(\w+)\}\}/g)].map((m) => m[1]));
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const named = new Set([...example.matchAll(/^(\w+)=/gm)].map((m) => m[1]));
    expect([...named].sort()).toEqual([...used].sort());
    expect(readFileSync(join(root, '.gitignore'), 'utf8').split('\n')).toContain('.env');
  });
});

describe('light functions: what each bundle carries and what the cloud installs', () => {
  const installed = (pkg: string) => readJson(`node_modules/${pkg}/package.json`).version as string;

  test.each(names)('%s: every package the bundle requires is in its own package.json, at the installed version', async (name) => {
    const { externals } = await bundleOf(name);
    const deps = packageOf(name).dependencies;
    const packages = externals.map((p) => (p.startsWith('@') ? p.split('/').slice(0, 2).join('/') : p.split('/')[0]));
    for (const pkg of packages) expect({ name, pkg, listed: pkg in deps }).toEqual({ name, pkg, listed: true });
    for (const [pkg, version] of Object.entries(deps)) expect({ pkg, version }).toEqual({ pkg, version: installed(pkg) });
    expect(Object.keys(deps)).toContain('wx-server-sdk');
  });

  test.each(names)('%s: exceljs is never bundled; functions that read or write workbooks get it from the cloud, with the time to do so', async (name) => {
    const { inputs } = await bundleOf(name);
    expect(inputs.filter((i) => i.includes('node_modules/exceljs/'))).toEqual([]);
    const usesExcel = inputs.includes('server/core/excel.ts');
    expect('exceljs' in packageOf(name).dependencies).toBe(usesExcel);
    if (usesExcel) {
      expect(rcOf(name).timeout).toBe(60);
      expect(rcOf(name).memorySize).toBeGreaterThanOrEqual(512);
    }
  });

  test('the functions that import or export spreadsheets are admin and ledger', async () => {
    const users = [];
    for (const name of names) if ((await bundleOf(name)).inputs.includes('server/core/excel.ts')) users.push(name);
    expect(users.sort()).toEqual(['admin', 'ledger']);
  });

  test('loading the admin and ledger bundles does not load exceljs; an export or import does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rd-lazy-'));
    try {
      for (const name of ['admin', 'ledger']) writeFileSync(join(dir, `${name}.js`), (await bundleOf(name)).code);
      const script =
        "const loaded=()=>Object.keys(require.cache).some((k)=>k.includes('/exceljs/'));" +
        "require('./admin.js');require('./ledger.js');const atLoad=loaded();" +
        "require('exceljs');process.stdout.write(JSON.stringify({atLoad,after:loaded()}));process.exit(0);";
      const out = execFileSync(process.execPath, ['-e', script], {
        cwd: dir,
        env: { ...process.env, NODE_PATH: join(root, 'node_modules'), TENCENTCLOUD_SECRETID: 'test', TENCENTCLOUD_SECRETKEY: 'test' },
        encoding: 'utf8',
      });
      expect(JSON.parse(out)).toEqual({ atLoad: false, after: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each(names)('%s: bundle within 300 KB', async (name) => {
    const { code } = await bundleOf(name);
    expect(Buffer.byteLength(code)).toBeLessThanOrEqual(300 * 1024);
  });
});

describe("DevTools' own 构建npm is enough for the pages", () => {
  const rootPkg = readJson('package.json') as { dependencies: Record<string, string> };

  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return e.name === 'miniprogram_npm' || e.name === 'node_modules' ? [] : sources(p);
      return /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
    });
  }

  test('every npm import under miniprogram/ is a main entry of a dependency, or of a package packed whole', () => {
    const found: string[] = [];
    for (const file of sources(join(root, 'miniprogram'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from\s+|require\(\s*|import\s+)['"]([^'"./][^'"]*)['"]/g)) {
        const spec = m[1];
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (builtinModules.includes(pkg)) continue;
        found.push(spec);
        const where = relative(root, file);
        expect({ where, spec, dependency: pkg in rootPkg.dependencies }).toEqual({ where, spec, dependency: true });
        // A package with a `miniprogram` folder (Vant) is packed whole; any other only from its main entry.
        const packedWhole = Boolean(readJson(`node_modules/${pkg}/package.json`).miniprogram);
        if (!packedWhole) expect({ where, spec }).toEqual({ where, spec: pkg });
      }
    }
    expect(found.filter((s) => s.startsWith('dayjs/'))).toEqual([]);
  });

  test('China time without dayjs plugins reads every instant as dayjs with utc+timezone does', () => {
    dayjs.extend(utc);
    dayjs.extend(timezone);
    const ref = (iso: string, f: string) => (dayjs.utc(iso).isValid() ? dayjs.utc(iso).tz('Asia/Shanghai').format(f) : '');
    const inputs: string[] = [
      '2020-02-20T15:59:59.999Z',
      '2020-02-20T16:00:00.000Z',
      '2020-12-31T16:00:00Z',
      '2024-02-28T16:30:00.000Z',
      '1999-12-31T23:59:59.000Z',
      '2026-03-05',
      '2026-03-05 14:30',
      '2026-03-05T20:15:00',
      '2026-03-05T08:00:00+08:00',
      'not a date',
      '',
    ];
    for (let ms = Date.UTC(2019, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 29 * 3600_000 + 17 * 60_000 + 13_000) inputs.push(new Date(ms).toISOString());
    for (const iso of inputs) {
      expect({ iso, v: formatDateTime(iso) }).toEqual({ iso, v: ref(iso, 'YYYY-MM-DD HH:mm') });
      expect({ iso, v: formatDate(iso) }).toEqual({ iso, v: ref(iso, 'YYYY-MM-DD') });
    }
    expect(formatDateTime(null)).toBe('');
    expect(formatDate(undefined)).toBe('');
    for (const iso of ['2020-02-20T15:59:59.999Z', '2020-02-20T16:00:00.000Z', '2024-02-29T23:00:00.000Z']) {
      expect(todayInChina(new Date(iso))).toBe(ref(iso, 'YYYY-MM-DD'));
    }
    for (const date of ['2020-02-20', '2024-02-29', '2026-12-31']) {
      expect(endOfChinaDay(date)).toBe(dayjs.tz(`${date} 23:59:59`, 'Asia/Shanghai').toISOString());
    }
  });
});
