/** The ledger: figures from real activity, and the two Excel exports read back. */
import ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ADMIN = 'demo-admin';

async function activity() {
  await h.ok('enterprise', 'reportStatus', { employeesTotal: 320, employeesBack: 240, capacityPercent: 75, resumed: true }, 'demo-enterprise');
  await h.ok('enterprise', 'reportStatus', { employeesTotal: 180, employeesBack: 60, capacityPercent: 30, resumed: false, difficulties: '原料短缺' }, 'demo-hualun');
  const masksNeed = (await h.ok('need', 'submit', { ...masks(20000), clientKey: 'ledger-key-01' }, 'demo-hualun')).needs[0];
  await h.ok('need', 'claim', { id: masksNeed.id }, 'demo-chamber-head');
  await h.ok('need', 'fulfil', { id: masksNeed.id, note: '送达', quantityDelivered: 15000 }, 'demo-chamber-head');
  const loan = (await h.ok('need', 'submit', { type: 'financing', amountWan: 2000, purpose: '专项', termMonths: 12, clientKey: 'ledger-key-02' }, 'demo-hualun')).needs[0];
  await h.ok('need', 'claim', { id: loan.id }, 'demo-finance');
  // The bank granted less than was asked: the ledger sums what was granted.
  await h.ok('need', 'fulfil', { id: loan.id, note: '已放款', grantedWan: 1500 }, 'demo-finance');
  await h.ok('need', 'submit', { type: 'hiring', positions: [{ title: '焊工', count: 3 }], clientKey: 'ledger-key-03' }, 'demo-enterprise');
  const qiutian = (await h.ok('enterprise', 'get', {}, 'demo-enterprise')).id;
  await h.ok('visit', 'checkIn', { enterpriseId: qiutian, clientKey: 'ledger-visit-1', location: { latitude: 29.4517, longitude: 106.4632 }, checklist: {} }, 'demo-taskforce');
  // The check-in keeps enterprises.lastVisitAt, which the ledger groups on; written here as the check-in writes it.
  await h.db.collection('enterprises').doc(qiutian).update({ data: { lastVisitAt: h.clock.now().toISOString() } });
}

test('summary: resumption and workforce-return rates, open needs, supplies delivered, financing, visit coverage', async () => {
  await activity();
  const s = await h.ok('ledger', 'summary', {}, ADMIN);
  // The headline counts the 8 verified enterprises; the 2 unverified seeds are shown apart.
  expect(s.overall).toMatchObject({ enterprises: 8, reported: 2, resumed: 1, employeesTotal: 500, employeesBack: 300, resumptionRate: 0.125, workforceReturnRate: 0.6 });
  expect(s.unverified).toMatchObject({ enterprises: 2, reported: 0, resumed: 0 });
  expect(s.includesUnverified).toBe(false);
  expect(s.byZone['jianqiao-c']).toMatchObject({ enterprises: 1, resumed: 1, resumptionRate: 1 });
  expect(s.byIndustry.medical).toMatchObject({ enterprises: 1, reported: 1, resumed: 0 });
  const all = await h.ok('ledger', 'summary', { includeUnverified: true }, ADMIN);
  expect(all.overall).toMatchObject({ enterprises: 10, reported: 2, resumed: 1, resumptionRate: 0.1 });
  expect(all.byZone['jianqiao-c']).toMatchObject({ enterprises: 2, resumed: 1, resumptionRate: 0.5 });
  // The partial delivery left a remainder of 5000 masks open at the pharma chamber.
  expect(s.openNeeds).toEqual({ total: 2, byType: { supplies: 1, hiring: 1 }, byUnit: { 'chamber-pharma': 1, hrss: 1 } });
  expect(s.suppliesDelivered).toBe(15000);
  expect(s.financingGrantedWan).toBe(1500);
  expect(s.visitCoverage['tf-02']).toEqual({ enterprises: 2, visited: 1, rate: 0.5 });
  expect(s.visitCoverage['tf-05']).toEqual({ enterprises: 1, visited: 0, rate: 0 });
});

