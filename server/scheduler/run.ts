/**
 * The scheduler's work (a timer trigger every few minutes): expire leases,
 * warn claimers before their lease runs out, escalate needs past their SLA,
 * and send each unit head a daily digest. Every step re-checks its condition
 * inside the change it makes, so running it twice, or twice at once, changes
 * nothing more than running it once.
 */
import type { NeedStatus } from '../../typings/api';
import { AppError, precondition } from '../core/errors';
import type { Context, Ports } from '../core/ports';
import { docsOf, getDoc, inTransaction } from '../core/tx';
import { toNeed, type NeedDoc } from '../needs/model';
import { transition } from '../needs/transition';
import { UNCLAIMED } from '../needs/lease';
import { chinaTime } from '../core/time';
import { notifyClaimer, notifyHeadsAndAdmins, notifyPerson } from '../notify/notify';

const BATCH = 100;
/** At most this many batches per step per run; the next run picks up the rest. */
const MAX_BATCHES = 20;
const WARN_BEFORE_MINUTES = 15;
const DIGEST_HOUR_CHINA = 8;

export interface SchedulerReport {
  leasesExpired: number;
  leaseWarnings: number;
  escalated: number;
  digests: number;
}

export const SCHEDULER_ID = 'system:scheduler';

export function systemContext(ports: Ports): Context {
  return { ...ports, openid: SCHEDULER_ID, session: { openid: SCHEDULER_ID, roles: [], unitCodes: [], headOf: [] } };
}

/** Applies `step` to every need matching `where`, batch by batch; returns how many it changed. */
async function sweep(ctx: Context, where: Record<string, unknown>, step: (need: NeedDoc) => Promise<boolean>): Promise<number> {
  let changed = 0;
  const seen = new Set<string>();
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const docs = (await docsOf<NeedDoc>(ctx.db.collection('needs').where(where).orderBy('_id', 'asc').limit(BATCH))).filter(
      (d) => !seen.has(d._id),
    );
    if (!docs.length) break;
    for (const doc of docs) {
      seen.add(doc._id);
      try {
        if (await step(doc)) changed++;
      } catch (err) {
        // Someone acted on the need meanwhile: nothing to do for it on this run.
        if (!(err instanceof AppError)) throw err;
      }
    }
    if (docs.length < BATCH) break;
  }
  return changed;
}

const HELD: NeedStatus[] = ['claimed', 'in_progress'];

async function expireLeases(ctx: Context, now: string): Promise<number> {
  const _ = ctx.db.command;
  return sweep(ctx, { status: _.in(HELD), leaseUntil: _.lt(now) }, async (found) => {
    let claimer = '';
    await transition(
      ctx,
      found._id,
      (need) => {
        if (!HELD.includes(need.status) || !need.leaseUntil || need.leaseUntil >= now) throw precondition('lease no longer expired');
        claimer = need.claimedBy ?? '';
        return { to: 'routed', role: 'system', note: '认领到期未更新进展，需求退回队列', set: UNCLAIMED };
      },
      async (_doc, need) => {
        if (claimer) await notifyClaimer(ctx, claimer, need, 'leaseExpiring', '认领已到期，需求已退回队列');
      },
    );
    return true;
  });
}

async function warnLeases(ctx: Context, now: Date): Promise<number> {
  const _ = ctx.db.command;
  const soon = new Date(now.getTime() + WARN_BEFORE_MINUTES * 60_000).toISOString();
  return sweep(ctx, { status: _.in(HELD), leaseUntil: _.and(_.gte(now.toISOString()), _.lte(soon)) }, async (need) => {
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

const ESCALATABLE: NeedStatus[] = ['routed', 'claimed', 'in_progress'];

async function escalate(ctx: Context, now: string): Promise<number> {
  const _ = ctx.db.command;
  return sweep(ctx, { status: _.in(ESCALATABLE), escalated: false, dueAt: _.lt(now) }, async (found) => {
    await transition(
      ctx,
      found._id,
      (need) => {
        // Waiting needs have their clock paused; they are not in ESCALATABLE.
        if (need.escalated || !ESCALATABLE.includes(need.status) || need.dueAt >= now) throw precondition('not due');
        return { to: need.status, role: 'system', note: '超过办理时限，已升级提醒', set: { escalated: true, escalatedAt: now } };
      },
      (_doc, need) => notifyHeadsAndAdmins(ctx, need, 'needEscalated', '需求已超过办理时限'),
    );
    return true;
  });
}

/** Digests follow the district's working day, not UTC. */
function chinaDay(now: Date): { date: string; hour: number } {
  const iso = now.toISOString();
  return { date: chinaTime(iso, 'YYYY-MM-DD'), hour: Number(chinaTime(iso, 'H')) };
}

async function digests(ctx: Context, now: Date): Promise<number> {
  const { date, hour } = chinaDay(now);
  if (hour < DIGEST_HOUR_CHINA) return 0;
  const _ = ctx.db.command;
  const heads = await docsOf<{ _id: string; headOf: string[] }>(
    ctx.db.collection('users').where({ 'headOf.0': _.exists(true) }).limit(1000),
  );
  let sent = 0;
  for (const head of heads) {
    for (const unitCode of head.headOf) {
      const key = `${date}:${unitCode}:${head._id}`;
      const claimed = await inTransaction(ctx.db, async (tx) => {
        if (await getDoc(tx, 'digests', key)) return false;
        await tx.collection('digests').add({ data: { _id: key, unitCode, touser: head._id, createdAt: now.toISOString() } });
        return true;
      });
      if (!claimed) continue;
      const open = await docsOf<NeedDoc>(
        ctx.db.collection('needs').where({ unitCode, status: _.in(['routed', 'claimed', 'in_progress', 'waiting']) }).limit(1000),
      );
      await notifyPerson(
        ctx,
        head._id,
        'dailyDigest',
        {
          thing1: `待办 ${open.length} 件`,
          thing2: `待认领 ${open.filter((n) => n.status === 'routed').length} 件，超时 ${open.filter((n) => n.escalated).length} 件`,
          date3: date,
        },
        'unit/queue/index',
      );
      sent++;
    }
  }
  return sent;
}

export async function runScheduler(ports: Ports): Promise<SchedulerReport> {
  const ctx = systemContext(ports);
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const leasesExpired = await expireLeases(ctx, iso);
  const leaseWarnings = await warnLeases(ctx, now);
  const escalated = await escalate(ctx, iso);
  return { leasesExpired, leaseWarnings, escalated, digests: await digests(ctx, now) };
}
