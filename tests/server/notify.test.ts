/**
 * Subscribe messages: every template's data is its own keywords, each value
 * within its kind's rule however odd the input; the messenger refuses what
 * the platform would; recipients cost no round trip on a warm instance.
 */
import type { Need, NeedStatus } from '../../typings/api';
import { district } from '../../server/config/district';
import { NEED_STATUS_LABELS } from '../../typings/labels';
import { SUBSCRIBE_MOMENTS, SUBSCRIBE_TEMPLATES, TEMPLATE_KEYS, type KeywordKind } from '../../typings/templates';
import { withRoundTrips } from '../../server/local/roundTrips';
import { systemContext } from '../../server/scheduler/run';
import { buildData, miniprogramState, needValues, STATUS_PHRASES, toSubscribeSend, usesFill, type Audience } from '../../server/notify/messages';
import { clearRecipientCache, notifyHeadsAndAdmins, notifyPerson, notifyUnit, recipientsOfUnits } from '../../server/notify/notify';
import { RECIPIENT_TTL_MS } from '../../server/notify/recipients';
import { checkValue, fitValue } from '../../server/notify/values';
import { masks, startHarness, type Harness } from './harness';

const STATUSES = Object.keys(NEED_STATUS_LABELS) as NeedStatus[];

/** A need with everything a person can type made as awkward as it gets. */
function oddNeed(status: NeedStatus, over: Partial<Need> = {}): Need {
  return {
    id: 'need-odd',
    type: 'health',
    status,
    unitCode: 'chamber-pharma',
    enterpriseId: 'e1',
    enterpriseName: '重庆市大渡口区建桥工业园区某某精密机械制造股份有限公司（第二分公司）\n🏭',
    enterpriseVerified: false,
    submissionId: 's1',
    route: { unitCode: 'chamber-pharma', ruleId: null, slaHours: 24 } as unknown as Need['route'],
    createdAt: '2026-03-01T16:30:00.000Z',
    updatedAt: '2026-12-31T23:59:59.999Z',
    dueAt: '2027-01-01T15:59:00.000Z',
    escalated: true,
    ...over,
  };
}

const ODD_NOTE = '请提供：\n1) 营业执照\t2) 口罩N95的规格 —— 以及 delivery address 👍 '.repeat(5);

const ODD_DIGEST: Record<string, string> = {
  pending: '待办 123456789012345678901234 件',
  detail: '待认领 12 件，超时 3 件，处理中 40 件，待企业答复 7 件',
  date: '2026-03-02',
};

describe('every template, with long and odd inputs, passes the platform check', () => {
  const audiences: Audience[] = ['enterprise', 'handler'];
  for (const key of TEMPLATE_KEYS) {
    test(key, () => {
      const keywords = SUBSCRIBE_TEMPLATES[key].keywords;
      const cases: Record<string, string | undefined>[] = [];
      for (const status of STATUSES) {
        for (const audience of audiences) {
          cases.push({ ...needValues(oddNeed(status), ODD_NOTE, audience, '重庆市大渡口区工商业联合会（总商会）物资统筹服务专班'), ...ODD_DIGEST });
          // An expired lease has no end any more; an empty note still needs a value.
          cases.push({ ...needValues(oddNeed(status, { leaseUntil: undefined }), '', audience, undefined), ...ODD_DIGEST });
        }
      }
      for (const values of cases) {
        const data = buildData(key, values);
        expect(Object.keys(data)).toEqual(keywords.map((k) => k.name));
        for (const keyword of keywords) expect([keyword.name, checkValue(keyword.kind, data[keyword.name])]).toEqual([keyword.name, null]);
        const payload = toSubscribeSend({ touser: 'u', template: key, page: 'pages/index/index', data });
        expect(payload.templateId).toBe(SUBSCRIBE_TEMPLATES[key].id);
        expect(Object.keys(payload.data)).toEqual(keywords.map((k) => k.name));
      }
    });
  }

  test('a status phrase is at most five Chinese characters for every status and reader', () => {
    for (const audience of Object.keys(STATUS_PHRASES) as Audience[]) {
      for (const status of STATUSES) expect([status, checkValue('phrase', STATUS_PHRASES[audience][status])]).toEqual([status, null]);
    }
    // The label the issue found: six characters, which the platform refuses.
    expect(checkValue('phrase', NEED_STATUS_LABELS.waiting)).not.toBeNull();
  });
});

