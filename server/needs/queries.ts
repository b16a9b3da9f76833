import { z } from 'zod';
import type { Need, NeedStatus, Page } from '../../typings/api';
import { defineAction } from '../core/actions';
import { notFound } from '../core/errors';
import { pageOf } from '../core/paging';
import type { Context } from '../core/ports';
import { docsOf, getDoc } from '../core/tx';
import { id } from '../core/validation';
import { requireEnterprise } from '../access/session';
import { loadSettings } from '../settings';
import { handlerUnits, viewerOf } from './access';
import { OPEN_STATUSES, toNeed, toTimelineEvent, type NeedDoc, type NeedEventDoc } from './model';

const STATUSES = ['routed', 'claimed', 'in_progress', 'waiting', 'fulfilled', 'confirmed', 'rejected', 'cancelled'] as const;

const listInput = z.object({
  status: z.enum(STATUSES).optional(),
  cursor: z.string().max(200).optional(),
});

async function unitNames(ctx: Context, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const _ = ctx.db.command;
  const units = await docsOf<{ _id: string; name: string }>(ctx.db.collection('units').where({ _id: _.in([...new Set(codes)]) }));
  return new Map(units.map((u) => [u._id, u.name]));
}

async function present(ctx: Context, docs: NeedDoc[], nextCursor?: string): Promise<Page<Need>> {
  const names = await unitNames(ctx, docs.map((d) => d.unitCode));
  const items = docs.map((d) => toNeed(d, { unitName: names.get(d.unitCode) }));
  return nextCursor ? { items, nextCursor } : { items };
}

function withStatus(filter: Record<string, unknown>, status?: NeedStatus) {
  return status ? { ...filter, status } : filter;
}

export const mine = defineAction({
  roles: ['enterprise'],
  input: listInput,
  async run(ctx, input) {
    const enterpriseId = requireEnterprise(ctx.session);
    const page = await pageOf<NeedDoc>(ctx.db, 'needs', withStatus({ enterpriseId }, input.status), 'desc', input.cursor);
    return present(ctx, page.docs, page.nextCursor);
  },
});

export const queue = defineAction({
  roles: ['unit'],
  input: listInput,
  async run(ctx, input) {
    const units = await handlerUnits(ctx, await loadSettings(ctx.db));
    const _ = ctx.db.command;
    // Oldest first: the queue is worked in the order needs arrived.
    const filter = { unitCode: _.in(units), status: input.status ?? _.in(OPEN_STATUSES) };
    const page = await pageOf<NeedDoc>(ctx.db, 'needs', filter, 'asc', input.cursor);
    return present(ctx, page.docs, page.nextCursor);
  },
});

/** Timelines are short (a few dozen events); one read holds the whole chain. */
export async function loadEvents(ctx: Context, needId: string): Promise<NeedEventDoc[]> {
  return docsOf<NeedEventDoc>(ctx.db.collection('needEvents').where({ needId }).orderBy('seq', 'asc').limit(1000));
}

export const get = defineAction({
  roles: 'signedIn',
  input: z.object({ id }),
  async run(ctx, input) {
    const doc = await getDoc<NeedDoc>(ctx.db, 'needs', input.id);
    if (!doc) throw notFound('需求不存在');
    viewerOf(ctx, await handlerUnits(ctx, await loadSettings(ctx.db)), doc);
    const [events, names] = await Promise.all([loadEvents(ctx, doc._id), unitNames(ctx, [doc.unitCode])]);
    return toNeed(doc, { unitName: names.get(doc.unitCode), timeline: events.map(toTimelineEvent) });
  },
});
