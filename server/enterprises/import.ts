/**
 * Bulk import from the spreadsheet the federation already keeps (spec):
 * xlsx or csv, or rows sent as JSON. A dry run lists what would be created,
 * updated or rejected and why; credit codes are the key, so importing the
 * same sheet again updates rather than duplicates.
 */
import { loadExcel, UnreadableSheet, xlsxRows, type SheetRow } from '../core/excel';
import { Readable } from 'stream';
import { z } from 'zod';
import type { EnterpriseOptions, ImportLine } from '../../typings/api';
import { INDUSTRY_LABELS } from '../../typings/labels';
import { defineAction } from '../core/actions';
import { invalid } from '../core/errors';
import { sha256 } from '../core/ids';
import type { Context } from '../core/ports';
import { docsOf, isDuplicateWrite } from '../core/tx';
import { issueMessage, nestsDeeperThan } from '../core/validation';
import { enterpriseOptions } from './actions';
import { enterpriseInput } from './schema';
import { normaliseCreditCode } from './creditCode';
import type { EnterpriseDoc } from './store';

/** The sheet's Chinese headers → fields (a Map: a header is data, and may read `constructor`). */
const HEADERS = new Map<string, string>([
  ['企业名称', 'name'],
  ['统一社会信用代码', 'creditCode'],
  ['行业', 'industry'],
  ['区域', 'zone'],
  ['所在区域', 'zone'],
  ['地址', 'address'],
  ['联系人', 'contactName'],
  ['联系电话', 'contactPhone'],
  ['员工数', 'employees'],
  ['员工人数', 'employees'],
  ['所属商会', 'chamberCodes'],
  ['纬度', 'latitude'],
  ['经度', 'longitude'],
]);

/** The fields a row may carry; any other column is ignored rather than stored. */
const FIELDS = new Set(['name', 'creditCode', 'industry', 'zone', 'address', 'contactName', 'contactPhone', 'employees', 'chamberCodes', 'latitude', 'longitude', 'location']);

const MAX_ROWS = 5000;

/**
 * A JSON row is at most: row → cell → a list of chamber codes or a location
 * → its values. Anything deeper is not a spreadsheet, and is refused before
 * any recursive code (String(), JSON) can overflow the stack on it.
 */
const MAX_ROW_DEPTH = 3;

type RawRow = Record<string, unknown>;

/** A row keyed by column names, which are data: no prototype for `__proto__` or `constructor` to reach. */
const emptyRow = (): RawRow => Object.create(null) as RawRow;


