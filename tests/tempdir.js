/**
 * Every run of jest gets a temporary folder of its own (TMPDIR, which
 * os.tmpdir() reads, inherited by the workers and by any process a test
 * starts), and the run fails if anything is left in it: a test or a runtime
 * that does not clean up after itself shows up here rather than as hundreds
 * of folders in the machine's temp directory.
 */
const { mkdtempSync, readdirSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const KEY = 'DESK_TEST_TMPDIR';
/** Caches tools keep in the temp directory, one per machine rather than one per test (ts-node in a child process). */
const TOOL_CACHES = [/^v8-compile-cache-/];

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'desk-jest-'));
  process.env[KEY] = dir;
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = dir;
}

async function teardown() {
  const dir = process.env[KEY];
  if (!dir) return;
  const left = readdirSync(dir).filter((name) => !TOOL_CACHES.some((cache) => cache.test(name)));
  rmSync(dir, { recursive: true, force: true });
  if (left.length) {
    const shown = left.slice(0, 10).join(', ') + (left.length > 10 ? `, … (${left.length} in all)` : '');
    throw new Error(`The tests left ${left.length} temporary file(s) or folder(s) behind: ${shown}. Remove what a test makes (close each runtime; rmSync each mkdtemp folder).`);
  }
}

module.exports = { setup, teardown };
