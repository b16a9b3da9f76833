#!/usr/bin/env node
/**
 * npm run bench [-- --scale district]: what the product costs, printed.
 *
 * 1. Round trips per action (the same counter the gateway logs as db=N), on
 *    a warm instance, in the seeded district.
 * 2. need.submit over HTTP against a real gateway process at concurrency 1,
 *    10 and 50: submissions/s and p50/p95/p99.
 * 3. need.queue and visit.myEnterprises p50 over HTTP.
 * 4. Each function bundle's cold-start cost in absolute times (the build
 *    gate itself decides on the ratio to wx-server-sdk's, see bundle.js).
 * 5. At `--scale district`: ledger.export (the ledger and the 专报) over
 *    5,000 enterprises with 90 days of status reports each, timed in process
 *    and printed beside the function's 60 s limit. `--only export` runs just
 *    this part (seeding, then the two exports).
 *
 * `--scale demo` (default) is the Dadukou demo; `--scale district` first
 * grows it to 5,000 enterprises, 20,000 needs and 10,000 visits. Not a test:
 * CI runs the budget test (tests/server/budgets.test.ts), not this.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawn } = require('child_process');
const { bundleGateway, bundleFunctions, measureFunctions, bundleTable } = require('./bundle');
const { loadTs } = require('./load-ts');

const root = path.resolve(__dirname, '..');
const scale = process.argv.includes('--scale') ? process.argv[process.argv.indexOf('--scale') + 1] : 'demo';
const DISTRICT = { enterprises: 5000, needs: 20000, visits: 10000 };
const SUBMITS_PER_LEVEL = Number(process.env.BENCH_SUBMITS || 600);

function load() {
  return loadTs('bench-entry', [
    `export { createLocalRuntime } from './server/local/runtime';`,
    `export { installDistrict } from './server/setup/install';`,
    `export { DEMO } from './server/seed/demo';`,
    `export { withFirstEvent } from './server/needs/events';`,
    `export { historyKey } from './server/history/key';`,
  ]);
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (x) => `${x.toFixed(1)} ms`;

const masks = (i) => ({
  type: 'supplies',
  items: [{ kind: 'mask', quantity: 100 + (i % 900), unit: '个' }],
  neededBy: null,
  deliveryAddress: '建桥工业园C区',
});

/** China-time date a few days ahead of now (neededBy must lie within a year from yesterday). */
function soon() {
  return new Date(Date.now() + 8 * 3600_000 + 3 * 86400_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------
// Growing the district

const ZONES = ['jianqiao-a', 'jianqiao-b', 'jianqiao-c', 'xinshancun', 'yuejincun', 'jiugongmiao', 'qiezixi', 'chunhuilu', 'baqiao', 'jiansheng', 'tiaodeng'];
const INDUSTRIES = ['manufacturing', 'medical', 'catering', 'retail', 'logistics', 'construction', 'technology', 'services'];
const UNITS = ['fic-supply-pool', 'chamber-pharma', 'chamber-catering', 'hrss', 'ndrc', 'commerce', 'fic-finance', 'legal-service', 'fic'];
const STATUSES = ['routed', 'routed', 'claimed', 'in_progress', 'waiting', 'fulfilled', 'confirmed', 'confirmed'];

async function addInChunks(db, collection, docs) {
  for (let i = 0; i < docs.length; i += 500) await db.collection(collection).add({ data: docs.slice(i, i + 500) });
}

/** The demo's two owners would pile hundreds of open needs each; spread submissions like a district does. */
const BENCH_OWNERS = 300;

async function growDistrict(lib, rt, size) {
  const db = rt.ports.db;
  const now = Date.now();
  const iso = (t) => new Date(t).toISOString();
  const enterprises = Array.from({ length: size.enterprises }, (_, i) => ({
    _id: `bench-ent-${i}`,
    name: `重庆基准企业${i}有限公司`,
    creditCode: `BENCH${String(i).padStart(13, '0')}`,
    industry: INDUSTRIES[i % INDUSTRIES.length],
    zone: ZONES[i % ZONES.length],
    address: '大渡口区',
    location: { latitude: 29.45 + (i % 100) / 10000, longitude: 106.46 + (i % 97) / 10000 },
    contactName: '联系人',
    contactPhone: '13800138000',
    employees: 20 + (i % 300),
    chamberCodes: [],
    verified: i % 3 !== 0,
    lastVisitAt: i % 2 ? iso(now - (i % 30) * 86400_000) : '',
    ownerOpenid: `bench-owner-${i}`,
    latestStatus: { employeesTotal: 50, employeesBack: 30 + (i % 20), capacityPercent: 60, resumed: i % 4 !== 0, at: iso(now - 86400_000) },
    createdAt: iso(now - 30 * 86400_000),
    updatedAt: iso(now - 86400_000),
  }));
  await addInChunks(db, 'enterprises', enterprises);
  await addInChunks(db, 'creditCodes', enterprises.map((e) => ({ _id: e.creditCode, enterpriseId: e._id, createdAt: e.createdAt })));
  await addInChunks(db, 'users', enterprises.map((e) => ({ _id: e.ownerOpenid, roles: ['enterprise'], enterpriseId: e._id, unitCodes: [], headOf: [], createdAt: e.createdAt, updatedAt: e.createdAt })));
  const key = lib.historyKey(rt.ports);
  const needs = Array.from({ length: size.needs }, (_, i) => {
    const e = enterprises[i % enterprises.length];
    const created = now - (i % 20) * 86400_000 - i * 1000;
    const unitCode = UNITS[i % UNITS.length];
    return lib.withFirstEvent(
      key,
      {
        _id: `bench-need-${i}`,
        ...masks(i),
        neededBy: soon(),
        status: STATUSES[i % STATUSES.length],
        unitCode,
        enterpriseId: e._id,
        enterpriseName: e.name,
        enterpriseVerified: e.verified,
        submissionId: `bench-sub-${i}`,
        route: { unitCode, ruleId: null, slaHours: 24, reason: '基准数据' },
        createdBy: e.ownerOpenid,
        createdAt: iso(created),
        updatedAt: iso(created),
        dueAt: iso(created + 24 * 3600_000),
        escalated: i % 7 === 0,
        zone: e.zone,
        handledUnits: [unitCode],
      },
      { at: iso(created), actor: e.ownerOpenid, role: 'enterprise', actorName: e.name, from: null, to: 'routed', note: '基准数据' },
    );
  });
  await addInChunks(db, 'needs', needs);
  const visits = Array.from({ length: size.visits }, (_, i) => {
    const e = enterprises[(i * 7) % enterprises.length];
    return {
      _id: `bench-visit-${i}`,
      enterpriseId: e._id,
      enterpriseName: e.name,
      zone: e.zone,
      taskForceId: 'tf-02',
      member: 'demo-taskforce',
      clientKey: `bench-visit-${i}`,
      createdAt: iso(now - (i % 60) * 86400_000),
      location: e.location,
      distanceMeters: 12,
      offSite: false,
      photos: [],
      checklist: { look: '', check: '', ask: '', guide: [] },
      needIds: [],
    };
  });
  await addInChunks(db, 'visits', visits);
  return enterprises;
}

// ---------------------------------------------------------------------------
// The exports at district size

/** The ledger and admin functions' timeout (cloudbaserc.json). */
const EXPORT_LIMIT_MS = 60_000;
const REPORT_DAYS = 90;

/**
 * 90 days of status reports for every enterprise (written straight to the
 * store: seeding, not measured) and the scheduler's daily snapshots for the
 * past days; then each export kind once, timed, with its round trips.
 */
async function exportTiming(rt, enterprises) {
  const t0 = Date.now();
  const day = 86400_000;
  const now = Date.now();
  for (let d = 0; d < REPORT_DAYS; d++) {
    const at = new Date(now - d * day).toISOString();
    const reports = enterprises.map((e, i) => ({
      enterpriseId: e._id,
      zone: e.zone,
      industry: e.industry,
      employeesTotal: 50,
      employeesBack: 30 + ((i + d) % 20),
      capacityPercent: 60,
      resumed: i % 4 !== 0,
      reportedBy: e.ownerOpenid,
      role: 'enterprise',
      at,
    }));
    rt.store.insert('statusReports', reports);
  }
  for (let d = 1; d < REPORT_DAYS; d++) {
    const date = new Date(now + 8 * 3600_000 - d * day).toISOString().slice(0, 10);
    const figures = { enterprises: enterprises.length, reported: enterprises.length, resumed: Math.round(enterprises.length * 0.75), employeesTotal: 50 * enterprises.length, employeesBack: 39 * enterprises.length };
    rt.store.insert('ledgerDays', [{ _id: date, date, recordedAt: new Date().toISOString(), district: figures, zones: [] }]);
  }
  const seeded = Date.now() - t0;
  const rows = [];
  for (const kind of ['ledger', 'report']) {
    const started = Date.now();
    const { envelope, db } = await rt.counted('ledger', { action: 'export', kind }, 'demo-admin');
    if (!envelope.ok) throw new Error(`ledger.export ${kind}: ${JSON.stringify(envelope.error)}`);
    rows.push({ kind, ms: Date.now() - started, db, bytes: envelope.data.bytes });
  }
  return [
    `\nledger.export at district size: ${enterprises.length} enterprises, ${REPORT_DAYS} days of status reports (${(enterprises.length * REPORT_DAYS).toLocaleString('en')} reports, seeded in ${(seeded / 1000).toFixed(1)} s), in process`,
    '  kind       time    limit   round trips     file',
    ...rows.map(
      (r) => `  ${r.kind.padEnd(6)} ${(r.ms / 1000).toFixed(1).padStart(6)} s   ${EXPORT_LIMIT_MS / 1000} s   ${String(r.db).padStart(11)}   ${(r.bytes / 1024).toFixed(0).padStart(5)} KB${r.ms > EXPORT_LIMIT_MS ? '   OVER THE LIMIT' : ''}`,
    ),
  ];
}

// ---------------------------------------------------------------------------
// Round trips per action, in process

async function roundTrips(rt) {
  const rows = [];
  const count = async (label, fn, payload, openid) => {
    const { envelope, db } = await rt.counted(fn, payload, openid);
    if (!envelope.ok) throw new Error(`${label}: ${JSON.stringify(envelope.error)}`);
    rows.push([label, db]);
    return envelope.data;
  };
  const submit = (k) => ({ action: 'submit', clientKey: `rt-${k}-xxxxxxxx`, ...masks(7), neededBy: soon() });
  // Warm the instance as a running function would be.
  await rt.call('need', submit('warm'), 'demo-hualun');
  await rt.call('need', { action: 'queue' }, 'demo-chamber-head');
  await count('user.login', 'user', { action: 'login' }, 'demo-hualun');
  const made = await count('need.submit', 'need', submit('one'), 'demo-hualun');
  const id = made.needs[0].id;
  await count('need.get', 'need', { action: 'get', id }, 'demo-hualun');
  await count('need.mine', 'need', { action: 'mine' }, 'demo-hualun');
  await count('need.queue', 'need', { action: 'queue' }, 'demo-chamber-head');
  await count('user.todo', 'user', { action: 'todo' }, 'demo-chamber-head');
  await count('need.claim', 'need', { action: 'claim', id }, 'demo-chamber-head');
  await count('need.progress', 'need', { action: 'progress', id, note: '在办' }, 'demo-chamber-head');
  await count('need.fulfil', 'need', { action: 'fulfil', id, note: '已送达' }, 'demo-chamber-head');
  await count('need.confirm', 'need', { action: 'confirm', id, rating: 5 }, 'demo-hualun');
  await count('visit.checkIn', 'visit', {
    action: 'checkIn',
    enterpriseId: 'ent-qiutian',
    clientKey: 'rt-visit-xxxxxxxx',
    location: { latitude: 29.4842, longitude: 106.4823 },
    photos: [],
    checklist: { look: '', check: '', ask: '', guide: [] },
    needs: [],
  }, 'demo-taskforce');
  await count('visit.myEnterprises', 'visit', { action: 'myEnterprises', limit: 100 }, 'demo-taskforce');
  await count('ledger.summary', 'ledger', { action: 'summary' }, 'demo-admin');
  // The first run works off whatever is due (in the district seed, thousands of overdue needs:
  // one write each, within its time budget); the next runs cost only their pages and configuration.
  const backlog = await count('scheduler.run (backlog)', 'scheduler', { action: 'run' }, 'demo-admin');
  rows[rows.length - 1][0] = `scheduler.run (backlog: ${backlog.leasesExpired + backlog.escalated} changes)`;
  await count('scheduler.run (next tick)', 'scheduler', { action: 'run' }, 'demo-admin');
  return rows;
}

// ---------------------------------------------------------------------------
// Over HTTP, against a gateway process

function post(port, agent, fn, body, openid) {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const started = process.hrtime.bigint();
    const req = http.request(
      { host: '127.0.0.1', port, path: `/api/${fn}`, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-openid': openid } },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          const answer = JSON.parse(data);
          if (!answer.ok) return reject(new Error(`${fn}.${body.action}: ${JSON.stringify(answer.error)}`));
          resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

async function drive(port, concurrency, total, makeCall) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const times = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) times.push(await makeCall(next++, agent));
    }),
  );
  const secs = (Date.now() - started) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  return { rate: total / secs, p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99) };
}

