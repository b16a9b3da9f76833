/**
 * Subscribe messages about a need. Sent after the change is committed and
 * never allowed to fail it: a person who did not subscribe (or a platform
 * hiccup) must not undo a claim or a fulfilment. Failures are logged, and a
 * failure that may pass is kept and sent again by the scheduler (pending.ts).
 *
 * Each message carries its template's own keywords (the table in
 * miniprogram/subscribe-templates.ts), filled from the need and fitted to
 * each keyword's kind. Recipients and unit names come from a per-instance
 * cache (recipients.ts): on a warm instance a message costs no database
 * round trip.
 */
import type { Need } from '../../typings/api';
import type { TemplateKey } from '../../typings/templates';
import type { Context } from '../core/ports';
import { buildData, needValues, usesFill, type Audience } from './messages';
import { headsAndAdmins, recipientsOfUnits, unitNameOf } from './recipients';
import { keepForRetry, mayPass } from './pending';

export { recipientsOfUnits, clearRecipientCache, unitsDirectory } from './recipients';
export { toSubscribeSend, MessageRefused } from './messages';

/** Where a tap on the message opens: the enterprise's view of the need, or the handler's. */
const pageFor = (audience: Audience, needId: string) =>
  audience === 'enterprise' ? `enterprise/need-detail/index?id=${needId}` : `unit/need-detail/index?id=${needId}`;

async function send(ctx: Context, touser: string, template: TemplateKey, data: Record<string, string>, page: string): Promise<void> {
  const message = { touser, template, page, data };
  try {
    await ctx.messenger.send(message);
  } catch (err) {
    console.error(`[notify] ${template} to ${touser} failed`, err);
    // A failure that may pass is sent again by the scheduler (pending.ts); keeping it must not fail the change either.
    if (mayPass(err)) await keepForRetry(ctx, message, err).catch((e) => console.error('[notify] not kept for retry', e));
  }
}

async function needData(ctx: Context, template: TemplateKey, need: Need, note: string, audience: Audience): Promise<Record<string, string>> {
  const unitName = usesFill(template, 'unitName') ? (need.unitName ?? (await unitNameOf(ctx, need.unitCode))) : undefined;
  return buildData(template, needValues(need, note, audience, unitName));
}

async function sendAboutNeed(ctx: Context, people: string[], template: TemplateKey, need: Need, note: string, audience: Audience): Promise<void> {
  if (!people.length) return;
  let data: Record<string, string>;
  try {
    data = await needData(ctx, template, need, note, audience);
  } catch (err) {
    console.error(`[notify] ${template} about ${need.id} not built`, err);
    return;
  }
  const page = pageFor(audience, need.id);
  await Promise.all(people.map((touser) => send(ctx, touser, template, data, page)));
}

/** Tells the person who submitted the need about its change. */
export function notifySubmitter(ctx: Context, submitter: string, need: Need, template: TemplateKey, note: string) {
  return sendAboutNeed(ctx, [submitter], template, need, note, 'enterprise');
}

/** Tells the person who holds (or held) the claim: lease warnings, expiry, a broken claim. */
export function notifyClaimer(ctx: Context, claimer: string, need: Need, template: TemplateKey, note: string) {
  return sendAboutNeed(ctx, [claimer], template, need, note, 'handler');
}

/**
 * Tells the people who work the need's queue that a need arrived: the unit's
 * members, or for the supplies pool every chamber and association head (who
 * claim from it).
 */
export async function notifyUnit(ctx: Context, need: Need, template: TemplateKey, note: string): Promise<void> {
  let people: string[];
  try {
    people = (await recipientsOfUnits(ctx, [need.unitCode])).get(need.unitCode) ?? [];
  } catch (err) {
    console.error(`[notify] recipients of ${need.unitCode} not found`, err);
    return;
  }
  await sendAboutNeed(ctx, people, template, need, note, 'handler');
}

/** Escalations go to the heads of the need's unit and to every admin (spec). */
export async function notifyHeadsAndAdmins(ctx: Context, need: Need, template: TemplateKey, note: string): Promise<void> {
  let people: string[];
  try {
    people = await headsAndAdmins(ctx, need.unitCode);
  } catch (err) {
    console.error(`[notify] heads of ${need.unitCode} and admins not found`, err);
    return;
  }
  await sendAboutNeed(ctx, people, template, need, note, 'handler');
}

/**
 * A message not about one need (the daily digest). `data` is keyed by what
 * each keyword is filled with (for dailyDigest: pending, detail, date), or
 * by the keyword's name; every value is fitted to its kind.
 */
export async function notifyPerson(ctx: Context, touser: string, template: TemplateKey, data: Record<string, string>, page: string) {
  let fitted: Record<string, string>;
  try {
    fitted = buildData(template, data);
  } catch (err) {
    console.error(`[notify] ${template} to ${touser} not built`, err);
    return;
  }
  await send(ctx, touser, template, fitted, page);
}
