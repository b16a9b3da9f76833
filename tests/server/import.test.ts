/** Bulk import from the federation's spreadsheet: dry run first, credit codes as the key, xlsx and csv. */
import ExcelJS from 'exceljs';
import { creditCodeCheckChar } from '../../server/enterprises/creditCode';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ADMIN = 'demo-admin';
const code = (body: string) => body + creditCodeCheckChar(body);
const NEW_CODE = code('91500104MA61IMPA1'.replace('I', 'J'));

const sheetRows = () => [
  { 企业名称: '重庆新港物流有限公司', 统一社会信用代码: NEW_CODE, 行业: '物流运输', 区域: '八桥镇', 地址: '八桥镇工业路 1 号', 联系人: '何平', 联系电话: '13800000001', 员工数: 88, 所属商会: '区浙江商会' },
  // Already registered (seeded): an update of its headcount.
  { 企业名称: '重庆秋田齿轮有限公司', 统一社会信用代码: code('91500104MA5U7QTC1'), 行业: '制造业', 区域: '建桥园区C区', 地址: '大渡口区建桥工业园C区', 联系人: '李建国', 联系电话: '13908310001', 员工数: 350, 所属商会: '' },
  { 企业名称: '坏代码公司', 统一社会信用代码: '91500104MA61XXXX00', 行业: '制造业', 区域: '八桥镇', 地址: '某地', 联系人: '某人', 联系电话: '13800000002', 员工数: 5 },
  { 企业名称: '不存在区域公司', 统一社会信用代码: code('91500104MA61QQQQ2'), 行业: '制造业', 区域: '火星', 地址: '某地', 联系人: '某人', 联系电话: '13800000003', 员工数: 5 },
  { 企业名称: '重复一行', 统一社会信用代码: NEW_CODE, 行业: '物流运输', 区域: '八桥镇', 地址: '某地', 联系人: '某人', 联系电话: '13800000004', 员工数: 5 },
];

test('a dry run says what would be created, updated or rejected, with the sheet row and why, and writes nothing', async () => {
  const before = (await h.db.collection('enterprises').count()).total;
  const report = await h.ok('admin', 'importEnterprises', { rows: sheetRows() }, ADMIN);
  expect(report).toMatchObject({ dryRun: true, created: 1, updated: 1, rejected: 3 });
  expect(report.lines.map((l: any) => [l.row, l.action, l.field ?? null])).toEqual([
    [2, 'create', null],
    [3, 'update', null],
    [4, 'reject', 'creditCode'],
    [5, 'reject', 'zone'],
    [6, 'reject', 'creditCode'],
  ]);
  expect(report.lines[1].changes).toEqual(['employees']);
  expect(report.lines[2].reason).toMatch(/校验位|字符/);
  expect((await h.db.collection('enterprises').count()).total).toBe(before);
});

test('applying creates and updates; importing the same sheet again duplicates nothing', async () => {
  const before = (await h.db.collection('enterprises').count()).total;
  await h.ok('admin', 'importEnterprises', { rows: sheetRows(), dryRun: false }, ADMIN);
  expect((await h.db.collection('enterprises').count()).total).toBe(before + 1);
  const again = await h.ok('admin', 'importEnterprises', { rows: sheetRows(), dryRun: false }, ADMIN);
  expect(again.lines[0]).toMatchObject({ action: 'update', changes: [] });
  expect((await h.db.collection('enterprises').count()).total).toBe(before + 1);
  const created = (await h.db.collection('enterprises').where({ creditCode: NEW_CODE }).get()).data[0];
  expect(created).toMatchObject({ industry: 'logistics', zone: 'baqiao', chamberCodes: ['chamber-zhejiang'], location: null, verified: false });
  expect((await h.ok('enterprise', 'get', {}, 'demo-enterprise')).employees).toBe(350);
});

test('the task force sets the position of an imported enterprise on its first visit', async () => {
  await h.ok('admin', 'importEnterprises', { rows: [sheetRows()[0]], dryRun: false }, ADMIN);
  const id = (await h.db.collection('enterprises').where({ creditCode: NEW_CODE }).get()).data[0]._id;
  const { code: invite } = await h.ok('admin', 'createInvite', { role: 'taskforce', taskForceId: 'tf-09' }, ADMIN); // 八桥镇
  await h.ok('user', 'redeemInvite', { code: invite }, 'tf-baqiao');
  const visit = await h.ok('visit', 'checkIn', { enterpriseId: id, clientKey: 'first-visit-01', location: { latitude: 29.44, longitude: 106.45 }, checklist: {} }, 'tf-baqiao');
  expect(visit).toMatchObject({ distanceMeters: null, offSite: false });
  expect((await h.db.collection('enterprises').doc(id).get()).data.location).toEqual({ latitude: 29.44, longitude: 106.45 });
});

