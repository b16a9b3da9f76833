/**
 * Trust round 2 (issue 13, items 1, 2, 3, 8, 12): revocation that sticks,
 * invite codes nobody guesses, enterprises nobody can squat, identities that
 * reach admins only, and the scheduler's housekeeping.
 */
import { masks, startHarness, type Harness } from './harness';
import { runScheduler } from '../../server/scheduler/run';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ADMIN = 'demo-admin';
const OWNER = 'demo-enterprise'; // 重庆秋田齿轮有限公司, ent-qiutian
const TF = 'demo-taskforce'; // tf-02, 建桥园区C区
const DAY = 86400_000;

async function invite(payload: Record<string, unknown>, by = ADMIN): Promise<string> {
  return (await h.ok('admin', 'createInvite', payload, by)).code;
}

async function auditFor(pred: (e: any) => boolean) {
  return (await h.ok('admin', 'auditLog', {}, ADMIN)).items.filter(pred);
}

const register = (creditCode: string, contactName: string) => ({
  name: '重庆抢注测试有限公司',
  creditCode,
  industry: 'manufacturing',
  zone: 'jianqiao-c',
  address: '建桥工业园C区',
  location: { latitude: 29.45, longitude: 106.46 },
  contactName,
  contactPhone: '13800138000',
  employees: 5,
  chamberCodes: [],
});
const CODE = '91350100M000100Y43';