function normaliseKeys(raw: RawRow): RawRow {
  const out = emptyRow();
  for (const [k, v] of Object.entries(raw)) {
    const field = HEADERS.get(k.trim()) ?? k.trim();
    if (FIELDS.has(field)) out[field] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

/**
 * What an exceljs cell holds, as the plain value a row field takes: rich
 * text joined, a hyperlink's text, a formula's result. Only these shapes, one
 * level deep: anything else answers undefined, and the caller refuses the row.
 */
function cellValue(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== 'object') return v;
  if (v instanceof Date) return v.toISOString();
  const cell = v as { text?: unknown; richText?: unknown; result?: unknown; formula?: unknown; error?: unknown };
  if (Array.isArray(cell.richText)) {
    const runs = cell.richText.map((r) => (r && typeof r === 'object' ? (r as { text?: unknown }).text : undefined));
    return runs.every((t) => typeof t === 'string') ? runs.join('') : undefined;
  }
  if ('formula' in cell || 'sharedFormula' in cell) return cell.result === undefined || typeof cell.result !== 'object' ? cell.result : undefined;
  if (typeof cell.text === 'string') return cell.text;
  if ('error' in cell) return '';
  return undefined;
}

/** Codes or Chinese names, as the sheet has them, to the codes the data uses. */
function resolve(raw: RawRow, options: EnterpriseOptions): RawRow {
  const byName = (list: { code: string; name: string }[], value: unknown) =>
    list.find((o) => o.code === value || o.name === value)?.code ?? value;
  const industryByLabel = Object.entries(INDUSTRY_LABELS).find(([, label]) => label === raw.industry)?.[0];
  const chambers = Array.isArray(raw.chamberCodes)
    ? raw.chamberCodes
    : String(raw.chamberCodes ?? '')
        .split(/[、,，;；\s]+/)
        .filter(Boolean);
  const num = (v: unknown) => (v === '' || v === undefined || v === null ? undefined : Number(v));
  const lat = num(raw.latitude);
  const lng = num(raw.longitude);
  return {
    ...raw,
    industry: industryByLabel ?? raw.industry,
    zone: byName(options.zones, raw.zone),
    chamberCodes: chambers.map((c) => byName(options.chambers, c)),
    employees: num(raw.employees),
    contactPhone: raw.contactPhone === undefined ? undefined : String(raw.contactPhone),
    creditCode: raw.creditCode === undefined ? undefined : String(raw.creditCode),
    // The federation's sheet rarely has coordinates; a task force fixes them on its first visit.
    location: lat !== undefined && lng !== undefined ? { latitude: lat, longitude: lng } : (raw.location ?? null),
  };
}

const importRow = enterpriseInput.extend({
  location: enterpriseInput.shape.location.nullable(),
});

/** The header row and data rows of a sheet, as cells by column; past MAX_ROWS data rows the reading stops. */
async function rowsFromFile(ctx: Context, fileID: string): Promise<RawRow[]> {
  const bytes = await ctx.files.download(fileID);
  try {
    return /\.csv$/i.test(fileID) ? await csvRows(bytes) : await collectRows(xlsxRows(bytes));
  } catch (err) {
    if (err instanceof UnreadableSheet) throw invalid(err.message, 'fileID');
    throw err;
  }
}

/**
 * The most lines (blank ones included) a sheet may have: twice the row
 * limit, so that blank rows between the data never cut a sheet short, while
 * a sheet of a hundred thousand rows is refused before it is parsed.
 */
const MAX_LINES = 2 * MAX_ROWS + 1;

/** Whether a csv has more than `max` lines, counting only line breaks outside quoted cells; no parsing. */
function csvLongerThan(bytes: Buffer, max: number): boolean {
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) quoted = !quoted;
    else if (b === 0x0a && !quoted && ++lines > max) return true;
  }
  return false;
}

/** A csv is not compressed and its size is the upload's (5 MB at most): counted first, then read whole. */
async function csvRows(bytes: Buffer): Promise<RawRow[]> {
  if (csvLongerThan(bytes, MAX_LINES)) throw invalid(`每次最多导入 ${MAX_ROWS} 行`, 'fileID');
  const wb = new (await loadExcel()).Workbook();
  let ws: import('exceljs').Worksheet;
  try {
    ws = await wb.csv.read(Readable.from([bytes]));
  } catch {
    throw new UnreadableSheet('表格内容无法识别，请确认是逗号分隔的 .csv 文件');
  }
  async function* rows() {
    const out: SheetRow[] = [];
    ws.eachRow((row, number) => void out.push({ number, values: row.values as unknown[] }));
    yield* out;
  }
  return collectRows(rows());
}

/** Rows keyed by the header row's names; refuses a sheet past MAX_ROWS data rows as soon as it reads one row too many. */
async function collectRows(source: AsyncIterable<SheetRow>): Promise<RawRow[]> {
  let header: string[] | undefined;
  const rows: RawRow[] = [];
  let read = 0;
  for await (const { number, values } of source) {
    // Empty rows count too: a million of them would otherwise be read to the end.
    if (++read > MAX_LINES) throw invalid(`每次最多导入 ${MAX_ROWS} 行`, 'fileID');
    if (!header) {
      // Row 1 names the columns; a sheet whose first row is further down has no header.
      header = number === 1 ? values.map((v) => {
        const h = cellValue(v);
        return typeof h === 'string' || typeof h === 'number' ? String(h).trim() : '';
      }) : [];
      if (number === 1) continue;
    }
    if (!values.some((v) => v !== undefined && v !== null && v !== '')) continue;
    if (rows.length >= MAX_ROWS) throw invalid(`每次最多导入 ${MAX_ROWS} 行`, 'fileID');
    const raw = emptyRow();
    header.forEach((h, i) => {
      if (!h) return;
      const v = cellValue(values[i]);
      if (v === undefined && values[i] !== undefined) throw invalid(`第 ${number} 行「${h}」列的内容无法识别，请改为文字或数字`, 'fileID');
      raw[h] = v;
    });
    rows.push(raw);
  }
  if (!header) throw invalid('表格是空的', 'fileID');
  return rows;
}

