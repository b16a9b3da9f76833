/**
 * A history that proves what it claims (issue 8): every attack of the issue
 * is detected by admin.verifyTimeline, named by the check that failed and the
 * event where it did; an untouched history, however long, stays intact.
 */
import { createHash, createHmac } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import ExcelJS from 'exceljs';
import { masks, startHarness, type Harness } from './harness';
import { canonical, eventBody, GENESIS_HASH, stateHash, verifyChain, withFirstEvent } from '../../server/needs/events';
import { historyKey, keyIdOf } from '../../server/history/key';
import { HISTORY_KEY_FILE } from '../../server/history/keyFile';
import { anchorStep, recomputeDigest, SETTLE_MS } from '../../server/history/anchors';
import { latestSealedAnchor, type AnchorDoc } from '../../server/history/latest';
import { chinaTime } from '../../server/core/time';
import { runScheduler, systemContext } from '../../server/scheduler/run';
import { createLocalRuntime } from '../../server/local/runtime';
import { installDistrict } from '../../server/setup/install';
import { DEMO } from '../../server/seed/demo';
import type { NeedDoc, NeedEventDoc } from '../../server/needs/model';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ADMIN = 'demo-admin';
const OWNER = 'demo-hualun';
const HEAD = 'demo-chamber-head';
const FINANCE = 'demo-finance';
let seq = 0;
const clientKey = () => `hist-${String(++seq).padStart(8, '0')}`;
const DAY = 24 * 3600_000;

