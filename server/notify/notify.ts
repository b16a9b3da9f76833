/**
 * Subscribe messages about a need. Sent after the change is committed and
 * never allowed to fail it: a person who did not subscribe (or a platform
 * hiccup) must not undo a claim or a fulfilment. Failures are logged.
 */
import type { Need } from '../../typings/api';
import { NEED_STATUS_LABELS, NEED_TYPE_LABELS } from '../../typings/labels';
import type { Context } from '../core/ports';
import { docsOf } from '../core/tx';
import type { TemplateKey } from './templates';
import { chinaTime } from '../core/time';
import { loadSettings } from '../settings';

const MAX_RECIPIENTS = 100;

/** Where a tap on the message opens: the enterprise's view of the need, or the handler's. */
type Audience = 'enterprise' | 'handler';

const pageFor = (audience: Audience, needId: string) =>
  audience === 'enterprise' ? `enterprise/need-detail/index?id=${needId}` : `unit/need-detail/index?id=${needId}`;

async function sendQuietly(ctx: Context, touser: string, template: TemplateKey, need: Need, note: string, audience: Audience): Promise<void> {
  try {
    await ctx.messenger.send({
      touser,
      template,
      page: pageFor(audience, need.id),
      data: {
        thing1: NEED_TYPE_LABELS[need.type],
        phrase2: NEED_STATUS_LABELS[need.status],
        thing3: note.slice(0, 20),
        time4: chinaTime(need.updatedAt),
      },
    });
  } catch (err) {
    console.error(`[notify] ${template} to ${touser} failed`, err);
  }
}

/** Tells the person who submitted the need about its change. */
export function notifySubmitter(ctx: Context, submitter: string, need: Need, template: TemplateKey, note: string) {
  return sendQuietly(ctx, submitter, template, need, note, 'enterprise');
}

/** Tells the person who holds (or held) the claim: lease warnings, expiry, a broken claim. */
export function notifyClaimer(ctx: Context, claimer: string, need: Need, template: TemplateKey, note: string) {
  return sendQuietly(ctx, claimer, template, need, note, 'handler');
}

/**
 * Tells the people who work the need's queue that a need arrived: the unit's
 * members, or for the supplies pool every chamber head (who claims from it).
 */
export async function notifyUnit(ctx: Context, need: Need, template: TemplateKey, note: string): Promise<void> {
  const _ = ctx.db.command;
  const settings = await loadSettings(ctx.db);
  let where: Record<string, unknown> = { unitCodes: need.unitCode };
  if (need.unitCode === settings.supplyPoolUnitCode) {
    const chambers = await docsOf<{ _id: string }>(
      ctx.db.collection('units').where({ kind: _.in(['chamber', 'association']) }).field({ _id: true }).limit(1000),
    );
    where = { headOf: _.in(chambers.map((c) => c._id)) };
  }
  const members = await docsOf<{ _id: string }>(ctx.db.collection('users').where(where).field({ _id: true }).limit(MAX_RECIPIENTS));
  await Promise.all(members.map((m) => sendQuietly(ctx, m._id, template, need, note, 'handler')));
}

/** Escalations go to the heads of the need's unit and to every admin (spec). */
export async function notifyHeadsAndAdmins(ctx: Context, need: Need, template: TemplateKey, note: string): Promise<void> {
  const _ = ctx.db.command;
  const people = await docsOf<{ _id: string }>(
    ctx.db
      .collection('users')
      .where(_.or([{ headOf: need.unitCode }, { roles: 'admin' }]))
      .field({ _id: true })
      .limit(MAX_RECIPIENTS),
  );
  await Promise.all(people.map((p) => sendQuietly(ctx, p._id, template, need, note, 'handler')));
}

/** A message not about one need (the daily digest). */
export async function notifyPerson(ctx: Context, touser: string, template: TemplateKey, data: Record<string, string>, page: string) {
  try {
    await ctx.messenger.send({ touser, template, page, data });
  } catch (err) {
    console.error(`[notify] ${template} to ${touser} failed`, err);
  }
}
