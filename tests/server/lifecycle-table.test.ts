/**
 * The one lifecycle table (issue 8): allowedActions for every status and
 * every kind of caller, as a pure function; need.get answering exactly what
 * the server then accepts; the docs drawn from the table; the lease as long
 * as the work (issue 9).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { NeedAction, NeedStatus } from '../../typings/api';
import { allowedActions, PERSON_ACTIONS, renderLifecycleTable, statesFor, type Caller, type NeedLike } from '../../server/needs/lifecycle';
import { functions } from '../../server/functions';
import { masks, startHarness, type Harness } from './harness';

const STATUSES: NeedStatus[] = ['routed', 'claimed', 'in_progress', 'waiting', 'fulfilled', 'confirmed', 'rejected', 'cancelled'];

test('docs/lifecycle.md carries the diagram and table drawn from the table now', () => {
  const doc = readFileSync(join(__dirname, '../../docs/lifecycle.md'), 'utf8');
  // On failure: paste the output of renderLifecycleTable() into docs/lifecycle.md between its markers.
  expect(doc).toContain(renderLifecycleTable());
});

test('the scheduler sweeps the states the table names', () => {
  expect(statesFor('expireLease')).toEqual(['claimed', 'in_progress']);
  expect(statesFor('escalate')).toEqual(['routed', 'claimed', 'in_progress']);
});

describe('allowedActions, every status × every caller (pure)', () => {
  const base = { unitCode: 'u', enterpriseId: 'e' };
  const held = (status: NeedStatus, claimedBy = 'c'): NeedLike => ({ ...base, status, claimedBy });
  const free = (status: NeedStatus, extra: Partial<NeedLike> = {}): NeedLike => ({ ...base, status, claimedBy: null, ...extra });
  const caller = (openid: string, extra: Partial<Caller> = {}): Caller => ({ openid, handlerUnits: [], headOf: [], admin: false, ...extra });

  const callers = {
    claimer: caller('c', { handlerUnits: ['u'] }),
    member: caller('m', { handlerUnits: ['u'] }),
    head: caller('h', { handlerUnits: ['u'], headOf: ['u'] }),
    owner: caller('o', { enterpriseId: 'e' }),
    otherEnterprise: caller('x', { enterpriseId: 'e2' }),
    otherUnit: caller('y', { handlerUnits: ['u2'], headOf: ['u2'] }),
    admin: caller('a', { admin: true }),
  };
  type Who = keyof typeof callers;
  const none: Record<Who, NeedAction[]> = { claimer: [], member: [], head: [], owner: [], otherEnterprise: [], otherUnit: [], admin: [] };
  const work: NeedAction[] = ['renew', 'release', 'progress', 'wait', 'contacted', 'fulfil', 'transfer', 'reject'];
  const unclaimed: NeedAction[] = ['claim', 'contacted', 'transfer', 'reject'];

  const cases: Array<[string, NeedLike, Record<Who, NeedAction[]>]> = [
    ['routed', free('routed'), { ...none, claimer: unclaimed, member: unclaimed, head: unclaimed, owner: ['cancel'] }],
    ['claimed', held('claimed'), { ...none, claimer: work, head: ['breakClaim'], owner: ['cancel'], admin: ['breakClaim'] }],
    ['in_progress', held('in_progress'), { ...none, claimer: work, head: ['breakClaim'], owner: ['cancel'], admin: ['breakClaim'] }],
    ['waiting', held('waiting'), { ...none, claimer: ['contacted'], owner: ['answer', 'cancel'] }],
    ['fulfilled', held('fulfilled'), { ...none, owner: ['confirm', 'reopen'] }],
    ['confirmed', held('confirmed'), none],
    ['rejected (at triage)', free('rejected'), { ...none, claimer: ['claim', 'contacted', 'transfer'], member: ['claim', 'contacted', 'transfer'], head: ['claim', 'contacted', 'transfer'] }],
    ['rejected for good', free('rejected', { rejectFinal: true }), { ...none, claimer: ['transfer'], member: ['transfer'], head: ['transfer'] }],
    ['cancelled', free('cancelled'), none],
  ];

  for (const [name, need, expected] of cases) {
    test(name, () => {
      const got = Object.fromEntries(Object.entries(callers).map(([who, c]) => [who, allowedActions(need, c)]));
      expect(got).toEqual(expected);
    });
  }

  test('every status is covered above', () => {
    expect(new Set(cases.map(([, n]) => n.status))).toEqual(new Set(STATUSES));
  });

  test('a head holding the claim works it like any claimer, and does not break their own claim', () => {
    expect(allowedActions(held('claimed', 'h'), callers.head)).toEqual(work);
  });

  test('a claimer no longer in the unit (role taken away) can do nothing with the need', () => {
    expect(allowedActions(held('claimed'), caller('c'))).toEqual([]);
  });
});

describe('need.get answers allowedActions, and the server accepts exactly those', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.db.collection('users').doc('pharma-2').set({ data: { roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: [] } });
  });
  afterAll(() => h.close());

  const HEAD = 'demo-chamber-head';
  const OWNER = 'demo-hualun';
  let seq = 0;
  const key = () => `table-${String(++seq).padStart(8, '0')}`;

  const PAYLOADS: Record<NeedAction, Record<string, unknown>> = {
    claim: {},
    renew: {},
    release: {},
    breakClaim: {},
    progress: { note: '进展' },
    wait: { question: '问题' },
    contacted: {},
    answer: { text: '答复' },
    fulfil: { note: '完成' },
    transfer: { toUnitCode: 'chamber-catering', reason: '对口商会' },
    reject: { reason: '无法办理' },
    cancel: {},
    confirm: { rating: 4 },
    reopen: { reason: '数量不对' },
  };

  /** A fresh supplies need of 华伦医疗 (routed to chamber-pharma), driven into `status` by the head. */
  async function needIn(status: NeedStatus): Promise<string> {
    // A fresh minute for each submission: need.submit is rate-limited per caller.
    h.clock.advance(61_000);
    const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
    const steps: Record<NeedStatus, Array<[string, string, Record<string, unknown>]>> = {
      routed: [],
      claimed: [['claim', HEAD, {}]],
      in_progress: [['claim', HEAD, {}], ['progress', HEAD, { note: '正在调货' }]],
      waiting: [['claim', HEAD, {}], ['wait', HEAD, { question: '需要哪种型号？' }]],
      fulfilled: [['claim', HEAD, {}], ['fulfil', HEAD, { note: '已送达' }]],
      confirmed: [['claim', HEAD, {}], ['fulfil', HEAD, { note: '已送达' }], ['confirm', OWNER, { rating: 5 }]],
      rejected: [['claim', HEAD, {}], ['reject', HEAD, { reason: '非本会业务' }]],
      cancelled: [['cancel', OWNER, {}]],
    };
    for (const [action, who, extra] of steps[status]) await h.ok('need', action, { id, ...extra }, who);
    return id;
  }

  const served = PERSON_ACTIONS.filter((a) => a in functions.need);
  const people = [HEAD, 'pharma-2', OWNER, 'demo-admin'];

  for (const status of STATUSES) {
    test(`${status}: each caller's allowedActions succeed, every other action is refused`, async () => {
      const id = await needIn(status);
      for (const who of people) {
        const { allowedActions: allowed } = await h.ok('need', 'get', { id }, who).catch(() => ({ allowedActions: [] as NeedAction[] }));
        // A refused action changes nothing, so the same need serves until an action succeeds.
        let subject = await needIn(status);
        for (const action of served) {
          const env = await h.raw('need', action, { id: subject, ...PAYLOADS[action] }, who);
          if (env.ok !== allowed.includes(action)) {
            throw new Error(`${who} ${action} on ${status}: allowedActions ${JSON.stringify(allowed)}, server ${JSON.stringify(env)}`);
          }
          if (env.ok) subject = await needIn(status);
        }
      }
    });
  }

  test('need.get costs no extra round trip for allowedActions and the contact position', async () => {
    const id = await needIn('claimed');
    await h.ok('need', 'get', { id }, HEAD); // warm the instance
    const { data, db } = await h.counted('need', 'get', { id }, HEAD);
    expect(db).toBeLessThanOrEqual(3);
    expect(data.allowedActions).toEqual(['renew', 'release', 'progress', 'wait', 'contacted', 'fulfil', 'transfer', 'reject']);
    expect(data.contact).toMatchObject({ name: expect.any(String), phone: expect.stringMatching(/^1\d{10}$/), address: expect.any(String) });
    expect(data.contact.location).toEqual({ latitude: expect.any(Number), longitude: expect.any(Number) });
  });
});

