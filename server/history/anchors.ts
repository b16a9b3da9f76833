/**
 * Anchors: every scheduler run that finds changed needs records the head
 * (eventSeq, lastHash) of each, one `anchorHeads` document per need, and
 * seals an anchor with a digest over them in needId order. Each anchor's
 * digest starts from the previous anchor's, so the anchors form one chain:
 * deleting or editing any anchor or head record changes every digest after
 * it. The 专报 prints the latest digest (after checking its MAC), which puts
 * it outside the database; verifyTimeline checks that a need's chain still
 * holds the head its latest anchor recorded, so a cut-off tail with a
 * rolled-back head shows; verifyAnchors recomputes a day of the chain.
 *
 * A window closes SETTLE_MS before the run that anchors it, so writes still
 * in flight (a function runs at most 60 s) land inside a later window, never
 * behind a sealed one. Windows are contiguous: a run the scheduler missed is
 * folded into the next anchor rather than lost. A quiet run (nothing
 * changed) costs two reads and writes nothing.
 *
 * Bounded like the other sweeps: a page of needs (by the updatedAt index, only
 * the fields a head needs) costs one read and two writes; a run stops when its
 * time budget is spent and the next run resumes from the anchor's cursor.
 */
import { ALL_STATUSES } from '../../typings/statuses';
import type { Context, Db } from '../core/ports';
import { sha256 } from '../core/ids';
import { chinaTime } from '../core/time';
import { docsOf, getDoc, isDuplicateWrite } from '../core/tx';
import { canonical, GENESIS_HASH } from '../needs/events';
import type { NeedDoc } from '../needs/model';
import { historyKey, keyed, type HistoryKey } from './key';
import { anchorIdOf, latestSealedAnchor, type AnchorDoc } from './latest';

export type { AnchorDoc } from './latest';

const PAGE = 100;
/** verifyAnchors reads a day's records this many at a time (the platform's largest page). */
const VERIFY_PAGE = 1000;
/** How long a window stays open after its end: longer than any function runs, so no write lands behind a sealed window. */
export const SETTLE_MS = 2 * 60_000;
/** How far back a window looks when the clock reads earlier than the last window's end (see windowStart). */
export const CLOCK_LOOKBACK_MS = 24 * 3600_000;

export interface AnchorHeadDoc {
  /** `${anchorId}:${needId}`: one record per need and anchor, in anchor then needId order. */
  _id: string;
  anchorId: string;
  day: string;
  needId: string;
  eventSeq: number;
  lastHash: string;
  keyId: string;
  /** HMAC of the record: an anchor head rewritten to match a cut chain shows. */
  mac: string;
}


/** Where an anchor's digest starts: its own id and the digest of the anchor before. */
export const digestSeed = (a: Pick<AnchorDoc, '_id' | 'prevDigest'>) => sha256(`anchor ${a._id}\n${a.prevDigest}`);

/** The digest, folded head by head in needId order: anyone holding the records can recompute it. */
export const foldHead = (digest: string, h: Pick<AnchorHeadDoc, 'needId' | 'eventSeq' | 'lastHash'>) => sha256(`${digest}\n${h.needId} ${h.eventSeq} ${h.lastHash}`);

export const headMac = (key: HistoryKey, h: Pick<AnchorHeadDoc, 'anchorId' | 'needId' | 'eventSeq' | 'lastHash'>) =>
  keyed(key, canonical(['anchor head', h.anchorId, h.needId, h.eventSeq, h.lastHash]));

export const anchorMac = (key: HistoryKey, a: AnchorDoc) => keyed(key, canonical(['anchor', a._id, a.day, a.from, a.to, a.prevDigest, a.digest, a.heads]));

async function latestAnchor(db: Db): Promise<AnchorDoc | null> {
  const [anchor] = await docsOf<AnchorDoc>(db.collection('anchors').orderBy('seq', 'desc').limit(1));
  return anchor ?? null;
}

type NeedHead = Pick<NeedDoc, '_id' | 'updatedAt' | 'eventSeq' | 'lastHash'>;

