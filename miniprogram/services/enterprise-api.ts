/**
 * The enterprise's resumption report and policy matching. Kept apart from
 * services/api.ts so this part of the contract lives with the pages that use
 * it; it goes through the same `call`, so envelope and errors are the shared ones.
 */
import type { Enterprise, NeedType } from '../../typings/api';
import { call } from './api';

/** What the enterprise reports about its resumption (复工状态). */
export interface StatusInput {
  employeesTotal: number;
  employeesBack: number;
  capacityPercent: number;
  resumed: boolean;
  difficulties?: string;
}

export interface LatestStatus extends StatusInput {
  at: string;
}

export interface StatusReport extends LatestStatus {
  id: string;
  enterpriseId: string;
}

/** enterprise.get may carry the last report, so home and the form need no second call. */
export type EnterpriseWithStatus = Enterprise & { latestStatus?: LatestStatus | null };

export type PolicyLevel = 'national' | 'city' | 'district';

export interface Policy {
  id: string;
  title: string;
  level: PolicyLevel;
  summary: string;
  tags: NeedType[];
  industries: string[];
  effectiveFrom: string;
  effectiveTo?: string;
  link?: string;
}

export interface MatchedPolicy extends Policy {
  matched: boolean;
  /** 'industry' or 'need:<type>'. */
  reasons: string[];
}

export interface PolicyQuery {
  q?: string;
  tag?: NeedType;
}

export const enterpriseApi = {
  getEnterprise: () => call<EnterpriseWithStatus>('enterprise', 'get'),
  reportStatus: (input: StatusInput) => call<StatusReport>('enterprise', 'reportStatus', input),
  matchedPolicies: () => call<{ items: MatchedPolicy[] }>('policy', 'matched'),
  // Empty filters are left out so the server sees only what the user typed.
  listPolicies: (query: PolicyQuery = {}) =>
    call<{ items: Policy[] }>('policy', 'list', {
      ...(query.q ? { q: query.q } : {}),
      ...(query.tag ? { tag: query.tag } : {}),
    }),
};