const CHANGEABLE = ['name', 'industry', 'zone', 'address', 'contactName', 'contactPhone', 'employees', 'chamberCodes'] as const;

export const importEnterprises = defineAction({
  roles: ['admin'],
  input: z
    .object({
      rows: z.array(z.record(z.unknown())).max(MAX_ROWS, `每次最多导入 ${MAX_ROWS} 行`).optional(),
      fileID: z.string().min(1).optional(),
      dryRun: z.boolean().default(true),
      /** Where this call starts writing: the `nextOffset` of the call before (a whole sheet is written in chunks). */
      offset: z.number().int().min(0).max(MAX_ROWS).default(0),
    })
    .refine((i) => !!i.rows !== !!i.fileID, { message: '请提供表格文件或行数据（二选一）', path: ['rows'] }),
  async run(ctx, input) {
    if (input.rows) {
      const deep = input.rows.findIndex((r) => nestsDeeperThan(r, MAX_ROW_DEPTH));
      if (deep >= 0) throw invalid(`第 ${deep + 2} 行的单元格内容嵌套过深，不是表格里的值`, `rows.${deep}`);
    }
    const raw = input.rows ?? (await rowsFromFile(ctx, input.fileID!));
    if (raw.length > MAX_ROWS) throw invalid(`每次最多导入 ${MAX_ROWS} 行`, 'rows');
    const options = await enterpriseOptions(ctx);
    // A dry run judges the whole sheet (it is the preview); a written call only its chunk of rows.
    const from = input.dryRun ? 0 : Math.min(input.offset, raw.length);
    const to = input.dryRun ? raw.length : Math.min(from + IMPORT_CHUNK, raw.length);
    const { lines, valid } = judge(raw, from, to, options);
    const existingByCode = await enterprisesByCode(ctx, valid.map((v) => v.data.creditCode));
    const work: Work[] = [];
    for (const { line, data } of valid) {
      const existing = existingByCode.get(data.creditCode) ?? null;
      if (existing) {
        line.action = 'update';
        line.changes = CHANGEABLE.filter((k) => JSON.stringify(existing[k]) !== JSON.stringify(data[k]));
      }
      work.push({ line, data, existing });
    }
    if (!input.dryRun) await apply(ctx, work, importRunOf(ctx, input));
    const count = (a: ImportLine['action']) => lines.filter((l) => l.action === a).length;
    const summary = { dryRun: input.dryRun, created: count('create'), updated: count('update'), rejected: count('reject'), left: count('left'), lines };
    if (input.dryRun) return summary;
    // A written call answers for its own rows, as written: the page adds the chunks' reports up.
    return { ...summary, written: { from, to, of: raw.length }, ...(to < raw.length ? { nextOffset: to } : {}) };
  },
});

type Work = { line: ImportLine; data: ImportRow; existing: EnterpriseDoc | null };

/** The credit code a row names, normalised as the schema does; '' when it has none. */
const codeOf = (r: RawRow) => {
  const c = normaliseKeys(r).creditCode;
  return typeof c === 'string' || typeof c === 'number' ? normaliseCreditCode(String(c)) : '';
};

/**
 * Judges rows [from, to): each against the registration rules, the
 * district's zones and chambers, and the rows above it (a credit code a
 * valid row above already took is a duplicate). Rows above the range are
 * judged only when they carry one of the range's codes, so a chunk costs its
 * own rows, not the sheet's.
 */
