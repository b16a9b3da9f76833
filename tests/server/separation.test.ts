/**
 * Issue 13, item 7: separation of duties. Nobody claims, fulfils or
 * transfers a need raised by their own enterprise or by themselves; a
 * fulfilled loan records the amount granted (≤ requested), and the ledger and
 * the 专报 sum granted amounts of verified enterprises only.
 */
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const OWNER = 'demo-hualun';
const HEAD = 'demo-chamber-head';
const FINANCE = 'demo-finance';
const ADMIN = 'demo-admin';
let seq = 0;
const key = () => `duties-${String(++seq).padStart(8, '0')}`;

async function user(openid: string, data: Record<string, unknown>) {
  await h.db.collection('users').doc(openid).set({ data: { unitCodes: [], headOf: [], createdAt: '2026-03-01', updatedAt: '2026-03-01', ...data } });
}

const loan = (amountWan = 2000) => ({ type: 'financing', amountWan, purpose: '疫情防控物资生产专项', termMonths: 12 });

describe('nobody handles their own need', () => {
  test("a unit member who is also the enterprise's owner cannot claim or transfer its need, and is told why", async () => {
    await user('dual', { roles: ['enterprise', 'unit'], enterpriseId: 'ent-hualun', unitCodes: ['chamber-pharma'] });
    const id = (await h.ok('need', 'submit', { ...masks(100), clientKey: key() }, 'dual')).needs[0].id;
    const claim = await h.fail('need', 'claim', { id }, 'dual');
    expect(claim).toMatchObject({ code: 'FORBIDDEN', message: '不能认领、办结或转办本企业或本人提出的需求' });
    expect(await h.fail('need', 'transfer', { id, toUnitCode: 'chamber-catering', reason: '对口商会' }, 'dual')).toMatchObject({ code: 'FORBIDDEN' });
    // A colleague's need of the same enterprise is as much their own.
    const colleague = (await h.ok('need', 'submit', { ...masks(100), clientKey: key() }, OWNER)).needs[0].id;
    expect(await h.fail('need', 'claim', { id: colleague }, 'dual')).toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.ok('need', 'get', { id: colleague }, 'dual')).allowedActions).not.toContain('claim');
    // Someone else of the unit may.
    expect(await h.ok('need', 'claim', { id: colleague }, HEAD)).toMatchObject({ status: 'claimed' });
  });

  test('a claimer who joined the enterprise since cannot fulfil its need', async () => {
    const id = (await h.ok('need', 'submit', { ...masks(100), clientKey: key() }, OWNER)).needs[0].id;
    await h.ok('need', 'claim', { id }, HEAD);
    await h.db.collection('users').doc(HEAD).update({ data: { roles: ['unit', 'enterprise'], enterpriseId: 'ent-hualun' } });
    expect(await h.fail('need', 'fulfil', { id, note: '送达' }, HEAD)).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('a task-force member who raised the need at a visit cannot claim it in their unit', async () => {
    await user('tf-and-hrss', { roles: ['taskforce', 'unit'], taskForceId: 'tf-02', unitCodes: ['hrss'] });
    const visit = await h.ok('visit', 'checkIn', {
      enterpriseId: 'ent-qiutian',
      clientKey: key(),
      checklist: { look: '', check: '', ask: '缺工人', guide: [] },
      needs: [{ type: 'hiring', positions: [{ title: '装配工', count: 3 }] }],
    }, 'tf-and-hrss');
    const raised = visit.needs[0];
    expect(raised.unitCode).toBe('hrss');
    expect(await h.fail('need', 'claim', { id: raised.id }, 'tf-and-hrss')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.ok('need', 'claim', { id: raised.id }, 'demo-hrss')).toMatchObject({ status: 'claimed' });
  });
});

describe('a fulfilled loan records what was granted', () => {
  async function claimedLoan(amountWan = 2000) {
    const id = (await h.ok('need', 'submit', { ...loan(amountWan), clientKey: key() }, OWNER)).needs[0].id;
    await h.ok('need', 'claim', { id }, FINANCE);
    return id;
  }

  test('grantedWan is required for a loan, at most what was asked, and refused for other needs', async () => {
    const id = await claimedLoan(2000);
    expect(await h.fail('need', 'fulfil', { id, note: '已放款' }, FINANCE)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'grantedWan' });
    expect(await h.fail('need', 'fulfil', { id, note: '已放款', grantedWan: 2000.01 }, FINANCE)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'grantedWan' });
    expect(await h.ok('need', 'fulfil', { id, note: '已放款', grantedWan: 1200 }, FINANCE)).toMatchObject({ status: 'fulfilled', grantedWan: 1200, amountWan: 2000 });
    const masksNeed = (await h.ok('need', 'submit', { ...masks(100), clientKey: key() }, OWNER)).needs[0].id;
    await h.ok('need', 'claim', { id: masksNeed }, HEAD);
    expect(await h.fail('need', 'fulfil', { id: masksNeed, note: '送达', grantedWan: 10 }, HEAD)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'grantedWan' });
  });

  test('the ledger sums granted amounts of verified enterprises only', async () => {
    const verified = await claimedLoan(2000);
    await h.ok('need', 'fulfil', { id: verified, note: '已放款', grantedWan: 1200 }, FINANCE);
    const unverified = await claimedLoan(900);
    // The enterprise lost its 已核实 mark (renamed, say): its needs carry the mark as the enterprise does.
    await h.db.collection('needs').doc(unverified).update({ data: { enterpriseVerified: false } });
    await h.ok('need', 'fulfil', { id: unverified, note: '已放款', grantedWan: 900 }, FINANCE);
    expect((await h.ok('ledger', 'summary', {}, ADMIN)).financingGrantedWan).toBe(1200);
  });
});