describe('1. revocation is final', () => {
  test('a revoked member redeeming their old code is refused and stays without the role; grant and revocation are in the audit log', async () => {
    const code = await invite({ role: 'unit', unitCode: 'hrss', name: '钱多多' });
    await h.ok('user', 'redeemInvite', { code }, 'dismissed');
    await h.ok('admin', 'revoke', { openid: 'dismissed', role: 'unit', unitCode: 'hrss' }, ADMIN);
    expect(await h.fail('user', 'redeemInvite', { code }, 'dismissed')).toMatchObject({ code: 'CONFLICT' });
    // Also after the code expired (main accepted that too).
    h.clock.advance(15 * DAY);
    expect(await h.fail('user', 'redeemInvite', { code }, 'dismissed')).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await h.ok('user', 'login', {}, 'dismissed')).toMatchObject({ roles: [], unitCodes: [] });
    const trail = await auditFor((e) => e.target === 'dismissed');
    expect(trail.map((e: any) => e.action)).toEqual(['revoke', 'grant']);
    expect(trail[1]).toMatchObject({ details: { role: 'unit', unitCode: 'hrss', code }, targetName: '钱多多' });
  });

  test('a claim whose grant never landed may be finished only while the code is unexpired; a code used before this round has no retry', async () => {
    const code = await invite({ role: 'taskforce', taskForceId: 'tf-04' });
    await h.db.collection('invites').doc(code).update({ data: { usedBy: 'crashed', usedAt: h.clock.now().toISOString(), oneGrant: true } });
    h.clock.advance(15 * DAY);
    expect(await h.fail('user', 'redeemInvite', { code }, 'crashed')).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect((await h.ok('user', 'login', {}, 'crashed')).roles).toEqual([]);

    const legacy = await invite({ role: 'unit', unitCode: 'ndrc' });
    // A code used and revoked before users.redeemed existed: no trace on the person, no retry mark on the code.
    await h.db.collection('invites').doc(legacy).update({ data: { usedBy: 'old-member', usedAt: h.clock.now().toISOString() } });
    await h.ok('user', 'login', {}, 'old-member');
    expect(await h.fail('user', 'redeemInvite', { code: legacy }, 'old-member')).toMatchObject({ code: 'CONFLICT' });
    expect((await h.ok('user', 'login', {}, 'old-member')).roles).toEqual([]);
  });

  test("revoking a unit head withdraws the spare codes they minted; a colleague's code dies with their removal", async () => {
    const head = await invite({ role: 'unit', unitCode: 'chamber-catering', head: true });
    await h.ok('user', 'redeemInvite', { code: head }, 'leaving-head');
    const spare = await invite({ role: 'unit', unitCode: 'chamber-catering' }, 'leaving-head');
    await h.ok('admin', 'revoke', { openid: 'leaving-head', role: 'unit', unitCode: 'chamber-catering' }, ADMIN);
    expect(await h.fail('user', 'redeemInvite', { code: spare }, 'leaving-head-friend')).toMatchObject({ code: 'NOT_FOUND' });
    const listed = (await h.ok('admin', 'listInvites', {}, ADMIN)).items.find((i: any) => i.code === spare);
    expect(listed).toMatchObject({ status: 'revoked' });
    expect((await auditFor((e) => e.action === 'revoke' && e.target === 'leaving-head'))[0].details.codes).toEqual([spare]);

    // A colleague mints a code; the owner removes them. Even a code the sweep never saw (written
    // straight into the database here) is refused: the issuer is checked at redemption.
    const colleague = await invite({ role: 'enterprise', enterpriseId: 'ent-qiutian', name: '周会计' }, OWNER);
    await h.ok('user', 'redeemInvite', { code: colleague }, 'accountant');
    const minted = await invite({ role: 'enterprise', enterpriseId: 'ent-qiutian' }, 'accountant');
    await h.ok('enterprise', 'removeMember', { openid: 'accountant' }, OWNER);
    expect(await h.fail('user', 'redeemInvite', { code: minted }, 'accountant-again')).toMatchObject({ code: 'NOT_FOUND' });
    const unseen = 'ABCDEFGHJKMN';
    await h.db.collection('invites').add({
      data: { _id: unseen, role: 'enterprise', enterpriseId: 'ent-qiutian', head: false, createdBy: 'accountant', createdAt: h.clock.now().toISOString(), expiresAt: new Date(h.clock.now().getTime() + DAY).toISOString() },
    });
    expect(await h.fail('user', 'redeemInvite', { code: unseen }, 'accountant-again')).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('enterprise', 'get', {}, 'accountant-again')).toMatchObject({ code: 'NOT_FOUND' });
    // That withdrawal is in the audit log too, by the system.
    expect((await auditFor((e) => e.action === 'revokeInvite' && e.details.code === unseen))[0]).toMatchObject({ actor: 'system', actorName: '系统' });
  });

  test('needs a revoked member held go back to the queue at once, with an event, the unit told; a colleague claims them', async () => {
    const code = await invite({ role: 'unit', unitCode: 'chamber-pharma', name: '孙药师' });
    await h.ok('user', 'redeemInvite', { code }, 'pharma-leaver');
    const need = (await h.ok('need', 'submit', { ...masks(), clientKey: 'round2-held-0001' }, 'demo-hualun')).needs[0];
    expect(need.unitCode).toBe('chamber-pharma');
    await h.ok('need', 'claim', { id: need.id }, 'pharma-leaver');
    const before = h.rt.outbox.read().length;
    await h.ok('admin', 'revoke', { openid: 'pharma-leaver', role: 'unit', unitCode: 'chamber-pharma' }, ADMIN);
    const back = await h.ok('need', 'get', { id: need.id }, 'demo-chamber-head');
    expect(back).toMatchObject({ status: 'routed' });
    expect(back.claimedByMe).toBeUndefined();
    expect(back.timeline[back.timeline.length - 1]).toMatchObject({ from: 'claimed', to: 'routed', note: expect.stringContaining('退回队列') });
    expect(h.rt.outbox.read().slice(before).map((m) => m.touser)).toContain('demo-chamber-head');
    expect((await auditFor((e) => e.action === 'revoke' && e.target === 'pharma-leaver'))[0].details.releasedNeeds).toEqual([need.id]);
    expect(await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head')).toMatchObject({ status: 'claimed', claimedByMe: true });
  });

  test('a chamber head who is no longer head of any chamber loses the supplies pool too: pool claims go back', async () => {
    const need = (await h.ok('need', 'submit', { ...masks(), clientKey: 'round2-pool-0001' }, OWNER)).needs[0];
    expect(need.unitCode).toBe('fic-supply-pool');
    await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head');
    await h.ok('admin', 'revoke', { openid: 'demo-chamber-head', role: 'unit', unitCode: 'chamber-pharma' }, ADMIN);
    expect((await h.ok('need', 'get', { id: need.id }, ADMIN)).status).toBe('routed');
  });

  test('an owner lists and withdraws every open invite into their enterprise, whoever issued it; a colleague only their own', async () => {
    const colleague = await invite({ role: 'enterprise', enterpriseId: 'ent-qiutian', name: '周会计' }, OWNER);
    await h.ok('user', 'redeemInvite', { code: colleague }, 'accountant');
    h.clock.advance(1000);
    const theirs = await invite({ role: 'enterprise', enterpriseId: 'ent-qiutian' }, 'accountant');
    const listed = (await h.ok('admin', 'listInvites', {}, OWNER)).items;
    expect(listed.map((i: any) => [i.code, i.issuedByMe, i.status])).toEqual([
      [theirs, false, 'open'],
      [colleague, true, 'used'],
    ]);
    expect((await h.ok('admin', 'listInvites', {}, 'accountant')).items.map((i: any) => i.code)).toEqual([theirs]);
    expect(await h.fail('admin', 'revokeInvite', { code: colleague }, 'accountant')).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.ok('admin', 'revokeInvite', { code: theirs }, OWNER)).toEqual({ revoked: true });
    expect((await auditFor((e) => e.action === 'revokeInvite'))[0]).toMatchObject({ actor: OWNER, details: { code: theirs, enterpriseId: 'ent-qiutian' } });
  });
});

