/**
 * Creating needs, shared by an enterprise's own submission and a task-force
 * visit that raises needs on its behalf: route each by the rules, flag
 * possible duplicates, write need and first timeline event together, then
 * tell the units.
 */
import type { Need, NeedType } from '../../typings/api';
import { newDocId } from '../core/ids';
import type { Context } from '../core/ports';
import { docsOf, type Tx } from '../core/tx';
import type { EnterpriseDoc } from '../enterprises/store';
import { route } from '../routing/engine';
import { loadRules } from '../routing/rules';
import { loadSettings } from '../settings';
import { notifyUnit } from '../notify/notify';
import { appendEvent, GENESIS_HASH } from './events';
import { OPEN_STATUSES, toNeed, type ActorRole, type NeedDoc } from './model';

export interface NeedEntry {
  type: NeedType;
  fields: Record<string, unknown>;
}

/** Earlier open need of the same type from the same enterprise: flagged, not refused. */
async function openDuplicates(ctx: Context, enterpriseId: string, entries: NeedEntry[]): Promise<Map<string, string>> {
  const _ = ctx.db.command;
  const open = await docsOf<NeedDoc>(
    ctx.db
      .collection('needs')
      .where({ enterpriseId, type: _.in(entries.map((n) => n.type)), status: _.in(OPEN_STATUSES) })
      .orderBy('createdAt', 'asc')
      .limit(100),
  );
  const first = new Map<string, string>();
  for (const d of open) if (!first.has(d.type)) first.set(d.type, d._id);
  return first;
}

/** The needs as they will be written, routed; nothing is written yet. */
export async function planNeeds(ctx: Context, enterprise: EnterpriseDoc, entries: NeedEntry[], submissionId: string): Promise<NeedDoc[]> {
  const [rules, settings, duplicates] = await Promise.all([
    loadRules(ctx.db),
    loadSettings(ctx.db),
    openDuplicates(ctx, enterprise._id, entries),
  ]);
  const now = ctx.clock.now();
  const at = now.toISOString();
  return entries.map(({ type, fields }) => {
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
      submissionId,
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

/** Writes planned needs and their first events inside the caller's transaction. */
export async function writeNeeds(ctx: Context, tx: Tx, docs: NeedDoc[], role: ActorRole): Promise<NeedDoc[]> {
  const created: NeedDoc[] = [];
  for (const doc of docs) {
    const head = await appendEvent(tx, doc._id, doc, {
      at: doc.createdAt,
      actor: ctx.openid,
      role,
      from: null,
      to: 'routed',
      note: `${role === 'taskforce' ? '服务专班走访时代企业提出' : '提交需求'}，分派至 ${doc.unitCode}：${doc.route.reason}`,
    });
    const withHead = { ...doc, ...head };
    await tx.collection('needs').add({ data: withHead });
    created.push(withHead);
  }
  return created;
}

/** After commit: the units hear of their new needs; answers the needs as the API shows them. */
export async function announce(ctx: Context, docs: NeedDoc[]): Promise<Need[]> {
  const needs = docs.map((d) => toNeed(d));
  await Promise.all(needs.map((n) => notifyUnit(ctx, n, 'needRouted', `${n.enterpriseName}提交了新需求`)));
  return needs;
}
