/**
 * The routing engine: a pure function of (need, enterprise, rules), so it can
 * be tested and previewed without a database. Rules are data, ordered; the
 * first whose every stated condition holds wins; no match goes to the
 * federation's triage unit.
 */
import type { IndustryCode, NeedType, RouteDecision } from '../../typings/api';

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
  slaHours: number;
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
    return { unitCode: triage.unitCode, ruleId: null, slaHours: triage.slaHours, reason: '无匹配规则，转工商联分诊' };
  }
  return { unitCode: rule.unitCode, ruleId: rule._id, slaHours: rule.slaHours, reason: rule.note ?? '按分派规则' };
}
