/**
 * The lifecycle of a need (spec: "Lifecycle of a need") as ONE table: for
 * each action, the states it may start from, the state it leads to, and who
 * may take it. The handlers check it through `authorize`, `need.get` answers
 * `allowedActions` from the same function (so a button never offers what the
 * server would refuse), the scheduler sweeps the states it names, and
 * docs/lifecycle.md carries `renderLifecycleTable()` (a test keeps them equal).
 *
 * Pure: no database, no clock. Anything not allowed here is refused —
 * FORBIDDEN when the caller may not act on this need in that capacity,
 * FAILED_PRECONDITION when the need is in the wrong state, CONFLICT for a
 * claim on a need someone already holds. Claims, fulfilments and transfers
 * are refused (FORBIDDEN) on a need of the caller's own enterprise or one the
 * caller raised: nobody handles their own request.
 */
import type { NeedAction, NeedStatus } from '../../typings/api';
import { AppError, conflict, forbidden, precondition } from '../core/errors';
import { NEED_STATUS_LABELS } from '../../typings/labels';
import { UNRESOLVED } from '../../typings/statuses';

/**
 * In what capacity someone acts on a need:
 * - `claimer`: holds the claim and is (still) a handler of the need's unit;
 * - `unitHandler`: a handler of the need's unit while nobody holds it;
 * - `unitHead`: head of the need's unit;
 * - `owner`: the enterprise the need belongs to;
 * - `admin`;
 * - `system`: the scheduler.
 */
export type Actor = 'claimer' | 'unitHandler' | 'unitHead' | 'owner' | 'admin' | 'system';

export interface LifecycleRule {
  from: readonly NeedStatus[];
  to: NeedStatus | 'same';
  who: readonly Actor[];
  /** What people read in docs/lifecycle.md. */
  does: string;
  /** A further condition, with the refusal people read and what docs/lifecycle.md says of it. */
  unless?: { test: (need: NeedLike, caller: Caller) => boolean; message: string; doc: string };
  /** Separation of duties: never on a need of the caller's own enterprise or one they raised themselves (FORBIDDEN). */
  notOwn?: true;
}

/** The fields of a need the table looks at: a stored need or the API's view of it. */
export interface NeedLike {
  status: NeedStatus;
  unitCode: string;
  enterpriseId: string;
  claimedBy?: string | null;
  rejectFinal?: boolean;
  /** Who raised it (a stored need has it; the API's view does not, and then only the enterprise is compared). */
  createdBy?: string;
}

/** A lease runs in these states (it is paused while waiting on the enterprise). */
const LEASED = ['claimed', 'in_progress'] as const;

/** A claimer holds the need in these states: a second claim is a CONFLICT, not a wrong state. */
export const HOLDING: readonly NeedStatus[] = ['claimed', 'in_progress', 'waiting'];

/** A remainder still owes its items in these states (a rejected one waits at triage unless the refusal was final). */
const REMAINDER_OPEN = UNRESOLVED;

const FINAL_REFUSAL = {
  test: (need: NeedLike) => need.status === 'rejected' && !!need.rejectFinal,
  message: '该需求已被最终退回',
  doc: 'triage refused it for good',
};

