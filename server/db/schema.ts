/**
 * The one declaration of the database: every collection, what it holds, and
 * for each query shape the index it needs. Setup creates the collections and
 * indexes from it (and prints the indexes the SDK cannot create for the
 * console), the embedded store builds its SQLite indexes from it and refuses
 * writes to collections it does not list, tests fail any query no index
 * covers, and docs/database.md is generated from it.
 *
 * Coverage rule (the one the store checks, as CloudBase plans): a query is
 * covered when the database can seek to its documents and read them in the
 * order asked, without sorting in memory. By `_id` (equal, `in` or a range:
 * the primary key) always, and a walk of the primary key sorted by `_id`
 * alone. Otherwise one declared index must seek — its first field pinned by
 * equality or `in` (an unfiltered query walks an index from its first
 * field) — and the sort, less the fields pinned by equality,
 * must be the index's next fields in order, all in the declared directions or
 * all in their exact reverse: `(createdAt desc, _id asc)` does not serve
 * `createdAt desc, _id desc`. The lists page newest first as `createdAt desc,
 * _id desc` (server/core/paging.ts), so their indexes are declared that way.
 * Each branch of an `$or` must be covered on its own.
 */

export type IndexOrder = 'asc' | 'desc';

export interface IndexDecl {
  /** Stable name: CloudBase's console and the SQLite index use it. */
  name: string;
  fields: ReadonlyArray<readonly [field: string, order: IndexOrder]>;
  unique?: boolean;
}

export interface CollectionDecl {
  name: string;
  /** What the collection holds, for people reading docs/database.md. */
  holds: string;
  indexes: readonly IndexDecl[];
}

const idx = (name: string, ...fields: Array<string | [string, IndexOrder]>): IndexDecl => ({
  name,
  fields: fields.map((f) => (typeof f === 'string' ? ([f, 'asc'] as const) : ([f[0], f[1]] as const))),
});

