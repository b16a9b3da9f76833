import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

let keySeq = 0;
const key = () => `key-${String(++keySeq).padStart(8, '0')}`;

async function submitMasks(openid = 'demo-enterprise', quantity = 20000) {
  const res = await h.ok('need', 'submit', { ...masks(quantity), clientKey: key() }, openid);
  return res.needs[0];
}

/** Adds unit members straight to the users collection, as redeeming invites would. */
async function addMembers(unitCode: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${unitCode}-member-${i}`);
  for (const id of ids) {
    await h.db.collection('users').doc(id).set({ data: { roles: ['unit'], unitCodes: [unitCode], headOf: [] } });
  }
  return ids;
}

describe('need.submit', () => {
  test('replays of an accepted clientKey answer the first result and never count against the rate limit', async () => {
    // 25 submissions this minute (the limit is 30), then the phone's offline queue sends one of them 30 times at once.
    const keys = Array.from({ length: 25 }, () => key());
    const first = [];
    for (const k of keys) first.push(await h.ok('need', 'submit', { ...masks(), clientKey: k }, 'demo-enterprise'));
    const replays = await Promise.all(Array.from({ length: 30 }, () => h.raw('need', 'submit', { ...masks(), clientKey: keys[24] }, 'demo-enterprise')));
    expect(replays.filter((r) => !r.ok)).toEqual([]);
    expect(new Set(replays.map((r: any) => r.data.needs[0].id))).toEqual(new Set([first[24].needs[0].id]));
    // Fresh submissions are still counted: five more fit under the limit, the sixth does not.
    for (let i = 0; i < 5; i++) await h.ok('need', 'submit', { ...masks(), clientKey: key() }, 'demo-enterprise');
    expect(await h.fail('need', 'submit', { ...masks(), clientKey: key() }, 'demo-enterprise')).toMatchObject({ code: 'RATE_LIMITED' });
  });

  test('routes supplies by the rules in the database and records the rule', async () => {
    const qiutian = await submitMasks('demo-enterprise');
    expect(qiutian).toMatchObject({ status: 'routed', unitCode: 'fic-supply-pool', route: { ruleId: 'supplies-pool' } });
    const hualun = await submitMasks('demo-hualun');
    expect(hualun).toMatchObject({ unitCode: 'chamber-pharma', route: { ruleId: 'supplies-member-chamber-pharma' } });
    // Monday 09:00 China, 2 working days: Wednesday at 18:00 China; first contact within the hour.
    expect(qiutian.dueAt).toBe('2026-03-04T10:00:00.000Z');
    expect(qiutian.firstResponseDueAt).toBe('2026-03-02T02:00:00.000Z');
  });

  test('an edited rule changes where the next need goes', async () => {
    await h.db.collection('routingRules').doc('supplies-pool').update({ data: { unitCode: 'fic' } });
    expect((await submitMasks()).unitCode).toBe('fic');
  });

  test('the same clientKey creates the submission once, even when sent concurrently', async () => {
    const payload = { ...masks(), clientKey: 'same-key-0001' };
    const first = await h.ok('need', 'submit', payload, 'demo-enterprise');
    const again = await h.ok('need', 'submit', payload, 'demo-enterprise');
    expect(again).toEqual(first);
    const racing = await Promise.all(Array.from({ length: 10 }, () => h.ok('need', 'submit', { ...masks(), clientKey: 'race-key-0001' }, 'demo-enterprise')));
    expect(new Set(racing.map((r) => r.needs[0].id)).size).toBe(1);
    expect((await h.db.collection('needs').count()).total).toBe(2);
  });

  test('the same clientKey from another caller is another submission', async () => {
    const a = await h.ok('need', 'submit', { ...masks(), clientKey: 'shared-key-01' }, 'demo-enterprise');
    const b = await h.ok('need', 'submit', { ...masks(), clientKey: 'shared-key-01' }, 'demo-hualun');
    expect(a.needs[0].id).not.toBe(b.needs[0].id);
  });

  test('a second open need of the same type is flagged as a possible duplicate, not refused', async () => {
    const first = await submitMasks();
    const second = await submitMasks();
    expect(second.duplicateOf).toBe(first.id);
    expect(first.duplicateOf).toBeUndefined();
  });

  test('several needs in one submission go each to its own unit', async () => {
    const res = await h.ok(
      'need',
      'submit',
      {
        clientKey: key(),
        needs: [
          masks(5000),
          { type: 'financing', amountWan: 500, purpose: '复工流动资金', termMonths: 12 },
          { type: 'hiring', positions: [{ title: '数控车工', count: 15 }] },
        ],
      },
      'demo-hualun',
    );
    expect(res.needs.map((n: any) => [n.type, n.unitCode])).toEqual([
      ['supplies', 'chamber-pharma'],
      ['financing', 'fic-finance'],
      ['hiring', 'hrss'],
    ]);
    expect(new Set(res.needs.map((n: any) => n.submissionId))).toEqual(new Set([res.submissionId]));
  });

  test.each([
    [{ items: [] }, 'items'],
    [{ items: [{ kind: 'mask', quantity: 0, unit: '个' }] }, 'items.0.quantity'],
    [{ items: [{ kind: 'gold', quantity: 1, unit: '个' }] }, 'items.0.kind'],
    [{ neededBy: 'tomorrow' }, 'neededBy'],
    [{ deliveryAddress: ' ' }, 'deliveryAddress'],
    [{ clientKey: '' }, 'clientKey'],
    [{ type: 'spaceship' }, 'type'],
  ])('bad input %j is refused at %s', async (overrides, field) => {
    const err = await h.fail('need', 'submit', { ...masks(), clientKey: key(), ...overrides }, 'demo-enterprise');
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field });
  });

  test('two needs of one type in one submission are refused', async () => {
    const err = await h.fail('need', 'submit', { clientKey: key(), needs: [masks(), masks()] }, 'demo-enterprise');
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'needs.1.type' });
  });

  test('only enterprises submit', async () => {
    expect(await h.fail('need', 'submit', { ...masks(), clientKey: key() }, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('need', 'submit', { ...masks(), clientKey: key() }, 'stranger')).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('a form whose insert fails answers INTERNAL and leaves none of its needs', async () => {
    // The batch insert is all or nothing: a failing store write takes every need of the form with it.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const store = h.rt.store as any;
    const insert = store.insert.bind(store);
    const spy = jest.spyOn(store, 'insert').mockImplementation((...args: any[]) => {
      if (args[0] === 'needs') throw new Error('disk full');
      return insert(...args);
    });
    const err = await h.fail('need', 'submit', { clientKey: key(), needs: [{ ...masks() }, { type: 'policy', question: '社保能缓缴吗？' }] }, 'demo-enterprise');
    spy.mockRestore();
    quiet.mockRestore();
    expect(err.code).toBe('INTERNAL');
    expect((await h.db.collection('needs').where({ enterpriseId: (await h.ok('user', 'login', {}, 'demo-enterprise')).enterpriseId }).count()).total).toBe(0);
  });
});

describe('lists and detail', () => {
  test('need.mine pages through the enterprise’s own needs, newest first', async () => {
    for (let i = 0; i < 25; i++) {
      await submitMasks('demo-enterprise', 100 + i);
      h.clock.advance(60_000);
    }
    await submitMasks('demo-hualun');
    const first = await h.ok('need', 'mine', {}, 'demo-enterprise');
    expect(first.items).toHaveLength(20);
    expect(first.items[0].items[0].quantity).toBe(124);
    const second = await h.ok('need', 'mine', { cursor: first.nextCursor }, 'demo-enterprise');
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeUndefined();
    expect([...first.items, ...second.items].every((n: any) => n.enterpriseName === '重庆秋田齿轮有限公司')).toBe(true);
    expect(await h.fail('need', 'mine', { cursor: 'garbage!' }, 'demo-enterprise')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'cursor' });
  });

  test('need.get answers the timeline to the enterprise and refuses other enterprises', async () => {
    const need = await submitMasks();
    const detail = await h.ok('need', 'get', { id: need.id }, 'demo-enterprise');
    expect(detail.timeline).toEqual([
      expect.objectContaining({ actor: '重庆秋田齿轮有限公司', role: 'enterprise', from: null, to: 'routed' }),
    ]);
    // People read names, never OPENIDs or unit codes; admins, who audit, also get the actor's id.
    expect(JSON.stringify(detail.timeline)).not.toMatch(/demo-|fic-supply-pool/);
    expect(detail.timeline[0].note).toContain('区工商联物资统筹池');
    expect(detail.unitName).toBe('区工商联物资统筹池');
    await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head');
    const seenByHandler = await h.ok('need', 'get', { id: need.id }, 'demo-chamber-head');
    expect(seenByHandler.timeline[1]).toMatchObject({ actor: '区工商联物资统筹池', role: 'unit' });
    expect(JSON.stringify(seenByHandler)).not.toContain('demo-enterprise');
    expect((await h.ok('need', 'get', { id: need.id }, 'demo-admin')).timeline[1].actorId).toBe('demo-chamber-head');
    expect(await h.fail('need', 'get', { id: need.id }, 'demo-hualun')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('need', 'get', { id: need.id }, 'demo-hrss')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('need', 'get', { id: 'nope' }, 'demo-enterprise')).toMatchObject({ code: 'NOT_FOUND' });
  });

  test("need.queue shows a unit its own needs and the pool to chamber heads, never another unit's", async () => {
    const pool = await submitMasks('demo-enterprise');
    const pharma = await submitMasks('demo-hualun');
    const hiring = (await h.ok('need', 'submit', { type: 'hiring', positions: [{ title: '焊工', count: 3 }], clientKey: key() }, 'demo-enterprise')).needs[0];
    const head = await h.ok('need', 'queue', {}, 'demo-chamber-head');
    expect(head.items.map((n: any) => n.id).sort()).toEqual([pool.id, pharma.id].sort());
    const hrss = await h.ok('need', 'queue', {}, 'demo-hrss');
    expect(hrss.items.map((n: any) => n.id)).toEqual([hiring.id]);
    expect((await h.ok('need', 'queue', {}, 'demo-finance')).items).toEqual([]);
    expect(await h.fail('need', 'queue', {}, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('need', 'queue', { status: 'lost' }, 'demo-hrss')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'status' });
  });

  test('a plain pharma member does not see the pool; only heads do', async () => {
    await submitMasks('demo-enterprise');
    const [member] = await addMembers('chamber-pharma', 1);
    expect((await h.ok('need', 'queue', {}, member)).items).toEqual([]);
  });
});

describe('claim, fulfil, confirm', () => {
  test('the whole slice: submit → claim → fulfil → confirm, with the timeline', async () => {
    const need = await submitMasks();
    h.clock.advance(10 * 60_000);
    const claimed = await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head');
    expect(claimed).toMatchObject({ status: 'claimed', claimedByMe: true, leaseUntil: '2026-03-04T01:10:00.000Z' }); // a supplies claim lasts two days (seed)
    // OPENIDs reach admins only: the claimer's own answer carries claimedByMe, not the id.
    expect(claimed.claimedBy).toBeUndefined();
    const fulfilled = await h.ok('need', 'fulfil', { id: need.id, note: '口罩 2 万个已送达', quantityDelivered: 20000 }, 'demo-chamber-head');
    expect(fulfilled).toMatchObject({ status: 'fulfilled', quantityDelivered: 20000 });
    expect(fulfilled.leaseUntil).toBeUndefined();
    const confirmed = await h.ok('need', 'confirm', { id: need.id, rating: 5, comment: '解了燃眉之急' }, 'demo-enterprise');
    expect(confirmed).toMatchObject({ status: 'confirmed', rating: 5 });
    const detail = await h.ok('need', 'get', { id: need.id }, 'demo-enterprise');
    expect(detail.timeline.map((e: any) => [e.from, e.to, e.role])).toEqual([
      [null, 'routed', 'enterprise'],
      ['routed', 'claimed', 'unit'],
      ['claimed', 'fulfilled', 'unit'],
      ['fulfilled', 'confirmed', 'enterprise'],
    ]);
  });

  test('of 20 concurrent claimers exactly one wins; the others get CONFLICT', async () => {
    const need = await submitMasks('demo-hualun');
    const members = await addMembers('chamber-pharma', 20);
    const results = await Promise.all(members.map((m) => h.raw('need', 'claim', { id: need.id }, m)));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r: any) => r.error.code)).toEqual(Array(19).fill('CONFLICT'));
    const winner = members[results.findIndex((r) => r.ok)];
    expect((winners[0] as any).data.claimedByMe).toBe(true);
    expect((await h.ok('need', 'get', { id: need.id }, winner)).claimedByMe).toBe(true);
    const detail = await h.ok('need', 'get', { id: need.id }, 'demo-hualun');
    expect(detail).toMatchObject({ claimedByMe: false, claimedByName: expect.any(String), unitName: '区医药商会' });
    expect(detail.claimedBy).toBeUndefined();
    expect((await h.ok('need', 'get', { id: need.id }, 'demo-admin')).claimedBy).toBe(winner);
    expect(detail.timeline.filter((e: any) => e.to === 'claimed')).toHaveLength(1);
  });

  test('role and scope: enterprises cannot claim, other units cannot claim, only the claimer fulfils', async () => {
    const need = await submitMasks('demo-hualun');
    expect(await h.fail('need', 'claim', { id: need.id }, 'demo-hualun')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('need', 'claim', { id: need.id }, 'demo-hrss')).toMatchObject({ code: 'FORBIDDEN' });
    const [other] = await addMembers('chamber-pharma', 1);
    await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head');
    expect(await h.fail('need', 'fulfil', { id: need.id, note: '完成' }, other)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('need', 'fulfil', { id: need.id, note: '' }, 'demo-chamber-head')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'note' });
  });

  test('transitions outside the lifecycle are refused', async () => {
    const need = await submitMasks('demo-hualun');
    expect(await h.fail('need', 'fulfil', { id: need.id, note: '完成' }, 'demo-chamber-head')).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await h.fail('need', 'confirm', { id: need.id, rating: 5 }, 'demo-hualun')).toMatchObject({ code: 'FAILED_PRECONDITION' });
    await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head');
    expect(await h.fail('need', 'claim', { id: need.id }, 'demo-chamber-head')).toMatchObject({ code: 'CONFLICT' });
    await h.ok('need', 'fulfil', { id: need.id, note: '完成' }, 'demo-chamber-head');
    expect(await h.fail('need', 'fulfil', { id: need.id, note: '再次' }, 'demo-chamber-head')).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await h.fail('need', 'confirm', { id: need.id, rating: 6 }, 'demo-hualun')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'rating' });
    expect(await h.fail('need', 'confirm', { id: need.id, rating: 4 }, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
    await h.ok('need', 'confirm', { id: need.id, rating: 4 }, 'demo-hualun');
    expect(await h.fail('need', 'confirm', { id: need.id, rating: 4 }, 'demo-hualun')).toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  test('the timeline is hash-chained under the history key: an edited event, or a field edited behind the functions, is detected', async () => {
    const { verifyChain } = await import('../../server/needs/events');
    const { historyKey } = await import('../../server/history/key');
    const key = historyKey(h.rt.ports);
    const need = await submitMasks('demo-hualun');
    await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head');
    const db = h.db;
    const load = async () => {
      const { data } = await db.collection('needs').doc(need.id).get();
      return Array.isArray(data) ? data[0] : data;
    };
    const doc = await load();
    expect(doc.timeline).toHaveLength(2);
    expect(verifyChain(key, doc)).toBeNull();
    await db.collection('needs').doc(need.id).update({ data: { 'timeline.0.note': '改过的记录' } });
    expect(verifyChain(key, await load())).toEqual({ check: 'event hash', at: 1 });
    await db.collection('needs').doc(need.id).update({ data: { 'timeline.0.note': doc.timeline[0].note, unitCode: 'fic' } });
    expect(verifyChain(key, await load())).toEqual({ check: 'state hash', at: 2 });
  });
});

describe('notifications', () => {
  test('routed to the unit, claimed and fulfilled to the submitter land in the outbox', async () => {
    const need = await submitMasks('demo-hualun');
    await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head');
    await h.ok('need', 'fulfil', { id: need.id, note: '已送达' }, 'demo-chamber-head');
    const sent = h.rt.outbox.read().map((m) => [m.touser, m.template]);
    expect(sent).toEqual([
      ['demo-chamber-head', 'needRouted'],
      ['demo-hualun', 'needClaimed'],
      ['demo-hualun', 'needFulfilled'],
    ]);
    expect(h.rt.outbox.read()[2].data).toMatchObject({ thing1: '防疫物资', time4: '2026年3月2日 09:00' });
    // A tap opens the view of the need that belongs to whoever received it.
    expect(h.rt.outbox.read().map((m) => m.page!.split('?')[0])).toEqual(['unit/need-detail/index', 'enterprise/need-detail/index', 'enterprise/need-detail/index']);
  });

  test('a need for the supplies pool is announced to the chamber heads who claim from it', async () => {
    await submitMasks('demo-enterprise');
    expect(h.rt.outbox.read().map((m) => [m.touser, m.template])).toEqual([['demo-chamber-head', 'needRouted']]);
  });

  test('a failing messenger does not undo the claim', async () => {
    const need = await submitMasks('demo-hualun');
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const spy = jest.spyOn(h.rt.outbox, 'send').mockRejectedValue(new Error('43101 user refused'));
    const claimed = await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head');
    spy.mockRestore();
    quiet.mockRestore();
    expect(claimed.status).toBe('claimed');
  });
});
