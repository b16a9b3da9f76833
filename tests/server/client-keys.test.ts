/**
 * Issue 20, item 5 (and issue 13, item 8's clientKey part): a key names one
 * content. The same clientKey with other content is CONFLICT for need.submit,
 * visit.checkIn and every lifecycle action that takes a key; a replay of the
 * caller's own landed action answers its result; a submission's key answers
 * only needs of the caller's current enterprise.
 */
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const OWNER = 'demo-hualun';
const HEAD = 'demo-chamber-head';
const TF = 'demo-taskforce';
let seq = 0;
const key = (what = 'key') => `${what}-${String(++seq).padStart(8, '0')}`;

describe('need.submit', () => {
  test('the same key with another quantity is CONFLICT; with the same content it answers the first need', async () => {
    const k = key();
    const first = await h.ok('need', 'submit', { ...masks(100), clientKey: k }, OWNER);
    expect(await h.fail('need', 'submit', { ...masks(200), clientKey: k }, OWNER)).toMatchObject({ code: 'CONFLICT' });
    expect((await h.ok('need', 'submit', { ...masks(100), clientKey: k }, OWNER)).needs.map((n: any) => n.id)).toEqual(first.needs.map((n: any) => n.id));
  });

  test('one need, then two under the same key: CONFLICT, nothing merged; and two, then one', async () => {
    const k = key();
    await h.ok('need', 'submit', { ...masks(100), clientKey: k }, OWNER);
    const two = { clientKey: k, needs: [masks(100), { type: 'policy', question: '社保能缓缴吗？' }] };
    expect(await h.fail('need', 'submit', two, OWNER)).toMatchObject({ code: 'CONFLICT' });
    const mine = await h.ok('need', 'mine', {}, OWNER);
    expect(mine.items.filter((n: any) => n.type === 'policy')).toEqual([]);

    const k2 = key();
    await h.ok('need', 'submit', { ...two, clientKey: k2 }, OWNER);
    expect(await h.fail('need', 'submit', { ...masks(100), clientKey: k2 }, OWNER)).toMatchObject({ code: 'CONFLICT' });
  });

  test("a key replayed after the caller moved to another enterprise does not answer the old enterprise's needs", async () => {
    await h.db.collection('users').doc('mover').set({
      data: { roles: ['enterprise'], enterpriseId: 'ent-hualun', unitCodes: [], headOf: [], createdAt: '2026-03-01', updatedAt: '2026-03-01' },
    });
    const k = key();
    await h.ok('need', 'submit', { ...masks(100), clientKey: k }, 'mover');
    await h.db.collection('users').doc('mover').update({ data: { enterpriseId: 'ent-qiutian' } });
    expect(await h.fail('need', 'submit', { ...masks(100), clientKey: k }, 'mover')).toMatchObject({ code: 'CONFLICT' });
  });
});

describe('visit.checkIn', () => {
  const visit = (clientKey: string, look: string) => ({
    enterpriseId: 'ent-qiutian',
    clientKey,
    location: { latitude: 29.4842, longitude: 106.4823 },
    checklist: { look, check: '台账齐全', ask: '缺口罩', guide: [] },
  });

  test('the same key with another content is CONFLICT; the same content answers the first visit', async () => {
    const k = key('visit');
    const first = await h.ok('visit', 'checkIn', visit(k, '测温点已设'), TF);
    expect(await h.fail('visit', 'checkIn', visit(k, '测温点未设'), TF)).toMatchObject({ code: 'CONFLICT' });
    expect((await h.ok('visit', 'checkIn', visit(k, '测温点已设'), TF)).id).toBe(first.id);
  });
});

