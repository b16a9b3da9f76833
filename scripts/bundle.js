/**
 * Bundles server code with esbuild: each cloud function's thin entry with the
 * shared server code it imports (wx-server-sdk left external, as the platform
 * installs it from the function's package.json), and the local gateway.
 */
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const functionsDir = path.join(root, 'cloudfunctions');

function functionNames() {
  return fs
    .readdirSync(functionsDir)
    .filter((name) => fs.existsSync(path.join(functionsDir, name, 'src', 'index.ts')));
}

async function bundleFunctions() {
  const names = functionNames();
  await Promise.all(
    names.map((name) =>
      esbuild.build({
        entryPoints: [path.join(functionsDir, name, 'src', 'index.ts')],
        outfile: path.join(functionsDir, name, 'index.js'),
        bundle: true,
        platform: 'node',
        target: 'node16',
        format: 'cjs',
        external: ['wx-server-sdk'],
        logLevel: 'warning',
      }),
    ),
  );
  return names;
}

async function bundleGateway() {
  const outfile = path.join(root, 'dist', 'gateway.js');
  await esbuild.build({
    entryPoints: [path.join(root, 'server', 'local', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Native and SDK packages load from node_modules, exactly as installed.
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  return outfile;
}

module.exports = { bundleFunctions, bundleGateway };