test('the federation’s xlsx and csv files import the same way', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('企业名单');
  const headers = Object.keys(sheetRows()[0]);
  ws.addRow(headers);
  ws.addRow(headers.map((k) => (sheetRows()[0] as Record<string, unknown>)[k]));
  const xlsx = await h.rt.files.upload('imports/list.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
  const fromXlsx = await h.ok('admin', 'importEnterprises', { fileID: xlsx }, ADMIN);
  expect(fromXlsx).toMatchObject({ created: 1, rejected: 0 });

  const csv = [headers.join(','), headers.map((k) => (sheetRows()[0] as Record<string, unknown>)[k]).join(',')].join('\n');
  const csvID = await h.rt.files.upload('imports/list.csv', Buffer.from(csv, 'utf8'));
  const fromCsv = await h.ok('admin', 'importEnterprises', { fileID: csvID }, ADMIN);
  expect(fromCsv.lines[0]).toMatchObject({ action: 'create', name: '重庆新港物流有限公司' });
});

test('bad requests: neither or both sources, a missing file, a non-admin', async () => {
  expect(await h.fail('admin', 'importEnterprises', {}, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'rows' });
  expect(await h.fail('admin', 'importEnterprises', { fileID: 'cloud://local/imports/none.xlsx' }, ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
  expect(await h.fail('admin', 'importEnterprises', { rows: [] }, 'demo-taskforce')).toMatchObject({ code: 'FORBIDDEN' });
});

describe('hostile rows', () => {
  const row = (overrides: Record<string, unknown> = {}) => ({ ...sheetRows()[0], ...overrides });

  test('a cell nested 10,000 deep answers INVALID_ARGUMENT naming the row, not a stack overflow', async () => {
    let deepArray: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deepArray = [deepArray];
    let deepRichText: unknown = '重庆';
    for (let i = 0; i < 10_000; i++) deepRichText = { richText: [{ text: deepRichText }] };
    for (const cell of [deepArray, deepRichText]) {
      const err = await h.fail('admin', 'importEnterprises', { rows: [row(), row({ 企业名称: cell })] }, ADMIN);
      expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'rows.1' });
      expect(err.message).toMatch(/第 3 行/);
    }
  });

  test('rows get the same bounds as registration, with Chinese reasons', async () => {
    const report = await h.ok('admin', 'importEnterprises', { rows: [row({ 员工数: 1e308 }), row({ 员工数: '1000001' }), row({ 企业名称: '重庆\u0000公司' })] }, ADMIN);
    expect(report.lines.map((l: any) => [l.action, l.field])).toEqual([
      ['reject', 'employees'],
      ['reject', 'employees'],
      ['reject', 'name'],
    ]);
    for (const l of report.lines) expect(l.reason).toMatch(/^[\u4e00-\u9fa5]/);
  });

  test('columns named like Object members are ignored, not merged into the enterprise', async () => {
    const hostile = JSON.parse(`{"__proto__": {"verified": true}, "constructor": "x", "toString": "y"}`);
    const report = await h.ok('admin', 'importEnterprises', { rows: [{ ...row(), ...hostile }], dryRun: false }, ADMIN);
    expect(report.lines[0]).toMatchObject({ action: 'create' });
    const created = (await h.db.collection('enterprises').where({ creditCode: NEW_CODE }).get()).data[0];
    expect(created.verified).toBe(false);
    expect(Object.keys(created)).not.toEqual(expect.arrayContaining(['constructor', 'toString']));
  });

  test('an xlsx cell of rich text or a formula imports as its text or result', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('企业名单');
    const headers = Object.keys(sheetRows()[0]);
    ws.addRow(headers);
    const values = headers.map((k) => (sheetRows()[0] as Record<string, unknown>)[k]);
    ws.addRow(values);
    ws.getCell(2, 1).value = { richText: [{ text: '重庆新港' }, { text: '物流有限公司', font: { bold: true } }] };
    ws.getCell(2, 8).value = { formula: '80+8', result: 88 } as never;
    const file = await h.rt.files.upload('imports/rich.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const report = await h.ok('admin', 'importEnterprises', { fileID: file, dryRun: false }, ADMIN);
    expect(report.lines[0]).toMatchObject({ action: 'create', name: '重庆新港物流有限公司' });
    const created = (await h.db.collection('enterprises').where({ creditCode: NEW_CODE }).get()).data[0];
    expect(created).toMatchObject({ name: '重庆新港物流有限公司', employees: 88 });
  });

  test('renaming a verified enterprise by import clears its verified mark', async () => {
    const qiutian = sheetRows()[1];
    await h.ok('admin', 'importEnterprises', { rows: [{ ...qiutian, 企业名称: '重庆秋田齿轮股份有限公司' }], dryRun: false }, ADMIN);
    const e = await h.ok('enterprise', 'get', {}, 'demo-enterprise');
    expect(e).toMatchObject({ name: '重庆秋田齿轮股份有限公司', verified: false });
  });
});

