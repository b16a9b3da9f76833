#!/usr/bin/env node
/**
 * Visual check of every page on a 360-px phone, at normal and at large text.
 * Not part of `npm test`; see docs/visual-check.md.
 *
 * One-time setup: playwright-core is a devDependency (npm install brings it);
 * the browser and the CJK fonts come from Debian:
 *   apt-get update && apt-get install -y chromium fonts-noto-cjk
 *
 * Run:
 *   node scripts/screenshots.js              # render + screenshot → /tmp/shots/<page>-<variant>.png
 *   node scripts/screenshots.js --no-render  # only screenshot the HTML already in /tmp/shots/html
 *   SHOTS_DIR=/some/dir LARGE_TEXT=1.3 node scripts/screenshots.js
 *   ONLY='^(register|need-new)' node scripts/screenshots.js   # only the scenarios whose name matches
 *
 * Step 1 runs tests/visual/pages.visual.ts under jest (its own config,
 * tests/visual/jest.config.js), which renders each page with
 * miniprogram-simulate and the demo fixtures into /tmp/shots/html/*.html.
 * Step 2 opens each file in Chromium at 360 px (device scale 2) and takes a
 * full-page screenshot, then prints what a machine can spot: horizontal
 * overflow past 360 px, text clipped inside its box, and visible tap targets
 * (buttons, cells with an arrow, checkboxes, switches, tabs) under 44 px tall.
 * The PNGs still need a human (or an image viewer) to look at them.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const SHOTS = process.env.SHOTS_DIR || '/tmp/shots';
const HTML = path.join(SHOTS, 'html');
const WIDTH = 360;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** miniprogram_npm is build output: a fresh clone has none, and rendering without it fails. */
function packNpm() {
  if (fs.existsSync(path.join(ROOT, 'miniprogram/miniprogram_npm/.pack-complete'))) return;
  console.log('building miniprogram/miniprogram_npm (scripts/pack-npm.js) …');
  const out = spawnSync(process.execPath, [path.join(ROOT, 'scripts/pack-npm.js')], { cwd: ROOT, stdio: 'inherit' });
  if (out.status !== 0) process.exit(out.status || 1);
}

function render() {
  packNpm();
  // Old HTML from scenarios that no longer exist would be screenshot again (unless only some are re-rendered).
  if (!process.env.ONLY) fs.rmSync(HTML, { recursive: true, force: true });
  const jest = path.join(ROOT, 'node_modules/.bin/jest');
  const out = spawnSync(jest, ['-c', 'tests/visual/jest.config.js'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, SHOTS_DIR: SHOTS },
  });
  if (out.status !== 0) process.exit(out.status || 1);
}

/** Runs in the page: things a person would notice, found by measurement. */
function audit(width) {
  const problems = [];
  const describe = (el) => {
    const cls = (el.getAttribute('class') || '').trim().split(/\s+/).slice(0, 3).join('.');
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 30);
    return `${el.tagName.toLowerCase()}${cls ? '.' + cls : ''} "${text}"`;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
  };
  if (document.documentElement.scrollWidth > width) {
    problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px wide`);
  }
  for (const el of document.querySelectorAll('page *')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (r.right > width + 0.5 && cs.position !== 'fixed' && !el.closest('.van-tabs__scroll, .van-tabs__nav')) {
      problems.push(`sticks out past ${width}px (right=${Math.round(r.right)}): ${describe(el)}`);
    }
    const clips = cs.overflowX === 'hidden' || cs.overflow === 'hidden' || cs.textOverflow === 'ellipsis';
    const hasOwnText = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (clips && hasOwnText && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`text clipped (${el.scrollWidth} > ${el.clientWidth}): ${describe(el)}`);
    }
    if (clips && hasOwnText && el.scrollHeight > el.clientHeight + 1 && cs.webkitLineClamp === 'none') {
      problems.push(`text clipped vertically (${el.scrollHeight} > ${el.clientHeight}): ${describe(el)}`);
    }
  }
  const taps = document.querySelectorAll(
    '.van-button, .van-cell--clickable, .van-checkbox, .van-switch, .van-tab, .need-row, .van-rate__item',
  );
  for (const el of taps) {
    if (!visible(el)) continue;
    // A clickable row is the target when the control sits in one.
    const target = el.closest('.van-cell--clickable, .need-row') || el;
    let h = target.getBoundingClientRect().height;
    // An invisible ::before with negative insets widens where a control reacts.
    const before = getComputedStyle(target, '::before');
    if (before.content !== 'none' && before.position === 'absolute') {
      h = Math.max(h, h - (parseFloat(before.top) || 0) - (parseFloat(before.bottom) || 0));
    }
    if (h < 43.5 && !el.classList.contains('van-rate__item')) {
      problems.push(`tap target ${Math.round(h)}px tall: ${describe(target)}`);
    }
  }
  return [...new Set(problems)];
}

async function shoot() {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    console.error('playwright-core is missing: it is a devDependency, run npm install (see docs/visual-check.md)');
    process.exit(1);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 740 }, deviceScaleFactor: 2 });
  // Nothing leaves the machine: remote fonts and images fail fast.
  await context.route(/^https?:/, (route) => route.abort());
  const page = await context.newPage();
  const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
  const files = fs
    .readdirSync(HTML)
    .filter((f) => f.endsWith('.html') && (!only || only.test(f.replace(/-(normal|large)\.html$/, ''))))
    .sort();
  const report = {};
  for (const file of files) {
    const name = file.replace(/\.html$/, '');
    await page.goto('file://' + path.join(HTML, file));
    await page.evaluate(() => document.fonts && document.fonts.ready);
    const png = path.join(SHOTS, `${name}.png`);
    await page.screenshot({ path: png, fullPage: true });
    const problems = await page.evaluate(audit, WIDTH);
    report[name] = problems;
    console.log(`${png}${problems.length ? '' : '  ok'}`);
    for (const p of problems) console.log(`    ${p}`);
  }
  fs.writeFileSync(path.join(SHOTS, 'report.json'), JSON.stringify(report, null, 2));
  await browser.close();
}

(async () => {
  if (!process.argv.includes('--no-render')) render();
  await shoot();
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
