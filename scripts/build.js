#!/usr/bin/env node
/**
 * npm run build: everything DevTools or the CloudBase CLI deploys, offline.
 *  1. each cloud function bundled into cloudfunctions/<name>/index.js, then
 *     measured as the cloud installs it (bundle + its own node_modules):
 *     fails above 300 KB, or when requiring it adds more than 0.3 of what
 *     requiring wx-server-sdk costs in the same process (a ratio, so a busy
 *     machine cannot fail it; absolute times are `npm run bench`'s)
 *  2. @vant/weapp and dayjs packed into miniprogram/miniprogram_npm, as
 *     DevTools' own 构建npm packs them
 *  3. every WXML/WXSS checked with the official compiler (fails the build)
 *  4. the local gateway bundle (dist/gateway.js)
 *
 * BUILD_MEASURE_RUNS sets the cold processes per function (default 7; 0 skips
 * the require-time measurement, never the size check).
 */
const fs = require('fs');
const path = require('path');
const {
  bundleFunctions,
  bundleGateway,
  measureFunctions,
  budgetProblems,
  gateTable,
  MAX_BUNDLE_BYTES,
} = require('./bundle');
const { packNpm } = require('./pack-npm');
const { checkTemplates } = require('./check-templates');

/** Each bundle must load on its own (nothing left unresolved) and export the platform's `main`. */
function verifyEntries(names) {
  process.env.TENCENTCLOUD_SECRETID ??= 'build-check';
  process.env.TENCENTCLOUD_SECRETKEY ??= 'build-check';
  for (const name of names) {
    const entry = require(require('path').join(__dirname, '..', 'cloudfunctions', name, 'index.js'));
    if (typeof entry.main !== 'function') throw new Error(`cloudfunctions/${name}/index.js exports no main()`);
  }
}

/**
 * One process can be unlucky (a neighbour's burst between the SDK and the
 * bundle); a function over budget is measured again with more runs before
 * the build fails on it.
 */
function checkBundles(names) {
  const runs = Number(process.env.BUILD_MEASURE_RUNS ?? 7);
  if (runs === 0) {
    const big = names
      .map((name) => [name, fs.statSync(path.join(__dirname, '..', 'cloudfunctions', name, 'index.js')).size])
      .filter(([, bytes]) => bytes > MAX_BUNDLE_BYTES);
    if (big.length) fail(big.map(([name, bytes]) => `${name}: bundle ${(bytes / 1024).toFixed(1)} KB > ${MAX_BUNDLE_BYTES / 1024} KB`));
    return;
  }
  let rows = measureFunctions(names, { runs });
  const over = budgetProblems(rows).length ? rows.filter((r) => budgetProblems([r]).length).map((r) => r.name) : [];
  if (over.length) {
    const again = measureFunctions(over, { runs: runs * 2 + 1 });
    rows = rows.map((r) => again.find((a) => a.name === r.name) ?? r);
  }
  console.log(gateTable(rows));
  const problems = budgetProblems(rows);
  if (problems.length) fail(problems);
}

function fail(problems) {
  console.error(`function bundle budget exceeded:\n${problems.join('\n')}`);
  process.exit(1);
}

async function main() {
  const names = await bundleFunctions();
  verifyEntries(names);
  console.log(`cloud functions bundled: ${names.join(', ')}`);
  checkBundles(names);
  await packNpm({ quiet: true });
  console.log('miniprogram_npm packed');
  const problems = checkTemplates();
  if (problems.length) {
    console.error(`template check failed:\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log('WXML/WXSS compile clean');
  await bundleGateway();
  console.log('gateway bundled');
  // miniprogram-ci leaves handles open.
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