async function startGateway(dataDir) {
  const file = await bundleGateway();
  const child = spawn(process.execPath, [file], { env: { ...process.env, DATA_DIR: dataDir, PORT: '0', BENCH_QUIET: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /local gateway on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`gateway exited (${code}): ${out}`)));
  });
  // The gateway logs a line per call; the bench drains and drops them.
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  return { port, stop: () => child.kill('SIGTERM') };
}

async function main() {
  const lib = await load();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-bench-'));
  const rt = lib.createLocalRuntime({ dataDir });
  await lib.installDistrict(rt.ports.db, rt.ports.clock, lib.DEMO);
  // The bench submits far faster than the per-minute limit meant for people.
  await rt.call('admin', { action: 'saveSettings', rateLimits: { 'need.submit': 100000 }, openNeedsPerType: 1000, needsPerEnterprisePerDay: 100000 }, 'demo-admin');
  const t0 = Date.now();
  const size = scale === 'district' ? DISTRICT : { enterprises: BENCH_OWNERS, needs: 0, visits: 0 };
  const grown = await growDistrict(lib, rt, size);
  const owners = grown.map((e) => e.ownerOpenid);
  const seeded = Date.now() - t0;
  if (process.argv.includes('--only') && process.argv[process.argv.indexOf('--only') + 1] === 'export') {
    if (scale !== 'district') console.log('(--only export is meant for --scale district: 5,000 enterprises)');
    for (const line of await exportTiming(rt, grown)) console.log(line);
    rt.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  const trips = await roundTrips(rt);
  const exportLines = scale === 'district' ? await exportTiming(rt, grown) : [];
  rt.close();

  const gateway = await startGateway(dataDir);
  const results = [];
  try {
    for (const concurrency of [1, 10, 50]) {
      const r = await drive(gateway.port, concurrency, SUBMITS_PER_LEVEL, (i, agent) =>
        post(gateway.port, agent, 'need', { action: 'submit', clientKey: `http-${concurrency}-${i}-xxxxxxxx`, ...masks(i), neededBy: soon() }, owners[i % owners.length]),
      );
      results.push({ concurrency, ...r });
    }
    const queue = await drive(gateway.port, 1, 200, (_, agent) => post(gateway.port, agent, 'need', { action: 'queue' }, 'demo-chamber-head'));
    const zone = await drive(gateway.port, 1, 200, (_, agent) => post(gateway.port, agent, 'visit', { action: 'myEnterprises', limit: 100 }, 'demo-taskforce'));

    console.log(`\n复工服务台 bench — scale ${scale}${scale === 'district' ? ` (${DISTRICT.enterprises} enterprises, ${DISTRICT.needs} needs, ${DISTRICT.visits} visits; seeded in ${(seeded / 1000).toFixed(1)} s)` : ''}`);
    console.log(`${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
    console.log('Round trips per action (warm instance)');
    for (const [label, db] of trips) console.log(`  ${label.padEnd(40)} ${String(db).padStart(5)}`);
    console.log(`\nneed.submit over HTTP (${SUBMITS_PER_LEVEL} per level, gateway in its own process)`);
    console.log('  concurrency   submissions/s      p50       p95       p99');
    for (const r of results) console.log(`  ${String(r.concurrency).padStart(11)}   ${r.rate.toFixed(0).padStart(13)}   ${ms(r.p50).padStart(8)}  ${ms(r.p95).padStart(8)}  ${ms(r.p99).padStart(8)}`);
    const c1 = results[0];
    const c50 = results[2];
    console.log(`\n  at 50: ${c50.rate.toFixed(0)}/s (target ≥ 300); p99 at 50 is ${(c50.p99 / c1.p50).toFixed(1)}× p50 at 1 (target ≤ 10×)`);
    console.log(`\nneed.queue p50 ${ms(queue.p50)}, visit.myEnterprises (100 a page) p50 ${ms(zone.p50)} over HTTP`);
    for (const line of exportLines) console.log(line);
  } finally {
    gateway.stop();
  }
  try {
    // Absolute cold-start figures live here, not in the build gate (which decides on a ratio).
    console.log('\nFunction bundles at a cold start (median of 7 cold processes; the build gate reads the ratio column)');
    console.log(bundleTable(measureFunctions(await bundleFunctions())));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
