/**
 * A notification whose send failed is sent again from a pending record until
 * it goes out once (issue 20, item 9); a refusal that cannot pass is not kept.
 */
import { runScheduler } from '../../server/scheduler/run';
import { MAX_ATTEMPTS } from '../../server/notify/pending';
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => jest.restoreAllMocks());
afterEach(() => h.close());

const OWNER = 'demo-hualun';
const HEAD = 'demo-chamber-head'; // the pharma chamber: where 华伦's masks go
let seq = 0;
const key = () => `pending-${String(++seq).padStart(8, '0')}`;
const platformError = (errCode: number, errMsg: string) => Object.assign(new Error(`errCode: ${errCode} | errMsg: ${errMsg}`), { errCode });
const pending = async () => (await h.db.collection('pendingMessages').where({ state: 'pending' }).limit(100).get()).data as any[];
const routedTo = (touser: string) => h.rt.outbox.read().filter((m) => m.template === 'needRouted' && m.touser === touser);

test('a send the platform failed for a passing reason is kept, and the next due run sends it once', async () => {
  const send = jest.spyOn(h.rt.ports.messenger, 'send').mockRejectedValueOnce(platformError(-1, 'system error'));
  const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
  expect(send).toHaveBeenCalled();
  expect(routedTo(HEAD)).toHaveLength(0);
  expect((await pending()).map((p) => [p.message.touser, p.attempts])).toEqual([[HEAD, 1]]);
  // Not before its time; then once.
  expect((await runScheduler(h.rt.ports)).messagesRetried).toEqual({ sent: 0, kept: 0, dropped: 0 });
  h.clock.advance(11 * 60_000);
  expect((await runScheduler(h.rt.ports)).messagesRetried).toEqual({ sent: 1, kept: 0, dropped: 0 });
  expect(routedTo(HEAD).map((m) => m.page)).toEqual([`unit/need-detail/index?id=${id}`]);
  expect(await pending()).toEqual([]);
  h.clock.advance(60 * 60_000);
  await runScheduler(h.rt.ports);
  expect(routedTo(HEAD)).toHaveLength(1);
});

test('a refusal that no retry changes (not subscribed, 43101) is not kept', async () => {
  jest.spyOn(h.rt.ports.messenger, 'send').mockRejectedValue(platformError(43101, 'user refuse to accept the msg'));
  await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER);
  expect(await pending()).toEqual([]);
});

test(`a send that keeps failing is tried ${MAX_ATTEMPTS} times in all, further apart each time, then given up`, async () => {
  const send = jest.spyOn(h.rt.ports.messenger, 'send').mockRejectedValue(platformError(-501001, 'resource system error'));
  const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
  const [kept] = (await pending()).filter((p) => p.message.touser === HEAD && p.message.template === 'needRouted');
  const attemptsOfIt = () => send.mock.calls.filter(([m]) => m.template === 'needRouted' && m.touser === HEAD && m.page === `unit/need-detail/index?id=${id}`).length;
  const seen: Array<{ attempts: number; waitMinutes: number } | null> = [];
  for (let i = 0; i < 12 && seen.at(-1) !== null; i++) {
    h.clock.advance(3 * 3600_000);
    await runScheduler(h.rt.ports);
    const { data } = await h.db.collection('pendingMessages').where({ _id: kept._id }).get();
    seen.push(data[0] ? { attempts: data[0].attempts, waitMinutes: (Date.parse(data[0].nextAt) - h.clock.now().getTime()) / 60_000 } : null);
  }
  expect(seen).toEqual([
    { attempts: 2, waitMinutes: 20 },
    { attempts: 3, waitMinutes: 40 },
    { attempts: 4, waitMinutes: 80 },
    null,
  ]);
  expect(attemptsOfIt()).toBe(MAX_ATTEMPTS);
});
