/**
 * The routing engine: a pure function of (need, enterprise, rules), so it can
 * be tested and previewed without a database. Rules are data, ordered; the
 * first whose every stated condition holds wins; no match goes to the
 * federation's triage unit.
 */
import type { IndustryCode, NeedType, RouteDecision } from '../../typings/api';
import { DEFAULT_FIRST_RESPONSE_HOURS } from '../sla/due';

export interface RuleMatch {
  type: NeedType;
  industry?: IndustryCode;
  zone?: string;
  /** Matches when the enterprise is a member of this chamber. */
  chamberMember?: string;
}

export interface RoutingRule {
  _id: string;
  order: number;
  match: RuleMatch;
  unitCode: string;
  /** Calendar hours to resolve: the rule's whole SLA before working days existed, the fallback since. */
  slaHours: number;
  /** Calendar hours within which the handler must first contact the enterprise (docs/sla.md). */
  firstResponseHours?: number;
  /** Working days to resolve, counted with the holiday calendar; absent, `slaHours` applies. */
  resolutionWorkdays?: number;
  enabled?: boolean;
  note?: string;
}

export interface RoutingSubject {
  type: NeedType;
  industry: IndustryCode;
  zone: string;
  chamberCodes: string[];
}

export interface TriageDefault {
  unitCode: string;
  slaHours: number;
  firstResponseHours?: number;
  resolutionWorkdays?: number;
}

/** The two SLA terms a decision carries, only where stated (a decision is stored on the need as written). */
function terms(from: { firstResponseHours?: number; resolutionWorkdays?: number }) {
  return {
    firstResponseHours: from.firstResponseHours ?? DEFAULT_FIRST_RESPONSE_HOURS,
    ...(from.resolutionWorkdays ? { resolutionWorkdays: from.resolutionWorkdays } : {}),
  };
}

function matches(rule: RoutingRule, s: RoutingSubject): boolean {
  const m = rule.match;
  return (
    m.type === s.type &&
    (m.industry === undefined || m.industry === s.industry) &&
    (m.zone === undefined || m.zone === s.zone) &&
    (m.chamberMember === undefined || s.chamberCodes.includes(m.chamberMember))
  );
}

export function route(subject: RoutingSubject, rules: RoutingRule[], triage: TriageDefault): RouteDecision {
  const ordered = rules.filter((r) => r.enabled !== false).sort((a, b) => a.order - b.order || a._id.localeCompare(b._id));
  const rule = ordered.find((r) => matches(r, subject));
  if (!rule) {
    return { unitCode: triage.unitCode, ruleId: null, slaHours: triage.slaHours, ...terms(triage), reason: '无匹配规则，转工商联分诊' };
  }
  return { unitCode: rule.unitCode, ruleId: rule._id, slaHours: rule.slaHours, ...terms(rule), reason: rule.note ?? '按分派规则' };
}
