/**
 * 政策匹配: first the policies that fit this enterprise's industry and open
 * needs, each saying why; a search switches to the whole catalogue, and
 * clearing it comes back to the matched list.
 */
import type { NeedType } from '../../../typings/api';
import type { MatchedPolicy, Policy, PolicyLevel } from '../../services/enterprise-api';
import { enterpriseApi } from '../../services/enterprise-api';
import { label, NEED_TYPE_LABELS } from '../../utils/labels';
import { formatDate } from '../../utils/time';
import { definePage } from '../../utils/define-page';
import { copyText } from '../../utils/clipboard';

const LEVEL_LABELS: Record<PolicyLevel, string> = { national: '国家级', city: '市级', district: '区级' };

interface PolicyView {
  id: string;
  title: string;
  level: string;
  summary: string;
  period: string;
  matched: boolean;
  reasons: string[];
  link: string;
}

interface PoliciesData {
  /** What is in the search box; `searched` is what the list on screen was searched for. */
  q: string;
  searched: string;
  items: PolicyView[];
  expanded: Record<string, boolean>;
}

function reasonLabel(reason: string): string {
  if (reason === 'industry') return '与您的行业相关';
  if (reason.startsWith('need:')) {
    return `与您的需求相关：${label(NEED_TYPE_LABELS, reason.slice('need:'.length) as NeedType)}`;
  }
  return reason;
}

function period(p: Policy): string {
  const from = formatDate(p.effectiveFrom);
  const to = formatDate(p.effectiveTo);
  if (from && to) return `有效期 ${from} 至 ${to}`;
  if (from) return `${from} 起施行`;
  return to ? `有效期至 ${to}` : '';
}

function toView(p: Policy | MatchedPolicy): PolicyView {
  const m = p as Partial<MatchedPolicy>;
  return {
    id: p.id,
    title: p.title,
    level: label(LEVEL_LABELS, p.level),
    summary: p.summary,
    period: period(p),
    matched: !!m.matched,
    reasons: (m.reasons || []).map(reasonLabel),
    link: p.link || '',
  };
}

interface PoliciesMethods {
  onQuery(e: WechatMiniprogram.CustomEvent): void;
  onSearch(e?: WechatMiniprogram.CustomEvent): void;
  onClear(): void;
  toggle(e: WechatMiniprogram.CustomEvent): void;
  copyLink(e: WechatMiniprogram.CustomEvent): void;
}

definePage<PoliciesData, PoliciesMethods>({
  data: { q: '', searched: '', items: [], expanded: {} },

  async load() {
    const q = this.data.q.trim();
    if (q) {
      const res = await enterpriseApi.listPolicies({ q });
      return { items: res.items.map(toView), searched: q };
    }
    const res = await enterpriseApi.matchedPolicies();
    // The server already sorts; a stable re-sort keeps "matched first" true even if it ever stops.
    const items = res.items.map(toView).sort((a, b) => Number(b.matched) - Number(a.matched));
    return { items, searched: '' };
  },

  methods: {
    onQuery(e) {
      this.setData({ q: String(e.detail ?? '') });
    },

    onSearch(e) {
      if (e && typeof e.detail === 'string') this.setData({ q: e.detail });
      // A different list is coming: the old rows under a new query would mislead.
      void this.reload({ skeleton: true });
    },

    onClear() {
      this.setData({ q: '' });
      void this.reload({ skeleton: true });
    },

    toggle(e) {
      const id = (e.currentTarget.dataset as { id: string }).id;
      this.setData({ [`expanded.${id}`]: !this.data.expanded[id] });
    },

    copyLink(e) {
      const link = (e.currentTarget.dataset as { link?: string }).link;
      if (!link) return;
      // A mini-program cannot open arbitrary web pages; the browser can, so hand the link over.
      copyText(link, '链接已复制，请在浏览器中打开');
    },
  },
});