describe('values by kind', () => {
  const cases: Array<[KeywordKind, unknown, string]> = [
    ['thing', '一二三四五六七八九十一二三四五六七八九十一', '一二三四五六七八九十一二三四五六七八九…'],
    ['thing', '第一行\n第二行\t👍', '第一行 第二行'],
    ['thing', '   ', '无'],
    ['phrase', '等待企业答复', '等待企业答'],
    ['phrase', 'N95口罩ok', '口罩'],
    ['time', '2026-03-02T01:00:00.000Z', '2026年3月2日 09:00'],
    ['time', '2026-03-01T16:05:00Z', '2026年3月2日 00:05'],
    ['time', '2026-03-02 9:05', '2026年3月2日 09:05'],
    ['time', '2026年3月5日 15:01', '2026年3月5日 15:01'],
    ['time', '2026-03-02T01:00:00Z~2026-03-02T03:30:00Z', '2026年3月2日 09:00~2026年3月2日 11:30'],
    ['date', '2026-03-02', '2026年3月2日'],
    ['date', '2026-03-01T16:00:00.000Z', '2026年3月2日'],
    ['number', '共 1,234.5 万元', '1234.5'],
    ['number', '无', '0'],
    ['character_string', 'need-0123 中文 ABC', 'need-0123ABC'],
    ['character_string', 'x'.repeat(40), 'x'.repeat(32)],
    ['name', '张·三丰', '张三丰'],
    ['name', '欧阳一二三四五六七八九十', '欧阳一二三四五六七八'],
    ['name', 'Li Lei 123', 'Li Lei'],
    ['amount', '200万', '200元'],
    ['amount', '¥1,234.56', '1234.56元'],
    ['phone_number', '电话：023-6888 1234', '023-6888 1234'],
    ['letter', 'abc-123-DEF', 'abcDEF'],
  ];
  test.each(cases)('fitValue(%s, %j) → %j, which the check takes', (kind, input, fitted) => {
    expect(fitValue(kind, input)).toBe(fitted);
    expect(checkValue(kind, fitted)).toBeNull();
  });

  const refused: Array<[KeywordKind, string]> = [
    ['thing', 'x'.repeat(21)],
    ['thing', ''],
    ['thing', '好👍'],
    ['phrase', '待答复!'],
    ['phrase', '等待企业答复'],
    ['time', '2026-03-02 09:00'],
    ['time', '25:00'],
    ['date', '2026/03/02'],
    ['number', '12a'],
    ['number', '1'.repeat(33)],
    ['character_string', '中文'],
    ['character_string', 'a'.repeat(33)],
    ['name', '一二三四五六七八九十一'],
    ['amount', '¥12345678901'],
    ['phone_number', '1'.repeat(18)],
    ['letter', 'abc1'],
  ];
  test.each(refused)('checkValue(%s, %j) refuses', (kind, value) => {
    expect(checkValue(kind, value)).not.toBeNull();
  });

  test('a time that cannot be read is left for the check to refuse, not invented', () => {
    expect(fitValue('time', '明天上午')).toBe('明天上午');
    expect(checkValue('time', fitValue('time', '明天上午'))).not.toBeNull();
  });
});

