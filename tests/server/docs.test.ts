/** The docs are drawn from the tables the code runs on; this keeps them from drifting apart. */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import { LIFECYCLE } from '../../server/needs/lifecycle';
import { functions } from '../../server/functions';
import { COLLECTIONS } from '../../server/db/schema';
import { NEED_FIELDS } from '../../server/needs/schema';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const gen = require('../../scripts/gen-docs') as {
  renderApi(sources: object): string;
  renderDatabase(sources: object): string;
  undocumentedOpaque(sources: object): string[];
};

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const sources = { functions, COLLECTIONS, NEED_FIELDS };

test('docs/lifecycle.md names every lifecycle action', () => {
  const doc = read('docs/lifecycle.md');
  const named: Record<string, string> = { expireLease: 'lease expiry', escalate: 'escalat' };
  for (const action of Object.keys(LIFECYCLE)) expect(doc).toContain(named[action] ?? action);
});

test('docs/architecture.md lists every function, and each has a deployable folder', () => {
  const doc = read('docs/architecture.md');
  for (const fn of Object.keys(functions)) {
    expect(doc).toContain(`\`${fn}\``);
    expect(read(`cloudfunctions/${fn}/src/index.ts`)).toContain(`server/functions/${fn}`);
  }
});

describe('generated references (npm run docs)', () => {
  test('docs/api.md is what scripts/gen-docs.js writes from the action tables now', () => {
    expect(read('docs/api.md')).toBe(gen.renderApi(sources));
  });

  test('docs/database.md is what scripts/gen-docs.js writes from server/db/schema.ts now', () => {
    expect(read('docs/database.md')).toBe(gen.renderDatabase(sources));
  });

  test('every action and every collection is in them, with its roles, limits and indexes', () => {
    const api = read('docs/api.md');
    for (const [fn, table] of Object.entries(functions)) {
      for (const [action, def] of Object.entries(table)) {
        const section = api.slice(api.indexOf(`### ${fn}.${action}\n`)).split('\n### ')[0];
        expect(section).toContain(`### ${fn}.${action}`);
        if (def.roles === 'signedIn') expect(section).toContain('any signed-in user');
        else for (const role of def.roles) expect(section).toContain(`\`${role}\``);
        if (def.perMinute) expect(section).toContain(`${def.perMinute} calls per caller per minute`);
      }
    }
    const db = read('docs/database.md');
    for (const c of COLLECTIONS) {
      expect(db).toContain(`## ${c.name}\n`);
      for (const i of c.indexes) expect(db).toContain(`\`${i.name}\``);
    }
  });

  test('an action whose input the schema cannot show has a note saying what it takes', () => {
    expect(gen.undocumentedOpaque(sources)).toEqual([]);
  });
});

describe('the repository stands alone', () => {
  const skip = new Set(['node_modules', '.git', 'miniprogram_npm', 'dist', '.data', 'coverage']);
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      if (skip.has(name)) return [];
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return files(p);
      return /\.(md|ts|js|json|wxml|wxss|sh)$/.test(name) || name === 'run' ? [p] : [];
    });
  }
  const all = files(root).filter((f) => !f.endsWith('package-lock.json'));

  test('nothing points at the team brief outside the checkout', () => {
    const self = relative(root, __filename);
    const hits = all
      .filter((f) => relative(root, f) !== self)
      .filter((f) => /\.\.\/shared|SPEC\.md/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(hits).toEqual([]);
  });

  test('every relative link in the Markdown files reaches a file inside the repository', () => {
    const broken: string[] = [];
    for (const file of all.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0];
        if (!target || /^[a-z]+:/i.test(target)) continue;
        const abs = resolve(dirname(file), target);
        if (relative(root, abs).startsWith('..') || !existsSync(abs)) broken.push(`${relative(root, file)} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
