/**
 * Who receives what, looked up once per unit and kept for a minute by each
 * function instance, so a warm instance announces a need without a database
 * round trip. A minute is how long a new member may wait for their first
 * message, and how long a revoked one may still get one; the messages only
 * point at pages that check access again.
 *
 * Lookups asked for in the same tick (the needs of one submission, each
 * announced to its own unit) share one query. The cache hangs off the
 * database handle, so each local runtime (and each test) has its own; time
 * is the injected clock's.
 */
import type { Context, Db } from '../core/ports';
import { docsOf } from '../core/tx';
import { district } from '../config/district';

export const RECIPIENT_TTL_MS = 60_000;

/** Chambers and associations: their heads claim from the federation's supplies pool (spec). */
const POOL_CLAIMER_KINDS = ['chamber', 'association'];

/** One query answers at most this many people (the SDK's own cap); a district's units are far smaller. */
const MAX_PEOPLE = 1000;

export interface UnitsDirectory {
  names: Map<string, string>;
  /** Units whose heads work the supplies pool. */
  poolClaimerUnits: string[];
  supplyPoolUnitCode: string;
}

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

type Key = `members:${string}` | `heads:${string}` | 'admins';

interface InstanceCache {
  people: Map<Key, Entry<string[]>>;
  /** Keys asked for in the current tick, answered together. */
  pending: Map<Key, { resolve(openids: string[]): void; reject(err: unknown): void }>;
}

let caches = new WeakMap<Db, InstanceCache>();

/** Forgets every cached recipient and unit (tests; a function instance never needs to). */
export function clearRecipientCache(): void {
  caches = new WeakMap();
}

function cacheOf(db: Db): InstanceCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = { people: new Map(), pending: new Map() };
    caches.set(db, cache);
  }
  return cache;
}

const fresh = <T>(entry: Entry<T> | undefined, now: number): entry is Entry<T> => !!entry && now - entry.at < RECIPIENT_TTL_MS;

/** Unit names and kinds, and which unit is the supplies pool: from the instance's configuration cache. */
export async function unitsDirectory(ctx: Pick<Context, 'db' | 'clock'>): Promise<UnitsDirectory> {
  const d = await district(ctx);
  const units = [...d.units.values()];
  return {
    names: new Map(units.map((u) => [u._id, u.name])),
    poolClaimerUnits: units.filter((u) => POOL_CLAIMER_KINDS.includes(u.kind)).map((u) => u._id),
    supplyPoolUnitCode: d.settings.supplyPoolUnitCode,
  };
}

interface PersonDoc {
  _id: string;
  unitCodes?: string[];
  headOf?: string[];
  roles?: string[];
}

