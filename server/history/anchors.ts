/**
 * Daily anchors: once a China-time day has ended, the scheduler records the
 * head (eventSeq, lastHash) of every need changed in it, one `anchorHeads`
 * document per need, and seals the day with a digest over them in needId
 * order. The 专报 prints the latest digest, which puts it outside the
 * database; verifyTimeline checks that a need's chain still holds the head
 * its latest anchor recorded, so a cut-off tail with a rolled-back head shows.
 *
 * Bounded like the other sweeps: a page of needs (by the updatedAt index, only
 * the fields a head needs) costs one read and two writes; a run stops when its
 * time budget is spent and the next run resumes from the anchor's cursor.
 * Windows are contiguous (each starts where the previous ended), so a day the
 * scheduler missed is folded into the next anchor rather than lost.
 */
import type { NeedStatus } from '../../typings/api';
import type { Context, Db } from '../core/ports';
import { sha256 } from '../core/ids';
import { chinaTime } from '../core/time';
import { docsOf, isDuplicateWrite } from '../core/tx';
import { canonical } from '../needs/events';
import type { NeedDoc } from '../needs/model';
import { historyKey, keyed, type HistoryKey } from './key';
import type { AnchorDoc } from './latest';

export type { AnchorDoc } from './latest';

const PAGE = 100;

export interface AnchorHeadDoc {
  /** `${day}:${needId}`: one record per need and anchor, and needId order within a day. */
  _id: string;
  day: string;
  needId: string;
  eventSeq: number;
  lastHash: string;
  keyId: string;
  /** HMAC of the record: an anchor head rewritten to match a cut chain shows. */
  mac: string;
}

/**
 * Every status, so the sweep can pin the index's first field (the store and
 * CloudBase seek by it) while it ranges over updatedAt; the Record makes the
 * compiler name a status added later.
 */
const EVERY: Record<NeedStatus, true> = { routed: true, claimed: true, in_progress: true, waiting: true, fulfilled: true, confirmed: true, rejected: true, cancelled: true };
const EVERY_STATUS = Object.keys(EVERY);

/** 00:00 China time of a China day (China keeps no daylight saving). */
const startOfChinaDay = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

export const digestSeed = (day: string) => sha256(`anchor ${day}`);

/** The day's digest, folded head by head in needId order: anyone holding the records can recompute it. */
export const foldHead = (digest: string, h: Pick<AnchorHeadDoc, 'needId' | 'eventSeq' | 'lastHash'>) => sha256(`${digest}\n${h.needId} ${h.eventSeq} ${h.lastHash}`);

export const headMac = (key: HistoryKey, h: Pick<AnchorHeadDoc, 'day' | 'needId' | 'eventSeq' | 'lastHash'>) => keyed(key, canonical(['anchor head', h.day, h.needId, h.eventSeq, h.lastHash]));

const anchorMac = (key: HistoryKey, a: AnchorDoc) => keyed(key, canonical(['anchor', a.day, a.from, a.to, a.digest, a.heads]));

async function latestAnchor(db: Db): Promise<AnchorDoc | null> {
  const [anchor] = await docsOf<AnchorDoc>(db.collection('anchors').orderBy('day', 'desc').limit(1));
  return anchor ?? null;
}

/** The anchor to work on now: the unfinished one, a new one for the day that last ended, or null when all is sealed. */
async function openAnchor(ctx: Context, key: HistoryKey): Promise<AnchorDoc | null> {
  const now = ctx.clock.now();
  const to = startOfChinaDay(chinaTime(now.toISOString(), 'YYYY-MM-DD'));
  const latest = await latestAnchor(ctx.db);
  if (latest && (latest.state !== 'sealed' || latest.to >= to)) return latest.state === 'sealed' ? null : latest;
  const day = chinaTime(new Date(Date.parse(to) - 1).toISOString(), 'YYYY-MM-DD');
  const fresh: AnchorDoc = { _id: day, day, from: latest?.to ?? '', to, state: 'collecting', step: 0, digest: digestSeed(day), heads: 0, keyId: key.id, createdAt: now.toISOString() };
  try {
    await ctx.db.collection('anchors').add({ data: fresh });
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
    // A concurrent run opened it first; the next run carries on from its cursor.
    return null;
  }
  return fresh;
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

async function collectPage(ctx: Context, key: HistoryKey, anchor: AnchorDoc): Promise<{ anchor: AnchorDoc | null; heads: number }> {
  const _ = ctx.db.command;
  const window: Record<string, unknown> = { status: _.in(EVERY_STATUS), updatedAt: _.and(_.gte(anchor.from), _.lt(anchor.to)) };
  const where =
    anchor.afterAt !== undefined
      ? _.and([window, _.or([{ updatedAt: _.gt(anchor.afterAt) }, { updatedAt: anchor.afterAt, _id: _.gt(anchor.afterId ?? '') }])])
      : window;
  const page = await docsOf<Pick<NeedDoc, '_id' | 'updatedAt' | 'eventSeq' | 'lastHash'>>(
    ctx.db
      .collection('needs')
      .where(where as never)
      .field({ _id: true, updatedAt: true, eventSeq: true, lastHash: true })
      .orderBy('updatedAt', 'asc')
      .orderBy('_id', 'asc')
      .limit(PAGE),
  );
  const heads = page.map((n): AnchorHeadDoc => {
    const h = { day: anchor.day, needId: n._id, eventSeq: n.eventSeq, lastHash: n.lastHash };
    return { _id: `${anchor.day}:${n._id}`, ...h, keyId: key.id, mac: headMac(key, h) };
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
      .where({ day: anchor.day, _id: _.gt(anchor.through ?? '') })
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
  /** The day sealed by this run, if one was. */
  sealed?: string;
  unfinished: boolean;
}

/** One scheduler step: carries the current anchor as far as the budget allows. A warm, finished day costs one read. */
export async function anchorStep(ctx: Context, outOfTime: () => boolean): Promise<AnchorReport> {
  const key = historyKey(ctx);
  let anchor = await openAnchor(ctx, key);
  let heads = 0;
  while (anchor && anchor.state !== 'sealed') {
    if (outOfTime()) return { heads, unfinished: true };
    if (anchor.state === 'collecting') {
      const res = await collectPage(ctx, key, anchor);
      heads += res.heads;
      anchor = res.anchor;
    } else {
      anchor = await sealPage(ctx, key, anchor);
      if (anchor?.state === 'sealed') return { heads, sealed: anchor.day, unfinished: false };
    }
  }
  return { heads, unfinished: false };
}

/** The head the latest anchor recorded for a need, or null when no anchor has recorded it yet. */
export async function anchoredHeadOf(db: Db, needId: string): Promise<AnchorHeadDoc | null> {
  const [head] = await docsOf<AnchorHeadDoc>(db.collection('anchorHeads').where({ needId }).orderBy('day', 'desc').limit(1));
  return head ?? null;
}

/**
 * Recomputes a sealed day's digest from its records (paged): what an auditor
 * compares with the digest printed in that day's 专报. A record deleted or
 * added since the day was sealed changes it.
 */
export async function recomputeDigest(db: Db, day: string): Promise<{ digest: string; heads: number }> {
  const _ = db.command;
  let digest = digestSeed(day);
  let heads = 0;
  let through = '';
  for (;;) {
    const page = await docsOf<AnchorHeadDoc>(db.collection('anchorHeads').where({ day, _id: _.gt(through) }).orderBy('_id', 'asc').limit(PAGE));
    for (const h of page) digest = foldHead(digest, h);
    heads += page.length;
    if (page.length < PAGE) return { digest, heads };
    through = page[page.length - 1]._id;
  }
}