export const LIFECYCLE = {
  claim: {
    from: ['routed', 'rejected'],
    to: 'claimed',
    who: ['unitHandler'],
    does: 'takes the need under a lease (one claimer wins); a rejected need only at triage',
    notOwn: true,
    unless: {
      test: (need) => need.status === 'rejected' && !!need.rejectFinal,
      message: '该需求已被最终退回，不能认领',
      doc: 'triage refused it for good',
    },
  },
  renew: { from: LEASED, to: 'same', who: ['claimer'], does: 'starts a fresh lease' },
  release: { from: LEASED, to: 'routed', who: ['claimer'], does: 'gives the need back to the queue' },
  breakClaim: {
    from: LEASED,
    to: 'routed',
    who: ['unitHead', 'admin'],
    does: 'ends someone else’s claim; the claimer is told',
    unless: { test: (need, caller) => need.claimedBy === caller.openid, message: '这是您自己的认领，请选择放弃认领', doc: 'it is their own claim (they release it)' },
  },
  progress: { from: LEASED, to: 'in_progress', who: ['claimer'], does: 'records progress and starts a fresh lease' },
  wait: { from: LEASED, to: 'waiting', who: ['claimer'], does: 'asks the enterprise a question; the SLA clock pauses' },
  contacted: {
    from: ['routed', 'claimed', 'in_progress', 'waiting', 'rejected'],
    to: 'same',
    who: ['claimer', 'unitHandler'],
    does: 'records that the handler phoned the enterprise (first response); before a claim any handler of the unit may call',
    unless: {
      test: (need) => need.status === 'rejected' && !!need.rejectFinal,
      message: '该需求已被最终退回，无需再联系企业',
      doc: 'triage refused it for good',
    },
  },
  answer: { from: ['waiting'], to: 'in_progress', who: ['owner'], does: 'answers the question; the SLA clock resumes, fresh lease' },
  fulfil: {
    from: LEASED,
    to: 'fulfilled',
    who: ['claimer'],
    does: 'delivers (partly, for supplies: the rest becomes a new linked need; a loan records the amount granted)',
    notOwn: true,
  },
  transfer: {
    from: ['routed', 'claimed', 'in_progress', 'rejected'],
    to: 'routed',
    who: ['claimer', 'unitHandler'],
    does: 'hands the need to another unit, with the reason',
    notOwn: true,
  },
  reject: {
    from: ['routed', 'claimed', 'in_progress'],
    to: 'rejected',
    who: ['claimer', 'unitHandler'],
    does: 'refuses with a reason; the need goes to federation triage (final when triage refuses)',
  },
  cancel: { from: ['routed', 'claimed', 'in_progress', 'waiting'], to: 'cancelled', who: ['owner'], does: 'withdraws the need before fulfilment' },
  confirm: { from: ['fulfilled'], to: 'confirmed', who: ['owner'], does: 'confirms and rates 1–5' },
  reopen: { from: ['fulfilled'], to: 'in_progress', who: ['owner'], does: 'sends it back to its handler, with the reason, under a fresh lease' },
  expireLease: { from: LEASED, to: 'routed', who: ['system'], does: 'lease expiry: the need returns to the queue, the claimer is told' },
  escalate: {
    from: ['routed', 'claimed', 'in_progress'],
    to: 'same',
    who: ['system'],
    does: 'escalation past the SLA: a flag, heads and admins are told (a waiting need’s clock is paused)',
  },
  shrinkRemainder: {
    from: REMAINDER_OPEN,
    to: 'same',
    who: ['system'],
    does: 'the parent (reopened) delivered part of what this remainder owes: its items shrink to what is still owed',
    unless: FINAL_REFUSAL,
  },
  settleRemainder: {
    from: REMAINDER_OPEN,
    to: 'cancelled',
    who: ['system'],
    does: 'the parent (reopened) delivered all this remainder owed: it closes, owing nothing',
    unless: FINAL_REFUSAL,
  },
} as const satisfies Record<string, LifecycleRule>;

export type LifecycleAction = keyof typeof LIFECYCLE;

const rule = (action: LifecycleAction): LifecycleRule => LIFECYCLE[action];

/** The states an action starts from, for the scheduler's sweeps. */
export function statesFor(action: LifecycleAction): NeedStatus[] {
  return [...rule(action).from];
}

/** Where an action leads from this need's state. */
export function targetOf(action: LifecycleAction, need: NeedLike): NeedStatus {
  const to = rule(action).to;
  return to === 'same' ? need.status : to;
}

/** Who is asking, in the terms the table needs: all of it known without a read. */
export interface Caller {
  openid: string;
  /** Units whose queue the caller works (`handlerUnits`). */
  handlerUnits: readonly string[];
  headOf: readonly string[];
  admin: boolean;
  enterpriseId?: string;
  system?: boolean;
}

/** Every capacity the caller holds towards this need. */
export function actorsOf(need: NeedLike, caller: Caller): Set<Actor> {
  const out = new Set<Actor>();
  if (caller.system) out.add('system');
  const handler = caller.handlerUnits.includes(need.unitCode);
  if (handler && need.claimedBy && need.claimedBy === caller.openid) out.add('claimer');
  if (handler && !need.claimedBy) out.add('unitHandler');
  if (caller.headOf.includes(need.unitCode)) out.add('unitHead');
  if (caller.admin) out.add('admin');
  if (caller.enterpriseId && caller.enterpriseId === need.enterpriseId) out.add('owner');
  return out;
}

/** Whether the caller is within reach of the need for this kind of action at all (its unit, the enterprise…). */
function inScope(need: NeedLike, caller: Caller, who: readonly Actor[]): boolean {
  const handler = caller.handlerUnits.includes(need.unitCode);
  return who.some((a) => {
    switch (a) {
      case 'claimer':
      case 'unitHandler':
        return handler;
      case 'unitHead':
        return handler || caller.headOf.includes(need.unitCode);
      case 'owner':
        return !!caller.enterpriseId && caller.enterpriseId === need.enterpriseId;
      case 'admin':
        return caller.admin;
      case 'system':
        return !!caller.system;
      default: {
        const never: never = a;
        return never;
      }
    }
  });
}

const BREAK_MESSAGE = '只有本单位负责人或管理员可以解除认领';

export const OWN_NEED_MESSAGE = '不能认领、办结或转办本企业或本人提出的需求';

/** The need was raised by the caller's own enterprise, or by the caller (a task-force visit, say). */
export function isOwnNeed(need: NeedLike, caller: Caller): boolean {
  return (!!caller.enterpriseId && caller.enterpriseId === need.enterpriseId) || (!!need.createdBy && need.createdBy === caller.openid);
}

function outOfScope(who: readonly Actor[]): string {
  if (who.includes('owner')) return '只能处理本企业的需求';
  if (who.includes('unitHead')) return BREAK_MESSAGE;
  return '该需求不属于您所在单位';
}

