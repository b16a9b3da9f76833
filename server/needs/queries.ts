import { z } from 'zod';
import type { Need, NeedStatus, NeedType, Page } from '../../typings/api';
import { defineAction } from '../core/actions';
import { notFound } from '../core/errors';
import { pageOf } from '../core/paging';
import type { Context } from '../core/ports';
import { docsOf, getDoc } from '../core/tx';
import { id } from '../core/validation';
import { requireEnterprise } from '../access/session';
import { loadSettings } from '../settings';
import { handlerUnits, seesLoanAmount, seesPhone, viewerOf, type NeedViewer } from './access';
import { NEED_TYPES } from './schema';
import { maskPhone, type EnterpriseDoc } from '../enterprises/store';
import { OPEN_STATUSES, toNeed, toTimelineEvent, type NeedDoc, type NeedEventDoc } from './model';

const STATUSES = ['routed', 'claimed', 'in_progress', 'waiting', 'fulfilled', 'confirmed', 'rejected', 'cancelled'] as const;

const status = z.enum(STATUSES);

/** One status, or a list for a tab that covers several (处理中, 已关闭). */
const listInput = z.object({
  status: z.union([status, z.array(status).min(1).max(STATUSES.length)]).optional(),
  cursor: z.string().max(200).optional(),
});

async function unitNames(ctx: Context, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const _ = ctx.db.command;
  const units = await docsOf<{ _id: string; name: string }>(ctx.db.collection('units').where({ _id: _.in([...new Set(codes)]) }));
  return new Map(units.map((u) => [u._id, u.name]));
}

/** What a viewer may not see is removed, not blanked, so no page can show it by mistake. */
function redactFor(viewer: NeedViewer, need: Need): Need {
  if (!seesLoanAmount(viewer) && need.type === 'financing') delete (need as Partial<Need> & { amountWan?: number }).amountWan;
  return need;
}

async function present(ctx: Context, docs: NeedDoc[], nextCursor?: string, viewer: NeedViewer = 'handler'): Promise<Page<Need>> {
  const names = await unitNames(ctx, docs.map((d) => d.unitCode));
  const items = docs.map((d) => redactFor(viewer, toNeed(d, { unitName: names.get(d.unitCode) })));
  return nextCursor ? { items, nextCursor } : { items };
}

function statusFilter(db: Context['db'], status: NeedStatus | NeedStatus[] | undefined, fallback: NeedStatus[] | undefined) {
  const wanted = status ?? fallback;
  if (wanted === undefined) return {};
  return { status: Array.isArray(wanted) ? db.command.in(wanted) : wanted };
}

export const mine = defineAction({
  roles: ['enterprise'],
  input: listInput,
  async run(ctx, input) {
    const enterpriseId = requireEnterprise(ctx.session);
    const filter = { enterpriseId, ...statusFilter(ctx.db, input.status, undefined) };
    const page = await pageOf<NeedDoc>(ctx.db, 'needs', filter, 'desc', input.cursor);
    return present(ctx, page.docs, page.nextCursor, 'enterprise');
  },
});

const queueInput = listInput.extend({
  type: z.enum(NEED_TYPES as [NeedType, ...NeedType[]]).optional(),
  escalated: z.boolean().optional(),
  /** Only the needs the caller holds. */
  mine: z.boolean().optional(),
});

export const queue = defineAction({
  roles: ['unit'],
  input: queueInput,
  async run(ctx, input) {
    const units = await handlerUnits(ctx, await loadSettings(ctx.db));
    const _ = ctx.db.command;
    // Oldest first: the queue is worked in the order needs arrived. Rejected needs wait at triage.
    const filter: Record<string, unknown> = { unitCode: _.in(units), ...statusFilter(ctx.db, input.status, [...OPEN_STATUSES, 'rejected']) };
    if (input.type) filter.type = input.type;
    if (input.escalated !== undefined) filter.escalated = input.escalated;
    if (input.mine) filter.claimedBy = ctx.openid;
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
    const viewer = await viewerOf(ctx, await handlerUnits(ctx, await loadSettings(ctx.db)), doc);
    const [events, names, enterprise] = await Promise.all([
      loadEvents(ctx, doc._id),
      unitNames(ctx, [doc.unitCode]),
      getDoc<EnterpriseDoc>(ctx.db, 'enterprises', doc.enterpriseId),
    ]);
    const need = toNeed(doc, { unitName: names.get(doc.unitCode), timeline: events.map(toTimelineEvent) });
    if (enterprise) {
      need.contact = {
        name: enterprise.contactName,
        phone: seesPhone(viewer) ? enterprise.contactPhone : maskPhone(enterprise.contactPhone),
      };
    }
    return redactFor(viewer, need);
  },
});
