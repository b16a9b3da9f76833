import { startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

test('login of a new person answers an empty session', async () => {
  expect(await h.ok('user', 'login', {}, 'stranger')).toEqual({ openid: 'stranger', roles: [], unitCodes: [], headOf: [] });
});

test('login of a demo identity answers its roles', async () => {
  const s = await h.ok('user', 'login', {}, 'demo-chamber-head');
  expect(s).toMatchObject({ roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: ['chamber-pharma'] });
});

test('an admin invites a unit member, who redeems the code once', async () => {
  const { code } = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'chamber-catering' }, 'demo-admin');
  expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{12}$/);
  const s = await h.ok('user', 'redeemInvite', { code: code.toLowerCase() }, 'new-member');
  expect(s).toMatchObject({ roles: ['unit'], unitCodes: ['chamber-catering'], headOf: [] });
  expect(await h.fail('user', 'redeemInvite', { code }, 'another')).toMatchObject({ code: 'CONFLICT' });
});

test('a unit head may invite members of their own unit only', async () => {
  await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'chamber-pharma' }, 'demo-chamber-head');
  expect(await h.fail('admin', 'createInvite', { role: 'unit', unitCode: 'hrss' }, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
  expect(await h.fail('admin', 'createInvite', { role: 'admin' }, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
  expect(await h.fail('admin', 'createInvite', { role: 'unit', unitCode: 'chamber-pharma' }, 'demo-finance')).toMatchObject({ code: 'FORBIDDEN' });
});

test('enterprises and people without a role cannot issue invites', async () => {
  expect(await h.fail('admin', 'createInvite', { role: 'admin' }, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
  expect(await h.fail('admin', 'createInvite', { role: 'admin' }, 'stranger')).toMatchObject({ code: 'FORBIDDEN' });
});

test('bad invites: unknown unit, unknown code, expired code', async () => {
  expect(await h.fail('admin', 'createInvite', { role: 'unit', unitCode: 'nope' }, 'demo-admin')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'unitCode' });
  expect(await h.fail('admin', 'createInvite', { role: 'king' }, 'demo-admin')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'role' });
  expect(await h.fail('user', 'redeemInvite', { code: 'ZZZZZZZZ' }, 'x')).toMatchObject({ code: 'NOT_FOUND' });
  const { code } = await h.ok('admin', 'createInvite', { role: 'taskforce', taskForceId: 'tf-03' }, 'demo-admin');
  h.clock.advance(15 * 86400_000);
  expect(await h.fail('user', 'redeemInvite', { code }, 'late')).toMatchObject({ code: 'FAILED_PRECONDITION' });
});

test('one person may hold several roles', async () => {
  const { code } = await h.ok('admin', 'createInvite', { role: 'taskforce', taskForceId: 'tf-05' }, 'demo-admin');
  const s = await h.ok('user', 'redeemInvite', { code }, 'demo-hrss');
  expect(s.roles).toEqual(['unit', 'taskforce']);
  expect(s.taskForceId).toBe('tf-05');
});

test('the dispatcher answers the contract for a missing identity and an unknown action', async () => {
  expect(await h.fail('user', 'login', {})).toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(await h.fail('user', 'explode', {}, 'demo-admin')).toMatchObject({ code: 'NOT_FOUND', field: 'action' });
  expect(await h.fail('nofn', 'login', {}, 'demo-admin')).toMatchObject({ code: 'NOT_FOUND' });
});

test('user.todo counts what is each hat’s to do now', async () => {
  expect(await h.ok('user', 'todo', {}, 'stranger')).toEqual({});
  const submit = (clientKey: string) =>
    h.ok('need', 'submit', { type: 'supplies', clientKey, items: [{ kind: 'mask', quantity: 10, unit: '个' }], neededBy: '2026-03-05', deliveryAddress: '园区' }, 'demo-hualun');
  const a = (await submit('todo-key-0001')).needs[0];
  await submit('todo-key-0002');
  await h.ok('need', 'claim', { id: a.id }, 'demo-chamber-head');
  await h.ok('need', 'wait', { id: a.id, question: '要哪种口罩？' }, 'demo-chamber-head');
  expect(await h.ok('user', 'todo', {}, 'demo-hualun')).toEqual({ enterprise: { open: 2, waiting: 1, toConfirm: 0 } });
  expect(await h.ok('user', 'todo', {}, 'demo-chamber-head')).toEqual({ unit: { toClaim: 1, mine: 1, escalated: 0 } });
});

test('a first login racing a registration never takes the new role away', async () => {
  const form = {
    name: '重庆并发测试有限公司',
    creditCode: '91350100M000100Y43',
    industry: 'manufacturing',
    zone: 'jianqiao-c',
    address: '建桥工业园C区',
    location: { latitude: 29.45, longitude: 106.46 },
    contactName: '测试',
    contactPhone: '13800138000',
    employees: 5,
    chamberCodes: [],
  };
  const [, registered] = await Promise.all([
    h.ok('user', 'login', {}, 'racer'),
    h.ok('enterprise', 'register', form, 'racer'),
    h.ok('user', 'login', {}, 'racer'),
  ]);
  const session = await h.ok('user', 'login', {}, 'racer');
  expect(session).toMatchObject({ roles: ['enterprise'], enterpriseId: registered.id });
});

test('guessing invite codes is slowed down: the 11th try within a minute is RATE_LIMITED', async () => {
  for (let i = 0; i < 10; i++) expect(await h.fail('user', 'redeemInvite', { code: `GUESS${i}AA` }, 'guesser')).toMatchObject({ code: 'NOT_FOUND' });
  expect(await h.fail('user', 'redeemInvite', { code: 'GUESS10A' }, 'guesser')).toMatchObject({ code: 'RATE_LIMITED' });
  // Others are not affected, and the next minute starts afresh.
  expect(await h.fail('user', 'redeemInvite', { code: 'OTHER001' }, 'someone-else')).toMatchObject({ code: 'NOT_FOUND' });
  h.clock.advance(60_000);
  expect(await h.fail('user', 'redeemInvite', { code: 'GUESS11A' }, 'guesser')).toMatchObject({ code: 'NOT_FOUND' });
});

test('an enterprise owner invites a colleague into the same enterprise, and only that one', async () => {
  const mine = (await h.ok('enterprise', 'get', {}, 'demo-enterprise')).id;
  const other = (await h.ok('enterprise', 'get', {}, 'demo-hualun')).id;
  const { code } = await h.ok('admin', 'createInvite', { role: 'enterprise', enterpriseId: mine }, 'demo-enterprise');
  const s = await h.ok('user', 'redeemInvite', { code }, 'colleague');
  expect(s).toMatchObject({ roles: ['enterprise'], enterpriseId: mine });
  expect((await h.ok('need', 'mine', {}, 'colleague')).items).toEqual([]);
  expect(await h.fail('admin', 'createInvite', { role: 'enterprise', enterpriseId: other }, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
  expect(await h.fail('admin', 'createInvite', { role: 'unit', unitCode: 'hrss' }, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
});

describe('redeemInvite without a transaction', () => {
  test('costs at most 6 round trips on a warm instance: session, invite, issuer, claim, grant, audit entry', async () => {
    const { code } = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'hrss', name: '王小红' }, 'demo-admin');
    await h.ok('user', 'login', {}, 'budget-member');
    const { data, db } = await h.counted('user', 'redeemInvite', { code }, 'budget-member');
    expect(data).toMatchObject({ roles: ['unit'], unitCodes: ['hrss'] });
    expect(db).toBeLessThanOrEqual(6);
    // A person the app never saw (no login yet) pays one insert more.
    const second = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'hrss' }, 'demo-admin');
    expect((await h.counted('user', 'redeemInvite', { code: second.code }, 'never-seen')).db).toBeLessThanOrEqual(7);
  });

  test('raced by six people, one code is redeemed once', async () => {
    const { code } = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'ndrc' }, 'demo-admin');
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => h.raw('user', 'redeemInvite', { code }, `racer-${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r: any) => r.error.code)).toEqual(Array(5).fill('CONFLICT'));
    const holders = (await h.db.collection('users').where({ unitCodes: 'ndrc' }).get()).data;
    expect(holders).toHaveLength(1);
  });

  test('a crash between the claim and the grant converges on the redeemer’s retry', async () => {
    const { code } = await h.ok('admin', 'createInvite', { role: 'taskforce', taskForceId: 'tf-04', name: '赵大勇' }, 'demo-admin');
    await h.ok('user', 'login', {}, 'crashed');
    // What the first write alone leaves: the invite claimed by the person, nothing granted.
    await h.db.collection('invites').doc(code).update({ data: { usedBy: 'crashed', usedAt: h.clock.now().toISOString(), oneGrant: true } });
    expect((await h.ok('user', 'login', {}, 'crashed')).roles).toEqual([]);
    expect(await h.fail('user', 'redeemInvite', { code }, 'someone-else')).toMatchObject({ code: 'CONFLICT' });
    const s = await h.ok('user', 'redeemInvite', { code }, 'crashed');
    expect(s).toMatchObject({ roles: ['taskforce'], taskForceId: 'tf-04' });
    // Twice is harmless: the person holds it, the session is answered and nothing is granted again.
    await h.ok('user', 'redeemInvite', { code }, 'crashed');
    const members = await h.ok('admin', 'members', { taskForceId: 'tf-04' }, 'demo-admin');
    expect(members.items.filter((m: any) => m.openid === 'crashed')).toEqual([expect.objectContaining({ name: '赵大勇', head: false })]);
    const audit = (await h.ok('admin', 'auditLog', {}, 'demo-admin')).items.filter((e: any) => e.details.code === code);
    expect(audit.map((e: any) => e.action)).toEqual(['regrant']);
  });

  test('an enterprise invite into another enterprise is refused and the code stays usable', async () => {
    const mine = (await h.ok('enterprise', 'get', {}, 'demo-enterprise')).id;
    const { code } = await h.ok('admin', 'createInvite', { role: 'enterprise', enterpriseId: mine }, 'demo-admin');
    expect(await h.fail('user', 'redeemInvite', { code }, 'demo-hualun')).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await h.ok('user', 'redeemInvite', { code }, 'qiutian-colleague')).toMatchObject({ enterpriseId: mine });
  });

  test('over the limit of wrong codes, a right code is refused too (the answer tells a guesser nothing)', async () => {
    const { code } = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'commerce' }, 'demo-admin');
    for (let i = 0; i < 10; i++) await h.fail('user', 'redeemInvite', { code: `WRONG${i}AA` }, 'lucky-guesser');
    expect(await h.fail('user', 'redeemInvite', { code }, 'lucky-guesser')).toMatchObject({ code: 'RATE_LIMITED' });
    // Refused without using the code up: its rightful holder redeems it.
    expect(await h.ok('user', 'redeemInvite', { code }, 'rightful')).toMatchObject({ unitCodes: ['commerce'] });
  });
});
