/**
 * The Dadukou (大渡口区) demo: units, zones, task forces, routing, enterprises
 * and people named in the source report. Data only; `seed/index.ts` loads it.
 */
import type { IndustryCode, NeedType, Role } from '../../typings/api';
import { creditCodeCheckChar } from '../enterprises/creditCode';

export const UNITS: Array<{ _id: string; name: string; kind: string; order: number }> = [
  { _id: 'fic', name: '区工商联', kind: 'federation', order: 1 },
  { _id: 'fic-finance', name: '区工商联金融服务台', kind: 'desk', order: 2 },
  { _id: 'fic-supply-pool', name: '区工商联物资统筹池', kind: 'pool', order: 3 },
  { _id: 'hrss', name: '区人力资源社保局', kind: 'department', order: 4 },
  { _id: 'ndrc', name: '区发展改革委', kind: 'department', order: 5 },
  { _id: 'commerce', name: '区商务委', kind: 'department', order: 6 },
  { _id: 'finance-bureau', name: '区财政局', kind: 'department', order: 7 },
  { _id: 'chamber-pharma', name: '区医药商会', kind: 'chamber', order: 10 },
  { _id: 'chamber-catering', name: '区餐饮商会', kind: 'chamber', order: 11 },
  { _id: 'chamber-beauty', name: '区美容美发商会', kind: 'chamber', order: 12 },
  { _id: 'chamber-advertising', name: '区广告商会', kind: 'chamber', order: 13 },
  { _id: 'chamber-tcm-rehab', name: '区中医康复服务商会', kind: 'chamber', order: 14 },
  { _id: 'chamber-zhejiang', name: '区浙江商会', kind: 'chamber', order: 15 },
  { _id: 'assoc-women-entrepreneurs', name: '区女企业家协会', kind: 'association', order: 16 },
  { _id: 'assoc-micro', name: '区微型企业协会', kind: 'association', order: 17 },
  { _id: 'fic-youth', name: '区工商联青年企业家委员会', kind: 'association', order: 18 },
  { _id: 'bank-ccb', name: '建设银行大渡口支行', kind: 'bank', order: 20 },
  { _id: 'bank-bocom', name: '交通银行大渡口支行', kind: 'bank', order: 21 },
  { _id: 'bank-boc', name: '中国银行大渡口支行', kind: 'bank', order: 22 },
  { _id: 'legal-service', name: '民主党派法律服务团', kind: 'legal', order: 30 },
  { _id: 'health-check', name: '重庆迪安检测（员工健康检查）', kind: 'health', order: 31 },
];

export const ZONES: Array<{ _id: string; name: string; kind: 'park' | 'street' | 'town'; order: number }> = [
  { _id: 'jianqiao-a', name: '建桥园区A区', kind: 'park', order: 1 },
  { _id: 'jianqiao-b', name: '建桥园区B区', kind: 'park', order: 2 },
  { _id: 'jianqiao-c', name: '建桥园区C区', kind: 'park', order: 3 },
  { _id: 'xinshancun', name: '新山村街道', kind: 'street', order: 4 },
  { _id: 'yuejincun', name: '跃进村街道', kind: 'street', order: 5 },
  { _id: 'jiugongmiao', name: '九宫庙街道', kind: 'street', order: 6 },
  { _id: 'qiezixi', name: '茄子溪街道', kind: 'street', order: 7 },
  { _id: 'chunhuilu', name: '春晖路街道', kind: 'street', order: 8 },
  { _id: 'baqiao', name: '八桥镇', kind: 'town', order: 9 },
  { _id: 'jiansheng', name: '建胜镇', kind: 'town', order: 10 },
  { _id: 'tiaodeng', name: '跳磴镇', kind: 'town', order: 11 },
];

const LEADS = ['民革区委会', '民盟区委会', '民建区委会', '民进区委会', '农工党区委会', '致公党区支部', '九三学社区支社', '区工商联', '区经济信息委', '区商务委', '区发展改革委', '区人力社保局', '区市场监管局', '区卫生健康委'];
const TF_ZONES = ['jianqiao-a', 'jianqiao-c', 'jianqiao-b', 'xinshancun', 'yuejincun', 'jiugongmiao', 'qiezixi', 'chunhuilu', 'baqiao', 'jiansheng', 'tiaodeng', 'jianqiao-a', 'jianqiao-b', 'chunhuilu'];

/** 14 task forces; tf-02 is the 建桥C区专班 led by 民盟 (the report's example). */
export const TASK_FORCES = LEADS.map((lead, i) => {
  const n = String(i + 1).padStart(2, '0');
  const zone = ZONES.find((z) => z._id === TF_ZONES[i])!;
  return { _id: `tf-${n}`, name: `${zone.name.replace('园区', '')}专班（${lead}）`, leadOrg: lead, zoneCodes: [zone._id], order: i + 1 };
});

