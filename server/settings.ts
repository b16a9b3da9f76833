import type { NeedType } from '../typings/api';
import type { Db } from './core/ports';
import { getDoc } from './core/tx';

/** District-wide knobs, held in the database (`settings/global`) so admins can change them. */
export interface Settings {
  /** Where unmatched and rejected needs go. */
  triageUnitCode: string;
  triageSlaHours: number;
  /** Triage's SLA terms (docs/sla.md): first contact in calendar hours; resolution in working days, else triageSlaHours. */
  triageFirstResponseHours: number;
  triageResolutionWorkdays?: number;
  /** The shared supplies pool every chamber head may claim from. */
  supplyPoolUnitCode: string;
  /** How long a claim lasts when its need type has no length of its own. */
  leaseMinutes: number;
  /** A claim lasts as long as the work: minutes by need type, e.g. {"supplies": 2880}. */
  leaseMinutesByType: Partial<Record<NeedType, number>>;
  /** A task force should see each enterprise of its zones at least this often. */
  visitIntervalDays: number;
  /** A check-in farther than this from the enterprise is flagged off-site (spec: 500 m). */
  offSiteMeters: number;
  /** Per-action overrides of the built-in per-minute limits, e.g. {"need.submit": 60}. */
  rateLimits: Record<string, number>;
  /** An enterprise has at most this many open needs of one type (a new one is refused, naming the form's type field). */
  openNeedsPerType: number;
  /** An enterprise raises at most this many new needs a China day, itself or through task-force visits. */
  needsPerEnterprisePerDay: number;
}

const DEFAULTS: Settings = {
  triageUnitCode: 'fic',
  triageSlaHours: 48,
  triageFirstResponseHours: 1,
  supplyPoolUnitCode: 'fic-supply-pool',
  leaseMinutes: 120,
  leaseMinutesByType: {},
  visitIntervalDays: 7,
  offSiteMeters: 500,
  rateLimits: {},
  openNeedsPerType: 3,
  needsPerEnterprisePerDay: 30,
};

/**
 * Rate limits are named `function.action` (as the call log names calls), but
 * CloudBase refuses a field name with a dot: stored, the dot is a colon.
 */
const storedKey = (action: string) => action.replace('.', ':');
const actionKey = (stored: string) => stored.replace(':', '.');
const rekey = (limits: Record<string, number> | undefined, key: (k: string) => string) =>
  Object.fromEntries(Object.entries(limits ?? {}).map(([k, v]) => [key(k), v]));

/** The stored document over the defaults: a setting nobody saved keeps its default. */
export function settingsFrom(stored: Record<string, unknown> | null | undefined): Settings {
  if (!stored) return { ...DEFAULTS };
  const { _id, ...values } = stored as Partial<Settings> & { _id?: string };
  return { ...DEFAULTS, ...values, rateLimits: rekey(values.rateLimits, actionKey) };
}

/** The document to store for these settings. */
export function storedSettings(settings: Settings): Record<string, unknown> {
  return { ...settings, rateLimits: rekey(settings.rateLimits, storedKey) };
}

/** Uncached read; request paths use `district(ctx).settings`, which is cached per instance. */
export async function loadSettings(db: Db): Promise<Settings> {
  return settingsFrom(await getDoc<Record<string, unknown>>(db, 'settings', 'global'));
}
