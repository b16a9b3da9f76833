/**
 * One text rule for every free-text field (issue 13, item 4): what XML 1.0
 * forbids, bidi controls and zero-width characters are refused everywhere,
 * line breaks in single-line fields; the refusal names the field in Chinese.
 * Workbooks sanitise again; a name copying a verified enterprise's is flagged.
 */
import { readFileSync } from 'fs';
import { loadExcel } from '../../server/core/excel';
import { sanitiseCell, textProblem } from '../../server/core/validation';
import { creditCodeCheckChar } from '../../server/enterprises/creditCode';
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const HEAD = 'demo-chamber-head';
const OWNER = 'demo-hualun';
const ADMIN = 'demo-admin';
const TF = 'demo-taskforce';
let seq = 0;
const key = () => `text-${String(++seq).padStart(8, '0')}`;

/** One of each class the rule refuses, as a person could paste it. */
const BAD = {
  nul: 'a\u0000b',
  escape: 'x\u001b[31m',
  fffe: '重庆\ufffe公司',
  ffff: '重庆\uffff公司',
  loneHigh: '重庆\ud800公司',
  loneLow: '重庆\udc00公司',
  rlo: '已办结\u202e',
  isolate: '\u2066备注\u2069',
  zeroWidth: '华伦\u200b医疗',
  bom: '华\ufeff伦',
};

test('the rule: XML-forbidden, bidi and zero-width refused; line breaks only where lines are allowed', () => {
  for (const [what, value] of Object.entries(BAD)) {
    expect([what, textProblem(value, true)]).toEqual([what, expect.stringMatching(/[\u4e00-\u9fa5]/)]);
  }
  expect(textProblem('第一行\n第二行', true)).toBeUndefined();
  expect(textProblem('第一行\n第二行')).toMatch(/换行/);
  expect(textProblem('第一行\r第二行')).toMatch(/换行/);
  expect(textProblem('第一行\u2028第二行')).toMatch(/换行/);
  // A pair of surrogates is one character (an emoji), not a lone one.
  expect(textProblem('口罩已到 😀')).toBeUndefined();
  expect(textProblem('重庆华伦医疗实业有限公司')).toBeUndefined();
});

async function claimedNeed(): Promise<string> {
  const { needs } = await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER);
  await h.ok('need', 'claim', { id: needs[0].id }, HEAD);
  return needs[0].id;
}

const validCode = (body: string) => body + creditCodeCheckChar(body);
const form = (overrides: Record<string, unknown> = {}) => ({
  name: '重庆新起点机械有限公司',
  creditCode: validCode('91500104MA60XQDN1'),
  industry: 'manufacturing',
  zone: 'jianqiao-c',
  address: '大渡口区建桥工业园C区 8 号',
  location: { latitude: 29.45, longitude: 106.46 },
  contactName: '钱进',
  contactPhone: '13800138000',
  employees: 42,
  chamberCodes: [],
  ...overrides,
});

async function refusedAt(fn: string, action: string, payload: Record<string, unknown>, openid: string, field: string) {
  const err = await h.fail(fn, action, payload, openid);
  expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field });
  expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
  expect(err.message).not.toMatch(/[A-Za-z]/);
  return err;
}

test('handler notes, reasons and questions are held to the rule', async () => {
  const id = await claimedNeed();
  for (const bad of [BAD.nul, BAD.rlo, BAD.fffe]) await refusedAt('need', 'progress', { id, note: `正在调货${bad}` }, HEAD, 'note');
  await refusedAt('need', 'wait', { id, question: `型号？${BAD.zeroWidth}` }, HEAD, 'question');
  await refusedAt('need', 'release', { id, reason: `退回${BAD.escape}` }, HEAD, 'reason');
  // A line break in a note is a line of the note, not a forged timeline entry: allowed, stored as typed.
  await h.ok('need', 'progress', { id, note: '正在调货\n明日送达' }, HEAD);
});

test("the owner's answers, comments and reasons are held to the rule", async () => {
  const id = await claimedNeed();
  await h.ok('need', 'wait', { id, question: '需要哪种型号？' }, HEAD);
  await refusedAt('need', 'answer', { id, text: `N95${BAD.isolate}` }, OWNER, 'text');
  await refusedAt('need', 'cancel', { id, reason: `不需要了${BAD.loneHigh}` }, OWNER, 'reason');
});

