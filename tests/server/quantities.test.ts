/**
 * Issue 20, items 1 and 2: quantities are conserved and remainders follow
 * their parent's write.
 *
 * The invariant (tests/server/invariants.ts) is checked after every step.
 * The property test drives generated sequences of claim / fulfil (short,
 * whole, unstated, too much) / reopen / cancel / confirm by two handlers and
 * the owner; the crash tests fail the work at each database write and retry.
 */
import fc from 'fast-check';
import { LocalDbRequester, crashAtWrite as crashAt } from '../../server/local/transport';
import { masks, startHarness, type Harness } from './harness';
import { chainOf, checkConserved as checkConservedIn, delivered, needDoc, requested } from './invariants';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.db.collection('users').doc(MEMBER).set({
    data: { roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: [], createdAt: '2026-03-01', updatedAt: '2026-03-01' },
  });
  // Generated sequences submit often: the per-minute limit is not what is under test.
  await h.ok('admin', 'saveSettings', { rateLimits: { 'need.submit': 100000 } }, 'demo-admin');
});
afterAll(() => h.close());
afterEach(() => jest.restoreAllMocks());

const OWNER = 'demo-hualun';
const HEAD = 'demo-chamber-head';
const MEMBER = 'pharma-quantities';

let seq = 0;
const key = (what = 'q') => `${what}-${String(++seq).padStart(8, '0')}`;

const items = (a: number, b: number) => [
  { kind: 'mask', quantity: a, unit: '个' },
  { kind: 'disinfectant', quantity: b, unit: '瓶' },
];

async function supplies(quantities: Array<{ kind: string; quantity: number; unit: string }> = items(20, 0).filter((i) => i.quantity)) {
  return (await h.ok('need', 'submit', { ...masks(), items: quantities, clientKey: key('submit') }, OWNER)).needs[0].id as string;
}

const doc = (id: string) => needDoc(h.db, id);
const chain = (rootId: string) => chainOf(h.db, rootId);
const checkConserved = (rootId: string, options?: { allowMissingRemainder?: boolean }) => checkConservedIn(h.db, rootId, options);

