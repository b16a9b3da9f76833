#!/usr/bin/env node
/**
 * Builds miniprogram/miniprogram_npm (the mini-program's "构建 npm") offline
 * with miniprogram-ci, so tests, the template check and DevTools all see the
 * same @vant/weapp and dayjs. Nothing is added by hand: what DevTools' own
 * 构建npm packs (a package's main entry and what it requires) is all the
 * pages may rely on.
 *
 * Why a staging directory: the root package.json also lists server-only
 * dependencies (wx-server-sdk and its tree). Packing it as is drags ~70
 * node packages into the mini-program and fails on one of them (`long`'s
 * UMD build does not parse). So we stage a package.json that lists only the
 * dependencies the mini-program really requires, copy those packages beside
 * it, and point miniprogram-ci's packNpmManually (the API behind
 * project.config.json's packNpmRelationList) at it. `ci.packNpm` itself only
 * looks for package.json files under miniprogramRoot, which is why it is not
 * used here.
 *
 * Usage: node scripts/pack-npm.js   (or require it and call packNpm())
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const MINIPROGRAM = path.join(ROOT, 'miniprogram');
const NPM_DIST = path.join(MINIPROGRAM, 'miniprogram_npm');
const COMPLETE_MARKER = path.join(NPM_DIST, '.pack-complete');

/** What the mini-program requires at run time; the version comes from the root package.json. */
const MINIPROGRAM_DEPS = ['@vant/weapp', 'dayjs'];

function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true, dereference: true });
}

function stage(rootPkg) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-packnpm-'));
  const dependencies = {};
  for (const name of MINIPROGRAM_DEPS) {
    const version = (rootPkg.dependencies || {})[name];
    if (!version) throw new Error(`package.json has no dependency ${name}`);
    dependencies[name] = version;
    copyDir(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name));
  }
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'resumption-desk-miniprogram', private: true, dependencies }, null, 2),
  );
  return dir;
}

async function packNpm({ quiet = false } = {}) {
  const started = Date.now();
  const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const staging = stage(rootPkg);
  // miniprogram-ci logs through its own logger on require; keep it out of test output.
  const ci = require('miniprogram-ci');
  try {
    fs.rmSync(NPM_DIST, { recursive: true, force: true });
    const result = await ci.packNpmManually({
      packageJsonPath: path.join(staging, 'package.json'),
      miniprogramNpmDistDir: MINIPROGRAM,
    });
    if (!fs.existsSync(path.join(NPM_DIST, '@vant/weapp/button/index.js'))) {
      throw new Error('packNpm finished but miniprogram_npm/@vant/weapp/button is missing');
    }
    // Written last: readers (the page tests) treat a tree without it as half-built.
    fs.writeFileSync(COMPLETE_MARKER, `${new Date().toISOString()}\n`);
    if (!quiet) {
      const warns = (result.warnList || []).map((w) => `  ${w.msg} (${w.jsPath})`).join('\n');
      console.log(
        `pack-npm: ${result.miniProgramPackNum} mini-program + ${result.otherNpmPackNum} npm package(s) ` +
          `→ ${path.relative(ROOT, NPM_DIST)} in ${Date.now() - started} ms${warns ? `\n${warns}` : ''}`,
      );
    }
    return result;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

module.exports = { packNpm, NPM_DIST, COMPLETE_MARKER };

if (require.main === module) {
  packNpm().then(
    // miniprogram-ci leaves timers/handles open: without exit the process hangs.
    () => process.exit(0),
    (err) => {
      console.error(err && err.stack ? err.stack : err);
      process.exit(1);
    },
  );
}
