/**
 * Crash points (npm run test:slow): need.submit, a partial need.fulfil (with
 * its remainder), visit.checkIn and admin.importEnterprises are killed at
 * each of their database writes in turn — the transport fails that write and
 * every request after it, so no clean-up runs (server/local/transport.ts,
 * crashAtWrite) — and the same call is then sent again (same clientKey, same
 * rows) on a healthy transport. The retry must answer what an uninterrupted
 * call answers and leave the database exactly as an uninterrupted call
 * leaves it (every collection, document for document; only the per-minute
 * rate counters, which count the extra call, differ). The last case is the
 * call that wrote everything and whose answer was lost.
 *
 * Each run is a fresh runtime with one history key and a fixed clock, so two
 * runs that did the same thing store the same documents, hashes included.
 */
import { crashAtWrite } from '../../server/local/transport';
import { COLLECTIONS } from '../../server/db/schema';
import { creditCodeCheckChar } from '../../server/enterprises/creditCode';
import { masks, startHarness, type Harness } from '../server/harness';
import type { Envelope } from '../../typings/api';

const OWNER = 'demo-hualun';
const HEAD = 'demo-chamber-head';
const TF = 'demo-taskforce';
const ADMIN = 'demo-admin';

interface Case {
  name: string;
  /** Brings a fresh runtime to where the call starts. */
  prepare(h: Harness): Promise<void>;
  call(h: Harness): Promise<Envelope<any>>;
  /** Writes the uninterrupted call makes at least (so the case cannot pass by crashing nothing). */
  writes: number;
  /** What of the answer a retry must repeat (default: all of it). */
  answerOf?(env: Envelope<any>): unknown;
}

async function must(env: Promise<Envelope<any>>): Promise<any> {
  const e = await env;
  if (!e.ok) throw new Error(`setup step failed: ${JSON.stringify(e.error)}`);
  return e.data;
}

const NEED_KEY = 'crashpoint-need-0001';
const claimedNeed = async (h: Harness) => {
  const { needs } = await must(h.raw('need', 'submit', { ...masks(20), clientKey: NEED_KEY }, OWNER));
  await must(h.raw('need', 'claim', { id: needs[0].id }, HEAD));
  return needs[0].id as string;
};
let fulfilId = '';

const code = (body: string) => body + creditCodeCheckChar(body);

const CASES: Case[] = [
  {
    name: 'need.submit of three needs',
    prepare: async () => {},
    call: (h) =>
      h.raw(
        'need',
        'submit',
        {
          clientKey: 'crashpoint-submit-0001',
          needs: [
            { ...masks(300) },
            { type: 'hiring', positions: [{ title: '装配工', count: 10 }] },
            { type: 'legal', topic: '租赁', description: '厂房租金减免怎么谈' },
          ],
        },
        OWNER,
      ),
    writes: 1,
  },
  {
    name: 'need.fulfil, partial, with its remainder',
    prepare: async (h) => {
      fulfilId = await claimedNeed(h);
    },
    call: (h) => h.raw('need', 'fulfil', { id: fulfilId, note: '先送 8 个', quantityDelivered: 8, clientKey: 'crashpoint-fulfil-0001' }, HEAD),
    writes: 2,
  },
  {
    name: 'visit.checkIn with two needs',
    prepare: async () => {},
    call: (h) =>
      h.raw(
        'visit',
        'checkIn',
        {
          enterpriseId: 'ent-qiutian',
          clientKey: 'crashpoint-visit-0001',
          location: { latitude: 29.4517, longitude: 106.4632 },
          photos: [],
          checklist: { look: '测温点已设', check: '台账齐全', ask: '缺工人', guide: [] },
          needs: [
            { type: 'hiring', positions: [{ title: '装配工', count: 10 }] },
            { type: 'legal', topic: '租赁', description: '厂房租金减免怎么谈' },
          ],
        },
        TF,
      ),
    writes: 3,
  },
  {
    name: 'admin.importEnterprises of new and known rows',
    prepare: async () => {},
    call: (h) =>
      h.raw(
        'admin',
        'importEnterprises',
        {
          dryRun: false,
          rows: [
            { 企业名称: '重庆新港物流有限公司', 统一社会信用代码: code('91500104MA61JMPA1'), 行业: '物流运输', 区域: '八桥镇', 地址: '八桥镇工业路 1 号', 联系人: '何平', 联系电话: '13800000001', 员工数: 88, 所属商会: '区浙江商会' },
            { 企业名称: '重庆九宫庙包装有限公司', 统一社会信用代码: code('91500104MA61JGMB2'), 行业: '制造业', 区域: '八桥镇', 地址: '八桥镇工业路 2 号', 联系人: '刘洋', 联系电话: '13800000005', 员工数: 40 },
            { 企业名称: '重庆秋田齿轮有限公司', 统一社会信用代码: code('91500104MA5U7QTC1'), 行业: '制造业', 区域: '建桥园区C区', 地址: '大渡口区建桥工业园C区', 联系人: '李建国', 联系电话: '13908310001', 员工数: 350, 所属商会: '' },
          ],
        },
        ADMIN,
      ),
    writes: 3,
    // An import has no key: sent again it reports what it found — the rows it wrote before the crash as
    // known ones with nothing left to change — so the retry must name the same rows, write each and refuse none.
    answerOf: (env) =>
      env.ok && {
        rows: env.data.lines.map((l: any) => [l.row, l.creditCode, l.name, ['create', 'update'].includes(l.action) ? 'written' : l]),
        rejected: env.data.rejected,
        written: env.data.written,
      },
  },
];

