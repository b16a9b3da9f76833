/**
 * The full lifecycle of a need (issue 3): every transition allowed and
 * refused, role and scope boundaries, partial fulfilment, transfer chains,
 * the SLA pause while waiting.
 */
import type { NeedStatus } from '../../typings/api';
import { HOLDING, LIFECYCLE, PERSON_ACTIONS, type LifecycleAction } from '../../server/needs/lifecycle';
import { functions } from '../../server/functions';
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

let seq = 0;
const key = () => `life-${String(++seq).padStart(8, '0')}`;
const HEAD = 'demo-chamber-head';
const OWNER = 'demo-hualun';

async function newNeed(payload: Record<string, unknown> = masks(), owner = OWNER) {
  return (await h.ok('need', 'submit', { ...payload, clientKey: key() }, owner)).needs[0];
}

/** Drives a fresh supplies need of 华伦医疗 (routed to chamber-pharma) into `status`. */
async function needIn(status: NeedStatus): Promise<string> {
  const { id } = await newNeed();
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

/** Who performs each action in the table, and with what payload. The head holds every claim here, so an admin breaks it. */
const ACTORS: Record<(typeof PERSON_ACTIONS)[number], [string, Record<string, unknown>]> = {
  claim: [HEAD, {}],
  renew: [HEAD, {}],
  release: [HEAD, {}],
  breakClaim: ['demo-admin', {}],
  contacted: [HEAD, {}],
  progress: [HEAD, { note: '进展' }],
  wait: [HEAD, { question: '问题' }],
  answer: [OWNER, { text: '答复' }],
  fulfil: [HEAD, { note: '完成' }],
  transfer: [HEAD, { toUnitCode: 'chamber-catering', reason: '对口商会' }],
  reject: [HEAD, { reason: '无法办理' }],
  cancel: [OWNER, {}],
  confirm: [OWNER, { rating: 4 }],
  reopen: [OWNER, { reason: '数量不对' }],
};

const STATUSES: NeedStatus[] = ['routed', 'claimed', 'in_progress', 'waiting', 'fulfilled', 'confirmed', 'rejected', 'cancelled'];

/** The table's actions that the need function serves (need.contacted arrives with the SLA work). */
const served = Object.entries(ACTORS).filter(([action]) => action in functions.need);

describe('the lifecycle table is enforced', () => {
  test('every action of the table people take has an actor here', () => {
    expect(Object.keys(ACTORS).sort()).toEqual([...PERSON_ACTIONS].sort());
  });

  for (const [action, [who, payload]] of served) {
    const allowed = LIFECYCLE[action as LifecycleAction].from as readonly NeedStatus[];
    for (const status of STATUSES) {
      // A rejected need sits at triage (fic): the chamber head is out of scope there, tested separately.
      if (status === 'rejected' && allowed.includes(status)) continue;
      const expectation = allowed.includes(status) ? 'is allowed' : 'is refused';
      test(`${action} from ${status} ${expectation}`, async () => {
        const id = await needIn(status);
        const env = await h.raw('need', action, { id, ...payload }, who);
        if (allowed.includes(status)) {
          expect(env).toMatchObject({ ok: true });
        } else {
          expect(env.ok).toBe(false);
          const code = (env as any).error.code;
          // Reach is checked first: a rejected need has moved to triage, out of the chamber head's reach.
          if (status === 'rejected' && who === HEAD) expect(code).toBe('FORBIDDEN');
          // A held need answers CONFLICT to a claim; everything else outside the table is FAILED_PRECONDITION.
          else if (action === 'claim' && HOLDING.includes(status)) expect(code).toBe('CONFLICT');
          else expect(code).toBe('FAILED_PRECONDITION');
        }
      });
    }
  }
});

describe('roles and scope', () => {
  test('only the claimer works a claimed need; another member of the unit is FORBIDDEN', async () => {
    const id = await needIn('claimed');
    await h.db.collection('users').doc('pharma-2').set({ data: { roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: [] } });
    for (const [action, payload] of [
      ['renew', {}],
      ['release', {}],
      ['progress', { note: 'x' }],
      ['wait', { question: 'x' }],
      ['fulfil', { note: 'x' }],
      ['transfer', { toUnitCode: 'fic', reason: 'x' }],
      ['reject', { reason: 'x' }],
    ] as const) {
      expect(await h.fail('need', action, { id, ...payload }, 'pharma-2')).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await h.fail('need', 'breakClaim', { id }, 'pharma-2')).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('another enterprise cannot answer, confirm, reopen or cancel; a unit cannot act for the enterprise', async () => {
    const waiting = await needIn('waiting');
    expect(await h.fail('need', 'answer', { id: waiting, text: 'x' }, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('need', 'answer', { id: waiting, text: 'x' }, HEAD)).toMatchObject({ code: 'FORBIDDEN' });
    const fulfilled = await needIn('fulfilled');
    expect(await h.fail('need', 'reopen', { id: fulfilled, reason: 'x' }, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('need', 'cancel', { id: await needIn('routed') }, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('an admin may break any claim; a head only in their own unit', async () => {
    const id = await needIn('claimed');
    const broken = await h.ok('need', 'breakClaim', { id, reason: '长时间未处理' }, 'demo-admin');
    expect(broken).toMatchObject({ status: 'routed' });
    expect(broken.claimedBy).toBeUndefined();
    const hiring = await newNeed({ type: 'hiring', positions: [{ title: '焊工', count: 2 }] });
    await h.ok('need', 'claim', { id: hiring.id }, 'demo-hrss');
    expect(await h.fail('need', 'breakClaim', { id: hiring.id }, HEAD)).toMatchObject({ code: 'FORBIDDEN' });
    expect(h.rt.outbox.read().some((m) => m.touser === HEAD && m.template === 'leaseExpiring')).toBe(true);
  });

  test("a head breaks a member's claim and the member is told; the head's own claim is released, not broken", async () => {
    const { id } = await newNeed();
    await h.db.collection('users').doc('pharma-2').set({ data: { roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: [] } });
    await h.ok('need', 'claim', { id }, 'pharma-2');
    expect(await h.ok('need', 'breakClaim', { id, reason: '三天没有进展' }, HEAD)).toMatchObject({ status: 'routed' });
    expect(h.rt.outbox.read().some((m) => m.touser === 'pharma-2' && m.template === 'leaseExpiring')).toBe(true);
    await h.ok('need', 'claim', { id }, HEAD);
    expect(await h.fail('need', 'breakClaim', { id }, HEAD)).toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  test('transfer needs a real target unit and a reason', async () => {
    const id = await needIn('claimed');
    expect(await h.fail('need', 'transfer', { id, toUnitCode: 'mars', reason: 'x' }, HEAD)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'toUnitCode' });
    expect(await h.fail('need', 'transfer', { id, toUnitCode: 'fic', reason: '' }, HEAD)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'reason' });
    expect(await h.fail('need', 'transfer', { id, toUnitCode: 'chamber-pharma', reason: 'x' }, HEAD)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'toUnitCode' });
  });
});

describe('lifecycle behaviour', () => {
  test('waiting pauses the SLA clock: the deadline moves on by the time waited', async () => {
    const id = await needIn('claimed');
    const before = await h.ok('need', 'get', { id }, OWNER);
    h.clock.advance(3600_000);
    await h.ok('need', 'wait', { id, question: '口罩要医用还是普通？' }, HEAD);
    expect((await h.ok('need', 'get', { id }, OWNER)).waitQuestion).toBe('口罩要医用还是普通？');
    h.clock.advance(5 * 3600_000);
    const answered = await h.ok('need', 'answer', { id, text: '医用外科口罩' }, OWNER);
    expect(answered.status).toBe('in_progress');
    expect(answered.waitAnswer).toBe('医用外科口罩');
    expect(Date.parse(answered.dueAt) - Date.parse(before.dueAt)).toBe(5 * 3600_000);
  });

  test('a partial fulfilment of supplies leaves the remainder as a new linked need in the same queue', async () => {
    const { id } = await newNeed({ ...masks(20000), items: [{ kind: 'mask', quantity: 20000, unit: '个' }, { kind: 'disinfectant', quantity: 50, unit: '瓶' }] });
    await h.ok('need', 'claim', { id }, HEAD);
    const done = await h.ok('need', 'fulfil', { id, note: '先送 1.5 万个', quantityDelivered: 15000 }, HEAD);
    expect(done.status).toBe('fulfilled');
    const rest = await h.ok('need', 'get', { id: done.remainderId }, OWNER);
    expect(rest).toMatchObject({ status: 'routed', parentId: id, unitCode: 'chamber-pharma' });
    expect(rest.items).toEqual([
      { kind: 'mask', quantity: 5000, unit: '个' },
      { kind: 'disinfectant', quantity: 50, unit: '瓶' },
    ]);
    expect(rest.timeline).toHaveLength(1);
    const queue = await h.ok('need', 'queue', {}, HEAD);
    expect(queue.items.map((n: any) => n.id)).toContain(rest.id);
    expect(await h.fail('need', 'fulfil', { id: rest.id, note: 'x', quantityDelivered: 1 }, HEAD)).toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  test('fulfilling short again after a reopen keeps the one remainder there is, shrunk by the second delivery', async () => {
    // Issue 8: fulfil 40 of 100, the owner reopens, fulfil 40 again — two routed 60-mask remainders existed.
    // Issue 20: the second delivery is taken off the one remainder (100 = 80 delivered + 20 owed).
    const { id } = await newNeed(masks(100));
    await h.ok('need', 'claim', { id }, HEAD);
    const first = await h.ok('need', 'fulfil', { id, note: '先送 40 个', quantityDelivered: 40 }, HEAD);
    await h.ok('need', 'reopen', { id, reason: '还差 60 个' }, OWNER);
    const second = await h.ok('need', 'fulfil', { id, note: '又送 40 个', quantityDelivered: 40 }, HEAD);
    expect(second.remainderId).toBe(first.remainderId);
    expect(second.quantityDelivered).toBe(80);
    const remainders = (await h.db.collection('needs').where({ parentId: id }).limit(10).get()).data as any[];
    expect(remainders).toHaveLength(1);
    expect(remainders[0].items).toEqual([{ kind: 'mask', quantity: 20, unit: '个' }]);
  });

  test('a fulfil that loses its race leaves no remainder: it is written only after the winning write', async () => {
    const { id } = await newNeed(masks(100));
    await h.ok('need', 'claim', { id }, HEAD);
    // The head breaks nothing here: the claimer's fulfil is refused because a concurrent
    // release moved the need first; no remainder was written for it (issue 20).
    const store = h.rt.store as any;
    const modify = store.modify.bind(store);
    let raced = false;
    jest.spyOn(store, 'modify').mockImplementation((...args: any[]) => {
      if (!raced && args[0] === 'needs' && (args[1] as any).eventSeq !== undefined) {
        raced = true;
        // Another writer moves the need between the fulfil's read and its conditional write.
        modify('needs', { _id: id }, { $set: { status: 'routed', claimedBy: null }, $inc: { eventSeq: 1 } }, { multi: false, merge: true, upsert: false });
      }
      return modify(...args);
    });
    const err = await h.fail('need', 'fulfil', { id, note: '先送 40 个', quantityDelivered: 40 }, HEAD);
    jest.restoreAllMocks();
    expect(err.code).toMatch(/FAILED_PRECONDITION|FORBIDDEN/);
    expect((await h.db.collection('needs').where({ parentId: id }).limit(10).get()).data).toEqual([]);
  });

  test('delivering more than was asked is refused; delivering all leaves no remainder', async () => {
    const id = await needIn('claimed');
    expect(await h.fail('need', 'fulfil', { id, note: 'x', quantityDelivered: 20001 }, HEAD)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'quantityDelivered' });
    expect((await h.ok('need', 'fulfil', { id, note: '全部送达', quantityDelivered: 20000 }, HEAD)).remainderId).toBeUndefined();
  });

  test('financing: the finance desk hands the loan to a bank; amounts and phones are shown as the spec allows', async () => {
    const loan = await newNeed({ type: 'financing', amountWan: 2000, purpose: '疫情防控物资生产专项', termMonths: 12, preferredBank: '建设银行' });
    expect(loan.unitCode).toBe('fic-finance');
    await h.ok('need', 'claim', { id: loan.id }, 'demo-finance');
    const moved = await h.ok('need', 'transfer', { id: loan.id, toUnitCode: 'bank-ccb', reason: '企业首选建行，已对接' }, 'demo-finance');
    expect(moved).toMatchObject({ status: 'routed', unitCode: 'bank-ccb', route: { ruleId: null } });
    expect(moved.handledUnits).toEqual(['fic-finance', 'bank-ccb']);
    await h.db.collection('users').doc('ccb-officer').set({ data: { roles: ['unit'], unitCodes: ['bank-ccb'], headOf: [] } });
    const atBank = await h.ok('need', 'get', { id: loan.id }, 'ccb-officer');
    expect(atBank).toMatchObject({ amountWan: 2000, contact: { phone: '13908310002' } });
    const atDesk = await h.ok('need', 'get', { id: loan.id }, 'demo-finance');
    expect(atDesk.amountWan).toBe(2000);
    expect(atDesk.contact.phone).toBe('139****0002');
    const admin = await h.ok('need', 'get', { id: loan.id }, 'demo-admin');
    expect(admin.amountWan).toBe(2000);
    await h.ok('admin', 'createInvite', { role: 'taskforce', taskForceId: 'tf-01' }, 'demo-admin').then(({ code }) =>
      h.ok('user', 'redeemInvite', { code }, 'tf-a-member'),
    );
    const tf = await h.ok('need', 'get', { id: loan.id }, 'tf-a-member');
    expect(tf.amountWan).toBeUndefined();
    expect(tf.contact.phone).toBe('13908310002');
    expect(await h.fail('need', 'get', { id: loan.id }, 'demo-taskforce')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('need', 'get', { id: loan.id }, 'demo-hrss')).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('a transfer chain keeps every hop in the timeline and the route', async () => {
    const { id } = await newNeed({ type: 'other', description: '厂区门口道路施工影响货车进出' });
    expect((await h.ok('need', 'get', { id }, OWNER)).unitCode).toBe('fic');
    await h.db.collection('users').doc('fic-staff').set({ data: { roles: ['unit'], unitCodes: ['fic'], headOf: [] } });
    await h.ok('need', 'transfer', { id, toUnitCode: 'commerce', reason: '涉及物流通道' }, 'fic-staff');
    await h.db.collection('users').doc('commerce-staff').set({ data: { roles: ['unit'], unitCodes: ['commerce'], headOf: [] } });
    await h.ok('need', 'claim', { id }, 'commerce-staff');
    await h.ok('need', 'transfer', { id, toUnitCode: 'ndrc', reason: '属于市政协调' }, 'commerce-staff');
    const detail = await h.ok('need', 'get', { id }, OWNER);
    expect(detail.handledUnits).toEqual(['fic', 'commerce', 'ndrc']);
    expect(detail.timeline.map((e: any) => e.to)).toEqual(['routed', 'routed', 'claimed', 'routed']);
    expect(detail.timeline[3].note).toMatch(/区发展改革委/);
    expect(await h.ok('admin', 'verifyTimeline', { id }, 'demo-admin')).toEqual({ intact: true, events: 4 });
  });

  test('a rejected need goes to federation triage; triage may pass it on or refuse it for good', async () => {
    const id = await needIn('rejected');
    const rejected = await h.ok('need', 'get', { id }, OWNER);
    expect(rejected).toMatchObject({ status: 'rejected', unitCode: 'fic', rejectReason: '非本会业务' });
    await h.db.collection('users').doc('fic-staff').set({ data: { roles: ['unit'], unitCodes: ['fic'], headOf: [] } });
    expect((await h.ok('need', 'queue', {}, 'fic-staff')).items.map((n: any) => n.id)).toContain(id);
    expect(await h.fail('need', 'claim', { id }, HEAD)).toMatchObject({ code: 'FORBIDDEN' });
    await h.ok('need', 'claim', { id }, 'fic-staff');
    const final = await h.ok('need', 'reject', { id, reason: '不属于复工服务范围' }, 'fic-staff');
    expect(final).toMatchObject({ status: 'rejected', rejectFinal: true });
    expect(await h.fail('need', 'claim', { id }, 'fic-staff')).toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  test('reopen returns the need to its handler under a fresh lease', async () => {
    const id = await needIn('fulfilled');
    const reopened = await h.ok('need', 'reopen', { id, reason: '收到的数量不足' }, OWNER);
    expect(reopened).toMatchObject({ status: 'in_progress', claimedByMe: false });
    expect((await h.ok('need', 'get', { id }, 'demo-admin')).claimedBy).toBe(HEAD);
    expect(reopened.leaseUntil).toBeDefined();
    expect(await h.fail('need', 'reopen', { id, reason: '' }, OWNER)).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('renew extends the lease and records it; release returns the need to the queue', async () => {
    const id = await needIn('claimed');
    const first = (await h.ok('need', 'get', { id }, HEAD)).leaseUntil;
    h.clock.advance(30 * 60_000);
    const renewed = await h.ok('need', 'renew', { id }, HEAD);
    expect(Date.parse(renewed.leaseUntil) - Date.parse(first)).toBe(30 * 60_000);
    const released = await h.ok('need', 'release', { id }, HEAD);
    expect(released.status).toBe('routed');
    expect(released.claimedBy).toBeUndefined();
  });

  test('queue filters: type, escalated, mine', async () => {
    const a = await newNeed();
    const b = await newNeed();
    await h.ok('need', 'claim', { id: b.id }, HEAD);
    const mine = await h.ok('need', 'queue', { mine: true }, HEAD);
    expect(mine.items.map((n: any) => n.id)).toEqual([b.id]);
    expect((await h.ok('need', 'queue', { type: 'hiring' }, HEAD)).items).toEqual([]);
    expect((await h.ok('need', 'queue', { type: 'supplies' }, HEAD)).items.map((n: any) => n.id).sort()).toEqual([a.id, b.id].sort());
    expect((await h.ok('need', 'queue', { escalated: true }, HEAD)).items).toEqual([]);
  });

  test('routePreview answers where a need would go without creating anything', async () => {
    const preview = await h.ok('need', 'routePreview', { type: 'supplies', industry: 'catering', zone: 'yuejincun', chamberCodes: [] }, 'demo-admin');
    expect(preview).toMatchObject({ unitCode: 'chamber-catering', ruleId: 'supplies-industry-catering', unitName: '区餐饮商会' });
    const member = await h.ok('need', 'routePreview', { type: 'supplies', industry: 'manufacturing', zone: 'baqiao', chamberCodes: ['chamber-zhejiang'] }, 'demo-admin');
    expect(member.unitCode).toBe('chamber-zhejiang');
    expect((await h.db.collection('needs').count()).total).toBe(0);
    expect(await h.fail('need', 'routePreview', { type: 'supplies', industry: 'catering', zone: 'x' }, HEAD)).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('list filters', () => {
  test('need.mine takes one status or a list of them', async () => {
    const open = await newNeed();
    const cancelled = await needIn('cancelled');
    const closed = await h.ok('need', 'mine', { status: ['confirmed', 'cancelled'] }, OWNER);
    expect(closed.items.map((n: any) => n.id)).toEqual([cancelled]);
    const routed = await h.ok('need', 'mine', { status: 'routed' }, OWNER);
    expect(routed.items.map((n: any) => n.id)).toEqual([open.id]);
    expect(await h.fail('need', 'mine', { status: [] }, OWNER)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'status' });
  });

  test("a policy need's own question survives a wait", async () => {
    const { id } = await newNeed({ type: 'policy', question: '房租减免怎么申请？' });
    await h.db.collection('users').doc('fic-staff').set({ data: { roles: ['unit'], unitCodes: ['fic'], headOf: [] } });
    await h.ok('need', 'claim', { id }, 'fic-staff');
    const waiting = await h.ok('need', 'wait', { id, question: '承租的是国有房产吗？' }, 'fic-staff');
    expect(waiting).toMatchObject({ question: '房租减免怎么申请？', waitQuestion: '承租的是国有房产吗？' });
  });
});
