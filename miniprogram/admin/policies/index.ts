/** The policies enterprises can read, newest first; a tap edits one. */
import type { Policy } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { POLICY_LEVELS, nameOf } from '../common/admin-labels';

interface PolicyRow {
  id: string;
  title: string;
  detail: string;
}

interface PoliciesData {
  policies: PolicyRow[];
  empty: boolean;
}

interface PoliciesMethods {
  open(e: WechatMiniprogram.BaseEvent): void;
  add(): void;
}

type This = PageThis<PoliciesData, PoliciesMethods>;

export function policyRows(items: Policy[]): PolicyRow[] {
  return items
    .slice()
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0))
    .map((p) => ({
      id: p.id,
      title: p.title,
      detail: `${nameOf(POLICY_LEVELS, p.level, '')} · ${p.effectiveFrom} 起${p.effectiveTo ? `，至 ${p.effectiveTo}` : ''}`,
    }));
}

definePage<PoliciesData, PoliciesMethods>({
  data: { policies: [], empty: false },
  reloadOnShow: true,

  async load() {
    const { items } = await adminApi.listPolicies();
    return { policies: policyRows(items), empty: items.length === 0 };
  },

  methods: {
    open(this: This, e) {
      const id = (e.currentTarget.dataset as { id?: string }).id;
      if (id) wx.navigateTo({ url: `/admin/policy/index?id=${id}` });
    },

    add() {
      wx.navigateTo({ url: '/admin/policy/index' });
    },
  },
});
