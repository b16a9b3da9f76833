/**
 * Fault run (npm run test:slow): the real gateway process on disk is killed
 * in the middle of a burst of submissions, restarted on the same DATA_DIR, and
 * the phones resend everything with the same clientKeys — as they do after a
 * failed call. Nothing is lost, nothing is doubled, every timeline is intact.
 */
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** The gateway runs on the real clock: a need-by date a few days from today (China time). */
const SOON = new Date(Date.now() + 8 * 3600_000 + 3 * 86400_000).toISOString().slice(0, 10);
const { bundleGateway } = require('../../scripts/bundle');

const PORT = 3400 + Math.floor(Math.random() * 200);
const base = `http://127.0.0.1:${PORT}`;
let dataDir: string;
let gatewayFile: string;
let child: ChildProcess | undefined;

async function start(): Promise<void> {
  child = spawn(process.execPath, [gatewayFile], { env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir }, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('gateway did not start');
}

async function call(fn: string, openid: string, body: object): Promise<any> {
  const res = await fetch(`${base}/api/${fn}`, { method: 'POST', headers: { 'x-openid': openid }, body: JSON.stringify(body) });
  return res.json();
}

const submission = (i: number) => ({
  action: 'submit',
  clientKey: `crash-${String(i).padStart(6, '0')}`,
  type: 'supplies',
  items: [{ kind: 'mask', quantity: 1000 + i, unit: '个' }],
  neededBy: SOON,
  deliveryAddress: '建桥工业园C区',
});

beforeAll(async () => {
  gatewayFile = await bundleGateway();
  dataDir = mkdtempSync(join(tmpdir(), 'desk-crash-'));
});
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

test('a kill mid-burst loses nothing and doubles nothing once the phones resend', async () => {
  await start();
  // A burst of 100 submissions per owner is far above the per-minute limit meant for people.
  await call('admin', 'demo-admin', { action: 'saveSettings', rateLimits: { 'need.submit': 10_000 }, openNeedsPerType: 1000, needsPerEnterprisePerDay: 100_000 });
  const N = 200;
  const sentBeforeKill = Array.from({ length: N }, (_, i) => call('need', i % 2 ? 'demo-enterprise' : 'demo-hualun', submission(i)).catch(() => null));
  await new Promise((r) => setTimeout(r, 150));
  // Listen for the exit before killing: it can come before any await below returns.
  const exited = new Promise((r) => child!.once('exit', r));
  child!.kill('SIGKILL');
  const answered = (await Promise.all(sentBeforeKill)).filter((r) => r?.ok);
  await exited;
  console.log(`${answered.length} of ${N} submissions answered before the kill`);

  await start();
  const resent = await Promise.all(Array.from({ length: N }, (_, i) => call('need', i % 2 ? 'demo-enterprise' : 'demo-hualun', submission(i))));
  expect(resent.every((r) => r.ok)).toBe(true);
  // Every submission the first process acknowledged comes back as the same need.
  const firstIds = new Map(answered.map((r) => [r.data.submissionId, r.data.needs[0].id]));
  for (const r of resent) {
    if (firstIds.has(r.data.submissionId)) expect(r.data.needs[0].id).toBe(firstIds.get(r.data.submissionId));
  }
  const ids = new Set(resent.map((r) => r.data.needs[0].id));
  expect(ids.size).toBe(N);

  const count = async (openid: string) => {
    let total = 0;
    let cursor: string | undefined;
    do {
      const page = await call('need', openid, { action: 'mine', cursor });
      total += page.data.items.length;
      cursor = page.data.nextCursor;
    } while (cursor);
    return total;
  };
  expect((await count('demo-enterprise')) + (await count('demo-hualun'))).toBe(N);
  for (const id of [...ids].slice(0, 40)) {
    expect((await call('admin', 'demo-admin', { action: 'verifyTimeline', id })).data).toEqual({ intact: true, events: 1 });
  }
}, 60_000);

test('under HTTP load, each of 25 needs has exactly one winner among 20 claimers', async () => {
  const { needs } = (await call('need', 'demo-hualun', {
    action: 'submit',
    clientKey: 'load-batch-0001',
    needs: [{ type: 'supplies', items: [{ kind: 'mask', quantity: 1, unit: '个' }], neededBy: SOON, deliveryAddress: '园区' }],
  })).data;
  const targets: string[] = [needs[0].id];
  for (let i = 1; i < 25; i++) targets.push((await call('need', 'demo-hualun', { ...submission(10_000 + i) })).data.needs[0].id);
  // 20 members of the pharma chamber, by invite as in real life.
  const members: string[] = [];
  for (let m = 0; m < 20; m++) {
    const { code } = (await call('admin', 'demo-admin', { action: 'createInvite', role: 'unit', unitCode: 'chamber-pharma' })).data;
    await call('user', `load-member-${m}`, { action: 'redeemInvite', code });
    members.push(`load-member-${m}`);
  }
  const started = Date.now();
  const results = await Promise.all(targets.flatMap((id) => members.map((m) => call('need', m, { action: 'claim', id }).then((r) => ({ id, r })))));
  const elapsed = Date.now() - started;
  for (const id of targets) {
    const mine = results.filter((x) => x.id === id);
    expect(mine.filter((x) => x.r.ok)).toHaveLength(1);
    expect(mine.filter((x) => !x.r.ok).every((x) => x.r.error.code === 'CONFLICT')).toBe(true);
  }
  console.log(`${results.length} concurrent claims over HTTP in ${elapsed} ms`);
}, 60_000);
