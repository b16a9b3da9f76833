/**
 * The scheduler's work (a timer trigger every few minutes): expire leases,
 * warn claimers before their lease runs out, escalate needs past either of
 * their deadlines, record the ledger's figures for each finished day, send
 * each unit head a daily digest, and anchor the heads of the needs changed
 * since the last anchor (one chained anchor per run that finds changes).
 *
 * Bounded: needs are read a page at a time and each due need costs one
 * conditional write (the page already holds the need as read; the write
 * applies only if nobody moved it since). A run stops taking new pages once
 * its time budget is spent; what is left is still due on the next tick.
 * Every step re-checks its condition in the write it makes, so running it
 * twice, or twice at once, changes nothing more than running it once.
 */
import { sweepOrphanUploads } from '../files/uploads';
import type { NeedStatus } from '../../typings/api';
import type { Context, Ports } from '../core/ports';
import { docsOf, isDuplicateWrite } from '../core/tx';
import { toNeed, type NeedDoc } from '../needs/model';
import { applyDecision, type Decision } from '../needs/transition';
import { UNCLAIMED } from '../needs/lease';
import { statesFor } from '../needs/lifecycle';
import { chinaTime } from '../core/time';
import { anchorStep } from '../history/anchors';
import { retryPendingMessages } from '../notify/pending';
import { district, type District } from '../config/district';
import { recordLedgerDays } from '../ledger/days';
import { notifyClaimer, notifyHeadsAndAdmins, notifyPerson, recipientsOfUnits } from '../notify/notify';
import { housekeeping } from './housekeeping';
import { IN_HAND } from '../../typings/statuses';

const PAGE = 100;
const WARN_BEFORE_MINUTES = 15;
const DIGEST_HOUR_CHINA = 8;
/** Missed days recorded per run (each costs two aggregations and a write); a week's backlog clears in one tick. */
const CATCH_UP_DAYS_PER_RUN = 7;
/** Of the function's 60 s timeout, what a run may spend before it leaves the rest to the next tick. */
export const DEFAULT_BUDGET_MS = 40_000;

export interface SchedulerReport {
  leasesExpired: number;
  leaseWarnings: number;
  escalated: number;
  /** Escalation messages a dead run owed, sent by this one. */
  escalationsResent: number;
  /** Messages whose send had failed, sent again (pendingMessages): sent, kept for later, given up. */
  messagesRetried: { sent: number; kept: number; dropped: number };
  /** Finished China-time days whose ledger figures this run recorded (ledger.trend). */
  snapshots: number;
  digests: number;
  /** Need heads recorded in this run's anchor (server/history/anchors.ts). */
  anchoredHeads: number;
  /** Uploads no record came to name, removed (server/files/uploads.ts). */
  uploadsRemoved: number;
  /** Spent rate counters and guessers' leftover user documents removed (scheduler/housekeeping.ts). */
  housekeeping: { rateLimits: number; guessUsers: number };
  /** True when the time budget ran out before every due need was seen. */
  unfinished: boolean;
}

export const SCHEDULER_ID = 'system:scheduler';

export function systemContext(ports: Ports): Context {
  return {
    ...ports,
    openid: SCHEDULER_ID,
    session: { openid: SCHEDULER_ID, roles: [], unitCodes: [], headOf: [] },
    known: false,
    countCall: async () => undefined,
  };
}

interface Run {
  ctx: Context;
  district: District;
  now: Date;
  deadline: number;
  unfinished: boolean;
}

const outOfTime = (run: Run) => Date.now() >= run.deadline;

/**
 * Pages through the needs matching `where` in `_id` order and offers each to
 * `step`; answers how many `step` changed. Keyset paging on `_id` so a need
 * left as it was is not seen again in the same run.
 */
async function sweep(run: Run, where: Record<string, unknown>, step: (need: NeedDoc) => Promise<boolean>): Promise<number> {
  const _ = run.ctx.db.command;
  let changed = 0;
  let after = '';
  for (;;) {
    if (outOfTime(run)) {
      run.unfinished = true;
      return changed;
    }
    const page = await docsOf<NeedDoc>(
      run.ctx.db.collection('needs').where(_.and([where, { _id: _.gt(after) }])).orderBy('_id', 'asc').limit(PAGE),
    );
    for (const need of page) if (await step(need)) changed++;
    if (page.length < PAGE) return changed;
    after = page[page.length - 1]._id;
  }
}

/** Applies a decision to a need as the page read it; a need someone moved meanwhile is left for the next run. */
async function decideFor(run: Run, need: NeedDoc, decision: Decision | null): Promise<NeedDoc | null> {
  return decision ? applyDecision(run.ctx, run.district, need, decision) : null;
}

/** Leases run in the states lease expiry starts from (the lifecycle table). */
const HELD: NeedStatus[] = statesFor('expireLease');

