/**
 * Policies (spec: "browsable and searchable; each enterprise sees the ones
 * that match its industry and open needs first").
 */
import { z } from 'zod';
import { defineAction } from '../core/actions';
import { MAX_PAGE_SIZE, pageList } from '../core/paging';
import { forbidden, notFound } from '../core/errors';
import type { Context } from '../core/ports';
import { docsOf, getDoc } from '../core/tx';
import { text } from '../core/validation';
import type { EnterpriseDoc } from '../enterprises/store';
import { IN_HAND } from '../../typings/statuses';

export interface PolicyDoc {
  _id: string;
  title: string;
  level: string;
  summary: string;
  /** Need types the policy speaks to. */
  tags: string[];
  /** Industries it is meant for; empty means every industry. */
  industries: string[];
  effectiveFrom: string;
  effectiveTo?: string;
  link?: string;
}

/** A district holds dozens of policies, not thousands: one read, filtered and ranked here. */
const MAX_POLICIES = 1000;

/** Policies page like every list; the phone asks for large pages (a district has dozens). */
const pageInput = { cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(100) };

const toPolicy = ({ _id, ...p }: PolicyDoc) => ({ id: _id, ...p });

async function allPolicies(ctx: Context): Promise<PolicyDoc[]> {
  return docsOf<PolicyDoc>(ctx.db.collection('policies').orderBy('effectiveFrom', 'desc').limit(MAX_POLICIES));
}

export const list = defineAction({
  roles: 'signedIn',
  input: z.object({ q: text({ max: 40 }).optional(), tag: text({ max: 40 }).optional(), ...pageInput }),
  async run(ctx, { q, tag, cursor, limit }) {
    // The whole (small) list in one ordered read, searched here: a text search has no field
    // a database index could seek on, and q never becomes a pattern anyone could abuse.
    const needle = q?.toLowerCase();
    const items = (await allPolicies(ctx)).filter(
      (p) =>
        (!tag || p.tags.includes(tag) || p.industries.includes(tag)) &&
        (!needle || p.title.toLowerCase().includes(needle) || (p.summary ?? '').toLowerCase().includes(needle)),
    );
    return pageList(items.map(toPolicy), cursor, limit);
  },
});

export const get = defineAction({
  roles: 'signedIn',
  input: z.object({ id: z.string().min(1).max(64) }),
  async run(ctx, { id }) {
    const policy = await getDoc<PolicyDoc>(ctx.db, 'policies', id);
    if (!policy) throw notFound('政策不存在');
    return toPolicy(policy);
  },
});

/** Why a policy is shown first to this enterprise; empty when it is not. */
export function matchReasons(policy: PolicyDoc, industry: string, openTypes: Set<string>): string[] {
  const reasons: string[] = [];
  if (policy.industries.includes(industry)) reasons.push('industry');
  for (const tag of policy.tags) if (openTypes.has(tag)) reasons.push(`need:${tag}`);
  return reasons;
}

export const matched = defineAction({
  roles: ['enterprise'],
  input: z.object(pageInput),
  async run(ctx, { cursor, limit }) {
    const enterpriseId = ctx.session.enterpriseId;
    if (!enterpriseId) throw forbidden('请先登记企业信息');
    const _ = ctx.db.command;
    const [enterprise, open, policies] = await Promise.all([
      getDoc<EnterpriseDoc>(ctx.db, 'enterprises', enterpriseId),
      // The types of its open needs, not the needs: at most one row per type, however many are open.
      ctx.db.collection('needs').aggregate().match({ enterpriseId, status: _.in(IN_HAND) }).group({ _id: '$type' }).end() as Promise<{ list: Array<{ _id: string }> }>,
      allPolicies(ctx),
    ]);
    if (!enterprise) throw notFound('企业不存在');
    const openTypes = new Set(open.list.map((t) => t._id));
    const ranked = policies
      // Policies for other industries only are not this enterprise's business.
      .filter((p) => p.industries.length === 0 || p.industries.includes(enterprise.industry))
      .map((p) => ({ policy: p, reasons: matchReasons(p, enterprise.industry, openTypes) }))
      .sort((a, b) => b.reasons.length - a.reasons.length);
    return pageList(ranked.map(({ policy, reasons }) => ({ ...toPolicy(policy), matched: reasons.length > 0, reasons })), cursor, limit);
  },
});
