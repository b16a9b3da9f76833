/** The scheduler with a controlled clock: lease expiry, warnings, SLA escalation, digests; idempotent runs. */
import { runScheduler } from '../../server/scheduler/run';
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  // These tests time the default 120-minute lease; per-type leases (a mask job's two days) are in lifecycle-lease.test.ts.
  await h.db.collection('settings').doc('global').update({ data: { leaseMinutesByType: h.db.command.set({}) } });
});
afterEach(() => h.close());

let seq = 0;
const key = () => `sched-${String(++seq).padStart(8, '0')}`;
const HEAD = 'demo-chamber-head';
const OWNER = 'demo-hualun';
const minutes = (n: number) => n * 60_000;
const run = () => runScheduler(h.rt.ports);
const sent = (template: string) => h.rt.outbox.read().filter((m) => m.template === template);

async function claimed(): Promise<string> {
  const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
  await h.ok('need', 'claim', { id }, HEAD);
  return id;
}

test('a lease without progress expires: the need returns to the queue and the claimer is told', async () => {
  const id = await claimed();
  h.clock.advance(minutes(119));
  expect((await run()).leasesExpired).toBe(0);
  h.clock.advance(minutes(2));
  expect((await run()).leasesExpired).toBe(1);
  const need = await h.ok('need', 'get', { id }, OWNER);
  expect(need.status).toBe('routed');
  expect(need.claimedBy).toBeUndefined();
  expect(need.timeline.at(-1)).toMatchObject({ role: 'system', from: 'claimed', to: 'routed' });
  expect(sent('leaseExpiring').some((m) => m.touser === HEAD && /到期/.test(m.data.thing3))).toBe(true);
  expect((await run()).leasesExpired).toBe(0);
});

test('progress and renew keep a lease alive', async () => {
  const id = await claimed();
  h.clock.advance(minutes(100));
  await h.ok('need', 'progress', { id, note: '已联系供货商' }, HEAD);
  h.clock.advance(minutes(100));
  await h.ok('need', 'renew', { id }, HEAD);
  h.clock.advance(minutes(100));
  expect((await run()).leasesExpired).toBe(0);
  expect((await h.ok('need', 'get', { id }, OWNER)).status).toBe('in_progress');
});

test('the claimer is warned once before the lease runs out', async () => {
  await claimed();
  h.clock.advance(minutes(110));
  const first = await run();
  const second = await run();
  expect([first.leaseWarnings, second.leaseWarnings]).toEqual([1, 0]);
  expect(sent('leaseExpiring').filter((m) => m.touser === HEAD)).toHaveLength(1);
});

test('a run that dies between an escalation and its message: the next run sends the message, once', async () => {
  const notify = await import('../../server/notify/notify');
  const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
  h.clock.advance(minutes(61));
  // The process stops right after the escalation is written, before anything is sent.
  const died = jest.spyOn(notify, 'notifyHeadsAndAdmins').mockRejectedValueOnce(new Error('the function instance was stopped'));
  await expect(run()).rejects.toThrow('stopped');
  died.mockRestore();
  expect(await h.ok('need', 'get', { id }, OWNER)).toMatchObject({ escalated: true, escalatedFor: 'firstResponse' });
  expect(sent('needEscalated')).toEqual([]);
  // Within the grace minute the message may still be on its way in the run that wrote it.
  expect((await run()).escalationsResent).toBe(0);
  h.clock.advance(minutes(2));
  const [next, after] = [await run(), await run()];
  expect([next.escalationsResent, after.escalationsResent]).toEqual([1, 0]);
  expect(sent('needEscalated').map((m) => m.touser).sort()).toEqual(['demo-admin', HEAD]);
  // The pending mark is an annotation: the history still verifies.
  expect((await h.ok('admin', 'verifyTimeline', { id }, 'demo-admin')).intact).toBe(true);
});