function judge(raw: RawRow[], from: number, to: number, options: EnterpriseOptions) {
  const inRange = new Set(raw.slice(from, to).map(codeOf).filter(Boolean));
  const seen = new Set<string>();
  for (let i = 0; i < from; i++) {
    if (!inRange.has(codeOf(raw[i]))) continue;
    const earlier = judgeRow(raw[i], i, options, seen);
    if (earlier.data) seen.add(earlier.data.creditCode);
  }
  const lines: ImportLine[] = [];
  const valid: Array<{ line: ImportLine; data: ImportRow }> = [];
  for (let i = from; i < to; i++) {
    const { line, data } = judgeRow(raw[i], i, options, seen);
    lines.push(line);
    if (!data) continue;
    seen.add(data.creditCode);
    valid.push({ line, data });
  }
  return { lines, valid };
}

function judgeRow(r: RawRow, i: number, options: EnterpriseOptions, seen: Set<string>): { line: ImportLine; data?: ImportRow } {
  const row = i + 2; // the sheet's own row number: row 1 is the header
  const candidate = resolve(normaliseKeys(r), options);
  const base = { row, name: shown(candidate.name), creditCode: shown(candidate.creditCode) };
  const parsed = importRow.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { line: { ...base, action: 'reject', reason: issueMessage(issue), field: issue.path.join('.') } };
  }
  const data = parsed.data;
  if (!options.zones.some((z) => z.code === data.zone)) return { line: { ...base, action: 'reject', reason: `区域「${data.zone}」不存在`, field: 'zone' } };
  const unknownChamber = data.chamberCodes.find((c) => !options.chambers.some((k) => k.code === c));
  if (unknownChamber) return { line: { ...base, action: 'reject', reason: `商会「${unknownChamber}」不存在`, field: 'chamberCodes' } };
  if (seen.has(data.creditCode)) {
    return { line: { ...base, creditCode: data.creditCode, action: 'reject', reason: '与表中前面一行的统一社会信用代码重复', field: 'creditCode' } };
  }
  return { line: { ...base, creditCode: data.creditCode, action: 'create' }, data };
}

/**
 * Which import wrote a document: the admin and the sheet (its file, or its
 * rows). A retried chunk of the same import finds its own documents and
 * reports them as created; another import's are not this one's to claim.
 */
function importRunOf(ctx: Context, input: { fileID?: string; rows?: unknown[] }): string {
  return sha256(`${ctx.openid}\n${input.fileID ?? JSON.stringify(input.rows)}`).slice(0, 24);
}

type ImportRow = z.infer<typeof importRow>;

/** A cell as the report shows it: text and numbers as they are, anything else not at all. */
const shown = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** The enterprises already holding these credit codes, read a platform page (1000) at a time rather than row by row. */
async function enterprisesByCode(ctx: Context, codes: string[]): Promise<Map<string, EnterpriseDoc>> {
  const _ = ctx.db.command;
  const out = new Map<string, EnterpriseDoc>();
  for (let i = 0; i < codes.length; i += 1000) {
    const chunk = codes.slice(i, i + 1000);
    const locks = await docsOf<{ _id: string; enterpriseId: string }>(ctx.db.collection('creditCodes').where({ _id: _.in(chunk) }).limit(1000));
    if (!locks.length) continue;
    const found = await docsOf<EnterpriseDoc>(ctx.db.collection('enterprises').where({ _id: _.in(locks.map((l) => l.enterpriseId)) }).limit(1000));
    const byId = new Map(found.map((e) => [e._id, e]));
    for (const lock of locks) {
      const e = byId.get(lock.enterpriseId);
      if (e) out.set(lock._id, e);
    }
  }
  return out;
}

/** Rows written per call: an import of a whole district's sheet fits the function's timeout in chunks. */
export const IMPORT_CHUNK = 500;

/** An imported enterprise's id comes from its credit code, so a retried chunk finds what it wrote. */
const importedId = (creditCode: string) => sha256(`import\n${creditCode}`).slice(0, 32);

/** Why a row that was to be created was left as it was: someone else got there between the judging and the write. */
const LEFT_REGISTERED = '这家企业刚刚自行注册了，本行未写入；再次导入将按更新处理';
const LEFT_CONCURRENT = '另一次导入同时写入了这家企业，本行未写入；请再次导入核对';