test('queue rows carry allowedActions: a routed need offers claim, a held one nothing to another member', async () => {
  const h = await startHarness();
  try {
    const [a, b] = (
      await h.ok('need', 'submit', { clientKey: 'table-queue-0001', needs: [masks(), { type: 'hiring', positions: [{ title: '焊工', count: 2 }] }] }, 'demo-hualun')
    ).needs;
    const c = (await h.ok('need', 'submit', { ...masks(500), clientKey: 'table-queue-0002' }, 'demo-hualun')).needs[0];
    await h.ok('need', 'claim', { id: c.id }, 'demo-chamber-head');
    await h.db.collection('users').doc('pharma-2').set({ data: { roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: [] } });
    const rows = (await h.ok('need', 'queue', {}, 'pharma-2')).items;
    expect(rows.map((n: any) => [n.id, n.allowedActions])).toEqual([
      [a.id, ['claim', 'contacted', 'transfer', 'reject']],
      [c.id, []],
    ]);
    expect(b.unitCode).toBe('hrss');
  } finally {
    h.close();
  }
});

describe('a claim lasts as long as the work', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  const HEAD = 'demo-chamber-head';
  const OWNER = 'demo-hualun';
  const minutesLeft = (leaseUntil: string) => (Date.parse(leaseUntil) - h.clock.current.getTime()) / 60_000;
  let seq = 0;
  const key = () => `lease-${String(++seq).padStart(8, '0')}`;

  test('a mask job holds for two days, a loan for three (seed), both from district settings', async () => {
    const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
    expect(minutesLeft((await h.ok('need', 'claim', { id }, HEAD)).leaseUntil)).toBe(2880);
    const loan = (await h.ok('need', 'submit', { type: 'financing', amountWan: 200, purpose: '复工流动资金', termMonths: 12, clientKey: key() }, OWNER)).needs[0];
    expect(minutesLeft((await h.ok('need', 'claim', { id: loan.id }, 'demo-finance')).leaseUntil)).toBe(4320);
  });

  test('a type the settings leave out takes leaseMinutes; an admin edit applies to the next claim', async () => {
    await h.ok('admin', 'saveSettings', { leaseMinutes: 90, leaseMinutesByType: { financing: 600 } }, 'demo-admin');
    const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
    expect(minutesLeft((await h.ok('need', 'claim', { id }, HEAD)).leaseUntil)).toBe(90);
    expect((await h.ok('admin', 'getSettings', {}, 'demo-admin')).leaseMinutesByType).toEqual({ financing: 600 });
  });

  test('settings refuse an unknown type and a lease under 10 minutes', async () => {
    expect(await h.fail('admin', 'saveSettings', { leaseMinutesByType: { dragons: 600 } }, 'demo-admin')).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await h.fail('admin', 'saveSettings', { leaseMinutesByType: { supplies: 5 } }, 'demo-admin')).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('progress, answer and reopen each start a whole lease of the type again; renew too', async () => {
    const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
    await h.ok('need', 'claim', { id }, HEAD);
    h.clock.advance(20 * 3600_000);
    expect(minutesLeft((await h.ok('need', 'progress', { id, note: '已联系厂家' }, HEAD)).leaseUntil)).toBe(2880);
    await h.ok('need', 'wait', { id, question: '医用还是普通？' }, HEAD);
    h.clock.advance(30 * 3600_000);
    expect(minutesLeft((await h.ok('need', 'answer', { id, text: '医用' }, OWNER)).leaseUntil)).toBe(2880);
    h.clock.advance(3600_000);
    expect(minutesLeft((await h.ok('need', 'renew', { id }, HEAD)).leaseUntil)).toBe(2880);
    await h.ok('need', 'fulfil', { id, note: '已送达' }, HEAD);
    h.clock.advance(5 * 3600_000);
    const reopened = await h.ok('need', 'reopen', { id, reason: '少了一箱' }, OWNER);
    expect(reopened).toMatchObject({ status: 'in_progress', claimedByMe: false });
    expect((await h.ok('need', 'get', { id }, HEAD)).claimedByMe).toBe(true);
    expect(minutesLeft(reopened.leaseUntil)).toBe(2880);
  });

  test('a renewal reads as China time in the timeline, not an ISO string', async () => {
    const { id } = (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, OWNER)).needs[0];
    await h.ok('need', 'claim', { id }, HEAD);
    const renewed = await h.ok('need', 'get', { id }, HEAD).then(() => h.ok('need', 'renew', { id }, HEAD));
    const detail = await h.ok('need', 'get', { id: renewed.id }, OWNER);
    expect(detail.timeline.at(-1).note).toBe('认领续期至 3月4日 09:00');
  });
});