describe('2. guessing', () => {
  test('new codes are 12 characters of the 31-character alphabet; an 8-character code issued before still redeems until it expires', async () => {
    const codes = await Promise.all(Array.from({ length: 5 }, () => invite({ role: 'taskforce', taskForceId: 'tf-01' })));
    for (const code of codes) expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{12}$/);
    // Typed as shown, in groups of four.
    const grouped = codes[0].match(/.{4}/g)!.join('-').toLowerCase();
    expect(await h.ok('user', 'redeemInvite', { code: grouped }, 'typist')).toMatchObject({ taskForceId: 'tf-01' });

    const old = 'Q7W8E9R2';
    const now = h.clock.now().getTime();
    await h.db.collection('invites').add({
      data: { _id: old, role: 'unit', unitCode: 'hrss', head: false, createdBy: ADMIN, createdAt: new Date(now).toISOString(), expiresAt: new Date(now + DAY).toISOString() },
    });
    expect(await h.ok('user', 'redeemInvite', { code: old }, 'old-code-holder')).toMatchObject({ unitCodes: ['hrss'] });
  });
});

describe('3. an enterprise belongs to its owner', () => {
  test('a squatted code: the real owner is told whom in the district to ask; an admin reassigns the registrant with a reason', async () => {
    await h.ok('enterprise', 'register', register(CODE, '抢注人'), 'squatter');
    await h.ok('user', 'login', {}, 'real-owner');
    const err = await h.fail('enterprise', 'register', register(CODE, '真老板'), 'real-owner');
    expect(err.code).toBe('CONFLICT');
    expect(err.message).not.toContain('抢注人');
    expect(err.message).toContain('区工商联');
    const id = (await h.ok('enterprise', 'get', {}, 'squatter')).id;
    const spare = await invite({ role: 'enterprise', enterpriseId: id }, 'squatter');

    expect(await h.fail('admin', 'reassignEnterprise', { enterpriseId: id, openid: 'real-owner', reason: '' }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'reason' });
    expect(await h.fail('admin', 'reassignEnterprise', { enterpriseId: id, openid: 'real-owner', reason: '核对营业执照' }, OWNER)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.fail('admin', 'reassignEnterprise', { enterpriseId: id, openid: 'demo-hualun', reason: '核对营业执照' }, ADMIN)).toMatchObject({ code: 'FAILED_PRECONDITION' });
    await h.ok(
      'admin',
      'reassignEnterprise',
      { enterpriseId: id, openid: 'real-owner', reason: '已核对营业执照，原登记人非本企业人员', contactName: '真老板', contactPhone: '13900001111' },
      ADMIN,
    );
    const theirs = await h.ok('enterprise', 'get', {}, 'real-owner');
    expect(theirs).toMatchObject({ id, contactName: '真老板', contactPhone: '13900001111' });
    expect((await h.ok('enterprise', 'members', {}, 'real-owner')).items).toEqual([expect.objectContaining({ me: true, owner: true, name: '真老板' })]);
    expect(await h.fail('enterprise', 'get', {}, 'squatter')).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('user', 'redeemInvite', { code: spare }, 'squatter-friend')).toMatchObject({ code: 'NOT_FOUND' });
    const [entry] = await auditFor((e) => e.action === 'reassignEnterprise');
    expect(entry).toMatchObject({ actor: ADMIN, target: 'real-owner', details: { enterpriseId: id, reason: '已核对营业执照，原登记人非本企业人员', previousOwner: 'squatter', codes: [spare] } });
  });

  test('retiring an enterprise frees its credit code, takes it from its people, closes its open needs, with a reason in the audit log', async () => {
    const squatted = await h.ok('enterprise', 'register', register(CODE, '抢注人'), 'squatter');
    const need = (await h.ok('need', 'submit', { ...masks(), clientKey: 'round2-squat-0001' }, 'squatter')).needs[0];
    expect(await h.fail('admin', 'retireEnterprise', { enterpriseId: squatted.id }, ADMIN)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'reason' });
    expect(await h.ok('admin', 'retireEnterprise', { enterpriseId: squatted.id, reason: '冒用他人信用代码' }, ADMIN)).toMatchObject({ retired: true, removedMembers: 1, cancelledNeeds: 1 });
    expect(await h.fail('enterprise', 'get', {}, 'squatter')).toMatchObject({ code: 'NOT_FOUND' });
    expect((await h.ok('need', 'get', { id: need.id }, ADMIN)).status).toBe('cancelled');
    const real = await h.ok('enterprise', 'register', register(CODE, '真老板'), 'real-owner');
    expect(real.id).not.toBe(squatted.id);
    const [entry] = await auditFor((e) => e.action === 'retireEnterprise');
    expect(entry).toMatchObject({ actor: ADMIN, details: { enterpriseId: squatted.id, reason: '冒用他人信用代码', previousOwner: 'squatter' } });
    // Repeating it changes nothing more.
    expect(await h.ok('admin', 'retireEnterprise', { enterpriseId: squatted.id, reason: '冒用他人信用代码' }, ADMIN)).toMatchObject({ removedMembers: 0, cancelledNeeds: 0 });
    expect((await h.ok('enterprise', 'get', {}, 'real-owner')).id).toBe(real.id);
  });

  test('registration is audited as a grant of the enterprise role', async () => {
    const e = await h.ok('enterprise', 'register', register(CODE, '吴老板'), 'registrant');
    expect((await auditFor((x) => x.action === 'register'))[0]).toMatchObject({ target: 'registrant', targetName: '吴老板', details: { role: 'enterprise', enterpriseId: e.id } });
  });
});

