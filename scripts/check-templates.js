#!/usr/bin/env node
/**
 * Runs WeChat's own template compilers over the mini-program, because
 * DevTools' TypeScript plugin and tsc never look at WXML/WXSS and a broken
 * template otherwise shows up only when a page is opened.
 *
 * - WXML: miniprogram-compiler's wxmlToJs (the official wcc) over the whole
 *   tree, vant included, since wcc needs every template a page uses.
 * - WXSS: the official wcsc, one call per file of ours (vant's are built).
 *
 * Exits 1 with file:line messages on any error.
 * Usage: node scripts/check-templates.js   (or require it and call checkTemplates())
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const MINIPROGRAM = path.join(ROOT, 'miniprogram');

function ourFiles(dir, ext, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'miniprogram_npm' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) ourFiles(full, ext, out);
    else if (entry.name.endsWith(ext)) out.push(full);
  }
  return out;
}

function wcscPath() {
  const name = { linux: 'linux/wcsc', darwin: 'mac/wcsc', win32: 'windows/wcsc.exe' }[process.platform];
  const bin = path.join(path.dirname(require.resolve('miniprogram-compiler/package.json')), 'bin', name);
  // npm does not keep the run bit on this package's binaries.
  if (process.platform !== 'win32') fs.chmodSync(bin, 0o755);
  return bin;
}

function checkWxml(errors) {
  const { wxmlToJs } = require('miniprogram-compiler');
  try {
    wxmlToJs(MINIPROGRAM, { maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    // wcc reports "./pages/x/index.wxml:12:3: …"; make the path repo-relative so editors can jump to it.
    const text = String(err && err.message ? err.message : err).replace(/编译 \.wxml 文件错误：/, '');
    for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
      errors.push(`miniprogram/${line.replace(/^\.\//, '')}`);
    }
  }
}

function checkWxss(errors) {
  const bin = wcscPath();
  for (const file of ourFiles(MINIPROGRAM, '.wxss')) {
    const rel = path.relative(MINIPROGRAM, file);
    const res = spawnSync(bin, ['-db', '-pc', '1', rel], { cwd: MINIPROGRAM, maxBuffer: 16 * 1024 * 1024 });
    if (res.error) throw res.error;
    if (res.status !== 0) {
      // wcsc says "ERR: pages/x/index.wxss(2:1): …" followed by a summary line we do not need.
      const text = (res.stderr.toString() || res.stdout.toString())
        .split('\n')
        .filter((l) => l.trim() && !/^error file count/.test(l))
        .join(' ')
        .replace(/^ERR:\s*/, '');
      errors.push(`miniprogram/${text || `${rel}: wcsc exited ${res.status}`}`);
    }
  }
}

function checkJson(errors) {
  for (const file of ourFiles(MINIPROGRAM, '.json')) {
    if (path.basename(file) === 'tsconfig.json') continue; // tsconfig allows comments; WeChat never reads it
    try {
      JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      errors.push(`${path.relative(ROOT, file)}: ${err.message}`);
    }
  }
}

/** Returns the list of problems (empty when all templates compile). */
function checkTemplates() {
  const errors = [];
  checkJson(errors);
  checkWxml(errors);
  checkWxss(errors);
  return errors;
}

module.exports = { checkTemplates };

if (require.main === module) {
  const errors = checkTemplates();
  if (errors.length) {
    console.error(`check-templates: ${errors.length} problem(s)\n${errors.join('\n')}`);
    process.exit(1);
  }
  console.log(`check-templates: WXML, WXSS and JSON under miniprogram/ compile`);
}
