/**
 * Loads server TypeScript into a script (the bench, the docs generator):
 * bundled with esbuild into dist/ (inside the checkout, so its packages
 * resolve from node_modules, which stay external), then required.
 * `exports` is the module text: `export { x } from './server/…';` lines.
 */
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function loadTs(name, exportLines, { keep = true } = {}) {
  const outfile = path.join(root, 'dist', keep ? `${name}.js` : `${name}-${process.pid}-${Date.now()}.js`);
  esbuild.buildSync({
    stdin: { contents: exportLines.join('\n'), resolveDir: root, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
  try {
    return require(outfile);
  } finally {
    if (!keep) fs.rmSync(outfile, { force: true });
  }
}

module.exports = { loadTs, root };