const SLA_HOURS: Record<NeedType, number> = {
  supplies: 24,
  financing: 72,
  hiring: 72,
  rent: 120,
  utilities: 48,
  logistics: 24,
  legal: 72,
  health: 72,
  policy: 48,
  other: 48,
};

type Rule = { _id: string; order: number; match: Record<string, string>; unitCode: string; slaHours: number; note: string };

const supplyRules: Rule[] = [
  ...['chamber-pharma', 'chamber-catering', 'chamber-beauty', 'chamber-zhejiang'].map((c, i) => ({
    _id: `supplies-member-${c}`,
    order: 10 + i,
    match: { type: 'supplies', chamberMember: c },
    unitCode: c,
    slaHours: SLA_HOURS.supplies,
    note: '本会会员企业的物资需求由本商会承接',
  })),
  ...([['medical', 'chamber-pharma'], ['catering', 'chamber-catering'], ['beauty', 'chamber-beauty']] as const).map(([industry, c], i) => ({
    _id: `supplies-industry-${industry}`,
    order: 20 + i,
    match: { type: 'supplies', industry },
    unitCode: c,
    slaHours: SLA_HOURS.supplies,
    note: '按行业对口商会承接',
  })),
  { _id: 'supplies-pool', order: 30, match: { type: 'supplies' }, unitCode: 'fic-supply-pool', slaHours: SLA_HOURS.supplies, note: '其余物资需求进入工商联物资统筹池' },
];

const DEFAULT_ROUTES: Array<[NeedType, string, string]> = [
  ['financing', 'fic-finance', '融资需求先到工商联金融服务台，再对接银行'],
  ['hiring', 'hrss', '招工需求由区人力资源社保局承接'],
  ['rent', 'ndrc', '房租减免由区发展改革委承接'],
  ['utilities', 'ndrc', '水电气问题由区发展改革委承接'],
  ['logistics', 'commerce', '物流运输由区商务委承接'],
  ['legal', 'legal-service', '法律服务由民主党派法律服务团承接'],
  ['health', 'health-check', '员工健康检查由检测机构承接'],
  ['policy', 'fic', '政策咨询由区工商联答复'],
  ['other', 'fic', '其他困难由区工商联分诊'],
];

export const ROUTING_RULES: Rule[] = [
  ...supplyRules,
  ...DEFAULT_ROUTES.map(([type, unitCode, note], i) => ({
    _id: `${type}-default`,
    order: 100 + i,
    match: { type },
    unitCode,
    slaHours: SLA_HOURS[type],
    note,
  })),
];

/** A valid credit code from a 17-character body (GB 32100-2015 check digit appended). */
export const withCheck = (body: string) => body + creditCodeCheckChar(body);

export interface SeedEnterprise {
  name: string;
  body: string;
  industry: IndustryCode;
  zone: string;
  address: string;
  lat: number;
  lng: number;
  contactName: string;
  contactPhone: string;
  employees: number;
  chamberCodes: string[];
  owner: string;
  verified: boolean;
}

