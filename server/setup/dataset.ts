/**
 * A district's data set: one JSON file per collection, read and checked
 * whole before setup writes anything, so a bad row leaves the database as it
 * was. A row has the shape the admin's own save action takes (a unit row is
 * what admin.saveUnit accepts), so the files and the admin pages cannot
 * disagree about what a unit, zone, rule or policy is.
 */
import { z } from 'zod';
import type { Role } from '../../typings/api';
import { invalid } from '../core/errors';
import { enterpriseInput } from '../enterprises/schema';
import { saveHoliday, savePolicy, saveRule, saveSettings, saveTaskForce, saveUnit, saveZone } from '../admin/config';

/** The files of a data set, as their JSON content (bundled by esbuild's json loader). */
export interface Dataset {
  /** Which district, for setup's answer and the log. */
  name: string;
  files: {
    'units.json': unknown;
    'zones.json': unknown;
    'taskForces.json': unknown;
    'routingRules.json': unknown;
    'settings.json': unknown;
    'policies.json'?: unknown;
    /** The holiday calendar: statutory holidays and make-up working days (docs/sla.md). */
    'holidays.json'?: unknown;
    /** Demo only: a real district's enterprises register themselves or are imported. */
    'enterprises.json'?: unknown;
    /** Demo only: a real district's people arrive through invite codes. */
    'users.json'?: unknown;
  };
}

export type SeedFile = keyof Dataset['files'];

const ROLES = ['enterprise', 'taskforce', 'unit', 'admin'] as const satisfies readonly Role[];
const openid = z.string().trim().min(1).max(64);

const enterpriseRow = enterpriseInput.extend({
  id: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/, '编号只能用字母、数字、连字符和下划线'),
  verified: z.boolean().default(false),
  ownerOpenid: openid.optional(),
});

const userRow = z.object({
  openid,
  roles: z.array(z.enum(ROLES, { errorMap: () => ({ message: '不是可选的身份' }) })).min(1).max(ROLES.length),
  unitCodes: z.array(z.string().min(1)).max(20).default([]),
  headOf: z.array(z.string().min(1)).max(20).default([]),
  taskForceId: z.string().min(1).optional(),
  enterpriseId: z.string().min(1).optional(),
});

export type Doc = Record<string, unknown> & { _id: string };

/** What setup writes: documents by collection, in the order they are written (settings last). */
export type SeedDocs = Array<[collection: string, docs: Doc[]]>;

/** Zod's own English messages are for us; the person fixing the file reads Chinese. */
function describe(issue: z.ZodIssue): string {
  if (issue.code === 'custom' || /[\u4e00-\u9fff]/.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_type') return issue.received === 'undefined' ? '缺少此项' : '类型不对';
  if (issue.code === 'unrecognized_keys') return `不认识的字段 ${issue.keys.join('、')}`;
  if (issue.code === 'too_small') return `不能少于 ${issue.minimum}`;
  if (issue.code === 'too_big') return `不能多于 ${issue.maximum}`;
  return '格式不正确';
}

/** Rows are numbered from 1, as a person counts them (row n sits on line n + 1 of the file). */
function rowProblem(file: SeedFile, row: number | undefined, field: string, message: string): never {
  const where = row === undefined ? `数据文件 ${file}` : `数据文件 ${file} 第 ${row} 条`;
  throw invalid(`${where}${field ? `，字段 ${field}` : ''}：${message}`, `${file}${row === undefined ? '' : `[${row}]`}${field ? `.${field}` : ''}`);
}

function parseRow<S extends z.ZodTypeAny>(file: SeedFile, row: number | undefined, schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return rowProblem(file, row, issue.path.join('.'), describe(issue));
}

function rowsOf<S extends z.ZodTypeAny>(dataset: Dataset, file: SeedFile, schema: S, required: boolean): Array<z.infer<S>> {
  const content = dataset.files[file];
  if (content === undefined) {
    if (required) throw invalid(`数据集缺少文件 ${file}`, file);
    return [];
  }
  if (!Array.isArray(content)) throw invalid(`数据文件 ${file} 应为数组，每条一行`, file);
  return content.map((row, i) => parseRow(file, i + 1, schema, row));
}

function refer(file: SeedFile, row: number | undefined, field: string, value: string | undefined, known: Set<string>, what: string): void {
  if (value !== undefined && !known.has(value)) rowProblem(file, row, field, `${what}「${value}」不在数据集中`);
}

function unique(file: SeedFile, ids: string[], field: string, what: string): Set<string> {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) rowProblem(file, i + 1, field, `${what}「${id}」重复`);
    seen.add(id);
  });
  return seen;
}

/**
 * Every row checked (shape, then references between files) and turned into
 * the documents setup writes. `now` stamps what the running system stamps.
 * Throws INVALID_ARGUMENT naming the file, the row and the field.
 */
