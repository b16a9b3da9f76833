import type { Need, SubmitResult } from '../../typings/api';
import { defineAction } from '../core/actions';
import { notFound } from '../core/errors';
import { newDocId, sha256 } from '../core/ids';
import type { Context } from '../core/ports';
import { docsOf, getDoc, inTransaction } from '../core/tx';
import { requireEnterprise } from '../access/session';
import type { EnterpriseDoc } from '../enterprises/store';
import { route } from '../routing/engine';
import { loadRules } from '../routing/rules';
import { loadSettings } from '../settings';
import { appendEvent, GENESIS_HASH } from './events';
import { OPEN_STATUSES, toNeed, type NeedDoc } from './model';
import { submitInput, type SubmitInput } from './schema';
import { notifyUnit } from '../notify/notify';

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

/** Earlier open need of the same type from the same enterprise: flagged, not refused. */
async function openDuplicates(ctx: Context, enterpriseId: string, input: SubmitInput): Promise<Map<string, string>> {
  const _ = ctx.db.command;
  const open = await docsOf<NeedDoc>(
    ctx.db
      .collection('needs')
      .where({ enterpriseId, type: _.in(input.needs.map((n) => n.type)), status: _.in(OPEN_STATUSES) })
      .orderBy('createdAt', 'asc')
      .limit(100),
  );
  const first = new Map<string, string>();
  for (const d of open) if (!first.has(d.type)) first.set(d.type, d._id);
  return first;
}

async function plan(ctx: Context, enterprise: EnterpriseDoc, input: SubmitInput, id: string): Promise<NeedDoc[]> {
  const [rules, settings, duplicates] = await Promise.all([
    loadRules(ctx.db),
    loadSettings(ctx.db),
    openDuplicates(ctx, enterprise._id, input),
  ]);
  const now = ctx.clock.now();
  const at = now.toISOString();
  return input.needs.map(({ type, fields }) => {
    const decision = route(
      { type, industry: enterprise.industry, zone: enterprise.zone, chamberCodes: enterprise.chamberCodes },
      rules,
      { unitCode: settings.triageUnitCode, slaHours: settings.triageSlaHours },
    );
    const doc: NeedDoc = {
      _id: newDocId(),
      ...fields,
      type,
      status: 'routed',
      unitCode: decision.unitCode,
      enterpriseId: enterprise._id,
      enterpriseName: enterprise.name,
      enterpriseVerified: enterprise.verified,
      submissionId: id,
      route: decision,
      createdBy: ctx.openid,
      createdAt: at,
      updatedAt: at,
      dueAt: new Date(now.getTime() + decision.slaHours * 3600_000).toISOString(),
      escalated: false,
      zone: enterprise.zone,
      handledUnits: [decision.unitCode],
      eventSeq: 0,
      lastHash: GENESIS_HASH,
    };
    const duplicateOf = duplicates.get(type);
    if (duplicateOf) doc.duplicateOf = duplicateOf;
    return doc;
  });
}

export const submit = defineAction({
  roles: ['enterprise'],
  input: submitInput,
  async run(ctx, input): Promise<SubmitResult> {
    const enterpriseId = requireEnterprise(ctx.session);
    const id = submissionId(ctx.openid, input.clientKey);
    const earlier = await getDoc<SubmissionDoc>(ctx.db, 'submissions', id);
    if (earlier) return existingResult(ctx, earlier);

    const enterprise = await getDoc<EnterpriseDoc>(ctx.db, 'enterprises', enterpriseId);
    if (!enterprise) throw notFound('企业不存在');
    const docs = await plan(ctx, enterprise, input, id);

    const outcome = await inTransaction(ctx.db, async (tx) => {
      // Re-checked inside: a concurrent retry with the same key conflicts here and then finds the first result.
      const raced = await getDoc<SubmissionDoc>(tx, 'submissions', id);
      if (raced) return raced;
      const created: NeedDoc[] = [];
      for (const doc of docs) {
        const head = await appendEvent(tx, doc._id, doc, {
          at: doc.createdAt,
          actor: ctx.openid,
          role: 'enterprise',
          from: null,
          to: 'routed',
          note: `提交需求，分派至 ${doc.unitCode}：${doc.route.reason}`,
        });
        const withHead = { ...doc, ...head };
        await tx.collection('needs').add({ data: withHead });
        created.push(withHead);
      }
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
    const needs = outcome.map((d): Need => toNeed(d));
    await Promise.all(needs.map((n) => notifyUnit(ctx, n, 'needRouted', `${n.enterpriseName}提交了新需求`)));
    return { submissionId: id, needs };
  },
});
