#!/usr/bin/env node
/**
 * npm run bench: the slice's hot paths through the local runtime (real SDK,
 * embedded store on disk) — submit, queue, claim race — with latency figures.
 */
const esbuild = require('esbuild');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');

async function load() {
  const outfile = path.join(root, 'dist', 'bench-entry.js');
  await esbuild.build({
    stdin: {
      contents: `export { createLocalRuntime } from './server/local/runtime'; export { installDistrict } from './server/setup/install'; export { DATASET } from './server/seed/dataset';`,
      resolveDir: root,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
  return require(outfile);
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `n=${sorted.length} p50=${at(0.5).toFixed(1)}ms p95=${at(0.95).toFixed(1)}ms max=${sorted[sorted.length - 1].toFixed(1)}ms`;
}

async function timed(fn) {
  const t = process.hrtime.bigint();
  const res = await fn();
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return [Number(process.hrtime.bigint() - t) / 1e6, res.data];
}

async function main() {
  const { createLocalRuntime, installDistrict, DATASET } = await load();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-bench-'));
  const rt = createLocalRuntime({ dataDir: dir });
  await installDistrict(rt.ports.db, rt.ports.clock, DATASET);
  // The bench submits far faster than the per-minute limit meant for people.
  await rt.call('admin', { action: 'saveSettings', rateLimits: { 'need.submit': 100000 } }, 'demo-admin');
  const N = Number(process.env.BENCH_N || 300);
  const submit = [];
  const ids = [];
  const started = Date.now();
  for (let i = 0; i < N; i++) {
    const [ms, data] = await timed(() =>
      rt.call('need', {
        action: 'submit',
        type: 'supplies',
        clientKey: `bench-${i}-xxxxxxxx`,
        items: [{ kind: 'mask', quantity: 100 + i, unit: '个' }],
        neededBy: '2026-03-05',
        deliveryAddress: '建桥工业园C区',
      }, i % 2 ? 'demo-enterprise' : 'demo-hualun'),
    );
    submit.push(ms);
    ids.push(data.needs[0].id);
  }
  const submitSecs = (Date.now() - started) / 1000;
  const queue = [];
  for (let i = 0; i < 50; i++) queue.push((await timed(() => rt.call('need', { action: 'queue' }, 'demo-chamber-head')))[0]);
  for (let i = 0; i < 20; i++) {
    await rt.ports.db.collection('users').doc(`bench-member-${i}`).set({ data: { roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: [] } });
  }
  const races = [];
  for (const id of ids.filter((_, i) => i % 2 === 0).slice(0, 20)) {
    const t = Date.now();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, m) => rt.call('need', { action: 'claim', id }, `bench-member-${m}`)),
    );
    if (results.filter((r) => r.ok).length !== 1) throw new Error('claim race produced other than one winner');
    races.push(Date.now() - t);
  }
  console.log(`need.submit   ${stats(submit)}  (${(N / submitSecs).toFixed(0)}/s sequential, ${N} needs in the store)`);
  console.log(`need.queue    ${stats(queue)}`);
  console.log(`claim race    ${stats(races)}  (20 concurrent claimers, exactly one winner each time)`);
  rt.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
