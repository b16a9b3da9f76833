/**
 * The build's cold-start gate decides on what a bundle adds over requiring
 * wx-server-sdk, measured in the same cold process: it must pass a light
 * bundle and fail a heavy one whatever else the machine is doing.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const gate = require('../../scripts/bundle.js') as {
  measureBundle: (dir: string, bundle: string, opts?: { runs?: number }) => { bytes: number; addedRatio: number };
  budgetProblems: (rows: Array<{ name: string; bytes: number; addedRatio: number }>) => string[];
  MAX_BUNDLE_BYTES: number;
  MAX_ADDED_CPU_RATIO: number;
};

const root = join(__dirname, '..', '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rd-gate-'));
  // Packages resolve as in a deployed function's folder: from its own node_modules.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const entry = "exports.main = async () => ({ ok: true });\n";
  writeFileSync(join(dir, 'light.js'), `require('wx-server-sdk');\n${entry}`);
  // The mistake the gate exists for: a function that loads a heavy package at start.
  writeFileSync(join(dir, 'heavy.js'), `require('wx-server-sdk');\nrequire('exceljs');\n${entry}`);
  // Over the size limit, however quickly it loads: one long string.
  writeFileSync(join(dir, 'big.js'), `require('wx-server-sdk');\nexports.blob = ${JSON.stringify('x'.repeat(gate.MAX_BUNDLE_BYTES))};\n${entry}`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const measured = (name: string) => ({ name, ...gate.measureBundle(dir, `./${name}.js`, { runs: 5 }) });

test('a bundle that adds little to wx-server-sdk passes', () => {
  const light = measured('light');
  expect(light.addedRatio).toBeLessThan(gate.MAX_ADDED_CPU_RATIO);
  expect(gate.budgetProblems([light])).toEqual([]);
}, 60_000);

test('a bundle that loads exceljs at start fails on the ratio, with its figure in the message', () => {
  const heavy = measured('heavy');
  expect(heavy.addedRatio).toBeGreaterThan(gate.MAX_ADDED_CPU_RATIO);
  const problems = gate.budgetProblems([heavy]);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^heavy: requiring the bundle adds \d+\.\d\d of wx-server-sdk's own require time > 0\.3$/);
}, 60_000);

test('a bundle over the size limit fails on its size', () => {
  const big = measured('big');
  expect(big.bytes).toBeGreaterThan(gate.MAX_BUNDLE_BYTES);
  expect(gate.budgetProblems([big]).some((p) => /^big: bundle \d+\.\d KB > 300 KB$/.test(p))).toBe(true);
}, 60_000);
