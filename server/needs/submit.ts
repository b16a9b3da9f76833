import type { SubmitResult } from '../../typings/api';
import { defineAction } from '../core/actions';
import { conflict, notFound } from '../core/errors';
import { getDoc } from '../core/tx';
import { requireEnterprise } from '../access/session';
import type { EnterpriseDoc } from '../enterprises/store';
import { announce, countNewNeeds, existingNeeds, insertNeeds, needIdsOf, openOfType, planNeeds, submissionIdOf } from './create';
import { toNeed } from './model';
import { checkSubmitDates, submitInput } from './schema';
import { contentHash } from './replay';
import type { NeedDoc } from './model';

/**
 * A clientKey names one submission (issue 20): the needs it made carry the
 * hash of what was asked, for which enterprise. The same key with another
 * content — another quantity, one need more or less, another enterprise
 * (the caller moved to another since: issue 13) — is CONFLICT, never the
 * first result passed off as this one's nor a merge of the two.
 */
function checkSameSubmission(earlier: NeedDoc[], enterpriseId: string, hash: string): void {
  for (const doc of earlier) {
    // Needs stored before the hash existed are compared by enterprise alone.
    if (doc.enterpriseId !== enterpriseId || (doc.contentHash !== undefined && doc.contentHash !== hash)) {
      throw conflict('该提交编号已用于另一份需求，请重新填写后提交');
    }
  }
}


/**
 * Round trips: session, the replay check (by the ids the clientKey gives),
 * the rate limit, the enterprise, the open needs of its types (duplicates and
 * the per-type limit), the enterprise's needs of the day (two for its first
 * of the day), one insert for all the form's needs (configuration and
 * recipients come from the instance's cache).
 */
export const submit = defineAction({
  roles: ['enterprise'],
  perMinute: 30,
  countsItself: true,
  input: submitInput,
  async run(ctx, input): Promise<SubmitResult> {
    const enterpriseId = requireEnterprise(ctx.session);
    const submissionId = submissionIdOf(ctx.openid, input.clientKey);
    const hash = contentHash({ enterpriseId, needs: input.needs });
    const earlier = await existingNeeds(ctx, submissionId, input.needs.length);
    checkSameSubmission(earlier, enterpriseId, hash);
    // A replay (retry after a timeout, the offline queue) answers the first result and is not counted.
    if (earlier.length === input.needs.length) return { submissionId, needs: earlier.map((d) => toNeed(d)) };
    // Dates are judged when the need is made, not when a replay of it arrives days later.
    checkSubmitDates(input, ctx.clock.now());
    await ctx.countCall();

    const enterprise = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', enterpriseId);
    if (!enterprise) throw notFound('企业不存在');
    const own = new Set(needIdsOf(submissionId, input.needs.length));
    const duplicates = await openOfType(ctx, enterpriseId, input.needs, { own, ...(input.single ? { field: () => 'type' } : {}) });
    // Counted in needs, per enterprise, once the form is known to be acceptable: what a replay finishes was counted before.
    await countNewNeeds(ctx, enterpriseId, input.needs.length - earlier.length);
    const planned = await planNeeds(ctx, enterprise, input.needs, submissionId, duplicates, 'enterprise', { contentHash: hash });
    const { needs, fresh } = await insertNeeds(ctx, planned);
    // A copy of the same key racing this one with other content got there first: refused, not merged.
    checkSameSubmission(needs, enterpriseId, hash);
    await announce(ctx, fresh);
    return { submissionId, needs: needs.map((d) => toNeed(d)) };
  },
});