/** The next page of needs changed in the anchor's window, after its cursor, in (updatedAt, _id) order. */
async function changedPage(db: Db, anchor: Pick<AnchorDoc, 'from' | 'to' | 'afterAt' | 'afterId'>): Promise<NeedHead[]> {
  const _ = db.command;
  // Every status pinned, so the sweep seeks by the index's first field while it ranges over updatedAt.
  const window: Record<string, unknown> = { status: _.in(ALL_STATUSES), updatedAt: _.and(_.gte(anchor.from), _.lt(anchor.to)) };
  const where =
    anchor.afterAt !== undefined
      ? _.and([window, _.or([{ updatedAt: _.gt(anchor.afterAt) }, { updatedAt: anchor.afterAt, _id: _.gt(anchor.afterId ?? '') }])])
      : window;
  return docsOf<NeedHead>(
    db
      .collection('needs')
      .where(where as never)
      .field({ _id: true, updatedAt: true, eventSeq: true, lastHash: true })
      .orderBy('updatedAt', 'asc')
      .orderBy('_id', 'asc')
      .limit(PAGE),
  );
}

/**
 * Where the next window starts: where the last one ended — unless the clock
 * now reads earlier than that end (it ran ahead when the last anchor was
 * made, and was set back). Changes made since then carry times inside the
 * sealed window and would never be anchored; the window then looks back
 * CLOCK_LOOKBACK_MS from now instead, anchoring again what was anchored in
 * that stretch (a head recorded twice is harmless). Issue 20: windows by the
 * changes' own times, whatever the clock did.
 */
function windowStart(latest: AnchorDoc | null, to: string): string {
  if (!latest) return '';
  if (latest.to <= to) return latest.to;
  return new Date(Date.parse(to) - CLOCK_LOOKBACK_MS).toISOString();
}

/**
 * The anchor to work on now: the unfinished one, or a new one when needs
 * changed since the last (answered with its first page, already read), or
 * null when there is nothing to anchor.
 */
async function openAnchor(ctx: Context, key: HistoryKey): Promise<{ anchor: AnchorDoc; page?: NeedHead[] } | null> {
  const now = ctx.clock.now();
  const latest = await latestAnchor(ctx.db);
  if (latest && latest.state !== 'sealed') return { anchor: latest };
  const seq = (latest?.seq ?? 0) + 1;
  const to = new Date(now.getTime() - SETTLE_MS).toISOString();
  const from = windowStart(latest, to);
  if (to <= from) return null;
  const prevDigest = latest?.digest ?? GENESIS_HASH;
  const id = anchorIdOf(seq);
  const fresh: AnchorDoc = { _id: id, seq, day: chinaTime(to, 'YYYY-MM-DD'), from, to, prevDigest, state: 'collecting', step: 0, digest: digestSeed({ _id: id, prevDigest }), heads: 0, keyId: key.id, createdAt: now.toISOString() };
  const page = await changedPage(ctx.db, fresh);
  if (!page.length) return null;
  try {
    await ctx.db.collection('anchors').add({ data: fresh });
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
    // A concurrent run opened it first; the next run carries on from its cursor.
    return null;
  }
  return { anchor: fresh, page };
}

/** Moves the anchor on by one page, only if no other run moved it since it was read. */
async function advance(ctx: Context, anchor: AnchorDoc, set: Partial<AnchorDoc>): Promise<AnchorDoc | null> {
  const res = (await ctx.db
    .collection('anchors')
    .where({ _id: anchor._id, step: anchor.step })
    .update({ data: { ...set, step: anchor.step + 1 } })) as { stats: { updated: number } };
  return res.stats.updated === 1 ? { ...anchor, ...set, step: anchor.step + 1 } : null;
}

async function writeHeads(ctx: Context, heads: AnchorHeadDoc[]): Promise<void> {
  if (!heads.length) return;
  const coll = ctx.db.collection('anchorHeads');
  try {
    await coll.add({ data: heads });
    return;
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
  }
  // A run stopped between this page's writes, or a concurrent one: the later head of a need is as good a head.
  for (const { _id, ...rest } of heads) await coll.doc(_id).set({ data: rest });
}

