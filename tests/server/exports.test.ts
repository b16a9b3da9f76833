/**
 * Exports that do not grow with history (issue: "exports grow with
 * history"): the ledger and the 专报 are built from each enterprise's latest
 * status and the daily snapshots, so their round trips are the same after
 * one day of status reports and after ninety, and neither reads the
 * statusReports collection at all.
 */
import { readFileSync } from 'fs';
import ExcelJS from 'exceljs';
import { LocalDbRequester } from '../../server/local/transport';
import { LEDGER_DAYS } from '../../server/ledger/data';
import { addDays, chinaDayOf, chinaDayStart } from '../../server/sla/calendar';
import { startHarness, type Harness } from './harness';

const ADMIN = 'demo-admin';
const ENTERPRISES = 40;
const DAY = 86400_000;

let h: Harness;
const ids = Array.from({ length: ENTERPRISES }, (_, i) => `hist-${String(i).padStart(3, '0')}`);

async function addMany(collection: string, docs: Array<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) await h.db.collection(collection).add({ data: docs.slice(i, i + 500) });
}

/** One report per enterprise on the China day `daysAgo` before today, at noon. */
const reportsOf = (daysAgo: number) => {
  const at = new Date(chinaDayStart(addDays(chinaDayOf(h.clock.now()), -daysAgo)).getTime() + 12 * 3600_000).toISOString();
  return ids.map((enterpriseId, i) => ({
    enterpriseId,
    zone: 'jianqiao-c',
    industry: 'manufacturing',
    employeesTotal: 100,
    employeesBack: 50 + (i % 50),
    capacityPercent: 60,
    resumed: true,
    difficulties: `第 ${daysAgo} 天前的困难`,
    reportedBy: `owner-${enterpriseId}`,
    role: 'enterprise',
    at,
  }));
};

/** Round trips of each export, and the collections each one asked the database about. */
async function measure(): Promise<Record<string, { db: number; collections: string[] }>> {
  const out: Record<string, { db: number; collections: string[] }> = {};
  for (const kind of ['ledger', 'report']) {
    const seen = new Set<string>();
    const original = LocalDbRequester.prototype.send;
    const spy = jest.spyOn(LocalDbRequester.prototype, 'send').mockImplementation(function (this: LocalDbRequester, action: string, params?: Record<string, any>) {
      if (params?.collectionName) seen.add(params.collectionName);
      return original.call(this, action, params);
    });
    try {
      out[kind] = { db: (await h.counted('ledger', 'export', { kind }, ADMIN)).db, collections: [...seen].sort() };
    } finally {
      spy.mockRestore();
    }
  }
  return out;
}

beforeAll(async () => {
  h = await startHarness();
  const created = new Date(h.clock.now().getTime() - 120 * DAY).toISOString();
  await addMany(
    'enterprises',
    ids.map((_id, i) => ({
      _id,
      name: `重庆历史测试${i}号有限公司`,
      creditCode: `HIST${String(i).padStart(14, '0')}`,
      industry: 'manufacturing',
      zone: 'jianqiao-c',
      address: '建桥工业园C区',
      contactName: '张三',
      contactPhone: '13800138000',
      employees: 100,
      chamberCodes: [],
      verified: true,
      lastVisitAt: '',
      createdAt: created,
      updatedAt: created,
    })),
  );
  // Today's report, and each enterprise's latest status as reportStatus leaves it.
  const today = reportsOf(0);
  await addMany('statusReports', today);
  for (const r of today) {
    const { enterpriseId, zone: _z, industry: _i, reportedBy: _b, role: _r, ...status } = r;
    await h.db.collection('enterprises').doc(enterpriseId).update({ data: { latestStatus: h.db.command.set(status) } });
  }
});
afterAll(() => h.close());

test('the exports cost the same round trips after 1 day and after 90 days of reports, and never read the report history', async () => {
  await measure(); // warm: configuration and recipients cached, as on a running instance
  const oneDay = await measure();
  for (let daysAgo = 1; daysAgo < 90; daysAgo++) await addMany('statusReports', reportsOf(daysAgo));
  expect(((await h.db.collection('statusReports').count()) as { total: number }).total).toBeGreaterThanOrEqual(90 * ENTERPRISES);
  const ninetyDays = await measure();
  expect(ninetyDays).toEqual(oneDay);
  expect(oneDay.ledger.collections).not.toContain('statusReports');
  expect(oneDay.report.collections).not.toContain('statusReports');
  expect(oneDay.ledger.db).toBeGreaterThan(0);
});

test("the ledger lists each enterprise's latest status and the district day by day from the daily snapshots", async () => {
  const today = chinaDayOf(h.clock.now());
  const yesterday = addDays(today, -1);
  await h.db.collection('ledgerDays').doc(yesterday).set({
    data: { date: yesterday, recordedAt: h.clock.now().toISOString(), district: { enterprises: 50, reported: 40, resumed: 30, employeesTotal: 4000, employeesBack: 3000 }, zones: [] },
  });
  const file = await h.ok('ledger', 'export', { kind: 'ledger' }, ADMIN);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(h.rt.files.pathOf(file.fileID)) as never);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['复工台账', '每日复工情况']);

  const ledger = wb.getWorksheet('复工台账')!.getSheetValues().filter(Boolean) as unknown[][];
  const header = ledger[0];
  const row = ledger.find((r) => r[1] === '重庆历史测试0号有限公司')!;
  expect(row[header.indexOf('当前困难')]).toBe('第 0 天前的困难');
  expect(row[header.indexOf('是否复工')]).toBe('是');

  const days = wb.getWorksheet('每日复工情况')!.getSheetValues().filter(Boolean) as unknown[][];
  expect(days.slice(1)).toHaveLength(LEDGER_DAYS);
  expect(days.find((r) => r[1] === yesterday)!.slice(2, 6)).toEqual([50, 40, 30, '60%']);
  expect(days.find((r) => r[1] === addDays(today, -2))![2]).toBe('未记录');
  // Today is live: the demo's ten enterprises and the forty here.
  expect(days.at(-1)!.slice(1, 3)).toEqual([today, 50]);
});
