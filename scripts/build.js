#!/usr/bin/env node
/**
 * npm run build: everything DevTools or the CloudBase CLI deploys, offline.
 *  1. each cloud function bundled into cloudfunctions/<name>/index.js
 *  2. @vant/weapp and dayjs packed into miniprogram/miniprogram_npm
 *  3. every WXML/WXSS checked with the official compiler (fails the build)
 *  4. the local gateway bundle (dist/gateway.js)
 */
const { bundleFunctions, bundleGateway } = require('./bundle');
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

async function main() {
  const names = await bundleFunctions();
  verifyEntries(names);
  console.log(`cloud functions bundled: ${names.join(', ')}`);
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
