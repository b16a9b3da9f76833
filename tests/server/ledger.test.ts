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
  await h.ok('need', 'fulfil', { id: loan.id, note: '已放款' }, 'demo-finance');
  await h.ok('need', 'submit', { type: 'hiring', positions: [{ title: '焊工', count: 3 }], clientKey: 'ledger-key-03' }, 'demo-enterprise');
  const qiutian = (await h.ok('enterprise', 'get', {}, 'demo-enterprise')).id;
  await h.ok('visit', 'checkIn', { enterpriseId: qiutian, clientKey: 'ledger-visit-1', location: { latitude: 29.4517, longitude: 106.4632 }, checklist: {} }, 'demo-taskforce');
}

test('summary: resumption and workforce-return rates, open needs, supplies delivered, financing, visit coverage', async () => {
  await activity();
  const s = await h.ok('ledger', 'summary', {}, ADMIN);
  expect(s.overall).toMatchObject({ enterprises: 10, reported: 2, resumed: 1, employeesTotal: 500, employeesBack: 300, resumptionRate: 0.1, workforceReturnRate: 0.6 });
  expect(s.byZone['jianqiao-c']).toMatchObject({ enterprises: 2, resumed: 1, resumptionRate: 0.5 });
  expect(s.byIndustry.medical).toMatchObject({ enterprises: 2, reported: 1, resumed: 0 });
  // The partial delivery left a remainder of 5000 masks open at the pharma chamber.
  expect(s.openNeeds).toEqual({ total: 2, byType: { supplies: 1, hiring: 1 }, byUnit: { 'chamber-pharma': 1, hrss: 1 } });
  expect(s.suppliesDelivered).toBe(15000);
  expect(s.financingGrantedWan).toBe(2000);
  expect(s.visitCoverage['tf-02']).toEqual({ enterprises: 2, visited: 1, rate: 0.5 });
  expect(s.visitCoverage['tf-05']).toEqual({ enterprises: 1, visited: 0, rate: 0 });
});

test('the ledger and the report export as Excel workbooks that read back', async () => {
  await activity();
  const ledger = await h.ok('ledger', 'export', { kind: 'ledger' }, ADMIN);
  expect(ledger.name).toMatch(/^复工台账-\d{8}-\d{4}\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(h.rt.files.pathOf(ledger.fileID)) as never);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['复工台账', '状态填报记录']);
  const rows = wb.getWorksheet('复工台账')!.getSheetValues().filter(Boolean) as unknown[][];
  expect(rows).toHaveLength(11);
  const qiutian = rows.find((r) => r[1] === '重庆秋田齿轮有限公司')!;
  expect(qiutian.slice(3, 7)).toEqual(['制造业', '建桥园区C区', 320, '是']);

  const report = await h.ok('ledger', 'export', { kind: 'report' }, ADMIN);
  const rb = new ExcelJS.Workbook();
  await rb.xlsx.load(readFileSync(h.rt.files.pathOf(report.fileID)) as never);
  expect(rb.worksheets.map((w) => w.name)).toEqual(['概况', '分区域', '分行业', '未办结需求', '走访覆盖']);
  const overview = rb.getWorksheet('概况')!.getSheetValues().filter(Boolean) as unknown[][];
  expect(overview.find((r) => r[1] === '已对接融资（万元）')![2]).toBe(2000);
});

test('only admins read the ledger; a bad kind names the field', async () => {
  expect(await h.fail('ledger', 'summary', {}, 'demo-taskforce')).toMatchObject({ code: 'FORBIDDEN' });
  expect(await h.fail('ledger', 'export', { kind: 'pdf' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'kind' });
});