async function collectPage(ctx: Context, key: HistoryKey, anchor: AnchorDoc, read?: NeedHead[]): Promise<{ anchor: AnchorDoc | null; heads: number }> {
  const page = read ?? (await changedPage(ctx.db, anchor));
  const heads = page.map((n): AnchorHeadDoc => {
    const h = { anchorId: anchor._id, needId: n._id, eventSeq: n.eventSeq, lastHash: n.lastHash };
    return { _id: `${anchor._id}:${n._id}`, ...h, day: anchor.day, keyId: key.id, mac: headMac(key, h) };
  });
  await writeHeads(ctx, heads);
  const last = page[page.length - 1];
  const next = await advance(ctx, anchor, {
    ...(last ? { afterAt: last.updatedAt, afterId: last._id } : {}),
    ...(page.length < PAGE ? { state: 'sealing' as const } : {}),
  });
  return { anchor: next, heads: heads.length };
}

async function sealPage(ctx: Context, key: HistoryKey, anchor: AnchorDoc): Promise<AnchorDoc | null> {
  const _ = ctx.db.command;
  const page = await docsOf<AnchorHeadDoc>(
    ctx.db
      .collection('anchorHeads')
      .where({ anchorId: anchor._id, _id: _.gt(anchor.through ?? '') })
      .orderBy('_id', 'asc')
      .limit(PAGE),
  );
  let digest = anchor.digest;
  for (const h of page) digest = foldHead(digest, h);
  const folded: AnchorDoc = { ...anchor, digest, heads: anchor.heads + page.length, through: page[page.length - 1]?._id ?? anchor.through };
  const done = page.length < PAGE;
  return advance(ctx, anchor, {
    digest: folded.digest,
    heads: folded.heads,
    ...(folded.through ? { through: folded.through } : {}),
    ...(done ? { state: 'sealed' as const, sealedAt: ctx.clock.now().toISOString(), mac: anchorMac(key, folded) } : {}),
  });
}

export interface AnchorReport {
  /** Need heads recorded by this run. */
  heads: number;
  /** The anchor (its seq) sealed by this run, if one was. */
  sealed?: number;
  unfinished: boolean;
}

/** One scheduler step: opens an anchor when needs changed and carries it as far as the budget allows. */
export async function anchorStep(ctx: Context, outOfTime: () => boolean): Promise<AnchorReport> {
  const key = historyKey(ctx);
  const opened = await openAnchor(ctx, key);
  let anchor = opened?.anchor ?? null;
  let firstPage = opened?.page;
  let heads = 0;
  while (anchor && anchor.state !== 'sealed') {
    if (outOfTime()) return { heads, unfinished: true };
    if (anchor.state === 'collecting') {
      const res = await collectPage(ctx, key, anchor, firstPage);
      firstPage = undefined;
      heads += res.heads;
      anchor = res.anchor;
    } else {
      anchor = await sealPage(ctx, key, anchor);
      if (anchor?.state === 'sealed') return { heads, sealed: anchor.seq, unfinished: false };
    }
  }
  return { heads, unfinished: false };
}

/** The head the latest anchor recorded for a need, or null when no anchor has recorded it yet. */
export async function anchoredHeadOf(db: Db, needId: string): Promise<AnchorHeadDoc | null> {
  const [head] = await docsOf<AnchorHeadDoc>(db.collection('anchorHeads').where({ needId }).orderBy('anchorId', 'desc').limit(1));
  return head ?? null;
}

/**
 * The latest sealed anchor for the 专报 to print, with whether its MAC holds
 * under the history key: a digest someone edited in the database is never
 * printed as if it were the record.
 */
export async function printableAnchor(ctx: Context): Promise<{ anchor: AnchorDoc; verified: boolean } | null> {
  const anchor = await latestSealedAnchor(ctx.db);
  if (!anchor) return null;
  const key = historyKey(ctx);
  return { anchor, verified: anchor.keyId === key.id && anchor.mac === anchorMac(key, anchor) };
}

/** Recomputes a sealed anchor's digest from its records (paged): a record deleted or added since it was sealed changes it. */
export async function recomputeDigest(db: Db, anchor: Pick<AnchorDoc, '_id' | 'prevDigest'>): Promise<{ digest: string; heads: number }> {
  const _ = db.command;
  let digest = digestSeed(anchor);
  let heads = 0;
  let through = '';
  for (;;) {
    const page = await docsOf<AnchorHeadDoc>(db.collection('anchorHeads').where({ anchorId: anchor._id, _id: _.gt(through) }).orderBy('_id', 'asc').limit(PAGE));
    for (const h of page) digest = foldHead(digest, h);
    heads += page.length;
    if (page.length < PAGE) return { digest, heads };
    through = page[page.length - 1]._id;
  }
}

