import type { SubmitResult } from '../../typings/api';
import { defineAction } from '../core/actions';
import { notFound } from '../core/errors';
import { getDoc } from '../core/tx';
import { requireEnterprise } from '../access/session';
import type { EnterpriseDoc } from '../enterprises/store';
import { announce, existingNeeds, insertNeeds, openOfType, planNeeds, submissionIdOf } from './create';
import { toNeed } from './model';
import { checkSubmitDates, submitInput } from './schema';


/**
 * Round trips: session, the replay check (by the ids the clientKey gives),
 * the rate limit, the enterprise, the duplicate check, one insert for all
 * the form's needs (configuration and
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
    const earlier = await existingNeeds(ctx, submissionId, input.needs.length);
    // A replay (retry after a timeout, the offline queue) answers the first result and is not counted.
    if (earlier.length === input.needs.length) return { submissionId, needs: earlier.map((d) => toNeed(d)) };
    // Dates are judged when the need is made, not when a replay of it arrives days later.
    checkSubmitDates(input, ctx.clock.now());
    await ctx.countCall();

    const enterprise = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', enterpriseId);
    if (!enterprise) throw notFound('企业不存在');
    const duplicates = await openOfType(ctx, enterpriseId, input.needs.map((n) => n.type));
    const planned = await planNeeds(ctx, enterprise, input.needs, submissionId, duplicates, 'enterprise');
    const { needs, fresh } = await insertNeeds(ctx, planned);
    await announce(ctx, fresh);
    return { submissionId, needs: needs.map((d) => toNeed(d)) };
  },
});
