/**
 * Bounded load per person (issue 13, item 5): limits counted in needs, per
 * enterprise, whoever raises them; a few open needs of one type; notes per
 * need and day; a stored timeline that stops growing. At the district's own
 * settings (the other suites raise the per-enterprise limits).
 */
import { masks, startHarness, type Harness } from './harness';
import { CLOSING_RESERVE, MAX_NOTES_PER_DAY, MAX_TIMELINE_EVENTS } from '../../server/needs/bounds';

const OWNER = 'demo-enterprise'; // 重庆秋田齿轮有限公司
const ENTERPRISE = 'ent-qiutian';
const TF = 'demo-taskforce'; // its zone's task force
const ADMIN = 'demo-admin';
const HRSS = 'demo-hrss'; // 人社局, where hiring needs go
const DAY = 24 * 3600_000;

let h: Harness;
let seq = 0;
const key = () => `flood-${String(++seq).padStart(8, '0')}`;
beforeEach(async () => {
  h = await startHarness({ limits: 'district' });
});
afterEach(() => h.close());

const submit = (payload: Record<string, unknown> = masks(100)) => h.raw('need', 'submit', { ...payload, clientKey: key() }, OWNER);
const policy = (i: number) => ({ type: 'policy', question: `第 ${i} 个政策问题：社保能缓缴吗？` });
const openCount = async () =>
  ((await h.db.collection('needs').where({ enterpriseId: ENTERPRISE, status: h.db.command.in(['routed', 'claimed', 'in_progress', 'waiting']) }).count()) as { total: number }).total;

describe('open needs of one type', () => {
  test('a fourth open supplies need is refused at its type field, and taken again once one is closed', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await submit();
      expect(r.ok).toBe(true);
      ids.push((r as any).data.needs[0].id);
    }
    const fourth = await submit();
    expect(fourth).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', field: 'type' } });
    expect((fourth as any).error.message).toBe('本企业已有 3 项「防疫物资」需求正在办理。请在原需求里补充说明，或等其中一项办结后再提交');
    await h.ok('need', 'cancel', { id: ids[0], reason: '已自行解决' }, OWNER);
    expect((await submit()).ok).toBe(true);
  });

  test('in a form of several needs the refusal names the entry; nothing of the form is written', async () => {
    for (let i = 0; i < 3; i++) expect((await submit()).ok).toBe(true);
    const before = await openCount();
    const r = await submit({ needs: [policy(1), masks(100)] });
    expect(r).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', field: 'needs.1.type' } });
    expect(await openCount()).toBe(before);
  });

  test("the issue's flood — 30 forms of all ten types in a minute — leaves at most three open needs of each type", async () => {
    const all = [
      masks(100),
      { type: 'financing', amountWan: 50, purpose: '周转', termMonths: 12 },
      { type: 'hiring', positions: [{ title: '普工', count: 5 }] },
      { type: 'rent', landlord: '园区', areaSqm: 500, monthlyRentYuan: 10000 },
      { type: 'utilities', utility: 'power', issue: '增容' },
      { type: 'logistics', from: '大渡口', to: '九龙坡', goods: '齿轮' },
      { type: 'legal', topic: '合同', description: '劳动合同续签' },
      { type: 'health', headcount: 40, preferredDate: '2026-03-06' },
      policy(0),
      { type: 'other', description: '消毒指导' },
    ];
    let accepted = 0;
    for (let i = 0; i < 30; i++) {
      const r = await submit({ needs: all });
      if (r.ok) accepted += (r as any).data.needs.length;
    }
    expect(accepted).toBe(30);
    expect(await openCount()).toBe(30);
    // Every unit member was told of each accepted need once, not of 300.
    const told = new Set(h.rt.outbox.read().map((m) => m.page));
    expect(told.size).toBeLessThanOrEqual(30);
  });

  test('a task force raising a fourth open need of a type at a visit is refused at that need; its replay is not', async () => {
    for (let i = 0; i < 3; i++) expect((await submit()).ok).toBe(true);
    const visit = (clientKey: string, needs: unknown[]) => ({
      enterpriseId: ENTERPRISE,
      clientKey,
      location: { latitude: 29.4517, longitude: 106.4632 },
      photos: [],
      checklist: { look: '测温点已设', check: '台账齐全', ask: '缺口罩', guide: [] },
      needs,
    });
    expect(await h.raw('visit', 'checkIn', visit('flood-visit-0001', [masks(50)]), TF)).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', field: 'needs.0.type' },
    });
    // A visit raising another kind of need is taken, and replayed it answers the same visit.
    const first = await h.ok('visit', 'checkIn', visit('flood-visit-0002', [policy(9)]), TF);
    const again = await h.ok('visit', 'checkIn', visit('flood-visit-0002', [policy(9)]), TF);
    expect(again.id).toBe(first.id);
    expect(again.needs.map((n: { id: string }) => n.id)).toEqual(first.needs.map((n: { id: string }) => n.id));
  });
});