async function expireLeases(run: Run): Promise<number> {
  const _ = run.ctx.db.command;
  const now = run.now.toISOString();
  return sweep(run, { status: _.in(HELD), leaseUntil: _.lt(now) }, async (need) => {
    const claimer = need.claimedBy;
    const written = await decideFor(run, need, { to: 'routed', role: 'system', note: '认领到期未更新进展，需求退回队列', set: UNCLAIMED });
    if (!written) return false;
    if (claimer) await notifyClaimer(run.ctx, claimer, toNeed(written), 'leaseExpiring', '认领已到期，需求已退回队列');
    return true;
  });
}

async function warnLeases(run: Run): Promise<number> {
  const { ctx } = run;
  const _ = ctx.db.command;
  const soon = new Date(run.now.getTime() + WARN_BEFORE_MINUTES * 60_000).toISOString();
  return sweep(run, { status: _.in(HELD), leaseUntil: _.and(_.gte(run.now.toISOString()), _.lte(soon)) }, async (need) => {
    if (need.leaseWarnedFor === need.leaseUntil || !need.claimedBy) return false;
    // The conditional update is the once-only guard: a second run finds it already marked.
    const res = (await ctx.db
      .collection('needs')
      .where({ _id: need._id, leaseUntil: need.leaseUntil, leaseWarnedFor: _.neq(need.leaseUntil) })
      .update({ data: { leaseWarnedFor: need.leaseUntil } })) as { stats: { updated: number } };
    if (res.stats.updated !== 1) return false;
    await notifyClaimer(ctx, need.claimedBy, toNeed(need), 'leaseExpiring', `认领将于 ${WARN_BEFORE_MINUTES} 分钟内到期，请续期或更新进展`);
    return true;
  });
}

/** Waiting needs have their clock paused, so they are not here. */
const ESCALATABLE: NeedStatus[] = statesFor('escalate');

export type EscalationKind = 'firstResponse' | 'resolution';

const ESCALATION: Record<EscalationKind, { note: string; message: string }> = {
  firstResponse: { note: '超过首次响应时限仍未联系企业，已升级提醒', message: '需求超时未联系企业' },
  resolution: { note: '超过办理时限，已升级提醒', message: '需求已超过办理时限' },
};

/**
 * Escalation on either deadline (docs/sla.md), once per kind: a need nobody
 * contacted by firstResponseDueAt escalates for first response; a need not
 * resolved by dueAt escalates for resolution — also after a first-response
 * escalation, never twice. A need past both at once escalates for resolution
 * only. `escalatedFor` records the latest kind; the query leaves out what is
 * done, so finished needs are not read again on every tick.
 */
async function escalate(run: Run): Promise<number> {
  const _ = run.ctx.db.command;
  const now = run.now.toISOString();
  const step = (kind: EscalationKind) => async (need: NeedDoc) => {
    // The message is owed from the same write that escalates: a run that dies before sending leaves it pending.
    const written = await decideFor(run, need, {
      to: need.status,
      role: 'system',
      note: ESCALATION[kind].note,
      set: { escalated: true, escalatedAt: now, escalatedFor: kind, noticePending: kind, ...(kind === 'resolution' ? { overdue: true } : {}) },
    });
    if (!written) return false;
    await sendEscalation(run, written, kind);
    return true;
  };
  const late = await sweep(
    run,
    { status: _.in(ESCALATABLE), firstResponseDueAt: _.lt(now), dueAt: _.gte(now), firstResponseAt: null, escalated: false },
    step('firstResponse'),
  );
  const overdue = await sweep(
    run,
    _.or([
      { status: _.in(ESCALATABLE), dueAt: _.lt(now), escalated: false },
      { status: _.in(ESCALATABLE), dueAt: _.lt(now), escalatedFor: 'firstResponse' },
    ]) as unknown as Record<string, unknown>,
    step('resolution'),
  );
  return late + overdue;
}

/**
 * Sends an escalation's message and settles what it owed: cleared only if it
 * still owes this kind, so a concurrent run's claim is not undone.
 */
async function sendEscalation(run: Run, need: NeedDoc, kind: EscalationKind): Promise<void> {
  await notifyHeadsAndAdmins(run.ctx, toNeed(need), 'needEscalated', ESCALATION[kind].message);
  const _ = run.ctx.db.command;
  await run.ctx.db.collection('needs').where({ _id: need._id, noticePending: kind }).update({ data: { noticePending: _.remove() } });
}

/** A pending escalation younger than this may still be on its way in the run that wrote it. */
const NOTICE_GRACE_MS = 60_000;

/**
 * Messages owed by escalations whose run died between the write and the send:
 * each is claimed (cleared by a conditional write, so one run sends it) and
 * sent. Once claimed it is sent at most once: a run dying between the claim
 * and the send loses that one message, a window of milliseconds instead of
 * the whole escalation.
 */
async function resendEscalations(run: Run): Promise<number> {
  const _ = run.ctx.db.command;
  const grace = new Date(run.now.getTime() - NOTICE_GRACE_MS).toISOString();
  return sweep(run, { noticePending: _.in(Object.keys(ESCALATION)) }, async (need) => {
    const kind = need.noticePending!;
    if (!need.escalatedAt || need.escalatedAt > grace) return false;
    const res = (await run.ctx.db.collection('needs').where({ _id: need._id, noticePending: kind }).update({ data: { noticePending: _.remove() } })) as {
      stats: { updated: number };
    };
    if (res.stats.updated !== 1) return false;
    await notifyHeadsAndAdmins(run.ctx, toNeed(need), 'needEscalated', ESCALATION[kind].message);
    return true;
  });
}

