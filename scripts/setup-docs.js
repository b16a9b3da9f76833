#!/usr/bin/env node
/**
 * Rewrites the index table in docs/setup.md from server/db/schema.ts
 * (tests/server/setup.test.ts fails when the table is stale).
 */
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const docFile = path.join(root, 'docs', 'setup.md');

async function main() {
  const result = await esbuild.build({
    stdin: { contents: `export * from './server/setup/indexes';`, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(mod, mod.exports, require);
  const { indexTableMarkdown, INDEX_TABLE_START, INDEX_TABLE_END } = mod.exports;
  const doc = fs.readFileSync(docFile, 'utf8');
  const start = doc.indexOf(INDEX_TABLE_START);
  const end = doc.indexOf(INDEX_TABLE_END);
  if (start < 0 || end < start) throw new Error(`docs/setup.md lacks the index table markers`);
  const next = `${doc.slice(0, start + INDEX_TABLE_START.length)}\n${indexTableMarkdown()}\n${doc.slice(end)}`;
  fs.writeFileSync(docFile, next);
  console.log(next === doc ? 'docs/setup.md: index table already current' : 'docs/setup.md: index table rewritten');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
