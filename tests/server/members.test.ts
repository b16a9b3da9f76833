import { startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ADMIN = 'demo-admin';

async function joinUnit(openid: string, unitCode: string, extra: Record<string, unknown> = {}) {
  const { code } = await h.ok('admin', 'createInvite', { role: 'unit', unitCode, ...extra }, ADMIN);
  return h.ok('user', 'redeemInvite', { code }, openid);
}

const hiring = (clientKey: string) => ({ type: 'hiring', positions: [{ title: '普工', count: 10 }], clientKey });

describe('admin.members', () => {
  test('lists a unit with the names the invites carried, heads marked', async () => {
    await joinUnit('m-wang', 'chamber-catering', { name: '王小红', head: true });
    h.clock.advance(60_000);
    await joinUnit('m-li', 'chamber-catering');
    const { items } = await h.ok('admin', 'members', { unitCode: 'chamber-catering' }, ADMIN);
    expect(items).toEqual([
      { openid: 'm-li', name: '未署名成员', head: false, joinedAt: '2026-03-02T01:01:00.000Z' },
      { openid: 'm-wang', name: '王小红', head: true, joinedAt: '2026-03-02T01:00:00.000Z' },
    ]);
    // Seeded people were set up before invites named anyone.
    expect((await h.ok('admin', 'members', { unitCode: 'chamber-pharma' }, ADMIN)).items).toEqual([
      expect.objectContaining({ openid: 'demo-chamber-head', name: '未署名成员', head: true }),
    ]);
    expect((await h.ok('admin', 'members', { taskForceId: 'tf-02' }, ADMIN)).items.map((m: any) => m.openid)).toEqual(['demo-taskforce']);
  });

  test('exactly one of unitCode and taskForceId; unknown ones are named; admins only', async () => {
    expect(await h.fail('admin', 'members', {}, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await h.fail('admin', 'members', { unitCode: 'hrss', taskForceId: 'tf-01' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await h.fail('admin', 'members', { unitCode: 'atlantis' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'unitCode' });
    expect(await h.fail('admin', 'members', { unitCode: 'chamber-pharma' }, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('admin.revoke', () => {
  test("a revoked unit member's next call is FORBIDDEN, and the trail says who did it", async () => {
    await joinUnit('m-zhao', 'chamber-catering', { name: '赵一鸣' });
    await h.ok('need', 'queue', {}, 'm-zhao');
    expect(await h.ok('admin', 'revoke', { openid: 'm-zhao', role: 'unit', unitCode: 'chamber-catering' }, ADMIN)).toEqual({ revoked: true });
    expect(await h.fail('need', 'queue', {}, 'm-zhao')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.ok('user', 'login', {}, 'm-zhao')).toMatchObject({ roles: [], unitCodes: [], headOf: [] });
    expect((await h.ok('admin', 'members', { unitCode: 'chamber-catering' }, ADMIN)).items).toEqual([]);
    const { items } = await h.ok('admin', 'auditLog', {}, ADMIN);
    expect(items[0]).toMatchObject({
      action: 'revoke',
      actor: ADMIN,
      actorName: '管理员',
      target: 'm-zhao',
      targetName: '赵一鸣',
      details: { role: 'unit', unitCode: 'chamber-catering', unitName: '区餐饮商会' },
    });
  });

  test('one unit of two goes; the role and the other unit stay; a head stops being head', async () => {
    await joinUnit('m-two', 'hrss', { head: true });
    await joinUnit('m-two', 'ndrc');
    await h.ok('admin', 'revoke', { openid: 'm-two', role: 'unit', unitCode: 'hrss' }, ADMIN);
    expect(await h.ok('user', 'login', {}, 'm-two')).toMatchObject({ roles: ['unit'], unitCodes: ['ndrc'], headOf: [] });
  });

  test('task force, admin and enterprise holds; what is not held is NOT_FOUND', async () => {
    await h.ok('admin', 'revoke', { openid: 'demo-taskforce', role: 'taskforce' }, ADMIN);
    expect(await h.fail('visit', 'myEnterprises', {}, 'demo-taskforce')).toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.ok('user', 'login', {}, 'demo-taskforce')).taskForceId).toBeUndefined();
    expect(await h.fail('admin', 'revoke', { openid: 'demo-taskforce', role: 'taskforce' }, ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('admin', 'revoke', { openid: 'demo-hrss', role: 'unit', unitCode: 'ndrc' }, ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('admin', 'revoke', { openid: 'nobody-at-all', role: 'admin' }, ADMIN)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('admin', 'revoke', { openid: 'demo-hrss', role: 'unit' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'unitCode' });

    // Admins: never oneself (so never the last one); another admin, yes.
    expect(await h.fail('admin', 'revoke', { openid: ADMIN, role: 'admin' }, ADMIN)).toMatchObject({ code: 'FAILED_PRECONDITION' });
    const { code } = await h.ok('admin', 'createInvite', { role: 'admin', name: '孙主任' }, ADMIN);
    await h.ok('user', 'redeemInvite', { code }, 'second-admin');
    await h.ok('admin', 'revoke', { openid: 'second-admin', role: 'admin' }, ADMIN);
    expect(await h.fail('admin', 'listUnits', {}, 'second-admin')).toMatchObject({ code: 'FORBIDDEN' });

    // Enterprises: a colleague, not the owner.
    const qiutian = (await h.ok('enterprise', 'get', {}, 'demo-enterprise')).id;
    const invite = await h.ok('admin', 'createInvite', { role: 'enterprise', enterpriseId: qiutian }, 'demo-enterprise');
    await h.ok('user', 'redeemInvite', { code: invite.code }, 'colleague');
    expect(await h.fail('admin', 'revoke', { openid: 'demo-enterprise', role: 'enterprise' }, ADMIN)).toMatchObject({ code: 'FAILED_PRECONDITION' });
    await h.ok('admin', 'revoke', { openid: 'colleague', role: 'enterprise' }, ADMIN);
    expect(await h.fail('need', 'mine', {}, 'colleague')).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('only admins revoke', async () => {
    expect(await h.fail('admin', 'revoke', { openid: 'demo-hrss', role: 'unit', unitCode: 'hrss' }, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('admin', 'auditLog', {}, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('this instance forgets the cached recipients at once: the next need reaches the unit without the revoked member', async () => {
    const sentTo = () => h.rt.outbox.read().map((m) => m.touser);
    await h.ok('need', 'submit', hiring('members-hiring-01'), 'demo-hualun');
    expect(sentTo()).toContain('demo-hrss');
    await h.ok('admin', 'revoke', { openid: 'demo-hrss', role: 'unit', unitCode: 'hrss' }, ADMIN);
    const before = h.rt.outbox.read().length;
    await h.ok('need', 'submit', hiring('members-hiring-02'), 'demo-hualun');
    expect(h.rt.outbox.read().slice(before).map((m) => m.touser)).not.toContain('demo-hrss');
  });
});

describe('invites: listing and revoking', () => {
  test('an open invite revoked answers like an unknown code; used ones cannot be revoked', async () => {
    const open = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'hrss', name: '钱多多' }, ADMIN);
    const used = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'hrss' }, ADMIN);
    await h.ok('user', 'redeemInvite', { code: used.code }, 'hrss-new');
    expect(await h.ok('admin', 'revokeInvite', { code: open.code }, ADMIN)).toEqual({ revoked: true });
    const revoked = await h.fail('user', 'redeemInvite', { code: open.code }, 'leaked-to');
    const unknown = await h.fail('user', 'redeemInvite', { code: 'ZZZZZZZZ' }, 'leaked-to');
    expect(revoked).toEqual(unknown);
    expect(await h.fail('admin', 'revokeInvite', { code: used.code }, ADMIN)).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await h.fail('admin', 'revokeInvite', { code: 'ZZZZZZZZ' }, ADMIN)).toMatchObject({ code: 'NOT_FOUND' });

    const { items } = await h.ok('admin', 'listInvites', {}, ADMIN);
    const byCode = new Map(items.map((i: any) => [i.code, i]));
    expect(byCode.get(open.code)).toMatchObject({ status: 'revoked', name: '钱多多', unitName: '区人力资源社保局', role: 'unit', head: false });
    expect(byCode.get(used.code)).toMatchObject({ status: 'used', usedAt: expect.any(String) });
    const audit = (await h.ok('admin', 'auditLog', {}, ADMIN)).items;
    expect(audit[0]).toMatchObject({ action: 'revokeInvite', details: { code: open.code, role: 'unit', unitCode: 'hrss' }, targetName: '钱多多' });
  });

  test('a unit head lists and revokes every invite into their unit, and no other', async () => {
    const mine = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'chamber-pharma' }, 'demo-chamber-head');
    h.clock.advance(1000);
    const admins = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'chamber-pharma' }, ADMIN);
    const elsewhere = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'hrss' }, ADMIN);
    const listed = (await h.ok('admin', 'listInvites', {}, 'demo-chamber-head')).items;
    expect(listed.map((i: any) => [i.code, i.issuedByMe])).toEqual([[admins.code, false], [mine.code, true]]);
    expect(await h.fail('admin', 'revokeInvite', { code: elsewhere.code }, 'demo-chamber-head')).toMatchObject({ code: 'NOT_FOUND' });
    await h.ok('admin', 'revokeInvite', { code: admins.code }, 'demo-chamber-head');
    await h.ok('admin', 'revokeInvite', { code: mine.code }, 'demo-chamber-head');
    expect(await h.fail('admin', 'listInvites', {}, 'demo-taskforce')).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('lists page newest first with a cursor', async () => {
    for (let i = 0; i < 25; i++) {
      await h.ok('admin', 'createInvite', { role: 'taskforce', taskForceId: 'tf-01' }, ADMIN);
      h.clock.advance(1000);
    }
    const first = await h.ok('admin', 'listInvites', {}, ADMIN);
    expect(first.items).toHaveLength(20);
    const second = await h.ok('admin', 'listInvites', { cursor: first.nextCursor }, ADMIN);
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeUndefined();
    expect(first.items[0].createdAt > second.items[0].createdAt).toBe(true);
    expect(first.items[0]).toMatchObject({ taskForceName: expect.any(String), status: 'open' });
  });
});

describe('enterprise.members and removeMember', () => {
  test('the owner sees everyone and removes a colleague, who is FORBIDDEN next; colleagues see but cannot remove', async () => {
    const qiutian = (await h.ok('enterprise', 'get', {}, 'demo-enterprise')).id;
    const { code } = await h.ok('admin', 'createInvite', { role: 'enterprise', enterpriseId: qiutian, name: '周会计' }, 'demo-enterprise');
    await h.ok('user', 'redeemInvite', { code }, 'accountant');
    const list = await h.ok('enterprise', 'members', {}, 'accountant');
    expect(list.items).toEqual([
      { memberId: expect.stringMatching(/^[0-9a-f]{16}$/), me: false, name: expect.stringMatching(/\S/), owner: true, joinedAt: expect.any(String) },
      { memberId: expect.stringMatching(/^[0-9a-f]{16}$/), me: true, name: '周会计', owner: false, joinedAt: expect.any(String) },
    ]);
    // OPENIDs reach admins only.
    expect(JSON.stringify(list)).not.toMatch(/demo-enterprise|accountant/);
    expect(await h.fail('enterprise', 'removeMember', { openid: 'demo-enterprise' }, 'accountant')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('enterprise', 'removeMember', { openid: 'demo-enterprise' }, 'demo-enterprise')).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await h.fail('enterprise', 'removeMember', { openid: 'demo-hrss' }, 'demo-enterprise')).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.ok('enterprise', 'removeMember', { memberId: list.items[1].memberId }, 'demo-enterprise')).toEqual({ removed: true });
    expect(await h.fail('enterprise', 'get', {}, 'accountant')).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('need', 'mine', {}, 'accountant')).toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.ok('enterprise', 'members', {}, 'demo-enterprise')).items.map((m: any) => [m.me, m.owner])).toEqual([[true, true]]);
    expect((await h.ok('admin', 'auditLog', {}, ADMIN)).items[0]).toMatchObject({
      action: 'removeMember',
      actor: 'demo-enterprise',
      target: 'accountant',
      targetName: '周会计',
      details: { role: 'enterprise', enterpriseId: qiutian },
    });
  });

  test('a registrant is listed by the contact name they registered with', async () => {
    await h.ok('enterprise', 'register', {
      name: '重庆成员测试有限公司',
      creditCode: '91350100M000100Y43',
      industry: 'manufacturing',
      zone: 'jianqiao-c',
      address: '建桥工业园C区',
      location: { latitude: 29.45, longitude: 106.46 },
      contactName: '吴老板',
      contactPhone: '13800138000',
      employees: 5,
      chamberCodes: [],
    }, 'registrant');
    expect((await h.ok('enterprise', 'members', {}, 'registrant')).items).toEqual([
      { memberId: expect.any(String), me: true, name: '吴老板', owner: true, joinedAt: '2026-03-02T01:00:00.000Z' },
    ]);
  });
});