const verify = (id: string) => h.ok('admin', 'verifyTimeline', { id }, ADMIN);
const load = async (id: string): Promise<NeedDoc> => {
  const { data } = await h.db.collection('needs').doc(id).get();
  return Array.isArray(data) ? data[0] : data;
};
/** Writes a whole need document back, as someone with database access would. */
const overwrite = async (doc: NeedDoc) => {
  const { _id, ...rest } = doc;
  await h.db.collection('needs').doc(_id).set({ data: rest });
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function newNeed(payload: Record<string, unknown> = masks()): Promise<string> {
  return (await h.ok('need', 'submit', { ...payload, clientKey: clientKey() }, OWNER)).needs[0].id;
}

/** A loan of 2000 万元 taken to confirmed, rated 5: the example. */
async function confirmedLoan(): Promise<string> {
  const id = await newNeed({ type: 'financing', amountWan: 2000, purpose: '疫情防控物资生产专项', termMonths: 12 });
  await h.ok('need', 'claim', { id }, FINANCE);
  await h.ok('need', 'progress', { id, note: '已与银行对接' }, FINANCE);
  await h.ok('need', 'fulfil', { id, note: '已放款', grantedWan: 2000 }, FINANCE);
  await h.ok('need', 'confirm', { id, rating: 5 }, OWNER);
  return id;
}

/** Re-hashes the chain from event `from` on with `hash`, as a forger would, and moves the head along. */
function rehash(doc: NeedDoc, from: number, hash: (body: Omit<NeedEventDoc, 'hash'>) => string, keyId?: string | null): NeedDoc {
  const timeline = doc.timeline.map((e) => ({ ...e }));
  let prev = from > 1 ? timeline[from - 2].hash : GENESIS_HASH;
  for (const e of timeline.slice(from - 1)) {
    e.prevHash = prev;
    if (keyId === null) delete e.keyId;
    else if (keyId !== undefined) e.keyId = keyId;
    const { hash: _old, ...body } = e;
    e.hash = hash(body);
    prev = e.hash;
  }
  return { ...doc, timeline, lastHash: prev };
}

describe('intact histories stay intact', () => {
  test('a need moved many times, through every kind of step, verifies intact (within 4 round trips)', async () => {
    const id = await newNeed();
    await h.ok('need', 'claim', { id }, HEAD);
    for (let i = 0; i < 12; i++) {
      await h.ok('need', 'progress', { id, note: `第 ${i + 1} 批已调货` }, HEAD);
      // Over a day and a half: a need takes at most 20 notes a day (server/needs/bounds.ts).
      h.clock.advance(3 * 3600_000);
      await h.ok('need', 'renew', { id }, HEAD);
    }
    await h.ok('need', 'wait', { id, question: '送到哪个门？' }, HEAD);
    await h.ok('need', 'answer', { id, text: '东门' }, OWNER);
    await h.ok('need', 'fulfil', { id, note: '已送达' }, HEAD);
    await h.ok('need', 'reopen', { id, reason: '少了一箱' }, OWNER);
    await h.ok('need', 'fulfil', { id, note: '补齐' }, HEAD);
    await h.ok('need', 'confirm', { id, rating: 4, comment: '及时' }, OWNER);
    // Annotations written outside a transition are not part of the state.
    await h.ok('enterprise', 'verify', { enterpriseId: (await load(id)).enterpriseId }, ADMIN);
    const { data, db } = await h.counted('admin', 'verifyTimeline', { id }, ADMIN);
    expect(data.intact).toBe(true);
    expect(data.events).toBeGreaterThan(25);
    expect(db).toBeLessThanOrEqual(4);
    // Anchored, and still intact, and still within budget.
    h.clock.advance(DAY);
    expect((await runScheduler(h.rt.ports)).anchoredHeads).toBeGreaterThan(0);
    const after = await h.counted('admin', 'verifyTimeline', { id }, ADMIN);
    expect(after.data).toEqual({ intact: true, events: data.events });
    expect(after.db).toBeLessThanOrEqual(4);
  });

  test('every event records the key it was written under, and its hash is an HMAC under that key', async () => {
    const doc = await load(await newNeed());
    const key = historyKey(h.rt.ports);
    const [e] = doc.timeline;
    expect(e.keyId).toBe(keyIdOf(key.secret));
    const { hash, ...body } = e;
    expect(hash).toBe(createHmac('sha256', key.secret).update(eventBody(doc._id, body)).digest('hex'));
    expect(hash).not.toBe(sha256(eventBody(doc._id, body)));
  });
});

describe('a field edited in the database: state hash, at the last event', () => {
  test.each([
    ['amountWan 2000 → 20', { amountWan: 20 }],
    ['unitCode', { unitCode: 'bank-ccb' }],
    ['rating', { rating: 1 }],
  ])('%s', async (_name, edit) => {
    const id = await confirmedLoan();
    expect(await verify(id)).toEqual({ intact: true, events: 5 });
    await h.db.collection('needs').doc(id).update({ data: edit });
    expect(await verify(id)).toEqual({ intact: false, events: 5, failed: { check: 'state hash', at: 5 }, brokenAt: 5 });
  });
});

describe('a note rewritten and the later hashes recomputed', () => {
  async function rewritten(hash: (body: Omit<NeedEventDoc, 'hash'>, needId: string) => string, keyId?: string | null) {
    const id = await confirmedLoan();
    const doc = await load(id);
    doc.timeline[1].note = '已与银行对接，利率已谈妥';
    await overwrite(rehash(doc, 2, (body) => hash(body, id), keyId));
    return verify(id);
  }

  test('with plain sha256 (no secret): key, at the rewritten event', async () => {
    const plain = (body: Omit<NeedEventDoc, 'hash'>, id: string) => sha256(eventBody(id, body));
    expect((await rewritten(plain)).failed).toEqual({ check: 'key', at: 2 });
    // Leaving the key id out does not help.
    expect((await rewritten(plain, null)).failed).toEqual({ check: 'key', at: 2 });
  });

  test('with a wrong key: key when the events name it, event hash when they copy the real key id', async () => {
    const wrong = 'not-the-history-key-but-just-as-long-0123456789';
    const hmac = (body: Omit<NeedEventDoc, 'hash'>, id: string) => createHmac('sha256', wrong).update(eventBody(id, body)).digest('hex');
    expect((await rewritten(hmac, keyIdOf(wrong))).failed).toEqual({ check: 'key', at: 2 });
    expect((await rewritten(hmac)).failed).toEqual({ check: 'event hash', at: 2 });
  });

  test('without recomputing: event hash, at the rewritten event', async () => {
    const id = await confirmedLoan();
    await h.db.collection('needs').doc(id).update({ data: { 'timeline.1.note': '改过的记录' } });
    expect((await verify(id)).failed).toEqual({ check: 'event hash', at: 2 });
  });

  test('an event removed from the middle: event hash where the chain breaks', async () => {
    const id = await confirmedLoan();
    const doc = await load(id);
    doc.timeline.splice(2, 1);
    await overwrite(doc);
    expect((await verify(id)).failed).toEqual({ check: 'event hash', at: 3 });
  });
});

describe('the tail cut off and the head rolled back', () => {
  /** The need as it stood after its 4th event, then moved on to a 5th. */
  async function cutAfterAnchor(anchorFirst: boolean) {
    const id = await newNeed({ type: 'financing', amountWan: 2000, purpose: '疫情防控物资生产专项', termMonths: 12 });
    await h.ok('need', 'claim', { id }, FINANCE);
    await h.ok('need', 'progress', { id, note: '已与银行对接' }, FINANCE);
    await h.ok('need', 'fulfil', { id, note: '已放款', grantedWan: 2000 }, FINANCE);
    const before = await load(id);
    await h.ok('need', 'reopen', { id, reason: '款项未到账' }, OWNER);
    if (anchorFirst) {
      // The scheduler's anchor step alone: its other steps would move the need again (the lease has run out by tomorrow).
      h.clock.advance(DAY);
      expect((await anchorStep(systemContext(h.rt.ports), () => false)).heads).toBeGreaterThan(0);
    }
    // The whole document back as it was at seq 4: the chain, the head and every field agree with each other.
    await overwrite(before);
    return { id, before };
  }

  test('after an anchor: anchor, at the anchored seq', async () => {
    const { id, before } = await cutAfterAnchor(true);
    // On its own the cut chain is consistent: only the anchor tells.
    expect(verifyChain(historyKey(h.rt.ports), await load(id))).toBeNull();
    expect(before.eventSeq).toBe(4);
    expect(await verify(id)).toEqual({ intact: false, events: 4, failed: { check: 'anchor', at: 5 }, brokenAt: 5 });
  });

  test('the anchor record rewritten to match the cut chain: anchor (its HMAC fails)', async () => {
    const { id, before } = await cutAfterAnchor(true);
    const [record] = (await h.db.collection('anchorHeads').where({ needId: id }).get()).data;
    await h.db.collection('anchorHeads').doc(record._id).update({ data: { eventSeq: 4, lastHash: before.lastHash } });
    expect((await verify(id)).failed).toEqual({ check: 'anchor', at: 4 });
  });

  test('the anchor record deleted: the need alone cannot tell, verifyAnchors and the printed digest can', async () => {
    const { id } = await cutAfterAnchor(true);
    const sealed = (await latestSealedAnchor(h.db))!;
    expect(await recomputeDigest(h.db, sealed)).toEqual({ digest: sealed.digest, heads: sealed.heads });
    expect(await h.ok('admin', 'verifyAnchors', { day: sealed.day }, ADMIN)).toMatchObject({ intact: true, anchors: 1, failed: [] });
    const [record] = (await h.db.collection('anchorHeads').where({ needId: id }).get()).data;
    await h.db.collection('anchorHeads').doc(record._id).remove();
    expect(await verify(id)).toMatchObject({ intact: true });
    expect((await recomputeDigest(h.db, sealed)).digest).not.toBe(sealed.digest);
    expect(await h.ok('admin', 'verifyAnchors', { day: sealed.day }, ADMIN)).toMatchObject({ intact: false, failed: [{ anchor: sealed.seq, check: 'digest' }] });
  });

  test('before any anchor the cut is not detectable (docs/history.md says so)', async () => {
    const { id } = await cutAfterAnchor(false);
    expect(await verify(id)).toEqual({ intact: true, events: 4 });
  });
});

describe('anchors every run, chained', () => {
  const RUN = 10 * 60_000;

  test('a run that finds changes seals one anchor, bounded per run and resumed by the next; the 专报 prints its digest once its MAC holds', async () => {
    const key = historyKey(h.rt.ports);
    const at = h.clock.now().toISOString();
    // 250 needs changed just now, written straight to the database (the sweep is what is under test).
    const docs = Array.from({ length: 250 }, (_, i) =>
      withFirstEvent(
        key,
        { _id: `bulk-${String(i).padStart(4, '0')}`, type: 'policy', question: '政策咨询', status: 'routed', unitCode: 'fic', enterpriseId: 'e', enterpriseName: '企业', enterpriseVerified: true, submissionId: `s${i}`, route: { unitCode: 'fic', ruleId: null, reason: '', slaHours: 24 }, createdBy: OWNER, createdAt: at, updatedAt: at, dueAt: at, escalated: false } as never,
        { at, actor: OWNER, role: 'enterprise', actorName: '企业', from: null, to: 'routed' },
      ),
    );
    await h.db.collection('needs').add({ data: docs });
    const ctx = systemContext(h.rt.ports);
    // Changes younger than the settling time wait for the next run (a write may still be in flight).
    expect(await anchorStep(ctx, () => false)).toEqual({ heads: 0, unfinished: false });
    expect(((await h.db.collection('anchors').count()) as { total: number }).total).toBe(0);
    h.clock.advance(RUN);
    let pages = 0;
    const onePage = () => pages++ >= 1;
    const reports = [];
    for (let run = 0; run < 10; run++) {
      pages = 0;
      const r = await anchorStep(ctx, onePage);
      reports.push(r);
      if (r.sealed) break;
    }
    expect(reports.slice(0, 3).map((r) => r.heads)).toEqual([100, 100, 50]);
    expect(reports.every((r, i) => r.unfinished === (i < reports.length - 1))).toBe(true);
    expect(reports[reports.length - 1].sealed).toBe(1);
    const first = (await latestSealedAnchor(h.db))!;
    expect(first).toMatchObject({ seq: 1, heads: 250, state: 'sealed', from: '', prevDigest: GENESIS_HASH });
    expect(Date.parse(first.to)).toBe(h.clock.now().getTime() - SETTLE_MS);
    expect(await recomputeDigest(h.db, first)).toEqual({ digest: first.digest, heads: 250 });
    // A quiet run records nothing and opens no anchor.
    expect(await anchorStep(ctx, () => false)).toEqual({ heads: 0, unfinished: false });
    expect(((await h.db.collection('anchors').count()) as { total: number }).total).toBe(1);
    // The next run anchors only what changed since, and its digest starts from the first one's.
    const id = await newNeed();
    h.clock.advance(RUN);
    expect(await anchorStep(ctx, () => false)).toMatchObject({ heads: 1, sealed: 2 });
    const second = (await latestSealedAnchor(h.db))!;
    expect(second).toMatchObject({ seq: 2, from: first.to, prevDigest: first.digest, heads: 1 });
    expect((await verify(id)).intact).toBe(true);

    const printed = async () => {
      const report = await h.ok('ledger', 'export', { kind: 'report' }, ADMIN);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(h.rt.files.pathOf(report.fileID)) as never);
      const rows = wb.getWorksheet('概况')!.getSheetValues().filter(Boolean) as unknown[][];
      return rows.find((r) => String(r[1]).startsWith('办理记录锚定'))![2];
    };
    expect(await printed()).toBe(`${chinaTime(second.to)} / ${second.digest}`);
    // A digest edited in the database is not printed as the record.
    await h.db.collection('anchors').doc(second._id).update({ data: { digest: 'f'.repeat(64) } });
    expect(await printed()).toBe('最新锚定记录未通过校验，请区工商联管理员核查');
  });

  test('a run the scheduler missed is folded into the next anchor: windows stay contiguous', async () => {
    const ctx = systemContext(h.rt.ports);
    await newNeed();
    h.clock.advance(RUN);
    await anchorStep(ctx, () => false);
    const first = (await latestSealedAnchor(h.db))!;
    expect(first).toMatchObject({ from: '', heads: 1 });
    await newNeed();
    h.clock.advance(3 * DAY);
    await anchorStep(ctx, () => false);
    const second = (await latestSealedAnchor(h.db))!;
    expect(second).toMatchObject({ from: first.to, heads: 1 });
    expect(Date.parse(second.to) - Date.parse(first.to)).toBe(3 * DAY);
  });

  test('a clock that ran ahead and was set back: changes made after the correction are still anchored', async () => {
    const ctx = systemContext(h.rt.ports);
    const id = await newNeed();
    // The scheduler's clock two days ahead: its window ends in the future.
    h.clock.advance(2 * DAY);
    await anchorStep(ctx, () => false);
    const ahead = (await latestSealedAnchor(h.db))!;
    // Set back: the need moves on at the right time, inside the window already sealed.
    h.clock.advance(-2 * DAY + RUN);
    await h.ok('need', 'claim', { id }, HEAD);
    const moved = await load(id);
    expect(moved.updatedAt < ahead.to).toBe(true);
    h.clock.advance(RUN);
    expect((await anchorStep(ctx, () => false)).heads).toBeGreaterThan(0);
    const catchUp = (await latestSealedAnchor(h.db))!;
    expect(catchUp).toMatchObject({ seq: ahead.seq + 1, prevDigest: ahead.digest });
    const [head] = (await h.db.collection('anchorHeads').where({ needId: id, anchorId: catchUp._id }).get()).data;
    expect(head).toMatchObject({ eventSeq: moved.eventSeq, lastHash: moved.lastHash });
    // And the chain still verifies across both.
    expect(await h.ok('admin', 'verifyAnchors', { day: catchUp.day }, ADMIN)).toMatchObject({ intact: true });
  });

  describe('admin.verifyAnchors recomputes a day of the chain and names what failed', () => {
    /** Three anchors of one day, two needs each. */
    async function threeAnchors(): Promise<AnchorDoc[]> {
      const ctx = systemContext(h.rt.ports);
      for (let i = 0; i < 3; i++) {
        await newNeed();
        await newNeed();
        h.clock.advance(RUN);
        await anchorStep(ctx, () => false);
      }
      const anchors = (await h.db.collection('anchors').where({ state: 'sealed' }).orderBy('seq', 'asc').get()).data as AnchorDoc[];
      expect(anchors.map((a) => [a.seq, a.heads])).toEqual([[1, 2], [2, 2], [3, 2]]);
      expect(new Set(anchors.map((a) => a.day)).size).toBe(1);
      return anchors;
    }
    const check = (day: string) => h.ok('admin', 'verifyAnchors', { day }, ADMIN);

    test('an untouched day is intact, in a bounded number of round trips; the day defaults to today', async () => {
      const [a] = await threeAnchors();
      expect(await check(a.day)).toEqual({ day: a.day, anchors: 3, heads: 6, intact: true, failed: [] });
      // The session, the day's anchors, the anchor before (none here: the chain starts today), the day's records.
      const { data, db } = await h.counted('admin', 'verifyAnchors', {}, ADMIN);
      expect(data).toMatchObject({ day: chinaTime(h.clock.now().toISOString(), 'YYYY-MM-DD'), intact: true });
      expect(db).toBeLessThanOrEqual(4);
    });

    test('an anchor edited: mac, and its records no longer fold to what it says: digest', async () => {
      const [, b] = await threeAnchors();
      await h.db.collection('anchors').doc(b._id).update({ data: { heads: 1 } });
      expect((await check(b.day)).failed).toEqual([
        { anchor: 2, check: 'mac' },
        { anchor: 2, check: 'digest' },
      ]);
    });

    test('an anchor deleted from the chain: missing', async () => {
      const [, b] = await threeAnchors();
      await h.db.collection('anchors').doc(b._id).remove();
      expect((await check(b.day)).failed).toEqual([{ anchor: 2, check: 'missing' }]);
    });

    test('an anchor rebuilt over a different past (prevDigest replaced): link, mac and digest', async () => {
      const [, , c] = await threeAnchors();
      await h.db.collection('anchors').doc(c._id).update({ data: { prevDigest: '0'.repeat(64) } });
      expect((await check(c.day)).failed).toEqual([
        { anchor: 3, check: 'link' },
        { anchor: 3, check: 'mac' },
        { anchor: 3, check: 'digest' },
      ]);
    });

    test('a record rewritten to agree with a cut chain: head', async () => {
      const [a] = await threeAnchors();
      const [record] = (await h.db.collection('anchorHeads').where({ anchorId: a._id }).get()).data;
      await h.db.collection('anchorHeads').doc(record._id).update({ data: { eventSeq: 7 } });
      expect((await check(a.day)).failed).toEqual([
        { anchor: 1, check: 'head', needId: record.needId },
        { anchor: 1, check: 'digest' },
      ]);
    });

    test('only admins verify', async () => {
      await threeAnchors();
      expect(await h.raw('admin', 'verifyAnchors', {}, HEAD)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    });
  });
});

describe('the history key', () => {
  test('without a key nothing that writes or verifies a need runs: INTERNAL, and a clear server log', async () => {
    const id = await newNeed();
    const rt = createLocalRuntime({ dataDir: ':memory:', clock: h.clock, historyKey: '' });
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await installDistrict(rt.ports.db, h.clock, DEMO);
      const submit = await rt.call('need', { action: 'submit', ...masks(), clientKey: clientKey() }, OWNER);
      expect(submit).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      expect(logged.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/HISTORY_KEY is not set/);
      expect(((await rt.ports.db.collection('needs').count()) as { total: number }).total).toBe(0);
      const short = createLocalRuntime({ dataDir: ':memory:', clock: h.clock, historyKey: 'short' });
      expect(() => historyKey(short.ports)).toThrow();
      short.close();
    } finally {
      logged.mockRestore();
      rt.close();
    }
    expect((await verify(id)).intact).toBe(true);
  });

  test('locally the key is DATA_DIR/history-key, made on first use, readable by its owner only, kept across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rd-history-'));
    try {
      const a = createLocalRuntime({ dataDir: dir });
      const first = historyKey(a.ports);
      a.close();
      expect(statSync(join(dir, HISTORY_KEY_FILE)).mode & 0o777).toBe(0o600);
      const b = createLocalRuntime({ dataDir: dir });
      expect(historyKey(b.ports)).toEqual(first);
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a need written under another key reads as key, not as an edit', async () => {
    const id = await newNeed();
    const other = createLocalRuntime({ dataDir: ':memory:', clock: h.clock, historyKey: 'a-rotated-history-key-of-32-chars-or-more' });
    try {
      expect(verifyChain(historyKey(other.ports), await load(id))).toEqual({ check: 'key', at: 1 });
    } finally {
      other.close();
    }
  });

  test('the state hash is keyed, and leaves out only the chain and the three annotations', () => {
    const key = historyKey(h.rt.ports);
    const base = { _id: 'n', status: 'routed', amountWan: 2000 };
    for (const field of ['enterpriseVerified', 'enterpriseName', 'leaseWarnedFor', 'timeline', 'eventSeq', 'lastHash']) {
      expect(stateHash(key, { ...base, [field]: 'x' })).toBe(stateHash(key, base));
    }
    expect(stateHash(key, { ...base, amountWan: 20 })).not.toBe(stateHash(key, base));
    // Without the key, a guessed state cannot be checked against an event's stateHash.
    expect(stateHash(key, base)).not.toBe(sha256(canonical(base)));
    expect(canonical({ b: 1, a: [2, { d: null, c: 3 }] })).toBe('{"a":[2,{"c":3}],"b":1}');
  });
});