describe('needs a day, per enterprise', () => {
  test('30 new needs a China day, whoever raises them; the 31st waits for tomorrow', async () => {
    await h.ok('admin', 'saveSettings', { openNeedsPerType: 1000 }, ADMIN);
    for (let i = 0; i < 29; i++) expect((await submit(policy(i))).ok).toBe(true);
    // The task force's visit raises the 30th: the same enterprise's day.
    const visit = {
      enterpriseId: ENTERPRISE,
      clientKey: 'flood-day-visit-01',
      location: { latitude: 29.4517, longitude: 106.4632 },
      photos: [],
      checklist: { look: '', check: '', ask: '', guide: [] },
      needs: [policy(99)],
    };
    expect((await h.raw('visit', 'checkIn', visit, TF)).ok).toBe(true);
    const over = await submit(policy(30));
    expect(over).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect((over as any).error.message).toBe('本企业今天提交的需求已达 30 项上限，请明天再提交；急事请直接联系所在商会或服务专班');
    // A form of two at 29 is refused whole, not cut to one: counted in needs.
    h.clock.advance(DAY);
    for (let i = 0; i < 29; i++) expect((await submit(policy(100 + i))).ok).toBe(true);
    // A minute on, so that the caller's own per-minute limit is not what answers.
    h.clock.advance(60_000);
    const two = await submit({ needs: [policy(200), masks(10)] });
    expect(two).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect((two as any).error.message).toMatch(/^本企业今天提交的需求已达 30 项上限/);
    expect((await submit(policy(201))).ok).toBe(true);
  });

  test('the district sets its own limits', async () => {
    await h.ok('admin', 'saveSettings', { openNeedsPerType: 1, needsPerEnterprisePerDay: 2 }, ADMIN);
    expect((await submit()).ok).toBe(true);
    expect(await submit()).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    expect((await submit(policy(1))).ok).toBe(true);
    expect(await submit({ type: 'legal', topic: '合同', description: '劳动合同续签' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});

describe('one need', () => {
  async function inProgress(): Promise<string> {
    const id = (await h.ok('need', 'submit', { type: 'hiring', positions: [{ title: '普工', count: 5 }], clientKey: key() }, OWNER)).needs[0].id;
    await h.ok('need', 'claim', { id }, HRSS);
    return id;
  }

  test(`at most ${MAX_NOTES_PER_DAY} notes a need and day (progress, renewals), then tomorrow again; closing is always taken`, async () => {
    const id = await inProgress();
    // The first progress note moves the need to 办理中: a change, not one of the day's notes.
    await h.ok('need', 'progress', { id, note: '已受理' }, HRSS);
    for (let i = 0; i < MAX_NOTES_PER_DAY; i++) {
      await h.ok('need', i % 2 ? 'renew' : 'progress', i % 2 ? { id } : { id, note: `第 ${i} 次进展` }, HRSS);
    }
    const over = await h.raw('need', 'progress', { id, note: '再一次' }, HRSS);
    expect(over).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await h.raw('need', 'renew', { id }, HRSS)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    h.clock.advance(DAY);
    expect((await h.raw('need', 'progress', { id, note: '第二天' }, HRSS)).ok).toBe(true);
    expect((await h.raw('need', 'fulfil', { id, note: '已答复' }, HRSS)).ok).toBe(true);
  });

  test(`the stored timeline stops at ${MAX_TIMELINE_EVENTS} events: near the end only closing changes are taken, so it can still be finished`, async () => {
    const id = await inProgress();
    const events = async () => ((await h.db.collection('needs').doc(id).get()).data as any).eventSeq as number;
    while ((await events()) < MAX_TIMELINE_EVENTS - CLOSING_RESERVE) {
      const r = await h.raw('need', 'progress', { id, note: '进展' }, HRSS);
      if (!r.ok) h.clock.advance(DAY);
    }
    const refused = await h.raw('need', 'progress', { id, note: '进展' }, HRSS);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    expect((refused as any).error.message).toMatch(/^这项需求的办理记录已达 \d+ 条，只能办结、撤销或退回/);
    await h.ok('need', 'fulfil', { id, note: '已答复' }, HRSS);
    // The owner cannot reopen it past the bound; they confirm, and the record stays within it.
    expect(await h.raw('need', 'reopen', { id, reason: '还有问题' }, OWNER)).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    await h.ok('need', 'confirm', { id, rating: 4 }, OWNER);
    expect(await events()).toBeLessThanOrEqual(MAX_TIMELINE_EVENTS);
    // What the bound means in bytes: the stored document, and what need.get sends to the owner's phone.
    const stored = Buffer.byteLength(JSON.stringify((await h.db.collection('needs').doc(id).get()).data));
    const sent = Buffer.byteLength(JSON.stringify(await h.ok('need', 'get', { id }, OWNER)));
    console.log(`a need at the bound: ${(stored / 1024).toFixed(0)} KB stored, ${(sent / 1024).toFixed(0)} KB sent by need.get`);
    expect(stored).toBeLessThan(150 * 1024);
    expect(sent).toBeLessThan(150 * 1024);
    expect((await h.ok('admin', 'verifyTimeline', { id }, ADMIN)).intact).toBe(true);
  });
});