export const ENTERPRISES: SeedEnterprise[] = [
  { name: '重庆秋田齿轮有限公司', body: '91500104MA5U7QTC1', industry: 'manufacturing', zone: 'jianqiao-c', address: '大渡口区建桥工业园C区', lat: 29.4517, lng: 106.4632, contactName: '李建国', contactPhone: '13908310001', employees: 320, chamberCodes: [], owner: 'demo-enterprise', verified: true },
  { name: '重庆华伦医疗实业有限公司', body: '91500104MA5UHLYL2', industry: 'medical', zone: 'jianqiao-a', address: '大渡口区建桥工业园A区', lat: 29.4602, lng: 106.4701, contactName: '王芳', contactPhone: '13908310002', employees: 180, chamberCodes: ['chamber-pharma'], owner: 'demo-hualun', verified: true },
  { name: '重庆渝通机械有限公司', body: '91500104MA5UYTJX3', industry: 'manufacturing', zone: 'jianqiao-b', address: '大渡口区建桥工业园B区', lat: 29.4555, lng: 106.4588, contactName: '张伟', contactPhone: '13908310003', employees: 210, chamberCodes: [], owner: 'seed-owner-yutong', verified: true },
  { name: '重庆中元汇吉生物技术有限公司', body: '91500104MA5UGYHJ4', industry: 'medical', zone: 'jianqiao-c', address: '大渡口区建桥工业园C区', lat: 29.4531, lng: 106.4655, contactName: '陈静', contactPhone: '13908310004', employees: 450, chamberCodes: ['chamber-pharma'], owner: 'seed-owner-zhongyuan', verified: false },
  { name: '重庆精耕企业管理咨询有限公司', body: '91500104MA5UJGQY5', industry: 'services', zone: 'chunhuilu', address: '大渡口区春晖路街道', lat: 29.4848, lng: 106.4822, contactName: '刘洋', contactPhone: '13908310005', employees: 25, chamberCodes: ['assoc-micro'], owner: 'seed-owner-jinggeng', verified: true },
  { name: '重庆龙文集团有限公司', body: '91500104MA5ULWJT6', industry: 'logistics', zone: 'xinshancun', address: '大渡口区新山村街道', lat: 29.4905, lng: 106.4861, contactName: '赵磊', contactPhone: '13908310006', employees: 600, chamberCodes: [], owner: 'seed-owner-longwen', verified: true },
  { name: '重庆盎瑞悦科技有限公司', body: '91500104MA5UARYK7', industry: 'technology', zone: 'jianqiao-a', address: '大渡口区建桥工业园A区', lat: 29.4611, lng: 106.4689, contactName: '孙悦', contactPhone: '13908310007', employees: 90, chamberCodes: ['fic-youth'], owner: 'seed-owner-angruiyue', verified: true },
  { name: '重庆秋实房地产有限公司', body: '91500104MA5UQRFD8', industry: 'real_estate', zone: 'jiugongmiao', address: '大渡口区九宫庙街道', lat: 29.4782, lng: 106.4903, contactName: '周强', contactPhone: '13908310008', employees: 60, chamberCodes: [], owner: 'seed-owner-qiushi', verified: true },
  { name: '重庆万吨仓储有限公司', body: '91500104MA5UWDCC9', industry: 'logistics', zone: 'baqiao', address: '大渡口区八桥镇', lat: 29.4402, lng: 106.4521, contactName: '吴刚', contactPhone: '13908310009', employees: 150, chamberCodes: ['chamber-zhejiang'], owner: 'seed-owner-wandun', verified: false },
  { name: '大渡口区蓉城餐饮店', body: '92500104MA5URCCYX', industry: 'catering', zone: 'yuejincun', address: '大渡口区跃进村街道', lat: 29.4866, lng: 106.4766, contactName: '郑丽', contactPhone: '13908310010', employees: 18, chamberCodes: ['chamber-catering'], owner: 'seed-owner-rongcheng', verified: true },
];

export const DEMO_USERS: Array<{ _id: string; roles: Role[]; unitCodes: string[]; headOf: string[]; taskForceId?: string; enterprise?: string }> = [
  { _id: 'demo-admin', roles: ['admin'], unitCodes: [], headOf: [] },
  { _id: 'demo-enterprise', roles: ['enterprise'], unitCodes: [], headOf: [], enterprise: '重庆秋田齿轮有限公司' },
  { _id: 'demo-hualun', roles: ['enterprise'], unitCodes: [], headOf: [], enterprise: '重庆华伦医疗实业有限公司' },
  { _id: 'demo-taskforce', roles: ['taskforce'], unitCodes: [], headOf: [], taskForceId: 'tf-02' },
  { _id: 'demo-chamber-head', roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: ['chamber-pharma'] },
  { _id: 'demo-finance', roles: ['unit'], unitCodes: ['fic-finance'], headOf: [] },
  { _id: 'demo-hrss', roles: ['unit'], unitCodes: ['hrss'], headOf: [] },
];

export const POLICIES = [
  { _id: 'policy-cq-smes-2020', title: '重庆市支持中小企业共渡难关二十条', level: 'city', summary: '减免房租、缓缴社保、贷款贴息、稳岗返还等措施。', tags: ['rent', 'financing', 'hiring'], industries: [], effectiveFrom: '2020-02-08', effectiveTo: '2020-12-31' },
  { _id: 'policy-ddk-rent-2020', title: '大渡口区国有资产类经营用房租金减免办法', level: 'district', summary: '承租区属国有经营用房的中小微企业免收 2 个月、减半收取 3 个月租金。', tags: ['rent'], industries: ['catering', 'retail', 'services'], effectiveFrom: '2020-02-15', effectiveTo: '2020-06-30' },
  { _id: 'policy-loan-special-2020', title: '疫情防控重点保障企业专项再贷款', level: 'national', summary: '进入国家级疫情防控重点保障企业名单的企业可获优惠利率贷款。', tags: ['financing'], industries: ['medical', 'manufacturing'], effectiveFrom: '2020-02-07', effectiveTo: '2020-12-31' },
  { _id: 'policy-spring-breeze-2020', title: '春风行动暨就业援助月', level: 'district', summary: '区人社局开通政策答疑窗口，线上招聘会帮助企业招工。', tags: ['hiring'], industries: [], effectiveFrom: '2020-02-10', effectiveTo: '2020-04-30' },
  { _id: 'policy-utilities-2020', title: '阶段性降低企业用电用气成本', level: 'city', summary: '除高耗能行业外的企业电费按 95% 结算，非居民用气价格下调。', tags: ['utilities'], industries: [], effectiveFrom: '2020-02-01', effectiveTo: '2020-06-30' },
];
