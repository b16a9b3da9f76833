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
import { AppError } from '../core/errors';
import { checkRate } from '../core/rateLimit';
import { NEED_TYPE_LABELS } from '../../typings/labels';
import type { EnterpriseDoc } from '../enterprises/store';
import { route } from '../routing/engine';
import { district, triageOf, unitName } from '../config/district';
import { firstResponseDueAt, resolutionDueAt } from '../sla/due';
import { notifyUnit } from '../notify/notify';
import { withFirstEvent } from './events';
import { historyKey } from '../history/key';
import { toNeed, type ActorRole, type NeedDoc } from './model';
import { IN_HAND } from '../../typings/statuses';

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

/*
 * An enterprise's limits, counted in needs, whoever raises them — its own
 * people and task forces at a visit alike (issue 13: one caller put 300
 * needs a minute into the queues, each announced to every unit member):
 * settings.openNeedsPerType open needs of one type (3 unless the district
 * sets otherwise) and settings.needsPerEnterprisePerDay new needs a China
 * day (30). Both come from the cached district: no round trip to read them.
 */

/**
 * The enterprise's open needs of these entries' types, read once: for each
 * type the first one (a new need is flagged as its possible duplicate), and a
 * refusal naming the entry when its type already has the limit open.
 * `own` are the ids this submission or visit writes: a replay finds them
 * already there, and they are neither duplicates nor counted against it.
 * `field` names an entry's type field as its form does; `enforce: false`
 * (a visit's replay completing what its first attempt was allowed) only finds.
 */
/** The most documents one read may answer on CloudBase. */
const MAX_PAGE = 1000;

export async function openOfType(
  ctx: Context,
  enterpriseId: string,
  entries: ReadonlyArray<{ type: NeedType }>,
  {
    own = new Set<string>(),
    field = (i: number) => `needs.${i}.type`,
    enforce = true,
  }: { own?: ReadonlySet<string>; field?: (index: number) => string; enforce?: boolean } = {},
): Promise<Map<string, string>> {
  const first = new Map<string, string>();
  if (!entries.length) return first;
  const limit = (await district(ctx)).settings.openNeedsPerType;
  const types = [...new Set(entries.map((e) => e.type))];
  const _ = ctx.db.command;
  const docs = await docsOf<NeedDoc>(
    ctx.db
      .collection('needs')
      .where({ enterpriseId, status: _.in(IN_HAND), type: _.in(types) })
      .field({ _id: true, type: true })
      // Enough to reach the limit of every type (a replay's own needs take room too), within the platform's page.
      .limit(Math.min(MAX_PAGE, types.length * limit + own.size)),
  );
  const open = new Map<string, number>();
  for (const d of docs) {
    if (own.has(d._id)) continue;
    if (!first.has(d.type)) first.set(d.type, d._id);
    open.set(d.type, (open.get(d.type) ?? 0) + 1);
  }
  entries.forEach((e, i) => {
    if (enforce && (open.get(e.type) ?? 0) >= limit) {
      throw new AppError(
        'FAILED_PRECONDITION',
        `本企业已有 ${limit} 项「${NEED_TYPE_LABELS[e.type]}」需求正在办理。请在原需求里补充说明，或等其中一项办结后再提交`,
        field(i),
      );
    }
  });
  return first;
}

/** Counts `count` new needs against the enterprise's day (one round trip; two for its first of the day). */
export async function countNewNeeds(ctx: Context, enterpriseId: string, count: number): Promise<void> {
  if (!count) return;
  const perDay = (await district(ctx)).settings.needsPerEnterprisePerDay;
  await checkRate(ctx.db, ctx.clock, `needs:${enterpriseId}`, perDay, {
    window: 'day',
    amount: count,
    message: `本企业今天提交的需求已达 ${perDay} 项上限，请明天再提交；急事请直接联系所在商会或服务专班`,
  });
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