describe('8. identity', () => {
  test("the enterprise and the task force never see the claimer's OPENID; admins do", async () => {
    const need = (await h.ok('need', 'submit', { ...masks(), clientKey: 'round2-ident-0001' }, OWNER)).needs[0];
    const claimed = await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head');
    expect(claimed.claimedByMe).toBe(true);
    for (const reader of [OWNER, TF]) {
      const seen = await h.ok('need', 'get', { id: need.id }, reader);
      expect(seen).toMatchObject({ claimedByMe: false, claimedByName: expect.any(String), unitName: expect.any(String) });
      expect(JSON.stringify(seen)).not.toContain('demo-chamber-head');
    }
    const listed = (await h.ok('need', 'mine', {}, OWNER)).items.find((n: any) => n.id === need.id);
    expect(listed).toMatchObject({ claimedByMe: false });
    expect(listed.claimedBy).toBeUndefined();
    expect((await h.ok('need', 'get', { id: need.id }, ADMIN)).claimedBy).toBe('demo-chamber-head');
  });

  test('visit.list names the member; the OPENID reaches admins only', async () => {
    const tfCode = await invite({ role: 'taskforce', taskForceId: 'tf-02', name: '陈专员' });
    await h.ok('user', 'redeemInvite', { code: tfCode }, 'tf-chen');
    const e = (await h.ok('visit', 'myEnterprises', {}, TF)).items[0];
    const visit = { enterpriseId: e.id, clientKey: 'round2-visit-0001', photos: [], checklist: { look: '', check: '', ask: '', guide: [] } };
    await h.ok('visit', 'checkIn', visit, 'tf-chen');
    const mine = (await h.ok('visit', 'list', {}, TF)).items[0];
    expect(mine).toMatchObject({ memberName: '陈专员', mine: false });
    expect(mine.member).toBeUndefined();
    expect(JSON.stringify(mine)).not.toContain('tf-chen');
    expect((await h.ok('visit', 'list', {}, 'tf-chen')).items[0].mine).toBe(true);
    expect((await h.ok('visit', 'list', {}, ADMIN)).items[0]).toMatchObject({ member: 'tf-chen', memberName: '陈专员' });
  });

  test('admins see phones one way everywhere: masked', async () => {
    const listed = (await h.ok('admin', 'enterprises', { limit: 200 }, ADMIN)).items.find((e: any) => e.id === 'ent-qiutian');
    const got = await h.ok('enterprise', 'get', { enterpriseId: 'ent-qiutian' }, ADMIN);
    expect(listed.contactPhone).toBe('139****0001');
    expect(got.contactPhone).toBe(listed.contactPhone);
  });

  test('moving a verified position clears 已核实; visits are measured from the verified position until it is verified again', async () => {
    const at = { latitude: 29.4517, longitude: 106.4632 };
    expect((await h.ok('enterprise', 'get', {}, OWNER)).verified).toBe(true);
    // About 40 km away.
    const moved = await h.ok('enterprise', 'update', { location: { latitude: 29.8, longitude: 106.5 } }, OWNER);
    expect(moved.verified).toBe(false);
    const visit = (clientKey: string, location = at) => ({ enterpriseId: 'ent-qiutian', clientKey, location, photos: [], checklist: { look: '', check: '', ask: '', guide: [] } });
    expect(await h.ok('visit', 'checkIn', visit('round2-move-0001'), TF)).toMatchObject({ distanceMeters: 0, offSite: false });
    // A verifier vouches for the new position: visits are measured from it from then on.
    await h.ok('enterprise', 'verify', { enterpriseId: 'ent-qiutian' }, TF);
    expect(await h.ok('visit', 'checkIn', visit('round2-move-0002'), TF)).toMatchObject({ offSite: true });
    // Address changes alone keep the mark; an unchanged position too.
    expect((await h.ok('enterprise', 'update', { address: '建桥工业园C区 2 号门', location: { latitude: 29.8, longitude: 106.5 } }, OWNER)).verified).toBe(true);
  });
});