test('the ledger and the report export as Excel workbooks that read back', async () => {
  await activity();
  const ledger = await h.ok('ledger', 'export', { kind: 'ledger' }, ADMIN);
  expect(ledger.name).toMatch(/^复工台账-\d{8}-\d{4}\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(h.rt.files.pathOf(ledger.fileID)) as never);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['复工台账', '每日复工情况']);
  const rows = wb.getWorksheet('复工台账')!.getSheetValues().filter(Boolean) as unknown[][];
  expect(rows).toHaveLength(11);
  const qiutian = rows.find((r) => r[1] === '重庆秋田齿轮有限公司')!;
  expect(qiutian.slice(3, 7)).toEqual(['制造业', '建桥园区C区', 320, '是']);

  const report = await h.ok('ledger', 'export', { kind: 'report' }, ADMIN);
  const rb = new ExcelJS.Workbook();
  await rb.xlsx.load(readFileSync(h.rt.files.pathOf(report.fileID)) as never);
  expect(rb.worksheets.map((w) => w.name)).toEqual(['概况', '分区域', '分行业', '未办结需求', '走访覆盖', '本周概况', '本周分区域', '单位考核']);
  const overview = rb.getWorksheet('概况')!.getSheetValues().filter(Boolean) as unknown[][];
  expect(overview.find((r) => r[1] === '已对接融资（万元）')![2]).toBe(1500);
  expect(overview.find((r) => r[1] === '已核实企业数')![2]).toBe(8);
  expect(overview.find((r) => r[1] === '未核实企业数（自行填报，另列）')![2]).toBe(2);
  const ledgerRows = wb.getWorksheet('复工台账')!.getSheetValues().filter(Boolean) as unknown[][];
  expect(ledgerRows.find((r) => r[1] === '重庆秋田齿轮有限公司')![11]).toBe('2026-03-02 09:00');
  expect(ledgerRows.find((r) => r[1] === '重庆华伦医疗实业有限公司')!.slice(10, 12)).toEqual([1, '从未走访']);
});

