/**
 * The deployed entry: identity comes from the WeChat context the platform
 * puts in the environment, never from the event; the timer path runs the
 * scheduler without a caller.
 */
import { cloudEntry } from '../../server/functions/entry';
import { userActions } from '../../server/functions/user';
import { schedulerActions } from '../../server/functions/scheduler';
import { runScheduler } from '../../server/scheduler/run';
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
const saved = { keys: process.env.WX_CONTEXT_KEYS, openid: process.env.WX_OPENID };

// The entry logs one JSON line per call, as the cloud's log service expects; not needed here.
let quiet: jest.SpyInstance;
beforeAll(async () => {
  h = await startHarness();
  quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterAll(() => {
  quiet.mockRestore();
  h.close();
  process.env.WX_CONTEXT_KEYS = saved.keys;
  process.env.WX_OPENID = saved.openid;
});

function asCaller(openid: string | undefined) {
  process.env.WX_CONTEXT_KEYS = 'WX_OPENID';
  if (openid) process.env.WX_OPENID = openid;
  else delete process.env.WX_OPENID;
}

test('the caller is the OPENID of the WeChat context, whatever the event claims', async () => {
  const main = cloudEntry('user', userActions, undefined, () => h.rt.ports);
  asCaller('demo-chamber-head');
  const res = (await main({ action: 'login', openid: 'demo-admin', OPENID: 'demo-admin' })) as any;
  expect(res).toMatchObject({ ok: true, data: { openid: 'demo-chamber-head', roles: ['unit'] } });
});

test('no WeChat context means UNAUTHENTICATED', async () => {
  const main = cloudEntry('user', userActions, undefined, () => h.rt.ports);
  asCaller(undefined);
  expect(await main({ action: 'login' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
});

test('a timer trigger runs the scheduler; an event from a person still needs the admin role', async () => {
  const main = cloudEntry('scheduler', schedulerActions, runScheduler, () => h.rt.ports);
  asCaller(undefined);
  const timer = (await main({ Type: 'Timer', TriggerName: 'every10min', Time: '2026-03-02T01:00:00Z' })) as any;
  expect(timer).toMatchObject({ ok: true, data: { leasesExpired: 0, escalated: 0 } });
  asCaller('demo-enterprise');
  expect(await main({ action: 'run' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

test('a phone sending the timer event is refused and nothing runs; the real trigger runs', async () => {
  const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: 'entry-timer-0001' }, 'demo-hualun')).needs[0];
  await h.ok('need', 'claim', { id }, 'demo-chamber-head');
  // Past the claim's lease (two days for supplies): a run of the scheduler would put the need back in the queue.
  h.clock.advance(49 * 3600_000);
  const onTimer = jest.fn(runScheduler);
  const main = cloudEntry('scheduler', schedulerActions, onTimer, () => h.rt.ports);

  asCaller('demo-enterprise');
  expect(await main({ Type: 'Timer' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/[\u4e00-\u9fa5]/) } });
  asCaller('demo-admin');
  expect(await main({ Type: 'Timer', TriggerName: 'every10min', Time: '2026-03-02T04:00:00Z' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(onTimer).not.toHaveBeenCalled();
  expect((await h.ok('need', 'get', { id }, 'demo-chamber-head')).status).toBe('claimed');

  asCaller(undefined);
  const timer = (await main({ Type: 'Timer', TriggerName: 'every10min', Time: '2026-03-02T04:00:00Z', Message: '' })) as any;
  expect(timer).toMatchObject({ ok: true, data: { leasesExpired: 1 } });
  expect(onTimer).toHaveBeenCalledTimes(1);
  expect((await h.ok('need', 'get', { id }, 'demo-chamber-head')).status).toBe('routed');
});