describe('12. housekeeping', () => {
  test("the scheduler removes spent rate counters and the documents wrong codes left, and nothing else", async () => {
    for (let i = 0; i < 3; i++) await h.fail('user', 'redeemInvite', { code: `WRONGCODE${i}AA` }, `guesser-${i}`);
    await h.ok('user', 'login', {}, 'regular');
    await h.fail('user', 'redeemInvite', { code: 'WRONGCODEXAA' }, 'regular');
    // A guesser who later got a role keeps their document.
    await h.fail('user', 'redeemInvite', { code: 'WRONGCODEYAA' }, 'late-joiner');
    await h.ok('user', 'redeemInvite', { code: await invite({ role: 'taskforce', taskForceId: 'tf-03' }) }, 'late-joiner');
    await h.ok('need', 'submit', { ...masks(), clientKey: 'round2-rate-0001' }, OWNER);
    const counters = async () => (await h.db.collection('rateLimits').orderBy('minute', 'asc').limit(1000).get()).data.length;
    expect(await counters()).toBeGreaterThan(0);

    const early = await runScheduler(h.rt.ports);
    expect(early.housekeeping).toEqual({ rateLimits: 0, guessUsers: 0 });
    h.clock.advance(2 * DAY);
    // A live counter of this minute stays.
    await h.ok('need', 'submit', { ...masks(), clientKey: 'round2-rate-0002' }, OWNER);
    const live = await counters();
    const report = await runScheduler(h.rt.ports);
    expect(report.housekeeping.guessUsers).toBe(3);
    expect(report.housekeeping.rateLimits).toBeGreaterThan(0);
    // What stays: this minute's submit counter and the enterprise's needs of today (a day's window).
    const left = (await h.db.collection('rateLimits').orderBy('minute', 'asc').limit(1000).get()).data.map((d: any) => d._id);
    expect(left).toHaveLength(2);
    expect(left.filter((id: string) => id.startsWith('needs:'))).toHaveLength(1);
    expect(live).toBeGreaterThan(1);
    const ids = (await h.db.collection('users').where({ _id: h.db.command.in(['guesser-0', 'guesser-1', 'guesser-2', 'regular', 'late-joiner']) }).get()).data.map((u: any) => u._id);
    expect(ids.sort()).toEqual(['late-joiner', 'regular']);
    expect((await runScheduler(h.rt.ports)).housekeeping).toEqual({ rateLimits: 0, guessUsers: 0 });
  });
});
