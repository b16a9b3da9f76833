/**
 * Import at district size and against hostile sheets (issue 13 item 10,
 * issue 20 item 8): the xlsx is streamed and the reading stops at the row
 * limit; what a workbook inflates to is capped; a sheet the reader cannot
 * parse is INVALID_ARGUMENT on `fileID`; a written chunk judges only its own
 * rows; overlapping imports at once report exactly what each wrote and left.
 */
import { deflateRawSync } from 'zlib';
import { creditCodeCheckChar } from '../../server/enterprises/creditCode';
import { uploadPath } from '../../server/files/paths';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ADMIN = 'demo-admin';
const code = (body: string) => body + creditCodeCheckChar(body);

// ---- a minimal xlsx, written by hand so a test can shape every byte ----

function zip(parts: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(parts)) {
    const raw = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const data = deflateRawSync(raw);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const cell = (ref: string | null, text: string | number) =>
  typeof text === 'number' ? `<c${ref ? ` r="${ref}"` : ''}><v>${text}</v></c>` : `<c${ref ? ` r="${ref}"` : ''} t="inlineStr"><is><t>${text}</t></is></c>`;
const COLUMNS = 'ABCDEFGHIJ';
const rowXml = (r: number, cells: Array<string | number>, withRefs = true) =>
  `<row r="${r}">${cells.map((c, i) => cell(withRefs ? `${COLUMNS[i]}${r}` : null, c)).join('')}</row>`;

/** An xlsx in Excel's own part order: the sheet before the shared strings. */
function xlsx(sheetData: string): Buffer {
  return zip({
    '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
    'xl/workbook.xml': `<workbook ${NS}><sheets><sheet name="企业" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData>${sheetData}</sheetData></worksheet>`,
    'xl/sharedStrings.xml': `<sst ${NS} count="0" uniqueCount="0"/>`,
  });
}

const HEADER = ['企业名称', '统一社会信用代码', '行业', '区域', '地址', '联系人', '联系电话', '员工数'];
const enterpriseCells = (i: number, name = `重庆流式${i}号有限公司`): Array<string | number> => [name, code(`91500104MA${String(i).padStart(6, '0')}T`), '制造业', '八桥镇', `八桥镇工业路 ${i} 号`, '何平', '13800000001', 10];

async function uploadSheet(bytes: Buffer): Promise<string> {
  return h.rt.files.upload(uploadPath(ADMIN, 'sheet.xlsx'), bytes);
}

async function refused(bytes: Buffer) {
  const err = await h.fail('admin', 'importEnterprises', { fileID: await uploadSheet(bytes) }, ADMIN);
  expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'fileID' });
  expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
  return err;
}

test('a streamed xlsx in Excel’s part order imports like any other', async () => {
  const sheet = xlsx(rowXml(1, HEADER) + rowXml(2, enterpriseCells(1)) + rowXml(3, enterpriseCells(2)));
  const report = await h.ok('admin', 'importEnterprises', { fileID: await uploadSheet(sheet) }, ADMIN);
  expect(report).toMatchObject({ created: 2, rejected: 0 });
  expect(report.lines.map((l: any) => l.name)).toEqual(['重庆流式1号有限公司', '重庆流式2号有限公司']);
});

test('the reading stops at the row limit: rows past it are never parsed', async () => {
  // Rows 2–5002 are 5,001 data rows; the rows after 6002 are unparseable. Read whole, the sheet
  // would fail on those cells; streamed, the reader stops at row 5002 and answers the limit.
  const rows = [rowXml(1, HEADER)];
  for (let r = 2; r <= 5002; r++) rows.push(rowXml(r, enterpriseCells(r)));
  // The reader parses a slice (64 KB) at a time: 1,000 more good rows (about 300 KB) keep the bad ones well past the slice it stops in.
  for (let r = 5003; r <= 6002; r++) rows.push(rowXml(r, enterpriseCells(r)));
  for (let r = 6003; r <= 6100; r++) rows.push(rowXml(r, ['x', 'y'], false));
  const err = await refused(xlsx(rows.join('')));
  expect(err.message).toContain('每次最多导入 5000 行');
});

