/**
 * Creating needs, shared by an enterprise's own submission and a task-force
 * visit that raises needs on its behalf: route each by the rules, flag
 * possible duplicates, insert each need with its first timeline event, then
 * tell the units.
 *
 * Ids are derived from the submission (caller + clientKey), so the insert
 * itself is the idempotency check: a replay, or two copies of one submission
 * racing, collide on `_id` and find the first result instead of doubling it.
 */
import type { Need, NeedType } from '../../typings/api';
import { sha256 } from '../core/ids';
import type { Context } from '../core/ports';
import { docsOf, isDuplicateWrite } from '../core/tx';
import type { EnterpriseDoc } from '../enterprises/store';
import { route } from '../routing/engine';
import { district, triageOf, unitName } from '../config/district';
import { firstResponseDueAt, resolutionDueAt } from '../sla/due';
import { notifyUnit } from '../notify/notify';
import { withFirstEvent } from './events';
import { historyKey } from '../history/key';
import { OPEN_STATUSES, toNeed, type ActorRole, type NeedDoc } from './model';

export interface NeedEntry {
  type: NeedType;
  fields: Record<string, unknown>;
}

/** The same clientKey from the same caller names the same submission. */
export const submissionIdOf = (openid: string, clientKey: string) => sha256(`${openid}\n${clientKey}`);

const needIdOf = (submissionId: string, index: number) => sha256(`${submissionId}:${index}`).slice(0, 32);

export const needIdsOf = (submissionId: string, count: number) => Array.from({ length: count }, (_, i) => needIdOf(submissionId, i));

/**
 * The needs of this submission that already exist: a replay (a retry after
 * a timeout, the phone's offline queue) finds them by the ids derived from
 * its clientKey — by _id, so however many other needs the enterprise has.
 */
export async function existingNeeds(ctx: Context, submissionId: string, count: number): Promise<NeedDoc[]> {
  const ids = needIdsOf(submissionId, count);
  const found = await docsOf<NeedDoc>(ctx.db.collection('needs').where({ _id: ctx.db.command.in(ids) }).limit(count));
  const byId = new Map(found.map((d) => [d._id, d]));
  return ids.map((id) => byId.get(id)).filter((d): d is NeedDoc => !!d);
}

/** Enough to find, for each type, one open need of the enterprise (a possible duplicate is flagged, not refused). */
const LOOK_BACK = 100;

/** For each type, an open need of the same enterprise: the new one is flagged as its possible duplicate. */
export async function openOfType(ctx: Context, enterpriseId: string, types: NeedType[]): Promise<Map<string, string>> {
  const _ = ctx.db.command;
  const docs = await docsOf<NeedDoc>(
    ctx.db
      .collection('needs')
      .where({ enterpriseId, status: _.in(OPEN_STATUSES), type: _.in(types) })
      .field({ _id: true, type: true })
      // One type (most forms) needs one match; several need room to find each.
      .limit(types.length === 1 ? 1 : LOOK_BACK),
  );
  const first = new Map<string, string>();
  for (const d of docs) if (!first.has(d.type)) first.set(d.type, d._id);
  return first;
}

/** The needs as they will be written, routed, each with its first event; nothing is written yet. */
export async function planNeeds(
  ctx: Context,
  enterprise: EnterpriseDoc,
  entries: NeedEntry[],
  submissionId: string,
  openOfType: Map<string, string>,
  role: ActorRole,
  /** Fields every need of this submission carries (need.submit's content hash). */
  common: Record<string, unknown> = {},
): Promise<NeedDoc[]> {
  const d = await district(ctx);
  const now = ctx.clock.now();
  const at = now.toISOString();
  return entries.map(({ type, fields }, index) => {
    const decision = route(
      { type, industry: enterprise.industry, zone: enterprise.zone, chamberCodes: enterprise.chamberCodes },
      d.rules,
      triageOf(d),
    );
    const need = {
      _id: needIdOf(submissionId, index),
      ...fields,
      type,
      status: 'routed' as const,
      unitCode: decision.unitCode,
      enterpriseId: enterprise._id,
      enterpriseName: enterprise.name,
      enterpriseVerified: enterprise.verified,
      submissionId,
      route: decision,
      createdBy: ctx.openid,
      createdAt: at,
      updatedAt: at,
      dueAt: resolutionDueAt(d, now, decision),
      firstResponseDueAt: firstResponseDueAt(now, decision),
      escalated: false,
      zone: enterprise.zone,
      handledUnits: [decision.unitCode],
      ...(openOfType.has(type) ? { duplicateOf: openOfType.get(type) } : {}),
      ...common,
    };
    const by = role === 'taskforce' ? '服务专班走访时代企业提出' : '提交需求';
    return withFirstEvent(historyKey(ctx), need, {
      at,
      actor: ctx.openid,
      role,
      actorName: role === 'taskforce' ? (d.taskForces.get(ctx.session.taskForceId ?? '')?.name ?? '服务专班') : enterprise.name,
      from: null,
      to: 'routed',
      note: `${by}，分派至${unitName(d, decision.unitCode)}：${decision.reason}`,
    });
  });
}


/**
 * Inserts planned needs in one request. If some already exist (a racing copy
 * of the same submission, or an earlier attempt stopped half way), keeps
 * those and adds only what is missing. Answers the needs as stored and which
 * of them this call created.
 */
export async function insertNeeds(ctx: Context, docs: NeedDoc[]): Promise<{ needs: NeedDoc[]; fresh: NeedDoc[] }> {
  const needs = ctx.db.collection('needs');
  try {
    await needs.add({ data: docs });
    return { needs: docs, fresh: docs };
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
  }
  const _ = ctx.db.command;
  const existing = await docsOf<NeedDoc>(needs.where({ _id: _.in(docs.map((d) => d._id)) }).limit(docs.length));
  const have = new Map(existing.map((d) => [d._id, d]));
  const fresh: NeedDoc[] = [];
  for (const doc of docs) {
    if (have.has(doc._id)) continue;
    try {
      await needs.add({ data: doc });
      have.set(doc._id, doc);
      fresh.push(doc);
    } catch (err) {
      if (!isDuplicateWrite(err)) throw err;
      have.set(doc._id, doc);
    }
  }
  return { needs: docs.map((d) => have.get(d._id) ?? d), fresh };
}

/** After the write: the units hear of their new needs; answers the needs as the API shows them. */
export async function announce(ctx: Context, docs: NeedDoc[]): Promise<Need[]> {
  const needs = docs.map((d) => toNeed(d));
  await Promise.all(needs.map((n) => notifyUnit(ctx, n, 'needRouted', `${n.enterpriseName}提交了新需求`)));
  return needs;
}