test('only admins read the ledger; a bad kind names the field', async () => {
  expect(await h.fail('ledger', 'summary', {}, 'demo-taskforce')).toMatchObject({ code: 'FORBIDDEN' });
  expect(await h.fail('ledger', 'export', { kind: 'pdf' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'kind' });
});

const registration = (n: number, overrides: Record<string, unknown> = {}) => ({
  name: `重庆台账测试${n}号有限公司`,
  creditCode: `TEST${String(n).padStart(14, '0')}`,
  industry: 'manufacturing',
  zone: 'jianqiao-a',
  address: '大渡口区',
  location: { latitude: 29.46, longitude: 106.47 },
  contactName: '测试',
  contactPhone: '13800000000',
  employees: 10,
  chamberCodes: [],
  verified: true,
  ownerOpenid: null,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
  ...overrides,
});

test('self-registered, unverified enterprises report apart until verified', async () => {
  const before = await h.ok('ledger', 'summary', {}, ADMIN);
  const code = '91500104MA60XQDN1';
  const { creditCodeCheckChar } = await import('../../server/enterprises/creditCode');
  const e = await h.ok(
    'enterprise',
    'register',
    { ...registration(1), creditCode: code + creditCodeCheckChar(code), verified: undefined, ownerOpenid: undefined, createdAt: undefined, updatedAt: undefined },
    'ledger-owner',
  );
  await h.ok('enterprise', 'reportStatus', { employeesTotal: 1_000_000, employeesBack: 1_000_000, capacityPercent: 100, resumed: true }, 'ledger-owner');
  const after = await h.ok('ledger', 'summary', {}, ADMIN);
  expect(after.overall).toEqual(before.overall);
  expect(after.unverified).toMatchObject({ enterprises: before.unverified.enterprises + 1, employeesTotal: 1_000_000, resumed: 1 });
  await h.ok('enterprise', 'verify', { enterpriseId: e.id }, ADMIN);
  const verified = await h.ok('ledger', 'summary', {}, ADMIN);
  expect(verified.overall).toMatchObject({ enterprises: before.overall.enterprises + 1, employeesTotal: before.overall.employeesTotal + 1_000_000 });
});

test('figures stored before the bounds existed cannot poison the totals or the 专报', async () => {
  const qiutian = (await h.ok('enterprise', 'get', {}, 'demo-enterprise')).id;
  await h.ok('enterprise', 'reportStatus', { employeesTotal: 300, employeesBack: 200, capacityPercent: 60, resumed: true }, 'demo-hualun');
  await h.db.collection('enterprises').doc(qiutian).update({
    data: { latestStatus: { employeesTotal: 1e308, employeesBack: 1e308, capacityPercent: 100, resumed: true, at: '2026-03-01T00:00:00.000Z' } },
  });
  const s = await h.ok('ledger', 'summary', {}, ADMIN);
  expect(s.overall).toMatchObject({ employeesTotal: 300, employeesBack: 200, reported: 2 });
  const figures = JSON.stringify(s);
  expect(figures).not.toMatch(/null|e\+|Infinity/);
  const report = await h.ok('ledger', 'export', { kind: 'report' }, ADMIN);
  const rb = new ExcelJS.Workbook();
  await rb.xlsx.load(readFileSync(h.rt.files.pathOf(report.fileID)) as never);
  for (const ws of rb.worksheets) {
    for (const row of ws.getSheetValues().filter(Boolean) as unknown[][]) {
      for (const cell of row) expect(String(cell ?? '')).not.toMatch(/e\+|Infinity|NaN/);
    }
  }
});

test('zones, industries and units coded like Object members are ordinary keys of the summary and the 专报', async () => {
  const codes = ['constructor', '__proto__', 'toString'];
  for (const [i, code] of codes.entries()) {
    await h.db.collection('zones').add({ data: { _id: code, name: `区域${i}`, kind: 'street', order: 100 + i } });
    await h.db.collection('units').add({ data: { _id: code, name: `单位${i}`, kind: 'department', order: 100 + i } });
    await h.db.collection('enterprises').add({ data: { _id: `odd-${i}`, ...registration(100 + i, { zone: code, industry: code }) } });
    await h.db.collection('needs').add({
      data: { _id: `odd-need-${i}`, type: 'policy', status: 'routed', unitCode: code, enterpriseId: `odd-${i}`, escalated: false, createdAt: '2026-03-01T00:00:00.000Z' },
    });
  }
  await h.db.collection('taskForces').doc('tf-01').update({ data: { zoneCodes: h.db.command.push(['constructor']) } });
  const s = await h.ok('ledger', 'summary', {}, ADMIN);
  for (const code of codes) {
    expect(Object.keys(s.byZone)).toContain(code);
    expect(Object.keys(s.byIndustry)).toContain(code);
    expect(Object.keys(s.openNeeds.byUnit)).toContain(code);
    expect(Object.getOwnPropertyDescriptor(s.byZone, code)!.value).toMatchObject({ enterprises: 1 });
    expect(Object.getOwnPropertyDescriptor(s.openNeeds.byUnit, code)!.value).toBe(1);
  }
  expect(s.visitCoverage['tf-01'].enterprises).toBeGreaterThanOrEqual(1);
  const report = await h.ok('ledger', 'export', { kind: 'report' }, ADMIN);
  const rb = new ExcelJS.Workbook();
  await rb.xlsx.load(readFileSync(h.rt.files.pathOf(report.fileID)) as never);
  const zones = (rb.getWorksheet('分区域')!.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r[1]);
  expect(zones).toEqual(expect.arrayContaining(['区域0', '区域1', '区域2']));
  const ledger = await h.ok('ledger', 'export', { kind: 'ledger' }, ADMIN);
  expect(ledger.enterprises).toBe(13);
});

async function addEnterprises(from: number, n: number) {
  const zones = ['jianqiao-a', 'jianqiao-b', 'jianqiao-c', 'baqiao'];
  for (let i = from; i < from + n; i++) {
    const at = '2026-03-01T00:00:00.000Z';
    await h.db.collection('enterprises').add({
      data: {
        _id: `bulk-${i}`,
        ...registration(1000 + i, {
          zone: zones[i % zones.length],
          verified: i % 3 !== 0,
          latestStatus: { employeesTotal: 50, employeesBack: i % 50, capacityPercent: 40, resumed: i % 2 === 0, at },
          lastVisitAt: i % 4 === 0 ? at : '',
        }),
      },
    });
    await h.db.collection('needs').add({
      data: { _id: `bulk-need-${i}`, type: 'hiring', status: i % 2 ? 'routed' : 'confirmed', unitCode: 'hrss', enterpriseId: `bulk-${i}`, escalated: i % 5 === 0, createdAt: at },
    });
  }
}

test('the summary costs at most 6 round trips, the session read included, and the same at 300 enterprises as at 10', async () => {
  // Budgets hold on a warm instance: the district's configuration is cached after the first call.
  await h.ok('ledger', 'summary', {}, ADMIN);
  const small = await h.counted('ledger', 'summary', {}, ADMIN);
  expect(small.db).toBeLessThanOrEqual(6);
  await addEnterprises(0, 290);
  const large = await h.counted('ledger', 'summary', {}, ADMIN);
  expect(large.db).toBe(small.db);
  // The figures are still right at that size: 290 added, every third unverified.
  const verifiedAdded = Array.from({ length: 290 }, (_, i) => i).filter((i) => i % 3 !== 0).length;
  expect(large.data.overall.enterprises).toBe(small.data.overall.enterprises + verifiedAdded);
  expect(large.data.unverified.enterprises).toBe(small.data.unverified.enterprises + 290 - verifiedAdded);
  expect(large.data.openNeeds.byUnit.hrss).toBe(145);
  expect(large.data.slaBreaches).toBe(58);
});