test('a 120,000-row sheet is answered at once, not parsed whole', async () => {
  const rows = [rowXml(1, HEADER)];
  for (let r = 2; r <= 120_001; r++) rows.push(`<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>重庆${r}</t></is></c></row>`);
  const sheet = xlsx(rows.join(''));
  const started = Date.now();
  const err = await refused(sheet);
  const ms = Date.now() - started;
  expect(err.message).toContain('每次最多导入 5000 行');
  // Parsed whole this took many seconds; streamed, it stops after 5,001 rows.
  console.log(`120,000-row sheet answered in ${ms} ms`);
  expect(ms).toBeLessThan(4000);
});

test('what a workbook inflates to is capped: a small zip of 40 MB of XML is refused', async () => {
  const padding = Buffer.alloc(40 * 1024 * 1024, ' ');
  const bomb = zip({
    'xl/workbook.xml': `<workbook ${NS}><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': Buffer.concat([Buffer.from(`<worksheet ${NS}><sheetData>`), padding, Buffer.from('</sheetData></worksheet>')]),
  });
  expect(bomb.length).toBeLessThan(200_000);
  const err = await refused(bomb);
  expect(err.message).toMatch(/过大/);
});

test.each([
  ['cells without r=', () => xlsx(rowXml(1, HEADER, false) + rowXml(2, enterpriseCells(1), false))],
  ['rows and cells without references', () => xlsx(`<row>${cell(null, '企业名称')}</row><row>${cell(null, '重庆')}</row>`)],
  ['broken XML in the sheet', () => xlsx(`${rowXml(1, HEADER)}<row r="2"><c r="A2" t="inlineStr"><is><t>未闭合`)],
  ['not a zip at all', () => Buffer.from('企业名称,统一社会信用代码\n这不是 xlsx')],
  ['a zip without a workbook', () => zip({ 'hello.txt': 'hi' })],
  ['a truncated zip', () => xlsx(rowXml(1, HEADER)).subarray(0, 200)],
])('a sheet the reader cannot parse (%s) is INVALID_ARGUMENT on fileID, never INTERNAL', async (_what, make) => {
  await refused(make());
});

// ---- chunks -------------------------------------------------------------

const jsonRow = (i: number, over: Record<string, unknown> = {}) => ({
  企业名称: `重庆分块${i}号有限公司`,
  统一社会信用代码: code(`91500104MA${String(i).padStart(6, '0')}C`),
  行业: '制造业',
  区域: '八桥镇',
  地址: `八桥镇工业路 ${i} 号`,
  联系人: '何平',
  联系电话: '13800000001',
  员工数: 10,
  ...over,
});

test('a written chunk judges and reports only its own rows, and still sees duplicates above it', async () => {
  const rows = Array.from({ length: 1200 }, (_, i) => jsonRow(i));
  // Row 602 (index 600) repeats the code of row 12, which is valid: a duplicate.
  rows[600] = jsonRow(600, { 统一社会信用代码: rows[10].统一社会信用代码 });
  // Row 702 repeats the code of row 22, which is refused (bad phone): not a duplicate of a row that was imported.
  rows[20] = jsonRow(20, { 联系电话: '12' });
  rows[700] = jsonRow(700, { 统一社会信用代码: rows[20].统一社会信用代码 });
  const chunk = await h.ok('admin', 'importEnterprises', { rows, dryRun: false, offset: 500 }, ADMIN);
  expect(chunk.lines).toHaveLength(500);
  expect(chunk.lines[0].row).toBe(502);
  expect(chunk.lines[499].row).toBe(1001);
  expect(chunk.lines.find((l: any) => l.row === 602)).toMatchObject({ action: 'reject', field: 'creditCode' });
  expect(chunk.lines.find((l: any) => l.row === 702)).toMatchObject({ action: 'create' });
  expect(chunk).toMatchObject({ created: 499, rejected: 1, written: { from: 500, to: 1000, of: 1200 }, nextOffset: 1000 });
  // Nothing outside the chunk was written.
  const names = (await h.db.collection('enterprises').where({ zone: 'baqiao' }).limit(1000).get()).data.map((e: any) => e.name);
  expect(names).not.toContain('重庆分块12号有限公司');
  expect(names).toContain('重庆分块700号有限公司');
});

test('two overlapping imports at once: each reports exactly what it wrote and what it left', async () => {
  // Sheet A: enterprises 0–699; sheet B: 400–1099 under other names, so a stored row shows whose it is.
  const a = Array.from({ length: 700 }, (_, i) => jsonRow(i, { 企业名称: `甲表${i}号有限公司` }));
  const b = Array.from({ length: 700 }, (_, i) => jsonRow(i + 400, { 企业名称: `乙表${i + 400}号有限公司` }));
  const runAll = async (rows: any[]) => {
    const lines: any[] = [];
    for (let at: number | undefined = 0; at !== undefined; ) {
      const r: any = await h.ok('admin', 'importEnterprises', { rows, dryRun: false, offset: at }, ADMIN);
      lines.push(...r.lines);
      at = r.nextOffset;
    }
    return lines;
  };
  const [la, lb] = await Promise.all([runAll(a), runAll(b)]);
  const stored = new Map<string, string>();
  const codes = [...new Set([...la, ...lb].map((l) => l.creditCode))];
  for (let i = 0; i < codes.length; i += 500) {
    const page = (await h.db.collection('enterprises').where({ creditCode: h.db.command.in(codes.slice(i, i + 500)) }).limit(1000).get()).data;
    for (const e of page) stored.set(e.creditCode, e.name);
  }
  for (const [lines, prefix] of [[la, '甲表'], [lb, '乙表']] as const) {
    for (const line of lines) {
      const name = stored.get(line.creditCode);
      // A row reported created or updated is stored as this sheet has it; a row left says why.
      if (line.action === 'create' || (line.action === 'update' && line.changes?.length)) expect([line.row, name?.slice(0, 2)]).toEqual([line.row, prefix]);
      if (line.action === 'left') expect(line.reason).toMatch(/[\u4e00-\u9fa5]/);
      expect(line.action).not.toBe('reject');
    }
  }
  // Every enterprise of either sheet is stored once, and was created by exactly one of them.
  expect(stored.size).toBeGreaterThanOrEqual(1100);
  const createdBy = (code: string) => [la, lb].filter((lines) => lines.some((l: any) => l.creditCode === code && l.action === 'create')).length;
  for (const line of [...la, ...lb]) expect(createdBy(line.creditCode)).toBe(1);
});

test('a csv past the row limit is refused before it is parsed; blank lines between rows do not cut it short', async () => {
  const line = (i: number) => enterpriseCells(i).join(',');
  const long = [HEADER.join(','), ...Array.from({ length: 120_000 }, (_, i) => line(i))].join('\n');
  const err = await h.fail('admin', 'importEnterprises', { fileID: await h.rt.files.upload(uploadPath(ADMIN, 'long.csv'), Buffer.from(long)) }, ADMIN);
  expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'fileID', message: expect.stringContaining('每次最多导入 5000 行') });
  // A quoted cell may hold line breaks: they are not lines of the sheet.
  const spaced = [HEADER.join(','), line(1), '', '', `"重庆多行\n地址公司",${enterpriseCells(2).slice(1).join(',')}`].join('\n');
  const report = await h.ok('admin', 'importEnterprises', { fileID: await h.rt.files.upload(uploadPath(ADMIN, 'spaced.csv'), Buffer.from(spaced)) }, ADMIN);
  expect(report.lines.map((l: any) => [l.name, l.action, l.field ?? null])).toEqual([
    ['重庆流式1号有限公司', 'create', null],
    // Read as one cell, and refused by the text rule: a name is one line.
    ['重庆多行\n地址公司', 'reject', 'name'],
  ]);
});

test('a sheet of a million empty rows is refused once it has read twice the row limit', async () => {
  const empty: string[] = [rowXml(1, HEADER)];
  for (let r = 2; r <= 200_000; r++) empty.push(`<row r="${r}"/>`);
  const err = await refused(xlsx(empty.join('')));
  expect(err.message).toContain('每次最多导入 5000 行');
});