test('a district-sized sheet is written in chunks that resume where the last call stopped, in bounded round trips', async () => {
  const rows = Array.from({ length: 1200 }, (_, i) => ({
    企业名称: `重庆批量导入${i}号有限公司`,
    统一社会信用代码: code(`91500104MA${String(i).padStart(6, '0')}K`),
    行业: '制造业',
    区域: '八桥镇',
    地址: `八桥镇工业路 ${i} 号`,
    联系人: '何平',
    联系电话: '13800000001',
    员工数: 10 + (i % 50),
  }));
  const before = (await h.db.collection('enterprises').count()).total;
  await h.ok('enterprise', 'options', {}, ADMIN); // a warm instance: configuration cached
  const calls: Array<{ db: number; nextOffset?: number }> = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const { data, db }: { data: any; db: number } = await h.counted('admin', 'importEnterprises', { rows, dryRun: false, offset }, ADMIN);
    calls.push({ db, nextOffset: data.nextOffset });
    offset = data.nextOffset;
  }
  expect(calls.map((c) => c.nextOffset)).toEqual([500, 1000, undefined]);
  // Per chunk of 500 new enterprises: the session, the existing codes (a page per 1000) and their
  // enterprises, and two batch inserts — never a request per row.
  expect(Math.max(...calls.map((c) => c.db))).toBeLessThanOrEqual(10);
  expect((await h.db.collection('enterprises').count()).total).toBe(before + 1200);
  // The same sheet again writes nothing new: every row is now an unchanged update (each chunk answers for its own rows).
  let updated = 0;
  for (let at: number | undefined = 0; at !== undefined; ) {
    const again: any = await h.ok('admin', 'importEnterprises', { rows, dryRun: false, offset: at }, ADMIN);
    expect(again).toMatchObject({ created: 0, rejected: 0, left: 0 });
    updated += again.updated;
    at = again.nextOffset;
  }
  expect(updated).toBe(1200);
  expect((await h.db.collection('enterprises').count()).total).toBe(before + 1200);
});

test('a chunk that stopped half way is finished by calling it again', async () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({
    企业名称: `重庆续传${i}号有限公司`,
    统一社会信用代码: code(`91500104MA${String(i).padStart(6, '0')}R`),
    行业: '制造业', 区域: '八桥镇', 地址: '某地', 联系人: '某人', 联系电话: '13800000001', 员工数: 5,
  }));
  // The first attempt's enterprise insert fails after the credit-code locks were written.
  const store = h.rt.store as any;
  const insert = store.insert.bind(store);
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const spy = jest.spyOn(store, 'insert').mockImplementation((...args: any[]) => {
    if (args[0] === 'enterprises') throw new Error('timeout');
    return insert(...args);
  });
  expect((await h.fail('admin', 'importEnterprises', { rows, dryRun: false }, ADMIN)).code).toBe('INTERNAL');
  spy.mockRestore();
  quiet.mockRestore();
  await h.ok('admin', 'importEnterprises', { rows, dryRun: false }, ADMIN);
  const items = (await h.db.collection('enterprises').where({ zone: 'baqiao' }).limit(200).get()).data;
  expect(items.filter((e: any) => e.name.startsWith('重庆续传'))).toHaveLength(30);
});
