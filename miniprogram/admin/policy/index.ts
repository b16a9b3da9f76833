/**
 * One policy: title, issuing level, summary, the need types and industries
 * it is for (ticked by name — they decide which enterprises see it first),
 * effective dates and a link.
 */
import type { IndustryCode, NeedType } from '../../../typings/api';
import type { Policy, PolicyLevel } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage, STALE_STATE } from '../../utils/define-page';
import { submitForm } from '../../utils/form';
import { todayInChina } from '../../utils/time';
import type { Choice } from '../common/admin-labels';
import { INDUSTRIES, NEED_TYPES, POLICY_LEVELS, indexOf, newCode } from '../common/admin-labels';
import { confirmAction, picked, typed } from '../common/forms';

type Field = 'title' | 'level' | 'summary' | 'tags' | 'industries' | 'effectiveFrom' | 'effectiveTo' | 'link';
const FIELDS: Field[] = ['title', 'level', 'summary', 'tags', 'industries', 'effectiveFrom', 'effectiveTo', 'link'];

interface PolicyData {
  isNew: boolean;
  id: string;
  title: string;
  levels: Choice<PolicyLevel>[];
  levelIndex: number;
  summary: string;
  needTypes: Choice<NeedType>[];
  tags: string[];
  industryChoices: Choice<IndustryCode>[];
  industries: string[];
  effectiveFrom: string;
  effectiveTo: string;
  link: string;
  errors: Partial<Record<Field, string>>;
}

interface PolicyMethods {
  onText(e: WechatMiniprogram.CustomEvent): void;
  onLevel(e: WechatMiniprogram.PickerChange): void;
  onTags(e: WechatMiniprogram.CustomEvent<string[]>): void;
  onIndustries(e: WechatMiniprogram.CustomEvent<string[]>): void;
  onDate(e: WechatMiniprogram.PickerChange): void;
  clearEnd(): void;
  save(): Promise<void>;
  remove(): Promise<void>;
}

type This = PageThis<PolicyData, PolicyMethods>;

export function validatePolicy(d: PolicyData): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const title = d.title.trim();
  if (title.length < 2 || title.length > 80) errors.title = '标题应为 2–80 个字';
  if (!d.levels[d.levelIndex]) errors.level = '请选择发文层级';
  const summary = d.summary.trim();
  if (!summary) errors.summary = '请填写摘要';
  else if (summary.length > 1000) errors.summary = '摘要最多 1000 个字';
  if (!d.effectiveFrom) errors.effectiveFrom = '请选择生效日期';
  if (d.effectiveTo && d.effectiveFrom && d.effectiveTo < d.effectiveFrom) errors.effectiveTo = '截止日期不能早于生效日期';
  const link = d.link.trim();
  if (link && !/^https?:\/\/\S+\.\S+/.test(link)) errors.link = '链接应以 http:// 或 https:// 开头';
  return errors;
}

export function policyOf(d: PolicyData, id: string): Policy {
  const link = d.link.trim();
  return {
    id,
    title: d.title.trim(),
    level: d.levels[d.levelIndex].code,
    summary: d.summary.trim(),
    // In the order the choices are listed, however they were ticked.
    tags: NEED_TYPES.map((t) => t.code).filter((c) => d.tags.includes(c)),
    industries: INDUSTRIES.map((i) => i.code).filter((c) => d.industries.includes(c)),
    effectiveFrom: d.effectiveFrom,
    ...(d.effectiveTo ? { effectiveTo: d.effectiveTo } : {}),
    ...(link ? { link } : {}),
  };
}

definePage<PolicyData, PolicyMethods>({
  data: {
    isNew: true,
    id: '',
    title: '',
    levels: POLICY_LEVELS,
    levelIndex: 2,
    summary: '',
    needTypes: NEED_TYPES,
    tags: [],
    industryChoices: INDUSTRIES,
    industries: [],
    effectiveFrom: '',
    effectiveTo: '',
    link: '',
    errors: {},
  },

  async load(query) {
    if (!query.id) return { effectiveFrom: todayInChina() };
    const { items } = await adminApi.listPolicies();
    const p = items.find((x) => x.id === query.id);
    if (!p) throw Object.assign(new Error('这条政策已被删除'), { code: 'NOT_FOUND' });
    return {
      isNew: false,
      id: p.id,
      title: p.title,
      levelIndex: indexOf(POLICY_LEVELS, p.level),
      summary: p.summary || '',
      tags: p.tags || [],
      industries: p.industries || [],
      effectiveFrom: p.effectiveFrom,
      effectiveTo: p.effectiveTo || '',
      link: p.link || '',
    };
  },

  methods: {
    onText(this: This, e) {
      const field = (e.currentTarget.dataset as { field: 'title' | 'summary' | 'link' }).field;
      this.setData({ [field]: typed(e), [`errors.${field}`]: '' });
    },

    onLevel(this: This, e) {
      const levelIndex = picked(e);
      if (POLICY_LEVELS[levelIndex]) this.setData({ levelIndex, 'errors.level': '' });
    },

    onTags(this: This, e) {
      this.setData({ tags: Array.isArray(e.detail) ? e.detail : [] });
    },

    onIndustries(this: This, e) {
      this.setData({ industries: Array.isArray(e.detail) ? e.detail : [] });
    },

    onDate(this: This, e) {
      const field = (e.currentTarget.dataset as { field: 'effectiveFrom' | 'effectiveTo' }).field;
      this.setData({ [field]: String(e.detail.value), 'errors.effectiveFrom': '', 'errors.effectiveTo': '' });
    },

    clearEnd(this: This) {
      this.setData({ effectiveTo: '', 'errors.effectiveTo': '' });
    },

    async save(this: This) {
      const id = this.data.id || newCode('policy');
      const saved = await submitForm(this, validatePolicy(this.data), () => adminApi.savePolicy(policyOf(this.data, id)), (field) =>
        field && (FIELDS as string[]).includes(field) ? field : null,
      );
      if (!saved) return;
      wx.showToast({ title: '已保存', icon: 'success' });
      wx.navigateBack();
    },

    async remove(this: This) {
      if (!this.data.id) return;
      if (!(await confirmAction('删除这条政策？', '删除后企业将看不到这条政策。', '删除'))) return;
      const done = await this.send(() => adminApi.deletePolicy(this.data.id), { reloadOn: STALE_STATE });
      if (!done) return;
      wx.showToast({ title: '已删除', icon: 'success' });
      wx.navigateBack();
    },
  },
});
