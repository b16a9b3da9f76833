/** Demo data shaped like the Dadukou seed, for rendering pages. */
import type { Enterprise, EnterpriseOptions, Need, Session } from '../../../typings/api';

export const enterpriseSession: Session = {
  openid: 'demo-enterprise',
  roles: ['enterprise'],
  enterpriseId: 'ent-qiutian',
  unitCodes: [],
  headOf: [],
};

export const chamberHeadSession: Session = {
  openid: 'demo-chamber-head',
  roles: ['unit'],
  unitCodes: ['chamber-pharma'],
  headOf: ['chamber-pharma'],
};

export const options: EnterpriseOptions = {
  industries: [
    { code: 'manufacturing', name: '制造业' },
    { code: 'medical', name: '医药医疗' },
  ],
  zones: [
    { code: 'jianqiao-c', name: '建桥园区C区' },
    { code: 'bajiaoyuan', name: '八桥镇' },
  ],
  chambers: [
    { code: 'chamber-pharma', name: '区医药商会' },
    { code: 'chamber-zhejiang', name: '浙江商会' },
  ],
};

export const enterprise: Enterprise = {
  id: 'ent-qiutian',
  name: '重庆秋田齿轮有限公司',
  creditCode: '91500104MA5U4RXX3K',
  industry: 'manufacturing',
  zone: 'jianqiao-c',
  address: '重庆市大渡口区建桥工业园C区',
  location: { latitude: 29.4842, longitude: 106.4823 },
  contactName: '李经理',
  contactPhone: '13800000000',
  employees: 320,
  chamberCodes: [],
  verified: true,
  ownerOpenid: 'demo-enterprise',
  createdAt: '2020-02-10T02:00:00.000Z',
  updatedAt: '2020-02-10T02:00:00.000Z',
};

export function need(extra: Partial<Need> = {}): Need {
  return {
    id: 'need-1',
    type: 'supplies',
    status: 'routed',
    unitCode: 'chamber-pharma',
    unitName: '区医药商会',
    enterpriseId: 'ent-qiutian',
    enterpriseName: '重庆秋田齿轮有限公司',
    enterpriseVerified: true,
    submissionId: 'sub-1',
    route: { unitCode: 'chamber-pharma', ruleId: 'r1', slaHours: 48, reason: 'industry' },
    createdAt: '2020-02-12T01:30:00.000Z',
    updatedAt: '2020-02-12T01:30:00.000Z',
    dueAt: '2020-02-14T01:30:00.000Z',
    escalated: false,
    items: [{ kind: 'mask', quantity: 20000, unit: '个' }],
    neededBy: '2020-02-15T15:59:59.000Z',
    deliveryAddress: '重庆市大渡口区建桥工业园C区',
    timeline: [
      { at: '2020-02-12T01:30:00.000Z', actor: 'demo-enterprise', role: 'enterprise', from: null, to: 'routed', note: '分派至区医药商会' },
    ],
    ...extra,
  };
}

/** A supplies need fulfilled by the pharma chamber's head, awaiting the enterprise's confirmation. */
export const fulfilledNeed = need({
  status: 'fulfilled',
  claimedBy: 'demo-chamber-head',
  fulfilNote: '已送达 20000 个',
  timeline: [
    { at: '2020-02-12T01:30:00.000Z', actor: 'demo-enterprise', role: 'enterprise', from: null, to: 'routed', note: '分派至区医药商会' },
    { at: '2020-02-12T03:00:00.000Z', actor: 'demo-chamber-head', role: 'unit', from: 'routed', to: 'claimed' },
    { at: '2020-02-13T03:00:00.000Z', actor: 'demo-chamber-head', role: 'unit', from: 'claimed', to: 'fulfilled', note: '已送达 20000 个' },
  ],
});

/** A supplies need the chamber head (the demo handler) holds under a lease. */
export const claimedByHead = need({
  status: 'claimed',
  claimedBy: 'demo-chamber-head',
  leaseUntil: '2020-02-12T05:00:00.000Z',
  timeline: [
    { at: '2020-02-12T01:30:00.000Z', actor: 'system', role: 'system', from: null, to: 'routed' },
    { at: '2020-02-12T03:00:00.000Z', actor: 'demo-chamber-head', role: 'unit', from: 'routed', to: 'claimed' },
  ],
});