describe('the send payload', () => {
  const data = { thing1: '防疫物资', thing2: '区医药商会', phrase3: '已受理', time4: '2026年3月2日 09:00' };

  test('carries the template id from the table and each keyword as {value}', () => {
    expect(toSubscribeSend({ touser: 'o1', template: 'needClaimed', page: 'enterprise/need-detail/index?id=n1', data })).toEqual({
      touser: 'o1',
      templateId: SUBSCRIBE_TEMPLATES.needClaimed.id,
      page: 'enterprise/need-detail/index?id=n1',
      data: { thing1: { value: '防疫物资' }, thing2: { value: '区医药商会' }, phrase3: { value: '已受理' }, time4: { value: '2026年3月2日 09:00' } },
      miniprogramState: 'formal',
      lang: 'zh_CN',
    });
  });

  test("opens the version the deployment names: MINIPROGRAM_STATE trial opens the trial build; unset is formal; a typo is refused", () => {
    const message = { touser: 'o1', template: 'needClaimed' as const, data };
    expect(toSubscribeSend(message, miniprogramState('trial')).miniprogramState).toBe('trial');
    expect(toSubscribeSend(message, miniprogramState(undefined)).miniprogramState).toBe('formal');
    expect(toSubscribeSend(message, miniprogramState('')).miniprogramState).toBe('formal');
    expect(() => miniprogramState('Trial')).toThrow(/MINIPROGRAM_STATE must be one of formal, trial, developer/);
  });

  test('refuses, with the platform errcode, a value outside its rule, a missing or a foreign keyword, an unknown template', () => {
    const refusal = (message: Parameters<typeof toSubscribeSend>[0]) => {
      try {
        toSubscribeSend(message);
      } catch (err) {
        return err as { errCode?: number; message: string };
      }
      throw new Error('not refused');
    };
    expect(refusal({ touser: 'o', template: 'needClaimed', data: { ...data, phrase3: '等待企业答复' } })).toMatchObject({ errCode: 47003, message: expect.stringContaining('phrase3') });
    expect(refusal({ touser: 'o', template: 'needClaimed', data: { thing1: 'a', thing2: 'b', phrase3: '已受理' } }).message).toContain('time4');
    expect(refusal({ touser: 'o', template: 'needClaimed', data: { ...data, thing9: 'x' } }).message).toContain('thing9');
    expect(() => toSubscribeSend({ touser: 'o', template: 'nope', data })).toThrow(/unknown/);
  });
});

test('every moment asks for at most 3 templates, all in the table; every template is asked for somewhere', () => {
  const asked = new Set<string>();
  for (const moment of Object.values(SUBSCRIBE_MOMENTS)) {
    expect(moment.templates.length).toBeGreaterThan(0);
    expect(moment.templates.length).toBeLessThanOrEqual(3);
    for (const key of moment.templates) {
      expect(TEMPLATE_KEYS).toContain(key);
      asked.add(key);
    }
  }
  expect([...asked].sort()).toEqual([...TEMPLATE_KEYS].sort());
  const ids = TEMPLATE_KEYS.map((k) => SUBSCRIBE_TEMPLATES[k].id);
  expect(new Set(ids).size).toBe(ids.length);
});

