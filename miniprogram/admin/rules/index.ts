/**
 * The routing rules in the order they are tried: the first that matches a
 * need decides its unit (spec). Each reads as a sentence of names; a tap
 * edits it.
 */
import type { Option } from '../../../typings/api';
import type { Rule, UnitOption } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { INDUSTRY_LABELS, NEED_TYPE_LABELS, label } from '../../utils/labels';

interface RuleRow {
  id: string;
  position: number;
  when: string;
  unitName: string;
  limits: string;
  enabled: boolean;
}

interface RulesData {
  rules: RuleRow[];
  empty: boolean;
}

interface RulesMethods {
  edit(e: WechatMiniprogram.BaseEvent): void;
  add(): void;
}

type This = PageThis<RulesData, RulesMethods>;

/** "防疫物资 · 医药医疗 · 建桥园区C区 · 区医药商会会员": what a need must be for this rule to take it. */
export function describeMatch(rule: Rule, names: (code: string) => string): string {
  const parts = [label(NEED_TYPE_LABELS, rule.match.type)];
  if (rule.match.industry) parts.push(label(INDUSTRY_LABELS, rule.match.industry));
  if (rule.match.zone) parts.push(names(rule.match.zone));
  if (rule.match.chamberMember) parts.push(`${names(rule.match.chamberMember)}会员`);
  return parts.join(' · ');
}

export function describeLimits(rule: Rule): string {
  if (rule.firstResponseHours !== undefined || rule.resolutionWorkdays !== undefined) {
    const first = rule.firstResponseHours !== undefined ? `${rule.firstResponseHours} 小时内响应` : '';
    const close = rule.resolutionWorkdays !== undefined ? `${rule.resolutionWorkdays} 个工作日内办结` : '';
    return [first, close].filter(Boolean).join('，');
  }
  return `${rule.slaHours} 小时内办结`;
}

export function ruleRows(rules: Rule[], units: UnitOption[], zones: Option[]): RuleRow[] {
  const map: Record<string, string> = {};
  for (const o of [...units, ...zones]) map[o.code] = o.name;
  const names = (code: string) => map[code] || '（已删除）';
  return rules
    .slice()
    .sort((a, b) => a.order - b.order)
    .map((rule, i) => ({
      id: rule.id,
      position: i + 1,
      when: describeMatch(rule, names),
      unitName: names(rule.unitCode),
      limits: describeLimits(rule),
      enabled: rule.enabled !== false,
    }));
}

definePage<RulesData, RulesMethods>({
  data: { rules: [], empty: false },
  // Back from editing a rule, the list shows what was saved.
  reloadOnShow: true,

  async load() {
    const [rules, units, options] = await Promise.all([adminApi.listRules(), adminApi.listUnits(), adminApi.enterpriseOptions()]);
    const rows = ruleRows(rules.items, units.items, options.zones);
    return { rules: rows, empty: rows.length === 0 };
  },

  methods: {
    edit(this: This, e) {
      const id = (e.currentTarget.dataset as { id?: string }).id;
      if (id) wx.navigateTo({ url: `/admin/rule/index?id=${id}` });
    },

    add() {
      wx.navigateTo({ url: '/admin/rule/index' });
    },
  },
});