describe('lifecycle actions take an optional clientKey', () => {
  async function need(): Promise<string> {
    return (await h.ok('need', 'submit', { ...masks(100), clientKey: key('submit') }, OWNER)).needs[0].id;
  }

  test('a replayed claim the caller already won answers the claim, not CONFLICT; without a key it stays CONFLICT', async () => {
    const id = await need();
    const k = key('claim');
    const won = await h.ok('need', 'claim', { id, clientKey: k }, HEAD);
    expect(await h.ok('need', 'claim', { id, clientKey: k }, HEAD)).toMatchObject({ id, status: 'claimed', leaseUntil: won.leaseUntil });
    expect(await h.fail('need', 'claim', { id }, HEAD)).toMatchObject({ code: 'CONFLICT' });
    // One event for the claim, however often it was sent.
    const { timeline } = await h.ok('need', 'get', { id }, OWNER);
    expect(timeline.filter((e: any) => e.to === 'claimed')).toHaveLength(1);
  });

  test('a double-tapped partial fulfil with one key: both answers are the one fulfilment, one remainder', async () => {
    const id = await need();
    await h.ok('need', 'claim', { id }, HEAD);
    const k = key('fulfil');
    const payload = { id, note: '先送 30 个', quantityDelivered: 30, clientKey: k };
    const [a, b] = await Promise.all([h.raw('need', 'fulfil', payload, HEAD), h.raw('need', 'fulfil', payload, HEAD)]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    expect((a as any).data.remainderId).toBe((b as any).data.remainderId);
    expect((a as any).data.quantityDelivered).toBe(30);
  });

  test('the same key with other content — another action, another quantity — is CONFLICT', async () => {
    const id = await need();
    const k = key('mixed');
    await h.ok('need', 'claim', { id, clientKey: k }, HEAD);
    expect(await h.fail('need', 'fulfil', { id, note: '送达', quantityDelivered: 100, clientKey: k }, HEAD)).toMatchObject({ code: 'CONFLICT' });
    const k2 = key('fulfil');
    await h.ok('need', 'fulfil', { id, note: '先送 40 个', quantityDelivered: 40, clientKey: k2 }, HEAD);
    expect(await h.fail('need', 'fulfil', { id, note: '先送 40 个', quantityDelivered: 50, clientKey: k2 }, HEAD)).toMatchObject({ code: 'CONFLICT' });
  });

  test("the owner's reopen, confirm and cancel replay too; another person's same key string is theirs alone", async () => {
    const id = await need();
    await h.ok('need', 'claim', { id }, HEAD);
    await h.ok('need', 'fulfil', { id, note: '送达' }, HEAD);
    const k = key('reopen');
    await h.ok('need', 'reopen', { id, reason: '数量不对', clientKey: k }, OWNER);
    expect(await h.ok('need', 'reopen', { id, reason: '数量不对', clientKey: k }, OWNER)).toMatchObject({ status: 'in_progress' });
    await h.ok('need', 'fulfil', { id, note: '已补' }, HEAD);
    const c = key('confirm');
    await h.ok('need', 'confirm', { id, rating: 5, clientKey: c }, OWNER);
    expect(await h.ok('need', 'confirm', { id, rating: 5, clientKey: c }, OWNER)).toMatchObject({ status: 'confirmed', rating: 5 });

    const other = await need();
    const x = key('cancel');
    await h.ok('need', 'cancel', { id: other, clientKey: x }, OWNER);
    expect(await h.ok('need', 'cancel', { id: other, clientKey: x }, OWNER)).toMatchObject({ status: 'cancelled' });
    // The same string from the handler is not the owner's key: judged as a new action (wrong state).
    expect(await h.fail('need', 'claim', { id: other, clientKey: x }, HEAD)).toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  test('a replay answers only someone still within reach: not after a move to another enterprise, nor after a revoke', async () => {
    await h.db.collection('users').doc('mover').set({
      data: { roles: ['enterprise'], enterpriseId: 'ent-hualun', unitCodes: [], headOf: [], createdAt: '2026-03-01', updatedAt: '2026-03-01' },
    });
    const id = (await h.ok('need', 'submit', { ...masks(100), clientKey: key('submit') }, 'mover')).needs[0].id;
    const k = key('cancel');
    await h.ok('need', 'cancel', { id, clientKey: k }, 'mover');
    await h.db.collection('users').doc('mover').update({ data: { enterpriseId: 'ent-qiutian' } });
    expect(await h.fail('need', 'cancel', { id, clientKey: k }, 'mover')).toMatchObject({ code: 'CONFLICT' });

    const other = await need();
    await h.db.collection('users').doc('leaver').set({
      data: { roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: [], createdAt: '2026-03-01', updatedAt: '2026-03-01' },
    });
    const c = key('claim');
    await h.ok('need', 'claim', { id: other, clientKey: c }, 'leaver');
    await h.db.collection('users').doc('leaver').update({ data: { unitCodes: ['hrss'] } });
    expect(await h.fail('need', 'claim', { id: other, clientKey: c }, 'leaver')).toMatchObject({ code: 'CONFLICT' });
  });

  test('a keyed event keeps the timeline verifiable', async () => {
    const id = await need();
    await h.ok('need', 'claim', { id, clientKey: key('claim') }, HEAD);
    expect(await h.ok('admin', 'verifyTimeline', { id }, 'demo-admin')).toMatchObject({ intact: true });
  });
});
