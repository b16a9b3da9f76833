import type { SubmitResult } from '../../typings/api';
import { defineAction } from '../core/actions';
import { notFound } from '../core/errors';
import { sha256 } from '../core/ids';
import type { Context } from '../core/ports';
import { docsOf, getDoc, inTransaction } from '../core/tx';
import { requireEnterprise } from '../access/session';
import type { EnterpriseDoc } from '../enterprises/store';
import { announce, planNeeds, writeNeeds } from './create';
import { toNeed, type NeedDoc } from './model';
import { checkSubmitDates, submitInput } from './schema';

interface SubmissionDoc {
  _id: string;
  openid: string;
  clientKey: string;
  enterpriseId: string;
  needIds: string[];
  createdAt: string;
}

/** The same clientKey from the same caller names the same submission. */
export const submissionId = (openid: string, clientKey: string) => sha256(`${openid}\n${clientKey}`);

async function existingResult(ctx: Context, submission: SubmissionDoc): Promise<SubmitResult> {
  const _ = ctx.db.command;
  const found = await docsOf<NeedDoc>(ctx.db.collection('needs').where({ _id: _.in(submission.needIds) }));
  const byId = new Map(found.map((d) => [d._id, d]));
  const needs = submission.needIds.map((id) => byId.get(id)).filter((d): d is NeedDoc => !!d);
  return { submissionId: submission._id, needs: needs.map((d) => toNeed(d)) };
}

export const submit = defineAction({
  roles: ['enterprise'],
  perMinute: 30,
  input: submitInput,
  async run(ctx, input): Promise<SubmitResult> {
    const enterpriseId = requireEnterprise(ctx.session);
    checkSubmitDates(input, ctx.clock.now());
    const id = submissionId(ctx.openid, input.clientKey);
    const earlier = await getDoc<SubmissionDoc>(ctx.db, 'submissions', id);
    if (earlier) return existingResult(ctx, earlier);

    const enterprise = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', enterpriseId);
    if (!enterprise) throw notFound('企业不存在');
    const docs = await planNeeds(ctx, enterprise, input.needs, id);

    const outcome = await inTransaction(ctx.db, async (tx) => {
      // Re-checked inside: a concurrent retry with the same key conflicts here and then finds the first result.
      const raced = await getDoc<SubmissionDoc>(tx, 'submissions', id);
      if (raced) return raced;
      const created = await writeNeeds(ctx, tx, docs, 'enterprise');
      const submission: SubmissionDoc = {
        _id: id,
        openid: ctx.openid,
        clientKey: input.clientKey,
        enterpriseId,
        needIds: docs.map((d) => d._id),
        createdAt: docs[0].createdAt,
      };
      await tx.collection('submissions').add({ data: submission });
      return created;
    });
    if (!Array.isArray(outcome)) return existingResult(ctx, outcome);
    return { submissionId: id, needs: await announce(ctx, outcome) };
  },
});