test('a need past its SLA is escalated once per deadline, and the unit head and admins are told', async () => {
  // Monday 09:00 China; first contact within 1 hour, resolution by Wednesday 18:00 (2 working days).
  const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
  h.clock.advance(minutes(59));
  expect((await run()).escalated).toBe(0);
  h.clock.advance(minutes(2));
  const [first, second] = [await run(), await run()];
  expect([first.escalated, second.escalated]).toEqual([1, 0]);
  expect(await h.ok('need', 'get', { id }, OWNER)).toMatchObject({ escalated: true, escalatedFor: 'firstResponse', status: 'routed' });
  expect(sent('needEscalated').map((m) => m.touser).sort()).toEqual(['demo-admin', HEAD]);
  h.clock.current = new Date('2026-03-04T09:59:00Z');
  expect((await run()).escalated).toBe(0);
  h.clock.current = new Date('2026-03-04T10:01:00Z');
  const [third, fourth] = [await run(), await run()];
  expect([third.escalated, fourth.escalated]).toEqual([1, 0]);
  const need = await h.ok('need', 'get', { id }, OWNER);
  expect(need).toMatchObject({ escalated: true, escalatedFor: 'resolution', status: 'routed' });
  expect(need.timeline.filter((e: any) => /升级/.test(e.note ?? ''))).toHaveLength(2);
  expect(sent('needEscalated').map((m) => m.touser).sort()).toEqual(['demo-admin', 'demo-admin', HEAD, HEAD]);
  expect((await h.ok('need', 'queue', { escalated: true }, HEAD)).items.map((n: any) => n.id)).toEqual([id]);
});

test('a waiting need is not escalated while the enterprise has the question', async () => {
  const id = await claimed();
  await h.ok('need', 'wait', { id, question: '请提供收货联系人' }, HEAD);
  h.clock.advance(48 * 3600_000);
  expect((await run()).escalated).toBe(0);
  expect((await run()).leasesExpired).toBe(0);
});

test('concurrent scheduler runs do the work once', async () => {
  for (let i = 0; i < 5; i++) await claimed();
  h.clock.advance(30 * 3600_000);
  const reports = await Promise.all([run(), run(), run()]);
  expect(reports.reduce((n, r) => n + r.leasesExpired, 0)).toBe(5);
  expect(reports.reduce((n, r) => n + r.escalated, 0)).toBe(5);
  const needs = (await h.db.collection('needs').where({ status: 'routed' }).limit(1000).get()).data as any[];
  const systemEvents = needs.flatMap((n) => n.timeline).filter((e: any) => e.role === 'system');
  expect(systemEvents).toHaveLength(10);
});

test('each unit head gets one digest a day, after 08:00 China time', async () => {
  await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER);
  // The harness clock starts at 01:00 UTC = 09:00 in China.
  h.clock.current = new Date('2026-03-01T23:00:00Z'); // 07:00 China: too early
  expect((await run()).digests).toBe(0);
  h.clock.current = new Date('2026-03-02T01:00:00Z');
  expect((await run()).digests).toBe(1);
  expect((await run()).digests).toBe(0);
  const digest = sent('dailyDigest')[0];
  expect(digest).toMatchObject({ touser: HEAD, data: { thing1: '待办 1 件', date3: '2026年3月2日' } });
  h.clock.advance(24 * 3600_000);
  expect((await run()).digests).toBe(1);
});

test('admins can run the scheduler by hand; nobody else can', async () => {
  expect(await h.ok('scheduler', 'run', {}, 'demo-admin')).toMatchObject({ leasesExpired: 0, escalated: 0 });
  expect(await h.fail('scheduler', 'run', {}, HEAD)).toMatchObject({ code: 'FORBIDDEN' });
});

test('a run costs about one write per due need, stops when its time budget is spent, and the next run finishes the rest once', async () => {
  await h.ok('admin', 'saveSettings', { rateLimits: { 'need.submit': 100000 } }, 'demo-admin');
  for (let i = 0; i < 250; i++) await claimed();
  h.clock.advance(minutes(121));
  const { withRoundTrips } = await import('../../server/local/roundTrips');
  // A budget of 0 ms: the run takes no page at all and says it is unfinished.
  const starved = await runScheduler(h.rt.ports, 0);
  expect(starved).toMatchObject({ leasesExpired: 0, unfinished: true });
  const { report, db } = await withRoundTrips(async (read) => ({ report: await run(), db: read() }));
  expect(report).toMatchObject({ leasesExpired: 250, unfinished: false });
  // One conditional write per change (a lease expired; past two hours the first-response deadline has
  // passed too, so each need also escalates, and settles the message it owed once sent: two writes), a few
  // pages of 100 per step, the configuration — never six per need.
  expect(db).toBeLessThan(report.leasesExpired + 2 * report.escalated + 40);
  expect((await run()).leasesExpired).toBe(0);
  const routed = (await h.db.collection('needs').where({ status: 'routed' }).limit(1000).get()).data as any[];
  const expiries = (n: any) => n.timeline.filter((e: any) => e.role === 'system' && e.from !== 'routed' && e.to === 'routed').length;
  expect(routed.filter((n) => expiries(n) === 1)).toHaveLength(250);
}, 60_000);
