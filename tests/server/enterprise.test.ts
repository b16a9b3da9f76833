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

  test('a second registration of the same credit code is a CONFLICT saying whom to ask', async () => {
    const code = validCode('91500104MA60XQDN4');
    await h.ok('enterprise', 'register', form({ creditCode: code }), 'owner-4');
    const err = await h.fail('enterprise', 'register', form({ creditCode: code.toLowerCase() }), 'owner-5');
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/钱进/);
    expect(err.message).toMatch(/邀请/);
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
  test('the owner updates contact details but never the credit code', async () => {
    const updated = await h.ok('enterprise', 'update', { contactName: '李建军', employees: 330 }, 'demo-enterprise');
    expect(updated).toMatchObject({ contactName: '李建军', employees: 330, name: '重庆秋田齿轮有限公司' });
    const ignored = await h.ok('enterprise', 'update', { creditCode: '91350100M000100Y43', employees: 331 }, 'demo-enterprise');
    expect(ignored.creditCode).not.toBe('91350100M000100Y43');
    expect(await h.fail('enterprise', 'update', { zone: 'atlantis' }, 'demo-enterprise')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'zone' });
    expect(await h.fail('enterprise', 'update', { employees: 1 }, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
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
});
