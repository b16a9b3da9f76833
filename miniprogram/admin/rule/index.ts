/**
 * One routing rule: what a need must be (type, and optionally industry,
 * zone, chamber membership — each picked by name), the unit it goes to, and
 * its two time limits. 「试一试」 opens the route preview set to this rule's
 * case, so the admin sees whether the saved rules send it where they meant.
 */
import type { IndustryCode, NeedType, Option } from '../../../typings/api';
import type { Rule, UnitOption } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage, STALE_STATE } from '../../utils/define-page';
import { submitForm } from '../../utils/form';
import { INDUSTRIES, NEED_TYPES, indexOf, newCode } from '../common/admin-labels';
import { checkNumber, confirmAction, picked, typed } from '../common/forms';

const ANY: Option = { code: '', name: '不限' };

type Field = 'unit' | 'zone' | 'chamber' | 'firstResponseHours' | 'resolutionWorkdays' | 'note';

interface RuleData {
  isNew: boolean;
  types: Option[];
  typeIndex: number;
  industries: Option[];
  industryIndex: number;
  zones: Option[];
  zoneIndex: number;
  chambers: Option[];
  chamberIndex: number;
  units: UnitOption[];
  unitIndex: number;
  firstResponseHours: string;
  resolutionWorkdays: string;
  note: string;
  enabled: boolean;
  errors: Partial<Record<Field, string>>;
}

interface RuleMethods {
  onPick(e: WechatMiniprogram.PickerChange): void;
  onText(e: WechatMiniprogram.CustomEvent): void;
  onEnabled(e: WechatMiniprogram.CustomEvent): void;
  save(): Promise<void>;
  remove(): Promise<void>;
  tryIt(): void;
}

type This = PageThis<RuleData, RuleMethods> & { rule?: Rule; nextOrder?: number };

/** Server field → the field of this form it belongs to. */
const SERVER_FIELDS: Record<string, Field> = {
  unitCode: 'unit',
  'match.zone': 'zone',
  'match.chamberMember': 'chamber',
  firstResponseHours: 'firstResponseHours',
  resolutionWorkdays: 'resolutionWorkdays',
  slaHours: 'resolutionWorkdays',
  note: 'note',
};

export function validate(data: RuleData): { errors: Partial<Record<Field, string>>; first?: number; workdays?: number } {
  const errors: Partial<Record<Field, string>> = {};
  if (!data.units[data.unitIndex]) errors.unit = '请选择分派给哪个单位';
  const first = checkNumber(data.firstResponseHours, 0.5, 720, false, '首次响应时限');
  if (first.error) errors.firstResponseHours = first.error;
  const workdays = checkNumber(data.resolutionWorkdays, 1, 90, true, '办结时限');
  if (workdays.error) errors.resolutionWorkdays = workdays.error;
  return { errors, first: first.value, workdays: workdays.value };
}

/** The rule to save; slaHours stays what it was (older readers of the rule still use it). */
export function ruleOf(data: RuleData, id: string, order: number, before: Rule | undefined, first: number, workdays: number): Rule {
  const type = data.types[data.typeIndex].code as NeedType;
  const industry = data.industries[data.industryIndex];
  const zone = data.zones[data.zoneIndex];
  const chamber = data.chambers[data.chamberIndex];
  const note = data.note.trim();
  return {
    id,
    order,
    match: {
      type,
      ...(industry && industry.code ? { industry: industry.code as IndustryCode } : {}),
      ...(zone && zone.code ? { zone: zone.code } : {}),
      ...(chamber && chamber.code ? { chamberMember: chamber.code } : {}),
    },
    unitCode: data.units[data.unitIndex].code,
    slaHours: before ? before.slaHours : workdays * 24,
    firstResponseHours: first,
    resolutionWorkdays: workdays,
    enabled: data.enabled,
    ...(note ? { note } : {}),
  };
}