describe('through the functions', () => {
  let h: Harness;
  beforeEach(async () => {
    clearRecipientCache();
    h = await startHarness();
  });
  afterEach(() => h.close());

  let seq = 0;
  const key = () => `notify-${String(++seq).padStart(8, '0')}`;
  const ctx = () => systemContext(h.rt.ports);
  const counting = <T>(work: () => Promise<T>) => withRoundTrips(async (read) => ({ value: await work(), db: read() }));
  const hasLatin = (s: string) => /[A-Za-z]/.test(s);

  async function needAt(openid = 'demo-hualun'): Promise<Need> {
    return (await h.ok('need', 'submit', { ...masks(), clientKey: key() }, openid)).needs[0];
  }

  test('a need through its life: every message its own keywords, no codes or English, unit names not codes', async () => {
    const need = await needAt();
    await h.ok('need', 'claim', { id: need.id }, 'demo-chamber-head');
    await h.ok('need', 'wait', { id: need.id, question: '请提供收货联系人和电话' }, 'demo-chamber-head');
    await h.ok('need', 'answer', { id: need.id, text: '张先生 13800000000' }, 'demo-hualun');
    await h.ok('need', 'progress', { id: need.id, note: '已联系供货商，明天送达' }, 'demo-chamber-head');
    await h.ok('need', 'fulfil', { id: need.id, note: '口罩两万个已送达' }, 'demo-chamber-head');
    const sent = h.rt.outbox.read();
    expect(sent.map((m) => m.template)).toEqual(['needRouted', 'needClaimed', 'needWaiting', 'needProgress', 'needFulfilled']);
    expect(h.rt.outbox.refused).toEqual([]);
    for (const m of sent) {
      const keywords = SUBSCRIBE_TEMPLATES[m.template as keyof typeof SUBSCRIBE_TEMPLATES].keywords;
      expect(Object.keys(m.data)).toEqual(keywords.map((k) => k.name));
      for (const value of Object.values(m.data)) expect([m.template, value, hasLatin(value)]).toEqual([m.template, value, false]);
    }
    const claimed = sent[1];
    expect(claimed).toMatchObject({ touser: 'demo-hualun', data: { thing1: '防疫物资', thing2: '区医药商会', phrase3: '已受理' } });
    expect(sent[2].data).toMatchObject({ thing2: '请提供收货联系人和电话', thing3: '区医药商会' });
    expect(sent[0]).toMatchObject({ touser: 'demo-chamber-head', data: { thing2: '重庆华伦医疗实业有限公司', time3: '2026年3月4日 18:00' } });
  });

  test('the outbox refuses what the platform would; the sender logs it and goes on', async () => {
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await notifyPerson(ctx(), 'demo-chamber-head', 'dailyDigest', { pending: '待办 1 件', detail: '无', date: '下周一' }, 'unit/queue/index');
    quiet.mockRestore();
    expect(h.rt.outbox.read()).toEqual([]);
    expect(h.rt.outbox.refused).toHaveLength(1);
    expect(h.rt.outbox.refused[0].reason).toMatch(/^47003 dailyDigest: date3/);
  });

  test('the digest takes its values by what they fill, or by keyword name, fitted', async () => {
    await notifyPerson(ctx(), 'demo-chamber-head', 'dailyDigest', { pending: '待办 3 件', detail: '待认领 1 件', date: '2026-03-02' }, 'unit/queue/index');
    await notifyPerson(ctx(), 'demo-chamber-head', 'dailyDigest', { thing1: '待办 2 件', thing2: '超时 0 件', date3: '2026-03-03' }, 'unit/queue/index');
    expect(h.rt.outbox.read().map((m) => m.data)).toEqual([
      { thing1: '待办 3 件', thing2: '待认领 1 件', date3: '2026年3月2日' },
      { thing1: '待办 2 件', thing2: '超时 0 件', date3: '2026年3月3日' },
    ]);
  });

  test('announcing to a unit reads its members once; a warm instance announces without a round trip', async () => {
    const need = await needAt();
    h.rt.outbox.read(); // the submission itself warmed nothing but chamber-pharma
    clearRecipientCache();
    await district(ctx());
    const cold = await counting(() => notifyUnit(ctx(), need, 'needRouted', '有新需求'));
    const warm = await counting(() => notifyUnit(ctx(), need, 'needRouted', '有新需求'));
    // Cold recipients on an instance whose configuration is cached: one query over users.
    expect(cold.db).toBe(1);
    expect(warm.db).toBe(0);
    expect(h.rt.outbox.read().filter((m) => m.template === 'needRouted').map((m) => m.touser)).toEqual(['demo-chamber-head', 'demo-chamber-head', 'demo-chamber-head']);
  });

  test('a submission to the pool on a warm instance costs no recipient round trip', async () => {
    await needAt('demo-enterprise'); // warms the pool's recipients and the units
    const first = await h.counted('need', 'submit', { ...masks(), clientKey: key() }, 'demo-enterprise');
    clearRecipientCache();
    const cold = await h.counted('need', 'submit', { ...masks(), clientKey: key() }, 'demo-enterprise');
    // Cold recipients, configuration cached: one query over users.
    expect(cold.db - first.db).toBe(1);
    expect(h.rt.outbox.read().filter((m) => m.template === 'needRouted').map((m) => m.touser)).toEqual(['demo-chamber-head', 'demo-chamber-head', 'demo-chamber-head']);
  });

  test('the cache lasts a minute of the injected clock: a new member hears of needs after it', async () => {
    const need = await needAt();
    await h.db.collection('users').doc('pharma-new').set({ data: { roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: [] } });
    await notifyUnit(ctx(), need, 'needRouted', '有新需求');
    expect(h.rt.outbox.read().filter((m) => m.touser === 'pharma-new')).toHaveLength(0);
    h.clock.advance(RECIPIENT_TTL_MS + 1000);
    await district(ctx());
    const refreshed = await counting(() => notifyUnit(ctx(), need, 'needRouted', '有新需求'));
    expect(refreshed.db).toBe(1);
    expect(h.rt.outbox.read().filter((m) => m.touser === 'pharma-new')).toHaveLength(1);
  });

  test('recipientsOfUnits answers many units, the pool included, in one query over users', async () => {
    await h.db.collection('users').doc('hrss-2').set({ data: { roles: ['unit'], unitCodes: ['hrss', 'ndrc'], headOf: ['hrss'] } });
    await h.db.collection('users').doc('youth-head').set({ data: { roles: ['unit'], unitCodes: ['fic-youth'], headOf: ['fic-youth'] } });
    await h.db.collection('users').doc('bank-head').set({ data: { roles: ['unit'], unitCodes: ['bank-ccb'], headOf: ['bank-ccb'] } });
    const units = ['hrss', 'ndrc', 'chamber-pharma', 'fic-finance', 'commerce', 'fic-supply-pool'];
    await district(ctx());
    const cold = await counting(() => recipientsOfUnits(ctx(), units));
    // One query over users (units and settings come from the instance's configuration cache).
    expect(cold.db).toBe(1);
    const sorted = (m: Map<string, string[]>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(cold.value)).toEqual({
      hrss: ['demo-hrss', 'hrss-2'],
      ndrc: ['hrss-2'],
      'chamber-pharma': ['demo-chamber-head'],
      'fic-finance': ['demo-finance'],
      commerce: [],
      // Chamber and association heads claim from the pool; a bank's head does not.
      'fic-supply-pool': ['demo-chamber-head', 'youth-head'],
    });
    const warm = await counting(() => recipientsOfUnits(ctx(), units));
    expect(warm.db).toBe(0);
    expect(sorted(warm.value)).toEqual(sorted(cold.value));
    const heads = await counting(() => recipientsOfUnits(ctx(), ['hrss', 'chamber-pharma', 'ndrc'], 'heads'));
    expect(heads.db).toBe(1);
    expect(sorted(heads.value)).toEqual({ hrss: ['hrss-2'], 'chamber-pharma': ['demo-chamber-head'], ndrc: [] });
  });

  test('needs announced together to different units share one query', async () => {
    const need = await needAt();
    clearRecipientCache();
    const units = ['chamber-pharma', 'hrss', 'fic-finance'];
    await district(ctx());
    const together = await counting(() => Promise.all(units.map((unitCode) => notifyUnit(ctx(), { ...need, unitCode }, 'needRouted', '有新需求'))));
    // One query over users for the three units.
    expect(together.db).toBe(1);
    expect(h.rt.outbox.read().filter((m) => m.template === 'needRouted').map((m) => m.touser).slice(1).sort()).toEqual(['demo-chamber-head', 'demo-finance', 'demo-hrss']);
  });

  test('escalations go to the unit heads and admins, once each, and cost nothing when warm', async () => {
    await h.db.collection('users').doc('both').set({ data: { roles: ['unit', 'admin'], unitCodes: ['chamber-pharma'], headOf: ['chamber-pharma'] } });
    const need = await needAt();
    const cold = await counting(() => notifyHeadsAndAdmins(ctx(), need, 'needEscalated', '需求已超过办理时限'));
    const warm = await counting(() => notifyHeadsAndAdmins(ctx(), need, 'needEscalated', '需求已超过办理时限'));
    expect([cold.db, warm.db]).toEqual([1, 0]);
    const escalations = h.rt.outbox.read().filter((m) => m.template === 'needEscalated');
    expect(escalations.slice(0, 3).map((m) => m.touser).sort()).toEqual(['both', 'demo-admin', 'demo-chamber-head']);
    expect(escalations).toHaveLength(6);
    expect(escalations[0].data).toMatchObject({ thing2: '重庆华伦医疗实业有限公司', phrase3: '待认领' });
  });

  test('a unit name is read only for templates that show it', () => {
    expect(TEMPLATE_KEYS.filter((k) => usesFill(k, 'unitName')).sort()).toEqual(['needClaimed', 'needFulfilled', 'needWaiting']);
  });
});
