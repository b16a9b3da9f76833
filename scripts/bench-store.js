#!/usr/bin/env node
/**
 * node scripts/bench-store.js: how the embedded store's query cost grows with
 * the collection, through the real SDK and transport on disk. A query served
 * by an index should cost about the same on a small and a large collection.
 *   - a one-match query at 100 vs 10,000 documents;
 *   - the queue query ({unitCode, status in [...]}, orderBy createdAt,_id,
 *     limit 21) at 1,000 vs 20,000 needs.
 */
const { loadTs } = require('./load-ts');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS || 200);

function load() {
  return loadTs('bench-store-entry', [`export { createLocalRuntime } from './server/local/runtime';`, `export { createCollections } from './server/db/collections';`]);
}

const need = (i, units) => ({
  _id: `n${String(i).padStart(6, '0')}`,
  unitCode: `unit-${i % units}`,
  enterpriseId: `ent-${i % 500}`,
  parentId: `parent-${i}`,
  status: ['routed', 'claimed', 'in_progress', 'waiting', 'fulfilled', 'confirmed'][i % 6],
  type: 'supplies',
  items: [{ kind: 'mask', quantity: 100 + i, unit: '个' }],
  deliveryAddress: '建桥工业园C区',
  createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
});

async function p50(fn) {
  for (let i = 0; i < 10; i++) await fn();
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function measure(lib, size, units) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-bench-store-'));
  const rt = lib.createLocalRuntime({ dataDir: dir });
  const db = rt.ports.db;
  await lib.createCollections(db);
  for (let from = 0; from < size; from += 1000) {
    rt.store.insert('needs', Array.from({ length: Math.min(1000, size - from) }, (_, k) => need(from + k, units)));
  }
  const _ = db.command;
  const target = `parent-${Math.floor(size / 2)}`;
  const one = async () => {
    const res = await db.collection('needs').where({ parentId: target }).limit(5).get();
    if (res.data.length !== 1) throw new Error('one-match query did not find its document');
  };
  const queue = async () => {
    const res = await db
      .collection('needs')
      .where({ unitCode: 'unit-3', status: _.in(['routed', 'claimed', 'in_progress', 'waiting']) })
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'desc')
      .limit(21)
      .get();
    if (res.data.length !== 21) throw new Error('queue query did not fill a page');
  };
  const result = { one: await p50(one) };
  if (size >= 1000) {
    rt.store.resetStats();
    await queue();
    result.queueExamined = rt.store.stats().docsExamined;
    result.queue = await p50(queue);
  }
  rt.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

async function main() {
  const lib = await load();
  const small = await measure(lib, 1000, 10);
  const hundred = await measure(lib, 100, 10);
  const tenK = await measure(lib, 10_000, 10);
  const large = await measure(lib, 20_000, 10);
  const fmt = (ms) => `${ms.toFixed(3)} ms`;
  console.log(`one-match query   p50  100 docs: ${fmt(hundred.one)}   10,000 docs: ${fmt(tenK.one)}   ratio ${(tenK.one / hundred.one).toFixed(2)}×`);
  console.log(
    `queue page (21)   p50  1,000 needs: ${fmt(small.queue)}   20,000 needs: ${fmt(large.queue)}   ratio ${(large.queue / small.queue).toFixed(2)}×` +
      `   (documents examined: ${small.queueExamined} vs ${large.queueExamined})`,
  );
  if (large.queue > 2 * small.queue) {
    console.log('queue query at 20,000 needs is more than 2× its cost at 1,000');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
