import { startHarness, type Harness } from './harness';
import { checkCreditCode, creditCodeCheckChar } from '../../server/enterprises/creditCode';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const validCode = (body: string) => body + creditCodeCheckChar(body);

const form = (overrides: Record<string, unknown> = {}) => ({
  name: '重庆新起点机械有限公司',
  creditCode: validCode('91500104MA60XQDN1'),
  industry: 'manufacturing',
  zone: 'jianqiao-c',
  address: '大渡口区建桥工业园C区 8 号',
  location: { latitude: 29.45, longitude: 106.46 },
  contactName: '钱进',
  contactPhone: '13800138000',
  employees: 42,
  chamberCodes: ['chamber-zhejiang'],
  ...overrides,
});

describe('credit code (GB 32100-2015)', () => {
  test('accepts a code with the right check character and refuses the others', () => {
    // A published example code: 91350100M000100Y43.
    expect(checkCreditCode('91350100M000100Y43')).toBeNull();
    expect(checkCreditCode('91350100M000100Y44')).toBe('checkDigit');
    expect(checkCreditCode('91350100M000100Y4')).toBe('length');
    expect(checkCreditCode('91350100M000100I43')).toBe('characters');
  });
});

describe('enterprise.options', () => {
  test('offers industries with Chinese labels, the seeded zones and chambers', async () => {
    const opts = await h.ok('enterprise', 'options', {}, 'someone-new');
    expect(opts.industries).toContainEqual({ code: 'medical', name: '医药医疗' });
    expect(opts.zones).toContainEqual({ code: 'jianqiao-c', name: '建桥园区C区' });
    expect(opts.chambers.map((c: any) => c.code)).toEqual(expect.arrayContaining(['chamber-pharma', 'assoc-micro']));
    expect(opts.chambers.map((c: any) => c.code)).not.toContain('hrss');
  });
});

describe('enterprise.register', () => {
  test('registers, grants the enterprise role and returns the enterprise', async () => {
    const e = await h.ok('enterprise', 'register', form(), 'owner-1');
    expect(e).toMatchObject({ name: '重庆新起点机械有限公司', verified: false, contactPhone: '13800138000' });
    const session = await h.ok('user', 'login', {}, 'owner-1');
    expect(session.roles).toContain('enterprise');
    expect(session.enterpriseId).toBe(e.id);
    expect(await h.ok('enterprise', 'get', {}, 'owner-1')).toMatchObject({ id: e.id });
  });

  test('a wrong check digit names the field', async () => {
    const code = validCode('91500104MA60XQDN2');
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const err = await h.fail('enterprise', 'register', form({ creditCode: wrong }), 'owner-2');
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'creditCode' });
    expect(err.message).toMatch(/校验位/);
  });

  test.each([
    [{ contactPhone: '12345' }, 'contactPhone'],
    [{ name: '' }, 'name'],
    [{ industry: 'mining' }, 'industry'],
    [{ employees: -3 }, 'employees'],
    [{ zone: 'nowhere' }, 'zone'],
    [{ chamberCodes: ['hrss'] }, 'chamberCodes'],
    [{ location: { latitude: 200, longitude: 0 } }, 'location.latitude'],
  ])('bad input %j is refused at field %s', async (overrides, field) => {
    const err = await h.fail('enterprise', 'register', form({ creditCode: validCode('91500104MA60XQDN3'), ...overrides }), 'owner-3');
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field });
    expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  test('a second registration of the same credit code is a CONFLICT saying whom in the district to ask, naming no person', async () => {
    const code = validCode('91500104MA60XQDN4');
    await h.ok('enterprise', 'register', form({ creditCode: code }), 'owner-4');
    const err = await h.fail('enterprise', 'register', form({ creditCode: code.toLowerCase() }), 'owner-5');
    expect(err.code).toBe('CONFLICT');
    // Whoever took the code is not named, nor their phone: it may be a squatter's.
    expect(err.message).not.toMatch(/钱进/);
    expect(err.message).not.toMatch(/\d{3}\*{4}\d{4}/);
    // The zone's task force (建桥C区 is tf-02's) and the federation are.
    const tf = (await h.ok('visit', 'profile', {}, 'demo-taskforce')).taskForceName;
    expect(err.message).toContain(tf);
    expect(err.message).toContain('区工商联');
    expect(err.message).toMatch(/邀请码/);
  });

  test('concurrent registrations of one code create exactly one enterprise', async () => {
    const code = validCode('91500104MA60XQDN5');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.raw('enterprise', 'register', form({ creditCode: code }), `racer-${i}`)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r: any) => r.error.code)).toEqual(Array(5).fill('CONFLICT'));
    expect((await h.db.collection('enterprises').where({ creditCode: code }).count()).total).toBe(1);
  });

  test('an owner cannot register a second enterprise', async () => {
    const err = await h.fail('enterprise', 'register', form({ creditCode: validCode('91500104MA60XQDN6') }), 'demo-enterprise');
    expect(err.code).toBe('CONFLICT');
  });
});

