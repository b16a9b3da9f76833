/**
 * "Where would this need go?" — lets an admin check the routing rules for a
 * need type, industry, zone and chambers before an enterprise finds out the
 * hard way that a rule sends its need to the wrong unit.
 */
import type { IndustryCode, NeedType, Option } from '../../../typings/api';
import type { RoutePreview } from '../../services/admin-api';
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
}

interface PreviewMethods {
  onType(e: WechatMiniprogram.PickerChange): void;
  onIndustry(e: WechatMiniprogram.PickerChange): void;
  onZone(e: WechatMiniprogram.PickerChange): void;
  onChambers(e: WechatMiniprogram.CustomEvent<string[]>): void;
  preview(): Promise<void>;
}

type This = PageThis<PreviewData, PreviewMethods>;

export function toPreviewView(r: RoutePreview): PreviewView {
  return {
    unitName: r.unitName || r.unitCode,
    unitCode: r.unitCode,
    rule: r.ruleId || '无匹配规则（分诊）',
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
  },

  async load() {
    const options = await adminApi.enterpriseOptions();
    return { zones: options.zones, chambers: options.chambers };
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
      if (result) this.setData({ result: toPreviewView(result) });
    },
  },
});
