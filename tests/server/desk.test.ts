/**
 * The federation's desk: the ledger over days (snapshots the scheduler
 * records from the history), the weekly 专报 with its change from the week
 * before, the units' and task forces' figures over a period, the handler's
 * recorded call, escalation on either deadline, bad input, round trips.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { runScheduler } from '../../server/scheduler/run';
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ADMIN = 'demo-admin';
const HRSS = 'demo-hrss';
const OWNER = 'demo-hualun';
let seq = 0;
const key = () => `desk-${String(++seq).padStart(8, '0')}`;
const run = () => runScheduler(h.rt.ports);
/** An instant in China time, e.g. china('2026-03-04 10:00'). */
const china = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const at = (local: string) => {
  h.clock.current = china(local);
};
const report = (openid: string, total: number, back: number, resumed: boolean) =>
  h.ok('enterprise', 'reportStatus', { employeesTotal: total, employeesBack: back, capacityPercent: resumed ? 80 : 0, resumed }, openid);

async function sheetRows(fileID: string, name: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(h.rt.files.pathOf(fileID)) as never);
  return (wb.getWorksheet(name)!.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r.slice(1));
}

describe('ledger.trend', () => {
  test('each day as it stood at its end: reports on day 1 and day 3, recorded by the scheduler; today live', async () => {
    at('2026-03-02 09:00');
    await report('demo-enterprise', 100, 20, false);
    at('2026-03-04 10:00');
    await report('demo-enterprise', 100, 80, true);
    await report(OWNER, 50, 50, true);
    // Day 4, before the scheduler's first run: a report today must not reach day 3's figures.
    at('2026-03-05 08:00');
    await report('demo-enterprise', 100, 100, true);
    expect((await run()).snapshots).toBe(3);
    expect((await run()).snapshots).toBe(0);

    const { days, scope, asOf } = await h.ok('ledger', 'trend', { days: 5 }, ADMIN);
    expect(scope).toBe('district');
    expect(asOf).toBe(h.clock.now().toISOString());
    expect(days.map((d: any) => d.date)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']);
    // Before the district's first day nothing was recorded.
    expect(days[0]).toMatchObject({ recorded: false, enterprises: 0 });
    const figures = (d: any) => [d.enterprises, d.reported, d.resumed, d.employeesTotal, d.employeesBack];
    expect(days.slice(1).map(figures)).toEqual([
      [10, 1, 0, 100, 20],
      [10, 1, 0, 100, 20],
      [10, 2, 2, 150, 130],
      [10, 2, 2, 150, 150],
    ]);
    expect(days[3]).toMatchObject({ resumptionRate: 0.2, workforceReturnRate: 0.867, recorded: true });

    // The task force of 建桥园区C区 sees its zone (秋田 and one more enterprise), not the district.
    const tf = await h.ok('ledger', 'trend', { days: 3 }, 'demo-taskforce');
    expect(tf.scope).toBe('zones');
    expect(tf.days.map(figures)).toEqual([
      [2, 1, 0, 100, 20],
      [2, 1, 1, 100, 80],
      [2, 1, 1, 100, 100],
    ]);
  });

  test('a scheduler that was down catches up a week per run; the trend is bounded in round trips', async () => {
    at('2026-03-02 09:00');
    await report('demo-enterprise', 100, 20, false);
    at('2026-03-20 09:00');
    expect((await run()).snapshots).toBe(7);
    expect((await run()).snapshots).toBe(7);
    expect((await run()).snapshots).toBe(4);
    expect((await run()).snapshots).toBe(0);
    await h.ok('ledger', 'trend', { days: 90 }, ADMIN);
    const warm = await h.counted('ledger', 'trend', { days: 90 }, ADMIN);
    expect(warm.data.days).toHaveLength(90);
    expect(warm.data.days.filter((d: any) => d.recorded)).toHaveLength(19);
    expect(warm.db).toBeLessThanOrEqual(4);
  });

  test('days outside 1–90 are INVALID_ARGUMENT; people other than admins and task forces are FORBIDDEN', async () => {
    for (const days of [0, 91, 1.5, '7']) {
      expect(await h.fail('ledger', 'trend', { days }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'days' });
    }
    for (const who of ['demo-chamber-head', 'demo-enterprise', 'stranger']) {
      expect(await h.fail('ledger', 'trend', { days: 7 }, who)).toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});

describe('the weekly 专报', () => {
  test("a finished week's figures from the snapshots, with the change from the week before", async () => {
    at('2026-03-02 09:00');
    await report('demo-enterprise', 100, 20, false);
    at('2026-03-10 09:00');
    await report('demo-enterprise', 100, 80, true);
    await report(OWNER, 50, 50, true);
    at('2026-03-16 09:00');
    while ((await run()).snapshots > 0);

    const w11 = await h.ok('ledger', 'export', { kind: 'report', week: '2026-W11' }, ADMIN);
    const overview = await sheetRows(w11.fileID, '本周概况');
    const row = (name: string) => overview.find((r) => r[0] === name)!;
    expect(row('统计周')[1]).toBe('2026年第11周（3月9日—3月15日）');
    expect(row('企业数').slice(1)).toEqual([10, 10, '0']);
    expect(row('已复工').slice(1)).toEqual([2, 0, '+2']);
    expect(row('复工率').slice(1)).toEqual(['20%', '0%', '+20 个百分点']);
    expect(row('返岗率').slice(1)).toEqual(['86.7%', '20%', '+66.7 个百分点']);
    const zones = await sheetRows(w11.fileID, '本周分区域');
    expect(zones.find((r) => r[0] === '建桥园区C区')!.slice(3, 6)).toEqual(['50%', '0%', '+50 个百分点']);

    // The first week has no week before it on record.
    const w10 = await sheetRows((await h.ok('ledger', 'export', { kind: 'report', week: '2026-W10' }, ADMIN)).fileID, '本周概况');
    expect(w10.find((r) => r[0] === '复工率')!.slice(1)).toEqual(['0%', '未记录', '未记录']);
    // Without a week: the week in progress, live, against the end of W11.
    const now = await sheetRows((await h.ok('ledger', 'export', { kind: 'report' }, ADMIN)).fileID, '本周概况');
    expect(now.find((r) => r[0] === '统计周')![1]).toBe('2026年第12周（3月16日—3月22日）');
    expect(now.find((r) => r[0] === '复工率')!.slice(1)).toEqual(['20%', '20%', '0 个百分点']);
  });

  test('a week that does not exist, or has not begun, is INVALID_ARGUMENT', async () => {
    // 2026 has 53 ISO weeks (it begins on a Thursday); 2027 and 2025 have 52.
    for (const week of ['2027-W53', '2025-W53', '2026-W00', '2026-W54', '2026-10', '2026-W1', '2026-W53']) {
      expect(await h.fail('ledger', 'export', { kind: 'report', week }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'week' });
    }
    expect(await h.fail('ledger', 'export', { kind: 'report', week: '2026-W10' }, 'demo-taskforce')).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('ledger.units', () => {
  const hiring = () => h.ok('need', 'submit', { type: 'hiring', positions: [{ title: '焊工', count: 2 }], clientKey: key() }, OWNER).then((r) => r.needs[0].id as string);

  test('received, closed, medians, overdue, satisfaction and reopened per unit and task force, exactly', async () => {
    at('2026-03-02 09:00');
    // The fourth is never touched: it misses both deadlines.
    const [n1, n2, n3] = [await hiring(), await hiring(), await hiring(), await hiring()];
    for (const id of [n1, n2, n3]) await h.ok('need', 'claim', { id }, HRSS);
    // First responses after 60, 120 and 180 minutes: a recorded call, a progress note, a question.
    at('2026-03-02 10:00');
    await h.ok('need', 'contacted', { id: n1 }, HRSS);
    await h.ok('need', 'progress', { id: n1, note: '已对接招聘会' }, HRSS);
    at('2026-03-02 11:00');
    await h.ok('need', 'progress', { id: n2, note: '已推送岗位' }, HRSS);
    at('2026-03-02 12:00');
    await h.ok('need', 'wait', { id: n3, question: '工资范围？' }, HRSS);
    at('2026-03-02 13:00');
    await h.ok('need', 'answer', { id: n3, text: '五千到六千' }, OWNER);
    // Closed after 24 and 48 hours, rated 5 and 3; the third is fulfilled, then reopened.
    at('2026-03-03 09:00');
    await h.ok('need', 'fulfil', { id: n1, note: '已招到' }, HRSS);
    await h.ok('need', 'confirm', { id: n1, rating: 5 }, OWNER);
    at('2026-03-04 09:00');
    await h.ok('need', 'fulfil', { id: n2, note: '已招到' }, HRSS);
    await h.ok('need', 'confirm', { id: n2, rating: 3 }, OWNER);
    at('2026-03-05 09:00');
    await h.ok('need', 'renew', { id: n3 }, HRSS);
    await h.ok('need', 'fulfil', { id: n3, note: '已招到' }, HRSS);
    await h.ok('need', 'reopen', { id: n3, reason: '只来了一人' }, OWNER);
    // Past the 5 working days (Monday 9 March 18:00; n3's moved by its hour of waiting): n3 and the untouched n4 escalate.
    at('2026-03-10 09:00');
    const escalated = (await run()).escalated;
    expect(escalated).toBe(2);

    await h.ok('ledger', 'units', { from: '2026-03-02', to: '2026-03-08' }, ADMIN);
    const { data, db } = await h.counted('ledger', 'units', { from: '2026-03-02', to: '2026-03-08' }, ADMIN);
    expect(db).toBeLessThanOrEqual(5);
    const hrss = data.units.find((u: any) => u.unitCode === 'hrss');
    expect(hrss).toEqual({
      unitCode: 'hrss',
      name: '区人力资源社保局',
      received: 4,
      closed: 2,
      closureRate: 0.5,
      medianFirstResponseHours: 2,
      medianCloseHours: 36,
      overdueRate: 0.5,
      ratingMean: 4,
      ratingGoodShare: 0.5,
      reopened: 1,
    });
    // Ranked: the only unit with work first; units with nothing received carry nulls, never a code for a name.
    expect(data.units[0].unitCode).toBe('hrss');
    expect(data.units.find((u: any) => u.unitCode === 'ndrc')).toMatchObject({ received: 0, closureRate: null, medianCloseHours: null, ratingMean: null });
    for (const u of data.units) expect(u.name).toMatch(/[\u4e00-\u9fff]/);
    // 华伦 is in 建桥园区A区: both of its task forces follow these needs; others have none.
    for (const id of ['tf-01', 'tf-12']) {
      const { taskForceId: _id, name: _name, ...figures } = data.taskForces.find((t: any) => t.taskForceId === id);
      const { unitCode: _code, name: _unitName, ...unitFigures } = hrss;
      expect(figures).toEqual(unitFigures);
    }
    expect(data.taskForces.find((t: any) => t.taskForceId === 'tf-02')).toMatchObject({ received: 0 });

    // Another period sees none of it; the week after sees nothing received but nothing closed either.
    const later = await h.ok('ledger', 'units', { from: '2026-03-09', to: '2026-03-15' }, ADMIN);
    expect(later.units.find((u: any) => u.unitCode === 'hrss')).toMatchObject({ received: 0, closed: 0 });

    // The 专报 of that week carries the same figures.
    const kpis = await sheetRows((await h.ok('ledger', 'export', { kind: 'report', week: '2026-W10' }, ADMIN)).fileID, '单位考核');
    expect(kpis.find((r) => r[1] === '区人力资源社保局')).toEqual(['责任单位', '区人力资源社保局', 4, 2, '50%', 2, 36, '50%', 4, '50%', 1]);
  });

  test('a period over 366 days, backwards, or with a day that does not exist is INVALID_ARGUMENT; only admins', async () => {
    expect(await h.ok('ledger', 'units', { from: '2025-03-02', to: '2026-03-02' }, ADMIN)).toMatchObject({ from: '2025-03-02' });
    expect(await h.fail('ledger', 'units', { from: '2025-03-01', to: '2026-03-02' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'to' });
    expect(await h.fail('ledger', 'units', { from: '2026-03-02', to: '2026-03-01' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'to' });
    expect(await h.fail('ledger', 'units', { from: '2026-02-30', to: '2026-03-01' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'from' });
    expect(await h.fail('ledger', 'units', { from: '2026-03-01' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'to' });
    for (const who of ['demo-taskforce', HRSS, 'demo-enterprise']) {
      expect(await h.fail('ledger', 'units', { from: '2026-03-01', to: '2026-03-02' }, who)).toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});

describe('need.contacted and the first-response deadline', () => {
  test('a call is the first response: recorded once per 10 minutes, the status kept, no escalation for first response', async () => {
    const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
    h.clock.advance(20 * 60_000);
    const called = await h.ok('need', 'contacted', { id }, 'demo-chamber-head');
    expect(called).toMatchObject({ status: 'routed', firstResponseAt: h.clock.now().toISOString() });
    h.clock.advance(5 * 60_000);
    await h.ok('need', 'contacted', { id }, 'demo-chamber-head');
    h.clock.advance(6 * 60_000);
    const again = await h.ok('need', 'contacted', { id }, 'demo-chamber-head');
    expect(again.firstResponseAt).toBe(called.firstResponseAt);
    const detail = await h.ok('need', 'get', { id }, OWNER);
    expect(detail.timeline.filter((e: any) => e.note === '已电话联系企业')).toHaveLength(2);
    expect(detail.timeline.at(-1)).toMatchObject({ from: 'routed', to: 'routed', role: 'unit' });
    expect(await h.ok('admin', 'verifyTimeline', { id }, ADMIN)).toMatchObject({ intact: true });
    h.clock.advance(3 * 3600_000);
    expect((await run()).escalated).toBe(0);
  });

  test("only the claimer, or before a claim the need's own unit, records a call; not once it is closed", async () => {
    const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
    expect(await h.fail('need', 'contacted', { id }, HRSS)).toMatchObject({ code: 'FORBIDDEN' });
    await h.db.collection('users').doc('pharma-2').set({ data: { roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: [] } });
    await h.ok('need', 'claim', { id }, 'pharma-2');
    expect(await h.fail('need', 'contacted', { id }, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
    await h.ok('need', 'contacted', { id }, 'pharma-2');
    await h.ok('need', 'fulfil', { id, note: '送达', quantityDelivered: 20000 }, 'pharma-2');
    expect(await h.fail('need', 'contacted', { id }, 'pharma-2')).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await h.fail('need', 'contacted', { id }, OWNER)).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('a need past both deadlines at once escalates for resolution only, once', async () => {
    const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
    at('2026-03-06 09:00');
    expect((await run()).escalated).toBe(1);
    expect((await run()).escalated).toBe(0);
    const need = await h.ok('need', 'get', { id }, OWNER);
    expect(need).toMatchObject({ escalated: true, escalatedFor: 'resolution' });
    expect(need.timeline.filter((e: any) => e.role === 'system')).toHaveLength(1);
  });
});

test('ledger.summary answers when its figures were computed, within 6 round trips', async () => {
  await h.ok('ledger', 'summary', {}, ADMIN);
  // Within the configuration's minute in cache: a warm instance.
  h.clock.advance(30_000);
  const { data, db } = await h.counted('ledger', 'summary', {}, ADMIN);
  expect(data.asOf).toBe(h.clock.now().toISOString());
  expect(db).toBeLessThanOrEqual(6);
});

test('a transfer gives the new unit the need’s own terms afresh, in working days, and a fresh first-response deadline if nobody responded yet', async () => {
  // Friday 2026-03-06 17:00 China time: two working days on are Monday and Tuesday.
  h.clock.current = china('2026-03-06 17:00');
  const loan = (await h.ok('need', 'submit', { type: 'financing', amountWan: 200, purpose: '复工流动资金', termMonths: 12, clientKey: key() }, OWNER)).needs[0];
  expect(loan.route.resolutionWorkdays).toBeGreaterThan(0);
  h.clock.current = china('2026-03-09 10:00'); // Monday
  await h.ok('need', 'claim', { id: loan.id }, 'demo-finance');
  const moved = await h.ok('need', 'transfer', { id: loan.id, toUnitCode: 'bank-ccb', reason: '对接建行专项贷款' }, 'demo-finance');
  expect(moved.route).toMatchObject({ unitCode: 'bank-ccb', resolutionWorkdays: loan.route.resolutionWorkdays, firstResponseHours: loan.route.firstResponseHours });
  const { resolutionDueAt } = await import('../../server/sla/due');
  const { district } = await import('../../server/config/district');
  expect(moved.dueAt).toBe(resolutionDueAt(await district(h.rt.ports), china('2026-03-09 10:00'), loan.route));
  // Nobody had responded (a claim is not a response): the new unit has its own hour to call.
  expect(moved.firstResponseDueAt).toBe(new Date(china('2026-03-09 10:00').getTime() + loan.route.firstResponseHours * 3600_000).toISOString());
  expect((await h.ok('need', 'get', { id: loan.id }, 'demo-admin')).timeline.length).toBe(3);
  const { data: verified } = await h.counted('admin', 'verifyTimeline', { id: loan.id }, 'demo-admin');
  expect(verified.intact).toBe(true);
});
