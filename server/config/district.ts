/**
 * The district's configuration — settings, routing rules, units, zones, task
 * forces, the holiday calendar — read once per function instance and kept for a short while.
 * Every action needs some of it, and reading it per call would spend five
 * round trips before any work (issue: round-trip budgets). The TTL is timed
 * by the injected clock; an admin's edit forgets the cache of the instance
 * that made it at once, other instances see it within the TTL.
 */
import type { Clock, Db } from '../core/ports';
import { docsOf } from '../core/tx';
import type { RoutingRule, TriageDefault } from '../routing/engine';
import { settingsFrom, type Settings } from '../settings';
import type { DayKind, HolidayCalendar } from '../sla/calendar';

export const CONFIG_TTL_MS = 60_000;

/** Configuration collections are small; one page of the platform's maximum holds each. */
const MAX_CONFIG_DOCS = 1000;

export interface UnitDoc {
  _id: string;
  name: string;
  kind: string;
  order: number;
}

export interface ZoneDoc {
  _id: string;
  name: string;
  kind?: string;
  order: number;
}

export interface TaskForceDoc {
  _id: string;
  name: string;
  leadOrg?: string;
  zoneCodes: string[];
  order: number;
}

export interface District {
  settings: Settings;
  rules: RoutingRule[];
  units: Map<string, UnitDoc>;
  zones: Map<string, ZoneDoc>;
  taskForces: Map<string, TaskForceDoc>;
  /** Which policies exist, for the check-in's 导 (policies explained) without a read per id. */
  policyIds: Set<string>;
  /** Statutory holidays and make-up working days by 'YYYY-MM-DD' (server/sla). */
  holidays: HolidayCalendar;
}

export interface HolidayDoc {
  /** The day, 'YYYY-MM-DD'. */
  _id: string;
  kind: DayKind;
  name: string;
}

/**
 * The calendar, newest first: a district keeps a few dozen days a year, so
 * one page of the platform's maximum holds a decade and a half; should it
 * ever hold more, the oldest years drop out, not the coming ones.
 */
export function holidaysQuery(db: Db) {
  return db.collection('holidays').where({ kind: db.command.in(['holiday', 'workday']) }).orderBy('_id', 'desc').limit(MAX_CONFIG_DOCS);
}

interface Cached {
  loadedAt: number;
  value: Promise<District>;
}

/** Keyed by the database object: each local runtime (one per test) has its own, like each cloud instance. */
const cache = new WeakMap<object, Cached>();

const byId = <T extends { _id: string }>(docs: T[]) => new Map(docs.map((d) => [d._id, d]));

async function load(db: Db): Promise<District> {
  const ordered = <T>(name: string) => docsOf<T>(db.collection(name).orderBy('order', 'asc').limit(MAX_CONFIG_DOCS));
  const [settings, rules, units, zones, taskForces, policies, holidays] = await Promise.all([
    docsOf<Record<string, unknown>>(db.collection('settings').where({ _id: 'global' }).limit(1)),
    ordered<RoutingRule>('routingRules'),
    ordered<UnitDoc>('units'),
    ordered<ZoneDoc>('zones'),
    ordered<TaskForceDoc>('taskForces'),
    docsOf<{ _id: string }>(db.collection('policies').orderBy('effectiveFrom', 'desc').field({ _id: true }).limit(MAX_CONFIG_DOCS)),
    docsOf<HolidayDoc>(holidaysQuery(db)),
  ]);
  return {
    settings: settingsFrom(settings[0]),
    rules,
    units: byId(units),
    zones: byId(zones),
    taskForces: byId(taskForces),
    policyIds: new Set(policies.map((p) => p._id)),
    holidays: new Map(holidays.map((h) => [h._id, { kind: h.kind, name: h.name }])),
  };
}

export function district(ports: { db: Db; clock: Clock }): Promise<District> {
  const now = ports.clock.now().getTime();
  const hit = cache.get(ports.db);
  // A clock moved backwards (tests) counts as expired too.
  if (hit && now >= hit.loadedAt && now - hit.loadedAt < CONFIG_TTL_MS) return hit.value;
  const value = load(ports.db);
  cache.set(ports.db, { loadedAt: now, value });
  // A failed load must not be served from the cache.
  value.catch(() => cache.delete(ports.db));
  return value;
}

/** After an admin's edit: this instance reads the configuration afresh on its next call. */
export function forgetDistrict(db: Db): void {
  cache.delete(db);
}

/** Where a need no rule matches goes, and its SLA terms (settings/global). */
export function triageOf(d: District): TriageDefault {
  const s = d.settings;
  return { unitCode: s.triageUnitCode, slaHours: s.triageSlaHours, firstResponseHours: s.triageFirstResponseHours, resolutionWorkdays: s.triageResolutionWorkdays };
}

/** A unit's name for people; the code never reaches a screen (an unknown code shows as 未知单位). */
export const unitName = (d: District, code: string | undefined | null) => (code && d.units.get(code)?.name) || '未知单位';
export const zoneName = (d: District, code: string | undefined | null) => (code && d.zones.get(code)?.name) || '未知区域';
export const taskForceName = (d: District, id: string | undefined | null) => (id && d.taskForces.get(id)?.name) || '未知专班';