describe('enterprise.get scope', () => {
  test('another enterprise cannot read it; an admin sees it with the phone masked', async () => {
    const mine = await h.ok('enterprise', 'get', {}, 'demo-enterprise');
    expect(await h.fail('enterprise', 'get', { enterpriseId: mine.id }, 'demo-hualun')).toMatchObject({ code: 'FORBIDDEN' });
    const seen = await h.ok('enterprise', 'get', { enterpriseId: mine.id }, 'demo-admin');
    expect(seen.contactPhone).toBe('139****0001');
  });

  test("the zone's task force sees the phone in full", async () => {
    const mine = await h.ok('enterprise', 'get', {}, 'demo-enterprise');
    const seen = await h.ok('enterprise', 'get', { enterpriseId: mine.id }, 'demo-taskforce');
    expect(seen.contactPhone).toBe('13908310001');
  });
});

describe('update, reportStatus, verify', () => {
  test('the owner updates contact details; the edit keeps the verified mark when name and code stay', async () => {
    const updated = await h.ok('enterprise', 'update', { contactName: '李建军', employees: 330 }, 'demo-enterprise');
    expect(updated).toMatchObject({ contactName: '李建军', employees: 330, name: '重庆秋田齿轮有限公司', verified: true });
    expect(await h.fail('enterprise', 'update', { zone: 'atlantis' }, 'demo-enterprise')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'zone' });
    expect(await h.fail('enterprise', 'update', { employees: 1 }, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('enterprise', 'update', { employees: 1_000_001 }, 'demo-enterprise')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'employees' });
  });

  test('status reports: by the owner, or by the task force of its zone on its behalf', async () => {
    const mine = await h.ok('enterprise', 'get', {}, 'demo-enterprise');
    const r = await h.ok('enterprise', 'reportStatus', { employeesTotal: 320, employeesBack: 250, capacityPercent: 80, resumed: true }, 'demo-enterprise');
    expect(r).toMatchObject({ enterpriseId: mine.id, role: 'enterprise', employeesBack: 250 });
    const tf = await h.ok('enterprise', 'reportStatus', { enterpriseId: mine.id, employeesTotal: 320, employeesBack: 300, capacityPercent: 95, resumed: true }, 'demo-taskforce');
    expect(tf.role).toBe('taskforce');
    expect((await h.ok('enterprise', 'get', {}, 'demo-enterprise')).latestStatus).toMatchObject({ employeesBack: 300 });
    expect((await h.db.collection('statusReports').where({ enterpriseId: mine.id }).count()).total).toBe(2);
    const err = await h.fail('enterprise', 'reportStatus', { employeesTotal: 10, employeesBack: 11, capacityPercent: 50, resumed: true }, 'demo-enterprise');
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'employeesBack' });
    const hualun = await h.ok('enterprise', 'get', {}, 'demo-hualun');
    expect(await h.fail('enterprise', 'reportStatus', { enterpriseId: hualun.id, employeesTotal: 1, employeesBack: 1, capacityPercent: 1, resumed: true }, 'demo-taskforce')).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('verification by the zone task force marks the enterprise and its open needs', async () => {
    const code = validCode('91500104MA60XQDN7');
    const e = await h.ok('enterprise', 'register', form({ creditCode: code, zone: 'jianqiao-c' }), 'owner-7');
    const { needs } = await h.ok('need', 'submit', { type: 'policy', question: '房租减免如何申请？', clientKey: 'verify-key-01' }, 'owner-7');
    expect(needs[0].enterpriseVerified).toBe(false);
    expect(await h.fail('enterprise', 'verify', { enterpriseId: e.id }, 'demo-enterprise')).toMatchObject({ code: 'FORBIDDEN' });
    const verified = await h.ok('enterprise', 'verify', { enterpriseId: e.id }, 'demo-taskforce');
    expect(verified.verified).toBe(true);
    expect((await h.ok('need', 'get', { id: needs[0].id }, 'owner-7')).enterpriseVerified).toBe(true);
  });

  test('a rename clears the verified mark, on the enterprise and on its open needs', async () => {
    const code = validCode('91500104MA60XQDN8');
    const e = await h.ok('enterprise', 'register', form({ creditCode: code, name: '重庆改名前有限公司' }), 'owner-8');
    const { needs } = await h.ok('need', 'submit', { type: 'policy', question: '稳岗补贴怎么领？', clientKey: 'rename-key-01' }, 'owner-8');
    await h.ok('enterprise', 'verify', { enterpriseId: e.id }, 'demo-taskforce');
    expect((await h.ok('enterprise', 'get', {}, 'owner-8')).verified).toBe(true);
    // Taking a verified neighbour's name must not carry the mark over.
    const renamed = await h.ok('enterprise', 'update', { name: '重庆秋田齿轮有限公司' }, 'owner-8');
    expect(renamed).toMatchObject({ name: '重庆秋田齿轮有限公司', verified: false });
    const stored = (await h.db.collection('enterprises').doc(e.id).get()).data;
    expect(stored.verified).toBe(false);
    expect(stored.verifiedBy).toBeUndefined();
    expect((await h.ok('need', 'get', { id: needs[0].id }, 'owner-8')).enterpriseVerified).toBe(false);
  });

  test('a corrected credit code moves the lock and clears the mark; a code held by another enterprise is a CONFLICT', async () => {
    const first = validCode('91500104MA60XQDN9');
    const corrected = validCode('91500104MA60XQDP1');
    const e = await h.ok('enterprise', 'register', form({ creditCode: first, name: '重庆改码有限公司' }), 'owner-9');
    await h.ok('enterprise', 'verify', { enterpriseId: e.id }, 'demo-admin');
    const moved = await h.ok('enterprise', 'update', { creditCode: corrected }, 'owner-9');
    expect(moved).toMatchObject({ creditCode: corrected, verified: false });
    expect((await h.db.collection('creditCodes').doc(corrected).get()).data).toMatchObject({ enterpriseId: e.id });
    expect((await h.db.collection('creditCodes').where({ _id: first }).get()).data).toEqual([]);
    // The old code is free again; the qiutian code is not.
    await h.ok('enterprise', 'register', form({ creditCode: first, name: '重庆接手旧码有限公司' }), 'owner-10');
    const qiutian = (await h.ok('enterprise', 'get', {}, 'demo-enterprise')).creditCode;
    expect(await h.fail('enterprise', 'update', { creditCode: qiutian }, 'owner-9')).toMatchObject({ code: 'CONFLICT' });
    expect((await h.ok('enterprise', 'get', {}, 'owner-9')).creditCode).toBe(corrected);
  });
});