export const COLLECTIONS = [
  {
    name: 'users',
    holds: 'One document per person, keyed by OPENID: roles, enterprise, units, task force.',
    indexes: [
      // '_id' last: admin.members and enterprise.members page a unit's, task force's or enterprise's people by _id.
      idx('users_unitCodes', 'unitCodes', '_id'),
      idx('users_headOf', 'headOf'),
      idx('users_roles', 'roles', '_id'),
      idx('users_taskForceId', 'taskForceId', '_id'),
      idx('users_enterpriseId', 'enterpriseId', '_id'),
      // The scheduler's housekeeping: documents only a wrong invite code created, oldest guess first.
      idx('users_guessOnly_missMinute', 'guessOnly', 'missMinute'),
    ],
  },
  {
    name: 'invites',
    holds: 'One-time invite codes (keyed by the code) and who redeemed or revoked them.',
    indexes: [
      idx('invites_createdBy_createdAt', 'createdBy', ['createdAt', 'desc'], ['_id', 'desc']),
      // Admins list every invite as `role in (all roles)`: pinned, so the second page (a range on createdAt) stays covered.
      idx('invites_role_createdAt', 'role', ['createdAt', 'desc'], ['_id', 'desc']),
      // Unit heads and enterprise owners list every invite into their unit or enterprise, whoever issued it.
      idx('invites_unitCode_createdAt', 'unitCode', ['createdAt', 'desc'], ['_id', 'desc']),
      idx('invites_enterpriseId_createdAt', 'enterpriseId', ['createdAt', 'desc'], ['_id', 'desc']),
    ],
  },
  {
    name: 'auditLog',
    holds: 'Who gave or took back access: grants, registrations, revocations, invite withdrawals, member removals, enterprises reassigned or retired (append-only).',
    // Listed newest first as `action in (all actions)`, which keeps every page pinned to the index.
    indexes: [idx('auditLog_action_at', 'action', ['at', 'desc'], ['_id', 'desc'])],
  },
  {
    name: 'enterprises',
    holds: 'Registered and imported enterprises, with their latest status report and last visit.',
    indexes: [
      idx('enterprises_zone_lastVisitAt', 'zone', 'lastVisitAt', '_id'),
      idx('enterprises_industry', 'industry'),
      idx('enterprises_ownerOpenid', 'ownerOpenid'),
      idx('enterprises_name', 'name'),
      idx('enterprises_creditCode', 'creditCode'),
      idx('enterprises_verified_zone', 'verified', 'zone'),
      // admin.enterprises pins verified (to both values when open) and pages by _id; a zone filter seeks by zone, an industry one by industry.
      idx('enterprises_verified_zone_list', 'verified', 'zone', '_id'),
      // Without a zone the _id order must follow verified directly: (verified, zone, _id) would sort in memory.
      idx('enterprises_verified_list', 'verified', '_id'),
      idx('enterprises_industry_list', 'industry', '_id'),
      idx('enterprises_createdAt', 'createdAt'),
    ],
  },
  {
    name: 'creditCodes',
    holds: 'Unified social credit code → enterprise: the lock that makes a code register once.',
    indexes: [],
  },
  {
    name: 'units',
    holds: 'Responsible units (chambers, departments, banks, desks) and their kind.',
    indexes: [idx('units_order', 'order'), idx('units_kind', 'kind'), idx('units_kind_order', 'kind', 'order')],
  },
  { name: 'zones', holds: 'Zones of the district (industrial parks, streets, towns).', indexes: [idx('zones_order', 'order')] },
  { name: 'taskForces', holds: 'The resumption task forces and the zones they serve.', indexes: [idx('taskForces_order', 'order')] },
  { name: 'routingRules', holds: 'Ordered routing rules: first match wins.', indexes: [idx('routingRules_order', 'order')] },
  { name: 'settings', holds: 'District-wide settings (`global`) and the setup record (`setup`).', indexes: [] },
  {
    name: 'needs',
    holds: 'Needs with their embedded, hash-chained timeline.',
    indexes: [
      idx('needs_enterpriseId_status_createdAt', 'enterpriseId', 'status', 'createdAt', '_id'),
      // need.mine without a status filter, newest first: status would stand between enterpriseId and createdAt.
      idx('needs_enterpriseId_createdAt', 'enterpriseId', ['createdAt', 'desc'], ['_id', 'desc']),
      idx('needs_unitCode_status_createdAt', 'unitCode', 'status', 'createdAt', '_id'),
      idx('needs_claimedBy_status', 'claimedBy', 'status'),
      idx('needs_status_leaseUntil', 'status', 'leaseUntil', '_id'),
      idx('needs_status_dueAt', 'status', 'dueAt', '_id'),
      idx('needs_status_createdAt', 'status', 'createdAt', '_id'),
      idx('needs_status_fulfilledAt', 'status', 'fulfilledAt'),
      idx('needs_status_firstResponseDueAt', 'status', 'firstResponseDueAt', '_id'),
      idx('needs_unitCode_createdAt', 'unitCode', 'createdAt'),
      idx('needs_unitCode_fulfilledAt', 'unitCode', 'fulfilledAt'),
      idx('needs_parentId', 'parentId'),
      idx('needs_createdAt', 'createdAt', '_id'),
      // The anchor sweep: every status pinned by `in`, a range of updatedAt, in (updatedAt, _id) order.
      idx('needs_status_updatedAt', 'status', 'updatedAt', '_id'),
      // Escalations whose message has not gone out (a run died between the write and the send).
      idx('needs_noticePending', 'noticePending', '_id'),
    ],
  },
  {
    name: 'anchors',
    holds: 'One per scheduler run that found changed needs, chained by digest: the window it anchors, its progress, and the sealed digest the 专报 prints.',
    // The latest anchor; the latest sealed one (the 专报); a day of the chain in order (verifyAnchors).
    indexes: [idx('anchors_seq', ['seq', 'desc']), idx('anchors_state_seq', 'state', ['seq', 'desc']), idx('anchors_day_seq', 'day', 'seq')],
  },
  {
    name: 'anchorHeads',
    holds: 'The head (eventSeq, lastHash) of each need an anchor recorded, keyed by anchor and need, with its HMAC.',
    // A need's latest anchored head; one anchor's records (sealing); a day's records (verifyAnchors).
    indexes: [idx('anchorHeads_needId_anchorId', 'needId', ['anchorId', 'desc']), idx('anchorHeads_anchorId', 'anchorId', '_id'), idx('anchorHeads_day', 'day', '_id')],
  },
  {
    name: 'policies',
    holds: 'Policies: issuer level, tags by need type and industry, effective dates.',
    indexes: [
      idx('policies_effectiveFrom', ['effectiveFrom', 'desc']),
      idx('policies_tags_effectiveFrom', 'tags', ['effectiveFrom', 'desc']),
      idx('policies_industries_effectiveFrom', 'industries', ['effectiveFrom', 'desc']),
    ],
  },
  {
    name: 'visits',
    holds: 'Task-force check-ins (keyed by member and clientKey): position, photos, checklist.',
    indexes: [
      idx('visits_enterpriseId_createdAt', 'enterpriseId', ['createdAt', 'desc'], ['_id', 'desc']),
      idx('visits_taskForceId_createdAt', 'taskForceId', ['createdAt', 'desc'], ['_id', 'desc']),
      idx('visits_createdAt', ['createdAt', 'desc'], ['_id', 'desc']),
      // The orphan-upload sweep asks which of a page of uploads a visit names.
      idx('visits_photos', 'photos'),
    ],
  },
  { name: 'statusReports', holds: "Each enterprise's resumption reports over time (the ledger).", indexes: [idx('statusReports_enterpriseId_at', 'enterpriseId', ['at', 'desc'])] },
  {
    name: 'holidays',
    holds: "The holiday calendar, keyed by day 'YYYY-MM-DD': statutory holidays and make-up working days (docs/sla.md).",
    indexes: [idx('holidays_kind_id', 'kind', '_id')],
  },
  {
    name: 'ledgerDays',
    holds: "The ledger's figures at the end of each China-time day, for the district and per zone, written by the scheduler (ledger.trend, the weekly 专报).",
    indexes: [idx('ledgerDays_date', 'date')],
  },
  { name: 'digests', holds: 'Daily digests already sent (one per head and China-time day).', indexes: [] },
  {
    name: 'uploads',
    holds: 'Files people uploaded (check-in photos, import sheets), until a record names them or the scheduler removes them.',
    indexes: [idx('uploads_kind_createdAt', 'kind', 'createdAt', '_id')],
  },
  {
    name: 'pendingMessages',
    holds: 'Subscribe messages whose send failed for a reason that may pass, until the scheduler sends them again (at most 5 attempts).',
    indexes: [idx('pendingMessages_state_nextAt', 'state', 'nextAt')],
  },
  {
    name: 'rateLimits',
    holds: 'Per-caller, per-action counters for the current minute (the scheduler removes spent ones).',
    // The housekeeping walks the counters oldest minute first.
    indexes: [idx('rateLimits_minute', 'minute')],
  },
] as const satisfies readonly CollectionDecl[];

export type CollectionName = (typeof COLLECTIONS)[number]['name'];

export const COLLECTION_NAMES: readonly CollectionName[] = COLLECTIONS.map((c) => c.name);
