/**
 * A need's statuses, declared once, and the named sets the code asks about,
 * for the pages and the functions alike (it sits under miniprogram/ because
 * WeChat loads only files under miniprogramRoot; typings/statuses.ts
 * re-exports it for the server). Keep it free of wx APIs.
 * The union type comes from the tuple, so a status added here reaches every
 * `Record<NeedStatus, …>` (the compiler names the places to decide). "Open"
 * meant three things before; each set is named for the question it answers.
 * The sets are plain arrays because database queries take them as they are
 * (`_.in(IN_HAND)`); nothing writes to them.
 */
export const NEED_STATUSES = ['routed', 'claimed', 'in_progress', 'waiting', 'fulfilled', 'confirmed', 'rejected', 'cancelled'] as const;

export type NeedStatus = (typeof NEED_STATUSES)[number];

/** Every status, for a query that must pin the status field of an index while ranging over another. */
export const ALL_STATUSES: NeedStatus[] = [...NEED_STATUSES];

/** Work a unit has in hand: in a queue, claimed, being handled or waiting for the enterprise's answer. */
export const IN_HAND: NeedStatus[] = ['routed', 'claimed', 'in_progress', 'waiting'];

/** Not resolved yet, as the enterprise and the ledger see it: in hand, or refused and awaiting the federation's triage. */
export const UNRESOLVED: NeedStatus[] = [...IN_HAND, 'rejected'];

/** Held by a claimer: claimed, being handled, or waiting for the enterprise's answer. */
export const HELD: NeedStatus[] = ['claimed', 'in_progress', 'waiting'];

/** Delivered: the handler finished it, and perhaps the enterprise confirmed it. */
export const DELIVERED: NeedStatus[] = ['fulfilled', 'confirmed'];

/** Waiting for someone to take it: new in a queue, or refused back to the federation's triage. */
export const TO_CLAIM: NeedStatus[] = ['routed', 'rejected'];