/** Digests follow the district's working day, not UTC. */
function chinaDay(now: Date): { date: string; hour: number } {
  const iso = now.toISOString();
  return { date: chinaTime(iso, 'YYYY-MM-DD'), hour: Number(chinaTime(iso, 'H')) };
}

interface UnitCounts {
  open: number;
  toClaim: number;
  overdue: number;
}

/** Open needs of many units counted in one aggregation, rather than a read per unit. */
async function countsByUnit(ctx: Context, units: string[]): Promise<Map<string, UnitCounts>> {
  const _ = ctx.db.command;
  const $ = ctx.db.command.aggregate;
  const rows = ((await ctx.db
    .collection('needs')
    .aggregate()
    .match({ unitCode: _.in(units), status: _.in(IN_HAND) })
    .group({
      _id: '$unitCode',
      open: $.sum(1),
      toClaim: $.sum($.cond([$.eq(['$status', 'routed']), 1, 0])),
      overdue: $.sum($.cond([$.eq(['$escalated', true]), 1, 0])),
    })
    // One row per unit at most; without a limit a cloud function answers 20 rows, and a district has more units.
    .limit(Math.max(units.length, 1))
    .end()) as { list: Array<{ _id: string } & UnitCounts> }).list;
  return new Map(rows.map((r) => [r._id, { open: r.open, toClaim: r.toClaim, overdue: r.overdue }]));
}

/**
 * Each member and head of a unit with open needs hears once a day how many
 * wait (a unit with nothing open sends nothing: each subscription allows one
 * message, not to be spent on "0 件"). Recipients for every unit in one
 * query, counts for every unit in one aggregation, then one guard write and
 * one message per person and unit.
 */
async function digests(run: Run): Promise<number> {
  const { ctx, now } = run;
  const { date, hour } = chinaDay(now);
  if (hour < DIGEST_HOUR_CHINA || outOfTime(run)) return 0;
  const unitCodes = [...run.district.units.keys()];
  const counts = await countsByUnit(ctx, unitCodes);
  const busy = unitCodes.filter((code) => (counts.get(code)?.open ?? 0) > 0);
  if (!busy.length) return 0;
  const [members, heads] = await Promise.all([recipientsOfUnits(ctx, busy, 'members'), recipientsOfUnits(ctx, busy, 'heads')]);
  let sent = 0;
  for (const unitCode of busy) {
    const c = counts.get(unitCode)!;
    for (const touser of new Set([...(members.get(unitCode) ?? []), ...(heads.get(unitCode) ?? [])])) {
      if (outOfTime(run)) {
        run.unfinished = true;
        return sent;
      }
      // The digest record is the once-a-day guard: its id names the day, the unit and the person.
      try {
        await ctx.db.collection('digests').add({ data: { _id: `${date}:${unitCode}:${touser}`, unitCode, touser, createdAt: now.toISOString() } });
      } catch (err) {
        if (isDuplicateWrite(err)) continue;
        throw err;
      }
      await notifyPerson(ctx, touser, 'dailyDigest', { pending: `待办 ${c.open} 件`, detail: `待认领 ${c.toClaim} 件，超时 ${c.overdue} 件`, date }, 'unit/queue/index');
      sent++;
    }
  }
  return sent;
}

export async function runScheduler(ports: Ports, budgetMs = DEFAULT_BUDGET_MS): Promise<SchedulerReport> {
  const ctx = systemContext(ports);
  const run: Run = { ctx, district: await district(ctx), now: ctx.clock.now(), deadline: Date.now() + budgetMs, unfinished: false };
  const leasesExpired = await expireLeases(run);
  const leaseWarnings = await warnLeases(run);
  const resent = await resendEscalations(run);
  const retried = await retryPendingMessages(run.ctx, () => outOfTime(run));
  const escalated = await escalate(run);
  const snapshots = outOfTime(run) ? 0 : await recordLedgerDays(ctx, run.now, CATCH_UP_DAYS_PER_RUN);
  const sent = await digests(run);
  const anchor = await anchorStep(ctx, () => outOfTime(run));
  const uploads = await sweepOrphanUploads(ctx, () => outOfTime(run));
  const kept = await housekeeping(ctx, run.now, () => outOfTime(run));
  return {
    leasesExpired,
    leaseWarnings,
    escalated,
    escalationsResent: resent,
    messagesRetried: { sent: retried.sent, kept: retried.kept, dropped: retried.dropped },
    snapshots,
    digests: sent,
    anchoredHeads: anchor.heads,
    uploadsRemoved: uploads.removed,
    housekeeping: { rateLimits: kept.rateLimits, guessUsers: kept.guessUsers },
    unfinished: run.unfinished || anchor.unfinished || uploads.unfinished || kept.unfinished || retried.unfinished,
  };
}