test('enterprise names refuse bidi, zero-width and line breaks, naming the field', async () => {
  const err = await refusedAt('enterprise', 'register', form({ name: '重庆\ufffe新起点机械有限公司' }), 'owner-text-1', 'name');
  expect(err.message).toContain('企业名称');
  await refusedAt('enterprise', 'register', form({ name: '重庆华伦医疗\u200b实业有限公司' }), 'owner-text-1', 'name');
  await refusedAt('enterprise', 'register', form({ name: '重庆新起点\n机械有限公司' }), 'owner-text-1', 'name');
  await refusedAt('enterprise', 'register', form({ contactName: '钱\u202e进' }), 'owner-text-1', 'contactName');
});

test('check-in checklist fields are held to the rule', async () => {
  const { items } = await h.ok('visit', 'myEnterprises', {}, TF);
  const payload = { enterpriseId: items[0].id, clientKey: 'text-visit-0001', checklist: { look: `测温点${BAD.escape}`, check: '', ask: '' } };
  await refusedAt('visit', 'checkIn', payload, TF, 'checklist.look');
  await refusedAt('visit', 'checkIn', { ...payload, checklist: { look: '', check: '', ask: `缺口罩${BAD.ffff}` } }, TF, 'checklist.ask');
});

test('names and notes admins edit are held to the rule, each message naming its own field', async () => {
  const unit = await refusedAt('admin', 'saveUnit', { code: 'unit-text', name: '区\u200b医药商会', kind: 'chamber' }, ADMIN, 'name');
  expect(unit.message).toContain('单位名称');
  const zone = await refusedAt('admin', 'saveZone', { code: 'zone-text', name: '建桥\nC区', kind: 'park' }, ADMIN, 'name');
  expect(zone.message).toContain('区域名称');
  await refusedAt('admin', 'saveTaskForce', { id: 'tf-text', name: '专班\u202e', leadOrg: '民盟', zoneCodes: ['jianqiao-c'] }, ADMIN, 'name');
  await refusedAt('admin', 'saveHoliday', { date: '2026-04-04', kind: 'holiday', name: '清明\u0000' }, ADMIN, 'name');
});

test('a name stored before the rule cannot break the ledger workbook: the writer sanitises', async () => {
  expect(sanitiseCell('重庆\ufffe华伦\u202e医疗\u0000')).toBe('重庆华伦医疗');
  expect(sanitiseCell('第一行\n第二行')).toBe('第一行\n第二行');
  const [e] = (await h.db.collection('enterprises').where({ name: '重庆华伦医疗实业有限公司' }).get()).data;
  await h.db.collection('enterprises').doc(e._id).update({ data: { name: '重庆华伦\ufffe医疗\uffff实业\u202e有限公司', contactName: '王\u0001经理' } });
  const ledger = await h.ok('ledger', 'export', { kind: 'ledger' }, ADMIN);
  const wb = new (await loadExcel()).Workbook();
  await wb.xlsx.load(readFileSync(h.rt.files.pathOf(ledger.fileID)) as never);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.value)))));
  expect(cells).toContain('重庆华伦医疗实业有限公司');
  expect(cells.join('')).not.toMatch(/[\ufffe\uffff\u202e\u0001]/);
});

test('an enterprise taking a verified enterprise’s exact name is flagged to admins and the task force', async () => {
  const verified = (await h.db.collection('enterprises').where({ name: '重庆秋田齿轮有限公司' }).get()).data[0];
  await h.db.collection('enterprises').doc(verified._id).update({ data: { verified: true } });
  const twin = await h.ok('enterprise', 'register', form({ name: '重庆秋田齿轮有限公司' }), 'owner-text-2');

  const admin = await h.ok('admin', 'enterprises', { zone: 'jianqiao-c', limit: 100 }, ADMIN);
  const flagOf = (items: any[], id: string) => items.find((e) => e.id === id)?.nameMatchesVerified;
  expect(flagOf(admin.items, twin.id)).toBe(true);
  // The verified one is the original, and an enterprise with a name of its own is not flagged.
  expect(flagOf(admin.items, verified._id)).toBe(false);
  expect(admin.items.filter((e: any) => e.nameMatchesVerified)).toHaveLength(1);

  const tf = await h.ok('visit', 'myEnterprises', { limit: 100 }, TF);
  expect(flagOf(tf.items, twin.id)).toBe(true);
  expect(flagOf(tf.items, verified._id)).toBe(false);
});
