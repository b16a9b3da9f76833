/**
 * routePreview is the routing decision: for every seeded rule, and for a need
 * no rule matches, the preview names the unit and every SLA term that a real
 * submission from such an enterprise gets.
 */
import { masks, startHarness, type Harness } from './harness';
import { forgetDistrict } from '../../server/config/district';

const ADMIN = 'demo-admin';
const OWNER = 'demo-hualun';
const ENTERPRISE = 'ent-hualun';

/** A valid submission of each type, as the owner's form sends it. */
const PAYLOADS: Record<string, Record<string, unknown>> = {
  supplies: masks(500),
  financing: { type: 'financing', amountWan: 50, purpose: '复工周转', termMonths: 12 },
  hiring: { type: 'hiring', positions: [{ title: '普工', count: 5 }] },
  rent: { type: 'rent', landlord: '建桥园区', areaSqm: 800, monthlyRentYuan: 20000 },
  utilities: { type: 'utilities', utility: 'power', issue: '复工后需要增容' },
  logistics: { type: 'logistics', from: '大渡口', to: '九龙坡', goods: '齿轮配件' },
  legal: { type: 'legal', topic: '劳动合同', description: '复工后的劳动合同怎么续签' },
  health: { type: 'health', headcount: 40, preferredDate: '2026-03-06' },
  policy: { type: 'policy', question: '社保能缓缴吗？' },
  other: { type: 'other', description: '厂区消毒需要指导' },
};

/** What a route decision promises: where the need goes and on what terms. */
const TERMS = ['unitCode', 'ruleId', 'slaHours', 'firstResponseHours', 'resolutionWorkdays', 'reason'] as const;
const termsOf = (d: Record<string, unknown>) => Object.fromEntries(TERMS.map((k) => [k, d[k] ?? null]));

let h: Harness;
let seq = 0;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

/** The preview, and the route a submission of the same kind from an enterprise with these attributes records. */
async function both(subject: { type: string; industry: string; zone: string; chamberCodes: string[] }) {
  const preview = await h.ok('admin', 'routePreview', subject, ADMIN);
  await h.db.collection('enterprises').doc(ENTERPRISE).update({ data: { industry: subject.industry, zone: subject.zone, chamberCodes: h.db.command.set(subject.chamberCodes) } });
  const submitted = await h.ok('need', 'submit', { ...PAYLOADS[subject.type], clientKey: `route-preview-${String(++seq).padStart(6, '0')}` }, OWNER);
  const { data } = await h.db.collection('needs').doc(submitted.needs[0].id).get();
  const need = Array.isArray(data) ? data[0] : data;
  // The next submission of the same type is not held back as a duplicate of this one.
  await h.ok('need', 'cancel', { id: need._id, reason: '测试' }, OWNER);
  return { preview: termsOf(preview), submitted: termsOf(need.route) };
}

test('for every rule the district is set up with, the preview is the decision a submission gets', async () => {
  const listed = await h.ok('admin', 'listRules', {}, ADMIN);
  const rules = (Array.isArray(listed) ? listed : listed.items) as Array<{ id?: string; _id?: string; match: Record<string, string | undefined> }>;
  expect(rules.length).toBeGreaterThan(10);
  for (const rule of rules) {
    const m = rule.match;
    // The rule's own conditions, on an enterprise that matches nothing earlier by chance of its attributes.
    const subject = {
      type: m.type!,
      industry: m.industry ?? 'manufacturing',
      zone: m.zone ?? 'jianqiao-c',
      chamberCodes: m.chamberMember ? [m.chamberMember] : [],
    };
    const { preview, submitted } = await both(subject);
    const id = rule.id ?? rule._id;
    expect({ rule: id, preview }).toEqual({ rule: id, preview: submitted });
    expect(preview.ruleId).toBe(id);
  }
});

test('no rule matches: the preview carries the triage unit and all of its SLA terms, as the submission does', async () => {
  // Triage terms unlike any rule's, so that a preview built from other terms would show.
  await h.ok('admin', 'saveSettings', { triageSlaHours: 30, triageFirstResponseHours: 3, triageResolutionWorkdays: 4 }, ADMIN);
  await h.db.collection('routingRules').doc('other-default').remove();
  forgetDistrict(h.db);
  const { preview, submitted } = await both({ type: 'other', industry: 'manufacturing', zone: 'jianqiao-c', chamberCodes: [] });
  expect(preview).toEqual(submitted);
  expect(preview).toMatchObject({ ruleId: null, slaHours: 30, firstResponseHours: 3, resolutionWorkdays: 4 });
});