describe('identities', () => {
  test('owner and verifier OPENIDs reach admins only; the owner sees who verified by name', async () => {
    const mine = await h.ok('enterprise', 'get', {}, 'demo-enterprise');
    await h.ok('enterprise', 'verify', { enterpriseId: mine.id }, 'demo-taskforce');
    const own = await h.ok('enterprise', 'get', {}, 'demo-enterprise');
    expect(own).not.toHaveProperty('ownerOpenid');
    expect(own).not.toHaveProperty('verifiedBy');
    expect(own.verifiedByName).toMatch(/^建桥C区专班/);
    for (const who of ['demo-taskforce']) {
      const seen = await h.ok('enterprise', 'get', { enterpriseId: mine.id }, who);
      expect(JSON.stringify(seen)).not.toMatch(/demo-enterprise|demo-taskforce/);
    }
    const admin = await h.ok('enterprise', 'get', { enterpriseId: mine.id }, 'demo-admin');
    expect(admin).toMatchObject({ ownerOpenid: 'demo-enterprise', verifiedBy: 'demo-taskforce' });
  });

  test('a unit member handling its need sees no OPENID either', async () => {
    const hualun = await h.ok('enterprise', 'get', {}, 'demo-hualun');
    await h.ok('need', 'submit', { type: 'financing', amountWan: 100, purpose: '周转', termMonths: 12, clientKey: 'identity-key-01' }, 'demo-hualun');
    const seen = await h.ok('enterprise', 'get', { enterpriseId: hualun.id }, 'demo-finance');
    expect(seen).not.toHaveProperty('ownerOpenid');
    expect(JSON.stringify(seen)).not.toMatch(/demo-hualun/);
  });
});