describe('quantities add up across reopens (issue 20)', () => {
  test('fulfil 5 of 20, reopen, fulfil 10: 15 delivered, the one remainder asks for 5', async () => {
    const id = await supplies();
    await h.ok('need', 'claim', { id }, HEAD);
    const first = await h.ok('need', 'fulfil', { id, note: '先送 5 个', quantityDelivered: 5 }, HEAD);
    expect((await doc(first.remainderId)).items).toEqual([{ kind: 'mask', quantity: 15, unit: '个' }]);
    await h.ok('need', 'reopen', { id, reason: '还差很多' }, OWNER);
    const second = await h.ok('need', 'fulfil', { id, note: '又送 10 个', quantityDelivered: 10 }, HEAD);
    expect(second).toMatchObject({ quantityDelivered: 15, remainderId: first.remainderId });
    const rest = await doc(first.remainderId);
    expect(rest).toMatchObject({ status: 'routed', items: [{ kind: 'mask', quantity: 5, unit: '个' }] });
    expect(rest.timeline.at(-1).note).toBe('原需求又交付 10，剩余物资改为 5');
    await checkConserved(id);
  });

  test('a full second delivery settles the remainder: it closes owing nothing and cannot be delivered twice', async () => {
    const id = await supplies();
    await h.ok('need', 'claim', { id }, HEAD);
    const first = await h.ok('need', 'fulfil', { id, note: '先送 5 个', quantityDelivered: 5 }, HEAD);
    await h.ok('need', 'claim', { id: first.remainderId }, MEMBER);
    await h.ok('need', 'reopen', { id, reason: '剩下的也请原单位送' }, OWNER);
    // No quantity stated: everything still owed was delivered.
    expect(await h.ok('need', 'fulfil', { id, note: '补齐 15 个' }, HEAD)).toMatchObject({ quantityDelivered: 20 });
    expect(await doc(first.remainderId)).toMatchObject({ status: 'cancelled', items: [], claimedBy: null });
    expect(await h.fail('need', 'fulfil', { id: first.remainderId, note: '再送 15', quantityDelivered: 15 }, MEMBER)).toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    expect((await h.ok('need', 'queue', {}, HEAD)).items.map((n: any) => n.id)).not.toContain(first.remainderId);
    await checkConserved(id);
  });

  test('once the remainder was fulfilled, a reopened parent cannot deliver its share again', async () => {
    const id = await supplies();
    await h.ok('need', 'claim', { id }, HEAD);
    const first = await h.ok('need', 'fulfil', { id, note: '先送 5 个', quantityDelivered: 5 }, HEAD);
    await h.ok('need', 'claim', { id: first.remainderId }, MEMBER);
    await h.ok('need', 'fulfil', { id: first.remainderId, note: '剩余 15 个送达', quantityDelivered: 15 }, MEMBER);
    await h.ok('need', 'reopen', { id, reason: '请核对' }, OWNER);
    expect(await h.fail('need', 'fulfil', { id, note: '又送 15', quantityDelivered: 15 }, HEAD)).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'quantityDelivered',
    });
    expect(await h.ok('need', 'fulfil', { id, note: '已核对' }, HEAD)).toMatchObject({ quantityDelivered: 5 });
    await checkConserved(id);
  });

  test('a remainder fulfilled while the reopened parent delivers: the transaction sees it and the share is not delivered twice', async () => {
    const id = await supplies();
    await h.ok('need', 'claim', { id }, HEAD);
    const { remainderId } = await h.ok('need', 'fulfil', { id, note: '先送 5 个', quantityDelivered: 5 }, HEAD);
    await h.ok('need', 'reopen', { id, reason: '请补齐' }, OWNER);
    const store = h.rt.store as any;
    const begin = store.begin.bind(store);
    const modify = store.modify.bind(store);
    let raced = false;
    jest.spyOn(store, 'begin').mockImplementation(() => {
      if (!raced) {
        raced = true;
        // The remainder's own handler delivers the 15 between the parent's decision and its transaction.
        modify('needs', { _id: remainderId }, { $set: { status: 'fulfilled', quantityDelivered: 15, fulfilledAt: h.clock.now().toISOString() }, $inc: { eventSeq: 1 } }, { multi: false, merge: true, upsert: false });
      }
      return begin();
    });
    const err = await h.fail('need', 'fulfil', { id, note: '补齐 15 个', quantityDelivered: 15 }, HEAD);
    expect(raced).toBe(true);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'quantityDelivered' });
    expect(await doc(id)).toMatchObject({ status: 'in_progress', quantityDelivered: 5 });
  });

  test('generated sequences of claim / fulfil / reopen / cancel / confirm keep the quantities conserved after every step', async () => {
    const people = [HEAD, MEMBER];
    const step = fc.record({
      action: fc.constantFrom('claim', 'fulfil', 'fulfil', 'fulfil', 'reopen', 'cancel', 'confirm'),
      target: fc.nat(5),
      who: fc.nat(1),
      // Of what the need still owes: none stated, a share (0–100 %), or more than owed.
      amount: fc.oneof(fc.constant<'unstated'>('unstated'), fc.integer({ min: 0, max: 100 }), fc.constant<'over'>('over')),
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 12 }), fc.array(step, { minLength: 1, maxLength: 14 }), async (a, b, steps) => {
        h.clock.advance(60_000);
        const id = await supplies(items(a, b).filter((i) => i.quantity > 0));
        for (const s of steps) {
          const links = await chain(id);
          const n = links[s.target % links.length];
          const handler = n.claimedBy ?? people[s.who];
          let env;
          if (s.action === 'claim') env = await h.raw('need', 'claim', { id: n._id }, people[s.who]);
          else if (s.action === 'fulfil') {
            const owes = requested(n) - delivered(n);
            const q = s.amount === 'unstated' ? undefined : s.amount === 'over' ? owes + 1 : Math.floor((owes * s.amount) / 100);
            env = await h.raw('need', 'fulfil', { id: n._id, note: '送达', ...(q === undefined ? {} : { quantityDelivered: q }) }, handler);
          } else if (s.action === 'reopen') env = await h.raw('need', 'reopen', { id: n._id, reason: '数量不对' }, OWNER);
          else if (s.action === 'cancel') env = await h.raw('need', 'cancel', { id: n._id }, OWNER);
          else env = await h.raw('need', 'confirm', { id: n._id, rating: 4 }, OWNER);
          // Refusals are the lifecycle's (wrong state, not the claimer, too much): never INTERNAL.
          if (!env.ok) expect(['FAILED_PRECONDITION', 'FORBIDDEN', 'CONFLICT', 'INVALID_ARGUMENT']).toContain(env.error.code);
          await checkConserved(id);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});

/** The process dies at the `k`-th write (server/local/transport.ts: that request and every later one fail). */
const crashAtWrite = (k: number) => crashAt(h.rt.env, k);

/** Holds the first conditional write of a need (a transition's) until `release` is called. */
function holdFirstTransitionWrite(): { held: Promise<void>; release: () => void } {
  let onHeld!: () => void;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const send = LocalDbRequester.prototype.send;
  let seen = false;
  jest.spyOn(LocalDbRequester.prototype, 'send').mockImplementation(async function (this: unknown, action: string, params: any = {}) {
    if (!seen && action === 'database.modifyDocument' && params.collectionName === 'needs' && String(params.query).includes('eventSeq')) {
      seen = true;
      onHeld();
      await gate;
    }
    return send.call(this, action, params);
  });
  return { held, release };
}

describe('remainders follow their parent write (issue 20)', () => {
  /** Runs `call` crashing at each of its writes in turn; after each crash and after the retry, the chain holds. */
  async function crashEveryWrite(prepare: () => Promise<string>, call: (id: string, clientKey: string) => Promise<any>) {
    for (let k = 1; ; k++) {
      const id = await prepare();
      const clientKey = key('crash');
      const crash = crashAtWrite(k);
      const first = await call(id, clientKey);
      const crashed = crash.reached();
      crash.heal();
      if (!crashed) {
        expect(first.ok).toBe(true);
        await checkConserved(id);
        return k - 1;
      }
      expect(first.ok).toBe(false);
      // Either no remainder, or one the parent names — never an orphan.
      await checkConserved(id, { allowMissingRemainder: true });
      // The phone sends the same action again: it converges.
      const retry = await call(id, clientKey);
      expect(retry.ok).toBe(true);
      await checkConserved(id);
    }
  }

  test('a partial fulfil crashed at each write: a retry converges to one remainder the parent names', async () => {
    const writes = await crashEveryWrite(
      async () => {
        const id = await supplies();
        await h.ok('need', 'claim', { id }, HEAD);
        return id;
      },
      (id, clientKey) => h.raw('need', 'fulfil', { id, note: '先送 8 个', quantityDelivered: 8, clientKey }, HEAD),
    );
    // The parent's write and the remainder's insert.
    expect(writes).toBeGreaterThanOrEqual(2);
  });

  test('a second delivery after a reopen crashed at each write: a retry converges', async () => {
    const writes = await crashEveryWrite(
      async () => {
        const id = await supplies();
        await h.ok('need', 'claim', { id }, HEAD);
        await h.ok('need', 'fulfil', { id, note: '先送 5 个', quantityDelivered: 5 }, HEAD);
        await h.ok('need', 'reopen', { id, reason: '请补齐' }, OWNER);
        return id;
      },
      (id, clientKey) => h.raw('need', 'fulfil', { id, note: '又送 7 个', quantityDelivered: 7, clientKey }, HEAD),
    );
    expect(writes).toBeGreaterThanOrEqual(1);
  });

  test('crashed between the parent write and the insert, the same fulfil sent again without a key still inserts the remainder', async () => {
    const id = await supplies();
    await h.ok('need', 'claim', { id }, HEAD);
    const crash = crashAtWrite(2);
    expect((await h.raw('need', 'fulfil', { id, note: '先送 8 个', quantityDelivered: 8 }, HEAD)).ok).toBe(false);
    expect(crash.reached()).toBe(true);
    crash.heal();
    const parent = await doc(id);
    expect(parent).toMatchObject({ status: 'fulfilled', quantityDelivered: 8 });
    expect(await doc(parent.remainderId)).toBeNull();
    expect(await h.fail('need', 'fulfil', { id, note: '先送 8 个', quantityDelivered: 8 }, HEAD)).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await doc(parent.remainderId)).toMatchObject({ status: 'routed', parentId: id, items: [{ kind: 'mask', quantity: 12, unit: '个' }] });
    await checkConserved(id);
  });

  test('a double-tapped partial fulfil keeps the remainder the winning write names', async () => {
    const id = await supplies();
    await h.ok('need', 'claim', { id }, HEAD);
    const tap = () => h.raw('need', 'fulfil', { id, note: '先送 6 个', quantityDelivered: 6 }, HEAD);
    // The first tap decides, then its write is delayed until the second tap has won and finished.
    const gate = holdFirstTransitionWrite();
    const first = tap();
    await gate.held;
    const second = await tap();
    gate.release();
    const loser = await first;
    expect(second.ok).toBe(true);
    expect(loser).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    const links = await checkConserved(id);
    expect(links).toHaveLength(2);
    expect(links[1]).toMatchObject({ status: 'routed', items: [{ kind: 'mask', quantity: 14, unit: '个' }] });
  });
});