/**
 * Writes one chunk. New enterprises: the credit-code locks first, in one
 * request (a code registered meanwhile keeps its owner), then the
 * enterprises in one request. Updates: one request each. Every write is
 * idempotent, so a chunk that stopped half way is finished by calling it
 * again; nothing needs a transaction.
 *
 * The report says what happened, not what was planned: a row another
 * import or a registration wrote first (two admins importing overlapping
 * sheets at once) is `left`, with why, never `create`.
 */
async function apply(ctx: Context, work: Work[], run: string) {
  const now = ctx.clock.now().toISOString();
  const _ = ctx.db.command;
  const fresh = work.filter((w) => w.line.action === 'create');
  if (fresh.length) {
    const locks = fresh.map(({ data }) => ({ _id: data.creditCode, enterpriseId: importedId(data.creditCode), createdAt: now }));
    const owned = await insertIdempotent(ctx, 'creditCodes', locks);
    const ours = fresh.filter(({ data, line }) => {
      if (owned.get(data.creditCode)?.enterpriseId === importedId(data.creditCode)) return true;
      leave(line, LEFT_REGISTERED);
      return false;
    });
    const docs = ours.map(({ data }) => ({ _id: importedId(data.creditCode), ...data, verified: false, lastVisitAt: '', ownerOpenid: null, importedBy: ctx.openid, importRun: run, createdAt: now, updatedAt: now }));
    const stored = await insertIdempotent(ctx, 'enterprises', docs);
    for (const { data, line } of ours) {
      const doc = stored.get(importedId(data.creditCode));
      if (!doc || (!doc.insertedNow && doc.importRun !== run)) leave(line, LEFT_CONCURRENT);
    }
  }
  for (const { line, data, existing } of work) {
    if (line.action !== 'update' || !line.changes?.length || !existing) continue;
    const { creditCode: _code, location, ...fields } = data;
    // The verified mark vouches for a name: a renamed enterprise is verified again (as in enterprise.update).
    const renamed = line.changes.includes('name');
    const unverify = renamed ? { verified: false, verifiedBy: _.remove(), verifiedByName: _.remove(), verifiedAt: _.remove() } : {};
    await ctx.db.collection('enterprises').doc(existing._id).update({ data: { ...fields, ...(location ? { location: _.set(location) } : {}), ...unverify, updatedAt: now } });
    if (existing.verified && renamed) {
      await ctx.db.collection('needs').where({ enterpriseId: existing._id, enterpriseVerified: true }).update({ data: { enterpriseVerified: false } });
    }
  }
}

function leave(line: ImportLine, reason: string): void {
  line.action = 'left';
  line.reason = reason;
  line.field = 'creditCode';
}

/**
 * Inserts documents whose ids say what they are; those already there (a
 * retried chunk, a racing registration or import) are kept as they are.
 * Answers each id's document as stored, marked `insertedNow` when this call
 * wrote it.
 */
type Stored = { _id: string; enterpriseId?: string; importRun?: string; insertedNow?: true };

async function insertIdempotent(ctx: Context, collection: string, docs: Array<Record<string, unknown> & { _id: string }>): Promise<Map<string, Stored>> {
  const out = new Map<string, Stored>();
  if (!docs.length) return out;
  try {
    await ctx.db.collection(collection).add({ data: docs });
    for (const d of docs) out.set(d._id, { ...(d as Stored), insertedNow: true });
    return out;
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
  }
  // One of them was there already; a batch is all or nothing, so find which and add the rest one by one.
  const _ = ctx.db.command;
  const existing = await docsOf<Stored>(
    ctx.db.collection(collection).where({ _id: _.in(docs.map((d) => d._id)) }).field({ _id: true, enterpriseId: true, importRun: true }).limit(1000),
  );
  for (const d of existing) out.set(d._id, d);
  for (const doc of docs) {
    if (out.has(doc._id)) continue;
    try {
      await ctx.db.collection(collection).add({ data: doc });
      out.set(doc._id, { ...(doc as Stored), insertedNow: true });
    } catch (err) {
      if (!isDuplicateWrite(err)) throw err;
      // Written by someone else between the read and this add: theirs stands, and this row is left.
    }
  }
  return out;
}
