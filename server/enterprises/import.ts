/**
 * Bulk import from the spreadsheet the federation already keeps (spec):
 * xlsx or csv, or rows sent as JSON. A dry run lists what would be created,
 * updated or rejected and why; credit codes are the key, so importing the
 * same sheet again updates rather than duplicates.
 */
import { loadExcel } from '../core/excel';
import { Readable } from 'stream';
import { z } from 'zod';
import type { EnterpriseOptions } from '../../typings/api';
import { INDUSTRY_LABELS } from '../../typings/labels';
import { defineAction } from '../core/actions';
import { invalid } from '../core/errors';
import { newDocId } from '../core/ids';
import type { Context } from '../core/ports';
import { getDoc, inTransaction } from '../core/tx';
import { enterpriseOptions } from './actions';
import { enterpriseInput } from './schema';
import type { EnterpriseDoc } from './store';

/** The sheet's Chinese headers (and the API's own names) → fields. */
const HEADERS: Record<string, string> = {
  企业名称: 'name',
  统一社会信用代码: 'creditCode',
  行业: 'industry',
  区域: 'zone',
  所在区域: 'zone',
  地址: 'address',
  联系人: 'contactName',
  联系电话: 'contactPhone',
  员工数: 'employees',
  员工人数: 'employees',
  所属商会: 'chamberCodes',
  纬度: 'latitude',
  经度: 'longitude',
};

const MAX_ROWS = 5000;

type RawRow = Record<string, unknown>;

export interface ImportLine {
  row: number;
  name: string;
  creditCode: string;
  action: 'create' | 'update' | 'reject';
  reason?: string;
  field?: string;
  /** Fields an update would change. */
  changes?: string[];
}

function normaliseKeys(raw: RawRow): RawRow {
  const out: RawRow = {};
  for (const [k, v] of Object.entries(raw)) out[HEADERS[k.trim()] ?? k.trim()] = typeof v === 'string' ? v.trim() : v;
  return out;
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

async function rowsFromFile(ctx: Context, fileID: string): Promise<RawRow[]> {
  const bytes = await ctx.files.download(fileID);
  const wb = new (await loadExcel()).Workbook();
  const ws = /\.csv$/i.test(fileID) ? await wb.csv.read(Readable.from(bytes)) : (await wb.xlsx.load(bytes as never), wb.worksheets[0]);
  if (!ws) throw invalid('表格是空的', 'fileID');
  const header = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? '').trim());
  const rows: RawRow[] = [];
  ws.eachRow((row, index) => {
    if (index === 1) return;
    const values = row.values as unknown[];
    const raw: RawRow = {};
    header.forEach((h, i) => {
      if (!h) return;
      const v = values[i];
      raw[h] = v && typeof v === 'object' && 'text' in (v as object) ? (v as { text: string }).text : v;
    });
    rows.push(raw);
  });
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
    })
    .refine((i) => !!i.rows !== !!i.fileID, { message: '请提供表格文件或行数据（二选一）', path: ['rows'] }),
  async run(ctx, input) {
    const raw = input.rows ?? (await rowsFromFile(ctx, input.fileID!));
    if (raw.length > MAX_ROWS) throw invalid(`每次最多导入 ${MAX_ROWS} 行`, 'rows');
    const options = await enterpriseOptions(ctx.db);
    const seen = new Set<string>();
    const lines: ImportLine[] = [];
    const work: Array<{ line: ImportLine; data: z.infer<typeof importRow>; existing: EnterpriseDoc | null }> = [];
    for (const [i, r] of raw.entries()) {
      const row = i + 2; // the sheet's own row number: row 1 is the header
      const candidate = resolve(normaliseKeys(r), options);
      const base = { row, name: String(candidate.name ?? ''), creditCode: String(candidate.creditCode ?? '') };
      const parsed = importRow.safeParse(candidate);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        lines.push({ ...base, action: 'reject', reason: issue.message, field: issue.path.join('.') });
        continue;
      }
      const data = parsed.data;
      if (!options.zones.some((z) => z.code === data.zone)) {
        lines.push({ ...base, action: 'reject', reason: `区域「${data.zone}」不存在`, field: 'zone' });
        continue;
      }
      const unknownChamber = data.chamberCodes.find((c) => !options.chambers.some((k) => k.code === c));
      if (unknownChamber) {
        lines.push({ ...base, action: 'reject', reason: `商会「${unknownChamber}」不存在`, field: 'chamberCodes' });
        continue;
      }
      if (seen.has(data.creditCode)) {
        lines.push({ ...base, creditCode: data.creditCode, action: 'reject', reason: '与表中前面一行的统一社会信用代码重复', field: 'creditCode' });
        continue;
      }
      seen.add(data.creditCode);
      const index = await getDoc<{ enterpriseId: string }>(ctx.db, 'creditCodes', data.creditCode);
      const existing = index ? await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', index.enterpriseId) : null;
      const changes = existing ? CHANGEABLE.filter((k) => JSON.stringify(existing[k]) !== JSON.stringify(data[k])) : undefined;
      const line: ImportLine = { ...base, creditCode: data.creditCode, action: existing ? 'update' : 'create', ...(changes ? { changes } : {}) };
      lines.push(line);
      work.push({ line, data, existing });
    }
    if (!input.dryRun) await apply(ctx, work);
    const count = (a: ImportLine['action']) => lines.filter((l) => l.action === a).length;
    return { dryRun: input.dryRun, created: count('create'), updated: count('update'), rejected: count('reject'), lines };
  },
});

/** One transaction per enterprise: a failure on row 300 keeps rows 1–299, and re-running the import finishes the job. */
async function apply(ctx: Context, work: Array<{ line: ImportLine; data: z.infer<typeof importRow>; existing: EnterpriseDoc | null }>) {
  const now = ctx.clock.now().toISOString();
  for (const { line, data } of work) {
    if (line.action === 'update' && !line.changes?.length) continue;
    await inTransaction(ctx.db, async (tx) => {
      const index = await getDoc<{ enterpriseId: string }>(tx, 'creditCodes', data.creditCode);
      if (index) {
        const { creditCode: _code, location, ...fields } = data;
        await tx
          .collection('enterprises')
          .doc(index.enterpriseId)
          .update({ data: { ...fields, ...(location ? { location } : {}), updatedAt: now } });
        return;
      }
      const id = newDocId();
      await tx.collection('enterprises').add({
        data: { _id: id, ...data, verified: false, lastVisitAt: '', ownerOpenid: null, importedBy: ctx.openid, createdAt: now, updatedAt: now },
      });
      await tx.collection('creditCodes').add({ data: { _id: data.creditCode, enterpriseId: id, createdAt: now } });
    });
  }
}