export function documentsOf(dataset: Dataset, now: string): SeedDocs {
  const units = rowsOf(dataset, 'units.json', saveUnit.input.strict(), true);
  const zones = rowsOf(dataset, 'zones.json', saveZone.input.strict(), true);
  const taskForces = rowsOf(dataset, 'taskForces.json', saveTaskForce.input.strict(), true);
  const rules = rowsOf(dataset, 'routingRules.json', saveRule.input.omit({ enabled: true }).extend({ enabled: z.boolean().optional() }).strict(), true);
  const policies = rowsOf(dataset, 'policies.json', savePolicy.input.strict(), false);
  const holidays = rowsOf(dataset, 'holidays.json', saveHoliday.input.strict(), false);
  const enterprises = rowsOf(dataset, 'enterprises.json', enterpriseRow.strict(), false);
  const users = rowsOf(dataset, 'users.json', userRow.strict(), false);
  const settingsFile = dataset.files['settings.json'];
  if (settingsFile === undefined) throw invalid('数据集缺少文件 settings.json', 'settings.json');
  const settings = parseRow('settings.json', undefined, saveSettings.input.strict(), settingsFile);

  const unitCodes = unique('units.json', units.map((u) => u.code), 'code', '单位编码');
  const zoneCodes = unique('zones.json', zones.map((z) => z.code), 'code', '区域编码');
  const taskForceIds = unique('taskForces.json', taskForces.map((t) => t.id), 'id', '专班编号');
  unique('routingRules.json', rules.map((r) => r.id), 'id', '规则编号');
  unique('policies.json', policies.map((p) => p.id), 'id', '政策编号');
  unique('holidays.json', holidays.map((h) => h.date), 'date', '日期');
  const enterpriseIds = unique('enterprises.json', enterprises.map((e) => e.id), 'id', '企业编号');
  unique('enterprises.json', enterprises.map((e) => e.creditCode), 'creditCode', '统一社会信用代码');
  unique('users.json', users.map((u) => u.openid), 'openid', '用户');

  taskForces.forEach((t, i) => t.zoneCodes.forEach((z, j) => refer('taskForces.json', i + 1, `zoneCodes.${j}`, z, zoneCodes, '区域')));
  rules.forEach((r, i) => {
    refer('routingRules.json', i + 1, 'unitCode', r.unitCode, unitCodes, '单位');
    refer('routingRules.json', i + 1, 'match.chamberMember', r.match.chamberMember, unitCodes, '单位');
    refer('routingRules.json', i + 1, 'match.zone', r.match.zone, zoneCodes, '区域');
  });
  policies.forEach((p, i) => {
    if (p.effectiveTo && p.effectiveTo < p.effectiveFrom) rowProblem('policies.json', i + 1, 'effectiveTo', '截止日期不能早于生效日期');
  });
  enterprises.forEach((e, i) => {
    refer('enterprises.json', i + 1, 'zone', e.zone, zoneCodes, '区域');
    e.chamberCodes.forEach((c, j) => refer('enterprises.json', i + 1, `chamberCodes.${j}`, c, unitCodes, '单位'));
  });
  users.forEach((u, i) => {
    u.unitCodes.forEach((c, j) => refer('users.json', i + 1, `unitCodes.${j}`, c, unitCodes, '单位'));
    u.headOf.forEach((c, j) => refer('users.json', i + 1, `headOf.${j}`, c, unitCodes, '单位'));
    refer('users.json', i + 1, 'taskForceId', u.taskForceId, taskForceIds, '专班');
    refer('users.json', i + 1, 'enterpriseId', u.enterpriseId, enterpriseIds, '企业');
  });
  refer('settings.json', undefined, 'triageUnitCode', settings.triageUnitCode, unitCodes, '单位');
  refer('settings.json', undefined, 'supplyPoolUnitCode', settings.supplyPoolUnitCode, unitCodes, '单位');

  return [
    ['units', units.map(({ code, ...u }) => ({ _id: code, ...u }))],
    ['zones', zones.map(({ code, ...z }) => ({ _id: code, ...z }))],
    ['taskForces', taskForces.map(({ id, ...t }) => ({ _id: id, ...t }))],
    ['routingRules', rules.map(({ id, ...r }) => ({ _id: id, ...r }))],
    ['policies', policies.map(({ id, ...p }) => ({ _id: id, ...p, createdAt: now }))],
    ['holidays', holidays.map(({ date, ...h }) => ({ _id: date, ...h }))],
    // Demo only (server/seed/demo.ts): a district's own data set has neither file, and setup then writes neither.
    ...(dataset.files['enterprises.json'] === undefined
      ? []
      : ([
          ['enterprises', enterprises.map(({ id, ...e }) => ({ _id: id, ...e, lastVisitAt: '', createdAt: now, updatedAt: now }))],
          ['creditCodes', enterprises.map((e) => ({ _id: e.creditCode, enterpriseId: e.id, createdAt: now }))],
        ] satisfies SeedDocs)),
    ...(dataset.files['users.json'] === undefined ? [] : ([['users', users.map(({ openid: _id, ...u }) => ({ _id, ...u, createdAt: now, updatedAt: now }))]] satisfies SeedDocs)),
    // Last: its presence is what marks a database as set up.
    ['settings', [{ _id: 'global', ...settings }]],
  ];
}
