/** What admin.verifyTimeline answers: the need's chain checked under the history key and against its latest anchor. */
import type { Context } from '../core/ports';
import { notFound } from '../core/errors';
import { getDoc } from '../core/tx';
import { verifyChain, type ChainFailure } from '../needs/events';
import type { NeedDoc } from '../needs/model';
import { anchoredHeadOf, headMac } from './anchors';
import { historyKey } from './key';

export interface Verdict {
  intact: boolean;
  events: number;
  failed?: ChainFailure;
  /** The first contract's field: the seq of the first failing event. */
  brokenAt?: number;
}

/**
 * The anchored head is read before the need: a need read first could be
 * overtaken by a change and an anchor of it, and then look cut short.
 */
export async function verifyHistory(ctx: Context, id: string): Promise<Verdict> {
  const key = historyKey(ctx);
  const head = await anchoredHeadOf(ctx.db, id);
  const need = await getDoc<NeedDoc>(ctx.db, 'needs', id);
  if (!need) throw notFound('需求不存在');
  const events = need.timeline?.length ?? 0;
  let failed: ChainFailure | null;
  if (head && head.keyId !== key.id) failed = { check: 'key', at: head.eventSeq };
  // An anchor record rewritten to agree with a cut chain is itself the failure.
  else if (head && headMac(key, head) !== head.mac) failed = { check: 'anchor', at: head.eventSeq };
  else failed = verifyChain(key, need, head);
  return failed ? { intact: false, events, failed, brokenAt: failed.at } : { intact: true, events };
}
