/** The holiday calendar is data: seeded, edited by admins only, honoured by the next need's deadline. */
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ADMIN = 'demo-admin';
let seq = 0;
const key = () => `holiday-${String(++seq).padStart(6, '0')}`;

test('2026 and 2027 are seeded: statutory holidays and the make-up working days', async () => {
  const y2026 = (await h.ok('admin', 'listHolidays', { year: 2026 }, ADMIN)).items;
  expect(y2026.filter((d: any) => d.kind === 'workday').map((d: any) => d.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  expect(y2026.filter((d: any) => d.name === '春节').map((d: any) => d.date)).toEqual([
    '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
  ]);
  const y2027 = (await h.ok('admin', 'listHolidays', { year: 2027 }, ADMIN)).items;
  expect(y2027.map((d: any) => d.date)).toEqual(expect.arrayContaining(['2027-01-01', '2027-02-06', '2027-06-09', '2027-09-15', '2027-10-01']));
  expect((await h.ok('admin', 'listHolidays', { year: 2030 }, ADMIN)).items).toEqual([]);
});

test("an admin's edit to the calendar moves the next need's deadline", async () => {
  // Monday 2 March 2026, 09:00 China: supplies are due in 2 working days, Wednesday 18:00.
  const before = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, 'demo-hualun')).needs[0];
  expect(before.dueAt).toBe('2026-03-04T10:00:00.000Z');
  await h.ok('admin', 'saveHoliday', { date: '2026-03-03', kind: 'holiday', name: '临时停工' }, ADMIN);
  const after = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, 'demo-hualun')).needs[0];
  expect(after.dueAt).toBe('2026-03-05T10:00:00.000Z');
  // A make-up Saturday is a working day too: gone the holiday, add 7 March as workday and ask from Friday.
  await h.ok('admin', 'deleteHoliday', { date: '2026-03-03' }, ADMIN);
  await h.ok('admin', 'saveHoliday', { date: '2026-03-07', kind: 'workday', name: '调休上班' }, ADMIN);
  h.clock.current = new Date('2026-03-06T02:00:00Z');
  const friday = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, 'demo-hualun')).needs[0];
  expect(friday.dueAt).toBe('2026-03-09T10:00:00.000Z');
  expect((await h.ok('admin', 'listHolidays', { year: 2026 }, ADMIN)).items).toContainEqual({ date: '2026-03-07', kind: 'workday', name: '调休上班' });
});

test('bad dates are INVALID_ARGUMENT; only admins edit; a missing day is NOT_FOUND', async () => {
  for (const date of ['2026-02-30', '2026-13-01', '20260301', '2026-3-1', '1999-12-31']) {
    expect(await h.fail('admin', 'saveHoliday', { date, kind: 'holiday', name: '某节' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'date' });
  }
  expect(await h.fail('admin', 'saveHoliday', { date: '2026-03-03', kind: 'party', name: '某节' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'kind' });
  expect(await h.fail('admin', 'saveHoliday', { date: '2026-03-03', kind: 'holiday', name: '' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'name' });
  expect(await h.fail('admin', 'deleteHoliday', { date: '2026-02-31' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'date' });
  expect(await h.fail('admin', 'listHolidays', { year: 1900 }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'year' });
  expect(await h.fail('admin', 'deleteHoliday', { date: '2026-03-03' }, ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
  for (const who of ['demo-chamber-head', 'demo-enterprise', 'demo-taskforce', 'stranger']) {
    expect(await h.fail('admin', 'saveHoliday', { date: '2026-03-03', kind: 'holiday', name: '某节' }, who)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('admin', 'deleteHoliday', { date: '2026-02-16' }, who)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('admin', 'listHolidays', { year: 2026 }, who)).toMatchObject({ code: 'FORBIDDEN' });
  }
});

test('rules carry the two SLA terms; a rule or a deletion that would leave a rule pointing nowhere is FAILED_PRECONDITION naming it', async () => {
  const rule = { id: 'hiring-fast', order: 1, match: { type: 'hiring' }, unitCode: 'hrss', slaHours: 72, firstResponseHours: 2, resolutionWorkdays: 3, note: '招工快速通道' };
  expect(await h.ok('admin', 'saveRule', rule, ADMIN)).toMatchObject({ firstResponseHours: 2, resolutionWorkdays: 3 });
  const need = (await h.ok('need', 'submit', { type: 'hiring', positions: [{ title: '焊工', count: 2 }], clientKey: key() }, 'demo-hualun')).needs[0];
  expect(need).toMatchObject({ route: { ruleId: 'hiring-fast', firstResponseHours: 2, resolutionWorkdays: 3 }, dueAt: '2026-03-05T10:00:00.000Z', firstResponseDueAt: '2026-03-02T03:00:00.000Z' });
  expect(await h.fail('admin', 'saveRule', { ...rule, resolutionWorkdays: 0 }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'resolutionWorkdays' });
  expect(await h.fail('admin', 'saveRule', { ...rule, resolutionWorkdays: 1.5 }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'resolutionWorkdays' });
  expect(await h.fail('admin', 'saveRule', { ...rule, firstResponseHours: -1 }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'firstResponseHours' });

  const missing = await h.fail('admin', 'saveRule', { ...rule, unitCode: 'chamber-ghost' }, ADMIN);
  expect(missing).toMatchObject({ code: 'FAILED_PRECONDITION', field: 'unitCode' });
  expect(missing.message).toContain('chamber-ghost');
  expect(await h.fail('admin', 'saveRule', { ...rule, match: { type: 'supplies', chamberMember: 'chamber-ghost' } }, ADMIN)).toMatchObject({ code: 'FAILED_PRECONDITION', field: 'match.chamberMember' });

  const inUse = await h.fail('admin', 'deleteUnit', { code: 'hrss' }, ADMIN);
  expect(inUse).toMatchObject({ code: 'FAILED_PRECONDITION' });
  expect(inUse.message).toContain('招工快速通道');
  expect(await h.fail('admin', 'deleteUnit', { code: 'fic' }, ADMIN)).toMatchObject({ code: 'FAILED_PRECONDITION' });
  await h.ok('admin', 'saveUnit', { code: 'temp-desk', name: '临时服务台', kind: 'desk' }, ADMIN);
  expect(await h.ok('admin', 'deleteUnit', { code: 'temp-desk' }, ADMIN)).toEqual({ code: 'temp-desk', removed: true });
  expect(await h.fail('admin', 'deleteUnit', { code: 'temp-desk' }, ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
  expect(await h.fail('admin', 'deleteUnit', { code: 'temp-desk' }, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
});
