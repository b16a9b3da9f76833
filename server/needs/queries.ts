import { z } from 'zod';
import type { GeoPoint, Need, NeedStatus, NeedType, Page } from '../../typings/api';
import { defineAction } from '../core/actions';
import { forbidden, notFound } from '../core/errors';
import { pageOf } from '../core/paging';
import type { Context } from '../core/ports';
import { getDoc } from '../core/tx';
import { id } from '../core/validation';
import { isAdmin, requireEnterprise } from '../access/session';
import { district, unitName } from '../config/district';
import { callerOf, handlerUnits, seesLoanAmount, seesPhone, viewerOf, type NeedViewer } from './access';
import { allowedActions } from './lifecycle';
import { NEED_TYPES } from './schema';
import { maskPhone, type EnterpriseDoc } from '../enterprises/store';
import { readerOf, toNeed, toTimelineEvent, type NeedDoc } from './model';
import { membershipOf, type StoredUser } from '../users/memberships';
import { NEED_STATUSES, UNRESOLVED } from '../../typings/statuses';


const status = z.enum(NEED_STATUSES);

/** One status, or a list for a tab that covers several (处理中, 已关闭). */
const listInput = z.object({
  status: z.union([status, z.array(status).min(1).max(NEED_STATUSES.length)]).optional(),
  cursor: z.string().max(200).optional(),
});

const validPoint = (p: GeoPoint | undefined): p is GeoPoint =>
  !!p && Number.isFinite(p.latitude) && Number.isFinite(p.longitude) && Math.abs(p.latitude) <= 90 && Math.abs(p.longitude) <= 180;

/** What a viewer may not see is removed, not blanked, so no page can show it by mistake. */
function redactFor(viewer: NeedViewer, need: Need): Need {
  if (!seesLoanAmount(viewer) && need.type === 'financing') delete (need as Partial<Need> & { amountWan?: number }).amountWan;
  return need;
}

/**
 * The claimer as the enterprise and colleagues read it: the name their unit
 * invite carried (for the supplies pool, their own chamber's), else the
 * unit's name — never the OPENID.
 */
function claimerName(user: StoredUser | null, unitCode: string, unit: string): string {
  if (!user) return unit;
  return membershipOf(user, 'unit', unitCode)?.name || membershipOf(user, 'unit')?.name || unit;
}

/** List rows carry what the caller may do with each (a 认领 button on a queue row), computed without a read. */
async function present(ctx: Context, docs: NeedDoc[], nextCursor?: string, viewer: NeedViewer = 'handler'): Promise<Page<Need>> {
  const d = await district(ctx);
  const caller = callerOf(ctx, d);
  const reader = readerOf(ctx);
  const items = docs.map((doc) => {
    const need = redactFor(viewer, toNeed(doc, { unitName: unitName(d, doc.unitCode), reader }));
    need.allowedActions = allowedActions(doc, caller);
    return need;
  });
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
  roles: ['unit', 'admin'],
  input: queueInput.extend({
    /** Admins: one unit's needs (the dashboard's rows tap through to them); handlers: one of their own units. */
    unitCode: z.string().min(1).max(64).optional(),
  }),
  async run(ctx, input) {
    const d = await district(ctx);
    const _ = ctx.db.command;
    // Admins oversee every unit (the dashboard's counts open the needs behind them); handlers see their own.
    const own = ctx.session.roles.includes('unit') ? handlerUnits(ctx, d) : [];
    let scope: Record<string, unknown>;
    if (input.unitCode) {
      if (!isAdmin(ctx.session) && !own.includes(input.unitCode)) throw forbidden('只能查看本单位的需求');
      scope = { unitCode: input.unitCode };
    } else {
      scope = isAdmin(ctx.session) && !own.length ? {} : { unitCode: _.in(own) };
    }
    // Oldest first: the queue is worked in the order needs arrived. Rejected needs wait at triage.
    const filter: Record<string, unknown> = { ...scope, ...statusFilter(ctx.db, input.status, UNRESOLVED) };
    if (input.type) filter.type = input.type;
    if (input.escalated !== undefined) filter.escalated = input.escalated;
    if (input.mine) filter.claimedBy = ctx.openid;
    const page = await pageOf<NeedDoc>(ctx.db, 'needs', filter, 'asc', input.cursor);
    return present(ctx, page.docs, page.nextCursor);
  },
});

export const get = defineAction({
  roles: 'signedIn',
  input: z.object({ id }),
  async run(ctx, input) {
    const doc = await getDoc<NeedDoc>(ctx.db, 'needs', input.id);
    if (!doc) throw notFound('需求不存在');
    const d = await district(ctx);
    const viewer = await viewerOf(ctx, handlerUnits(ctx, d), doc);
    // Someone else's claim: the claimer's name is read beside the enterprise (one request more, no wait more).
    const othersClaim = !!doc.claimedBy && doc.claimedBy !== ctx.openid;
    const [enterprise, claimer] = await Promise.all([
      getDoc<EnterpriseDoc>(ctx.db, 'enterprises', doc.enterpriseId),
      othersClaim ? getDoc<StoredUser>(ctx.db, 'users', doc.claimedBy!) : Promise.resolve(null),
    ]);
    const admin = isAdmin(ctx.session);
    const unit = unitName(d, doc.unitCode);
    const need = toNeed(doc, {
      unitName: unit,
      timeline: doc.timeline.map((e) => toTimelineEvent(e, admin)),
      reader: readerOf(ctx),
      claimerName: othersClaim ? claimerName(claimer, doc.unitCode, unit) : undefined,
    });
    if (enterprise) {
      need.contact = {
        name: enterprise.contactName,
        phone: seesPhone(viewer) ? enterprise.contactPhone : maskPhone(enterprise.contactPhone),
        // Where the handler drives to: the enterprise's registered address and position (already read, no extra trip).
        ...(enterprise.address ? { address: enterprise.address } : {}),
        ...(validPoint(enterprise.location) ? { location: { latitude: enterprise.location.latitude, longitude: enterprise.location.longitude } } : {}),
      };
    }
    need.allowedActions = allowedActions(doc, callerOf(ctx, d));
    return redactFor(viewer, need);
  },
});
