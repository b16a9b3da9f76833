/**
 * "Where would this need go?" — lets an admin check the routing rules for a
 * need type, industry, zone and chambers before an enterprise finds out the
 * hard way that a rule sends its need to the wrong unit.
 */
import type { IndustryCode, NeedType, Option } from '../../../typings/api';
import type { Rule, RoutePreview } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { INDUSTRY_LABELS, NEED_TYPE_LABELS } from '../../utils/labels';

const TYPES: Option[] = (Object.keys(NEED_TYPE_LABELS) as NeedType[]).map((code) => ({ code, name: NEED_TYPE_LABELS[code] }));
const INDUSTRIES: Option[] = (Object.keys(INDUSTRY_LABELS) as IndustryCode[]).map((code) => ({ code, name: INDUSTRY_LABELS[code] }));

interface PreviewView {
  unitName: string;
  unitCode: string;
  rule: string;
  slaHours: number;
  reason: string;
}

interface PreviewData {
  types: Option[];
  typeIndex: number;
  industries: Option[];
  industryIndex: number;
  zones: Option[];
  zoneIndex: number;
  chambers: Option[];
  chamberCodes: string[];
  zoneError: string;
  result: PreviewView | null;
  rules: Rule[] | null;
}

interface PreviewMethods {
  onType(e: WechatMiniprogram.PickerChange): void;
  onIndustry(e: WechatMiniprogram.PickerChange): void;
  onZone(e: WechatMiniprogram.PickerChange): void;
  onChambers(e: WechatMiniprogram.CustomEvent<string[]>): void;
  preview(): Promise<void>;
}

type This = PageThis<PreviewData, PreviewMethods>;

/** Which rule decided, as the rules page numbers them: a rule's code means nothing to anyone. */
export function toPreviewView(r: RoutePreview, rules: Rule[] | null = null): PreviewView {
  let rule = '没有符合的规则，交给分诊单位';
  if (r.ruleId) {
    const ordered = (rules || []).slice().sort((a, b) => a.order - b.order);
    const position = ordered.findIndex((x) => x.id === r.ruleId);
    rule = position >= 0 ? `第 ${position + 1} 条分派规则` : '按分派规则';
  }
  return {
    unitName: r.unitName || '分诊单位',
    unitCode: r.unitCode,
    rule,
    slaHours: r.slaHours,
    reason: r.reason,
  };
}

definePage<PreviewData, PreviewMethods>({
  data: {
    types: TYPES,
    typeIndex: 0,
    industries: INDUSTRIES,
    industryIndex: 0,
    zones: [],
    zoneIndex: -1,
    chambers: [],
    chamberCodes: [],
    zoneError: '',
    result: null,
    rules: null,
  },

  // A rule's 「试一试」 opens this page set to its case (?type=&industry=&zone=&chamber=).
  async load(query) {
    const [options, rules] = await Promise.all([
      adminApi.enterpriseOptions(),
      adminApi
        .listRules()
        .then((r) => r.items)
        .catch(() => null),
    ]);
    const at = (list: Option[], code: string | undefined) => (code ? list.findIndex((o) => o.code === code) : -1);
    const typeIndex = at(TYPES, query.type);
    const industryIndex = at(INDUSTRIES, query.industry);
    return {
      zones: options.zones,
      chambers: options.chambers,
      rules,
      ...(typeIndex >= 0 ? { typeIndex } : {}),
      ...(industryIndex >= 0 ? { industryIndex } : {}),
      zoneIndex: at(options.zones, query.zone),
      chamberCodes: query.chamber && options.chambers.some((c) => c.code === query.chamber) ? [query.chamber] : [],
    };
  },

  methods: {
    // Any change makes the shown answer stale: clear it rather than let it be read as current.
    onType(this: This, e) {
      const typeIndex = Number(e.detail.value);
      if (TYPES[typeIndex]) this.setData({ typeIndex, result: null });
    },

    onIndustry(this: This, e) {
      const industryIndex = Number(e.detail.value);
      if (INDUSTRIES[industryIndex]) this.setData({ industryIndex, result: null });
    },

    onZone(this: This, e) {
      const zoneIndex = Number(e.detail.value);
      if (this.data.zones[zoneIndex]) this.setData({ zoneIndex, zoneError: '', result: null });
    },

    onChambers(this: This, e) {
      this.setData({ chamberCodes: Array.isArray(e.detail) ? e.detail : [], result: null });
    },

    async preview(this: This) {
      const zone = this.data.zones[this.data.zoneIndex];
      if (!zone) {
        this.setData({ zoneError: '请选择片区' });
        return;
      }
      const result = await this.send(() =>
        adminApi.routePreview({
          type: TYPES[this.data.typeIndex].code as NeedType,
          industry: INDUSTRIES[this.data.industryIndex].code as IndustryCode,
          zone: zone.code,
          chamberCodes: this.data.chamberCodes,
        }),
      );
      if (result) this.setData({ result: toPreviewView(result, this.data.rules) });
    },
  },
});