/** Answers every key asked for in this tick with one query over users. */
async function answerPending(ctx: Pick<Context, 'db' | 'clock'>, cache: InstanceCache): Promise<void> {
  const batch = new Map(cache.pending);
  cache.pending.clear();
  try {
    const keys = [...batch.keys()];
    const memberUnits = keys.filter((k) => k.startsWith('members:')).map((k) => k.slice('members:'.length));
    const headUnits = keys.filter((k) => k.startsWith('heads:')).map((k) => k.slice('heads:'.length));
    const wantAdmins = batch.has('admins');
    // Only a pool among the units needs the directory: its "members" are the heads of every chamber.
    const directory = memberUnits.length ? await unitsDirectory(ctx) : null;
    const pool = directory && memberUnits.includes(directory.supplyPoolUnitCode) ? directory : null;
    const plainMemberUnits = memberUnits.filter((u) => !pool || u !== pool.supplyPoolUnitCode);
    const headsWanted = [...new Set([...headUnits, ...(pool ? pool.poolClaimerUnits : [])])];

    const _ = ctx.db.command;
    const branches: Record<string, unknown>[] = [];
    if (plainMemberUnits.length) branches.push({ unitCodes: _.in(plainMemberUnits) });
    if (headsWanted.length) branches.push({ headOf: _.in(headsWanted) });
    if (wantAdmins) branches.push({ roles: 'admin' });
    const people = branches.length
      ? await docsOf<PersonDoc>(
          ctx.db
            .collection('users')
            .where(branches.length === 1 ? branches[0] : _.or(branches))
            .field({ _id: true, unitCodes: true, headOf: true, roles: true })
            .limit(MAX_PEOPLE),
        )
      : [];
    if (people.length >= MAX_PEOPLE) console.warn(`[notify] recipient lookup hit ${MAX_PEOPLE} people; some may be missed`);

    const who = (test: (p: PersonDoc) => boolean) => people.filter(test).map((p) => p._id);
    const poolClaimers = new Set(pool ? pool.poolClaimerUnits : []);
    for (const [key, waiter] of batch) {
      if (key === 'admins') waiter.resolve(who((p) => !!p.roles?.includes('admin')));
      else if (key.startsWith('heads:')) {
        const unit = key.slice('heads:'.length);
        waiter.resolve(who((p) => !!p.headOf?.includes(unit)));
      } else {
        const unit = key.slice('members:'.length);
        if (pool && unit === pool.supplyPoolUnitCode) waiter.resolve(who((p) => !!p.headOf?.some((h) => poolClaimers.has(h))));
        else waiter.resolve(who((p) => !!p.unitCodes?.includes(unit)));
      }
    }
  } catch (err) {
    for (const waiter of batch.values()) waiter.reject(err);
  }
}

function lookup(ctx: Pick<Context, 'db' | 'clock'>, key: Key): Promise<string[]> {
  const cache = cacheOf(ctx.db);
  const now = ctx.clock.now().getTime();
  const cached = cache.people.get(key);
  if (fresh(cached, now)) return cached.value;
  const value = new Promise<string[]>((resolve, reject) => {
    if (!cache.pending.size) {
      // After the callers of this tick have asked: they all join one query.
      void Promise.resolve().then(() => answerPending(ctx, cache));
    }
    cache.pending.set(key, { resolve, reject });
  });
  const entry = { at: now, value };
  cache.people.set(key, entry);
  value.catch(() => {
    if (cache.people.get(key) === entry) cache.people.delete(key);
  });
  return value;
}

async function byUnit(ctx: Pick<Context, 'db' | 'clock'>, unitCodes: readonly string[], kind: 'members' | 'heads'): Promise<Map<string, string[]>> {
  const units = [...new Set(unitCodes)];
  const lists = await Promise.all(units.map((unit) => lookup(ctx, `${kind}:${unit}`)));
  return new Map(units.map((unit, i) => [unit, lists[i]]));
}

/**
 * Unit → the OPENIDs who work its queue, in one query for every unit not
 * already known: a unit's members, and for the supplies pool every chamber
 * and association head (who claim from it). `heads` answers each unit's heads.
 */
export function recipientsOfUnits(
  ctx: Pick<Context, 'db' | 'clock'>,
  unitCodes: readonly string[],
  kind: 'members' | 'heads' = 'members',
): Promise<Map<string, string[]>> {
  return byUnit(ctx, unitCodes, kind);
}

/** The heads of one unit and every admin, without duplicates (escalations). */
export async function headsAndAdmins(ctx: Pick<Context, 'db' | 'clock'>, unitCode: string): Promise<string[]> {
  const [heads, admins] = await Promise.all([lookup(ctx, `heads:${unitCode}`), lookup(ctx, 'admins')]);
  return [...new Set([...heads, ...admins])];
}

/** A unit's name for people to read; the code only if the unit is gone from the configuration. */
export async function unitNameOf(ctx: Pick<Context, 'db' | 'clock'>, unitCode: string): Promise<string> {
  const directory = await unitsDirectory(ctx);
  return directory.names.get(unitCode) ?? '责任单位';
}