definePage<RuleData, RuleMethods>({
  data: {
    isNew: true,
    types: NEED_TYPES,
    typeIndex: 0,
    industries: [ANY, ...INDUSTRIES],
    industryIndex: 0,
    zones: [ANY],
    zoneIndex: 0,
    chambers: [ANY],
    chamberIndex: 0,
    units: [],
    unitIndex: -1,
    firstResponseHours: '4',
    resolutionWorkdays: '5',
    note: '',
    enabled: true,
    errors: {},
  },

  async load(query) {
    const self = this as This;
    const [rules, units, options] = await Promise.all([adminApi.listRules(), adminApi.listUnits(), adminApi.enterpriseOptions()]);
    const zones = [ANY, ...options.zones];
    const chambers = [ANY, ...options.chambers];
    self.nextOrder = rules.items.reduce((max, r) => Math.max(max, r.order), 0) + 10;
    const rule = query.id ? rules.items.find((r) => r.id === query.id) : undefined;
    if (query.id && !rule) throw Object.assign(new Error('这条规则已被删除'), { code: 'NOT_FOUND' });
    self.rule = rule;
    const base = { zones, chambers, units: units.items };
    if (!rule) return base;
    return {
      ...base,
      isNew: false,
      typeIndex: Math.max(0, indexOf(NEED_TYPES, rule.match.type)),
      industryIndex: Math.max(0, indexOf(INDUSTRIES, rule.match.industry) + 1),
      zoneIndex: Math.max(0, indexOf(zones, rule.match.zone)),
      chamberIndex: Math.max(0, indexOf(chambers, rule.match.chamberMember)),
      unitIndex: indexOf(units.items, rule.unitCode),
      firstResponseHours: rule.firstResponseHours !== undefined ? String(rule.firstResponseHours) : String(rule.slaHours),
      resolutionWorkdays: rule.resolutionWorkdays !== undefined ? String(rule.resolutionWorkdays) : String(Math.max(1, Math.ceil(rule.slaHours / 24))),
      note: rule.note || '',
      enabled: rule.enabled !== false,
    };
  },

  methods: {
    onPick(this: This, e) {
      const key = (e.currentTarget.dataset as { key: 'type' | 'industry' | 'zone' | 'chamber' | 'unit' }).key;
      const index = picked(e);
      const list = { type: this.data.types, industry: this.data.industries, zone: this.data.zones, chamber: this.data.chambers, unit: this.data.units }[key];
      if (!list || !list[index]) return;
      this.setData({ [`${key}Index`]: index, [`errors.${key}`]: '' });
    },

    onText(this: This, e) {
      const field = (e.currentTarget.dataset as { field: Field }).field;
      this.setData({ [field]: typed(e), [`errors.${field}`]: '' });
    },

    onEnabled(this: This, e) {
      this.setData({ enabled: !!e.detail });
    },

    async save(this: This) {
      const { errors, first, workdays } = validate(this.data);
      const before = this.rule;
      const id = before ? before.id : newCode('rule');
      const order = before ? before.order : this.nextOrder || 10;
      const saved = await submitForm(
        this,
        errors,
        () => adminApi.saveRule(ruleOf(this.data, id, order, before, first as number, workdays as number)),
        (field) => (field && SERVER_FIELDS[field]) || null,
      );
      if (!saved) return;
      this.rule = saved;
      wx.showToast({ title: '已保存', icon: 'success' });
      wx.navigateBack();
    },

    async remove(this: This) {
      const rule = this.rule;
      if (!rule) return;
      if (!(await confirmAction('删除这条规则？', '删除后，这类需求按其余规则分派。', '删除'))) return;
      const done = await this.send(() => adminApi.deleteRule(rule.id), { reloadOn: STALE_STATE });
      if (!done) return;
      wx.showToast({ title: '已删除', icon: 'success' });
      wx.navigateBack();
    },

    tryIt(this: This) {
      const d = this.data;
      const params = [`type=${d.types[d.typeIndex].code}`];
      const industry = d.industries[d.industryIndex];
      const zone = d.zones[d.zoneIndex];
      const chamber = d.chambers[d.chamberIndex];
      if (industry && industry.code) params.push(`industry=${industry.code}`);
      if (zone && zone.code) params.push(`zone=${zone.code}`);
      if (chamber && chamber.code) params.push(`chamber=${chamber.code}`);
      wx.navigateTo({ url: `/admin/route-preview/index?${params.join('&')}` });
    },
  },
});