describe('register without a transaction', () => {
  test('costs at most 7 round trips on a warm instance, session read and audit entry included', async () => {
    await h.ok('user', 'login', {}, 'budget-owner');
    // Warm: this instance has read the district's configuration.
    await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'hrss' }, 'demo-admin');
    const { data, db } = await h.counted('enterprise', 'register', form({ creditCode: validCode('91500104MA60XQDR2') }), 'budget-owner');
    expect(data.ownerOpenid).toBeUndefined();
    expect(db).toBeLessThanOrEqual(7);
  });

  test('a crash after the lock converges on the registrant’s retry; others are told it is under way, then may take it over', async () => {
    const code = validCode('91500104MA60XQDR3');
    const now = h.clock.now().toISOString();
    // What the first write alone leaves: the lock naming the registrant, no enterprise.
    await h.db.collection('creditCodes').add({ data: { _id: code, enterpriseId: 'half-done-1', ownerOpenid: 'crash-owner', createdAt: now } });
    expect(await h.fail('enterprise', 'register', form({ creditCode: code }), 'interloper')).toMatchObject({ code: 'CONFLICT' });
    const e = await h.ok('enterprise', 'register', form({ creditCode: code }), 'crash-owner');
    expect(e.id).toBe('half-done-1');
    expect((await h.ok('user', 'login', {}, 'crash-owner')).enterpriseId).toBe('half-done-1');
    // After the enterprise: the retry finds both writes done and finishes the grant only.
    const code2 = validCode('91500104MA60XQDR4');
    await h.db.collection('creditCodes').add({ data: { _id: code2, enterpriseId: 'half-done-2', ownerOpenid: 'crash-owner-2', createdAt: now } });
    await h.db.collection('enterprises').add({ data: { _id: 'half-done-2', ...form({ creditCode: code2 }), verified: false, lastVisitAt: '', ownerOpenid: 'crash-owner-2', createdAt: now, updatedAt: now } });
    expect((await h.ok('enterprise', 'register', form({ creditCode: code2 }), 'crash-owner-2')).id).toBe('half-done-2');
    expect((await h.db.collection('enterprises').where({ creditCode: code2 }).count()).total).toBe(1);
    // A lock abandoned for ten minutes is taken over by the next registrant.
    const code3 = validCode('91500104MA60XQDR5');
    await h.db.collection('creditCodes').add({ data: { _id: code3, enterpriseId: 'abandoned', ownerOpenid: 'gone', createdAt: now } });
    expect(await h.fail('enterprise', 'register', form({ creditCode: code3 }), 'next-owner')).toMatchObject({ code: 'CONFLICT' });
    h.clock.advance(11 * 60_000);
    const taken = await h.ok('enterprise', 'register', form({ creditCode: code3 }), 'next-owner');
    expect(taken.id).not.toBe('abandoned');
    expect(await h.fail('enterprise', 'register', form({ creditCode: code3 }), 'gone')).toMatchObject({ code: 'CONFLICT' });
  });
});