/**
 * The one check every transition makes. In order: out of reach of the need
 * (another unit, another enterprise) is FORBIDDEN; the wrong state is
 * FAILED_PRECONDITION (a claim on a held need, CONFLICT); then the capacity
 * (only the claimer works a claimed need) is FORBIDDEN; then the rule's own
 * condition.
 */
export function authorize(action: LifecycleAction, need: NeedLike, caller: Caller): void {
  const r = rule(action);
  if (!inScope(need, caller, r.who)) throw forbidden(outOfScope(r.who));
  if (r.notOwn && isOwnNeed(need, caller)) throw forbidden(OWN_NEED_MESSAGE);
  if (!r.from.includes(need.status)) {
    if (action === 'claim' && HOLDING.includes(need.status)) throw conflict('该需求已被他人认领');
    throw precondition(`需求${NEED_STATUS_LABELS[need.status]}，不能执行此操作`);
  }
  const actors = actorsOf(need, caller);
  if (!r.who.some((a) => actors.has(a))) {
    if (r.who.includes('unitHead')) throw forbidden(BREAK_MESSAGE);
    if (need.claimedBy && need.claimedBy !== caller.openid) throw forbidden('只有认领人可以办理该需求');
    throw forbidden('您不能办理该需求');
  }
  if (r.unless?.test(need, caller)) throw precondition(r.unless.message);
}

/** `authorize`, then where the action leads: what every handler's decision starts from. */
export function step(action: LifecycleAction, need: NeedLike, caller: Caller): NeedStatus {
  authorize(action, need, caller);
  return targetOf(action, need);
}

/** Whether `authorize` would let the caller take the action now. */
export function allows(action: LifecycleAction, need: NeedLike, caller: Caller): boolean {
  try {
    authorize(action, need, caller);
    return true;
  } catch (err) {
    if (err instanceof AppError) return false;
    throw err;
  }
}

/** Actions people take (the scheduler's are not offered to anyone). */
export const PERSON_ACTIONS = (Object.keys(LIFECYCLE) as LifecycleAction[]).filter(
  (a): a is NeedAction => !(rule(a).who as readonly Actor[]).every((w) => w === 'system'),
);

// The contract's NeedAction (typings/api.ts) is exactly the table's actions people take: a new row fails here until both agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const contractMatchesTable: Same<NeedAction, Exclude<LifecycleAction, 'expireLease' | 'escalate' | 'shrinkRemainder' | 'settleRemainder'>> = true;
void contractMatchesTable;

/** `need.get`'s allowedActions: what this caller may do with this need now, in the table's order. */
export function allowedActions(need: NeedLike, caller: Caller): NeedAction[] {
  return PERSON_ACTIONS.filter((a) => allows(a, need, caller));
}

// ---- the table for people (docs/lifecycle.md) --------------------------------

const WHO_WORDS: Record<Actor, string> = {
  claimer: 'the claimer',
  unitHandler: 'a handler of the unit (nobody holds it)',
  unitHead: 'the unit’s head',
  owner: 'the enterprise',
  admin: 'an admin',
  system: 'the scheduler',
};

export const TABLE_START = '<!-- lifecycle table: generated from server/needs/lifecycle.ts -->';
export const TABLE_END = '<!-- end of lifecycle table -->';

/** The state diagram: one arrow per (from, to) pair, labelled with every action that draws it. */
function renderDiagram(): string {
  const edges = new Map<string, string[]>();
  for (const action of Object.keys(LIFECYCLE) as LifecycleAction[]) {
    const r = rule(action);
    for (const from of r.from) {
      const key = `${from} --> ${r.to === 'same' ? from : r.to}`;
      edges.set(key, [...(edges.get(key) ?? []), action]);
    }
  }
  const lines = ['    [*] --> routed: submit (routed by the rules)', ...[...edges].map(([edge, actions]) => `    ${edge}: ${actions.join(' / ')}`)];
  return ['```mermaid', 'stateDiagram-v2', ...lines, '    confirmed --> [*]', '    cancelled --> [*]', '```'].join('\n');
}

/** What docs/lifecycle.md carries between TABLE_START and TABLE_END: the diagram and the table. */
export function renderLifecycleTable(): string {
  const rows = (Object.keys(LIFECYCLE) as LifecycleAction[]).map((action) => {
    const r = rule(action);
    const from = r.from.map((s) => `\`${s}\``).join(', ');
    const to = r.to === 'same' ? 'unchanged' : `\`${r.to}\``;
    const who = r.who.map((w) => WHO_WORDS[w]).join(' or ');
    const unless = [r.unless ? `; not when ${r.unless.doc}` : '', r.notOwn ? '; never on a need of their own enterprise or raised by themselves' : ''].join('');
    return `| \`${action}\` | ${from} | ${to} | ${who} | ${r.does}${unless} |`;
  });
  return [TABLE_START, '', renderDiagram(), '', '| action | from | to | who | what it does |', '|---|---|---|---|---|', ...rows, '', TABLE_END].join('\n');
}
