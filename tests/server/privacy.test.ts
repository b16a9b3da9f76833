/**
 * Privacy from the code: every privacy-scoped WeChat API a page reaches
 * (directly or through the modules it imports) is declared once in
 * miniprogram/privacy.ts, with exactly the pages that reach it; app.json's
 * requiredPrivateInfos follows the declaration; README's deploy checklist
 * prints it.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import { PLATFORM_PRIVACY_APIS, PRIVACY_USES, REQUIRED_PRIVATE_INFOS } from '../../miniprogram/privacy';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const gen = require('../../scripts/gen-docs') as { renderPrivacy(uses: typeof PRIVACY_USES): string };

const root = join(__dirname, '..', '..');
const mp = join(root, 'miniprogram');
const SCOPED = new Set(Object.values(PLATFORM_PRIVACY_APIS).flat());

/** Privacy-scoped APIs called in one source text: `wx.name(` (also `wx.name  (`). */
function scopedCalls(source: string): string[] {
  return [...new Set([...source.matchAll(/\bwx\.([A-Za-z]+)\s*\(/g)].map((m) => m[1]).filter((n) => SCOPED.has(n)))].sort();
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'miniprogram_npm' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports of a file, resolved to .ts files. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s+['"](\.{1,2}\/[^'"]+)['"]/g)]
    .map((m) => resolve(dirname(file), m[1]))
    .map((p) => (existsSync(`${p}.ts`) ? `${p}.ts` : join(p, 'index.ts')))
    .filter((p) => existsSync(p));
}

/** The privacy-scoped APIs a file reaches, through everything it imports. */
function reached(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set(scopedCalls(readFileSync(file, 'utf8')));
  seen.add(file);
  for (const dep of imports(file)) if (!seen.has(dep)) for (const api of reached(dep, seen)) out.add(api);
  return out;
}

/** Pages and components, named as in PRIVACY_USES (`taskforce/check-in`, `components/need-sections`). */
function owners(): string[] {
  const app = JSON.parse(readFileSync(join(mp, 'app.json'), 'utf8'));
  const pages: string[] = [...app.pages, ...(app.subpackages ?? app.subPackages).flatMap((s: { root: string; pages: string[] }) => s.pages.map((p) => `${s.root}/${p}`))];
  const components = readdirSync(join(mp, 'components')).map((c) => `components/${c}/index`);
  return [...pages, ...components].map((p) => p.replace(/\/index$/, ''));
}

test('the scanner finds a privacy-scoped call and ignores others', () => {
  expect(scopedCalls("wx.showToast({}); wx.getClipboardData({ success }); wx.chooseMedia ({})")).toEqual(['chooseMedia', 'getClipboardData']);
  expect(scopedCalls('wx.openLocation({}); wx.makePhoneCall({}); // wx.getLocation is named, not called')).toEqual([]);
});

test('every privacy-scoped API a page or component reaches is declared, with exactly the pages that reach it', () => {
  const found = new Map<string, string[]>();
  for (const owner of owners()) {
    for (const api of reached(join(mp, owner, 'index.ts'))) found.set(api, [...(found.get(api) ?? []), owner]);
  }
  const declared = Object.fromEntries(PRIVACY_USES.map((u) => [u.api, [...u.pages].sort()]));
  const actual = Object.fromEntries([...found].map(([api, pages]) => [api, pages.sort()]));
  expect(actual).toEqual(declared);
});

test('no privacy-scoped call hides outside the pages, components and the modules they import', () => {
  const all = new Set(sources(mp).flatMap((f) => scopedCalls(readFileSync(f, 'utf8'))));
  expect([...all].sort()).toEqual(PRIVACY_USES.map((u) => u.api).sort());
});

test('WXML uses no privacy-scoped component that the list does not know', () => {
  const offending = sources(mp)
    .map((f) => f.replace(/\.ts$/, '.wxml'))
    .filter((f) => existsSync(f))
    .filter((f) => /open-type="(chooseAvatar|getPhoneNumber|getRealtimePhoneNumber)"|<camera\b|type="nickname"/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(mp, f));
  expect(offending).toEqual([]);
});

test("app.json's requiredPrivateInfos are exactly the declared APIs that need applying for", () => {
  const app = JSON.parse(readFileSync(join(mp, 'app.json'), 'utf8'));
  const applyFor = PRIVACY_USES.filter((u) => u.applyFor).map((u) => u.api);
  expect([...app.requiredPrivateInfos].sort()).toEqual([...applyFor].sort());
  for (const api of applyFor) expect(REQUIRED_PRIVATE_INFOS).toContain(api);
  // And every API that requiredPrivateInfos accepts is marked for applying, if used.
  for (const u of PRIVACY_USES) if (REQUIRED_PRIVATE_INFOS.includes(u.api)) expect(u.applyFor).toBe(true);
  if (applyFor.some((a) => a !== 'chooseLocation')) expect(app.permission['scope.userLocation'].desc).toBeTruthy();
});

test("README's deploy checklist prints the declaration as npm run docs writes it", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  expect(readme).toContain(gen.renderPrivacy(PRIVACY_USES));
});