const HISTORY_KEY = 'crashpoint-history-key-0123456789abcdef';

/** Every collection, document for document, in _id order; the rate counters count calls, not what was done. */
async function snapshot(h: Harness): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const { name } of COLLECTIONS) {
    if (name === 'rateLimits') continue;
    out[name] = (await h.db.collection(name).orderBy('_id', 'asc').limit(1000).get()).data;
  }
  return out;
}

/** Names the documents that differ, collection by collection, so a failure says where. */
function differences(expected: Record<string, unknown[]>, actual: Record<string, unknown[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(expected)) {
    const byId = (docs: unknown[]) => new Map(docs.map((d: any) => [d._id, JSON.stringify(d)]));
    const [e, a] = [byId(expected[name]), byId(actual[name] ?? [])];
    const ids = [...new Set([...e.keys(), ...a.keys()])].filter((id) => e.get(id) !== a.get(id));
    if (ids.length) out[name] = ids.map((id) => ({ id, expected: e.has(id) ? JSON.parse(e.get(id)!) : 'absent', actual: a.has(id) ? JSON.parse(a.get(id)!) : 'absent' }));
  }
  return out;
}

async function fresh(c: Case): Promise<Harness> {
  const h = await startHarness({ historyKey: HISTORY_KEY });
  await c.prepare(h);
  return h;
}

describe('killed at each write, the same call sent again converges', () => {
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => {}));
  afterEach(() => jest.restoreAllMocks());

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const reference = await fresh(c);
    let expected: { answer: Envelope<any>; state: Record<string, unknown[]> };
    try {
      const answer = await c.call(reference);
      expect(answer.ok).toBe(true);
      expected = { answer, state: await snapshot(reference) };
    } finally {
      reference.close();
    }
    let writes = 0;
    for (let k = 1; ; k++) {
      const h = await fresh(c);
      try {
        const crash = crashAtWrite(h.rt.env, k);
        const first = await c.call(h);
        crash.heal();
        const crashed = crash.reached();
        if (crashed) expect({ crashedAt: k, answer: first.ok ? 'ok' : first.error.code }).toEqual({ crashedAt: k, answer: 'INTERNAL' });
        else {
          // Past the last write: the call finished, and its answer is lost on the way to the phone.
          expect(first).toEqual(expected.answer);
          writes = k - 1;
        }
        const answerOf = c.answerOf ?? ((env: Envelope<any>) => env);
        const retry = await c.call(h);
        expect({ crashedAt: crashed ? k : 'after the last write', retry: answerOf(retry) }).toEqual({
          crashedAt: crashed ? k : 'after the last write',
          retry: answerOf(expected.answer),
        });
        expect({ crashedAt: crashed ? k : 'after the last write', differences: differences(expected.state, await snapshot(h)) }).toEqual({
          crashedAt: crashed ? k : 'after the last write',
          differences: {},
        });
        if (!crashed) break;
      } finally {
        h.close();
      }
    }
    expect(writes).toBeGreaterThanOrEqual(c.writes);
  }, 120_000);
});