/** What verifyAnchors found wrong with one anchor (or one of its records). */
export interface AnchorFailure {
  /** The anchor's seq. */
  anchor: number;
  /**
   * 'missing': an anchor of the chain is gone (a gap in seq); 'link': its
   * prevDigest is not the digest of the anchor before; 'mac': the anchor was
   * edited or re-sealed without the key; 'digest': its records no longer fold
   * to its digest (a record deleted, added or edited); 'head': a record's own
   * HMAC fails.
   */
  check: 'missing' | 'link' | 'mac' | 'digest' | 'head';
  needId?: string;
}

export interface AnchorsVerdict {
  day: string;
  anchors: number;
  heads: number;
  intact: boolean;
  failed: AnchorFailure[];
}

/** verifyAnchors lists at most this many failures: past that, the day is plainly broken. */
const MAX_FAILURES = 50;

/**
 * Recomputes one China day of the anchor chain: each sealed anchor's MAC, its
 * link to the one before (the last anchor of the day before included), its
 * digest from its records, and every record's HMAC. Round trips: the day's
 * anchors (one read per 1,000), the anchor before them, and the day's records
 * (one read per 1,000), however the day was sealed.
 */
export async function verifyAnchors(ctx: Context, day: string): Promise<AnchorsVerdict> {
  const key = historyKey(ctx);
  const db = ctx.db;
  const _ = db.command;
  const anchors: AnchorDoc[] = [];
  for (let after = 0; ; ) {
    const page = await docsOf<AnchorDoc>(db.collection('anchors').where({ day, seq: _.gt(after) }).orderBy('seq', 'asc').limit(VERIFY_PAGE));
    anchors.push(...page);
    if (page.length < VERIFY_PAGE) break;
    after = page[page.length - 1].seq;
  }
  const byId = new Map(anchors.map((a) => [a._id, a]));
  const sealed = anchors.filter((a) => a.state === 'sealed');
  const failed: AnchorFailure[] = [];
  const fail = (f: AnchorFailure) => {
    if (failed.length < MAX_FAILURES) failed.push(f);
  };
  let prev: AnchorDoc | null = sealed.length && sealed[0].seq > 1 ? await getDoc<AnchorDoc>(db, 'anchors', anchorIdOf(sealed[0].seq - 1)) : null;
  if (sealed.length && sealed[0].seq > 1 && !prev) fail({ anchor: sealed[0].seq - 1, check: 'missing' });

  // The day's records, folded per anchor in the order sealing folded them.
  const folded = new Map<string, { digest: string; heads: number }>();
  let heads = 0;
  for (let after = ''; ; ) {
    const page = await docsOf<AnchorHeadDoc>(db.collection('anchorHeads').where({ day, _id: _.gt(after) }).orderBy('_id', 'asc').limit(VERIFY_PAGE));
    for (const h of page) {
      const anchor = byId.get(h.anchorId);
      if (!anchor) continue;
      const acc = folded.get(h.anchorId) ?? { digest: digestSeed(anchor), heads: 0 };
      folded.set(h.anchorId, { digest: foldHead(acc.digest, h), heads: acc.heads + 1 });
      if (h.keyId !== key.id || h.mac !== headMac(key, h)) fail({ anchor: anchor.seq, check: 'head', needId: h.needId });
    }
    heads += page.length;
    if (page.length < VERIFY_PAGE) break;
    after = page[page.length - 1]._id;
  }

  for (const a of sealed) {
    if (prev && a.seq !== prev.seq + 1) fail({ anchor: prev.seq + 1, check: 'missing' });
    if (a.prevDigest !== (prev ? prev.digest : GENESIS_HASH) && !(prev && a.seq !== prev.seq + 1)) fail({ anchor: a.seq, check: 'link' });
    if (a.keyId !== key.id || a.mac !== anchorMac(key, a)) fail({ anchor: a.seq, check: 'mac' });
    const f = folded.get(a._id) ?? { digest: digestSeed(a), heads: 0 };
    if (f.digest !== a.digest || f.heads !== a.heads) fail({ anchor: a.seq, check: 'digest' });
    prev = a;
  }
  return { day, anchors: sealed.length, heads, intact: failed.length === 0, failed };
}
