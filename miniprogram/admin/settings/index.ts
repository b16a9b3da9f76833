/**
 * The district-wide settings: where unmatched needs and shared supplies go
 * (units picked by name), how long a claim lasts (per need type where the
 * settings carry it), how often task forces visit, how far off-site is, how
 * many needs one enterprise may have open of a type and raise in a day, and
 * the per-minute limits of the actions that have one, by their Chinese names.
 */
import type { NeedType } from '../../../typings/api';
import type { Settings, UnitOption } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { submitForm } from '../../utils/form';
import { NEED_TYPE_LABELS } from '../../utils/labels';
import { RATE_LIMITED, indexOf } from '../common/admin-labels';
import { checkNumber, picked, typed } from '../common/forms';

interface NumberField {
  key: string;
  label: string;
  value: string;
  placeholder: string;
}

interface SettingsData {
  units: UnitOption[];
  triageIndex: number;
  poolIndex: number;
  triageSlaHours: string;
  leaseMinutes: string;
  /** Present only when the settings carry per-type lease times. */
  leaseByType: NumberField[];
  visitIntervalDays: string;
  offSiteMeters: string;
  openNeedsPerType: string;
  needsPerEnterprisePerDay: string;
  rateLimits: NumberField[];
  errors: Record<string, string>;
}

interface SettingsMethods {
  onPick(e: WechatMiniprogram.PickerChange): void;
  onText(e: WechatMiniprogram.CustomEvent): void;
  onLease(e: WechatMiniprogram.CustomEvent): void;
  onRate(e: WechatMiniprogram.CustomEvent): void;
  save(): Promise<void>;
}

type This = PageThis<SettingsData, SettingsMethods>;

export function viewOf(s: Settings, units: UnitOption[]): Partial<SettingsData> {
  const byType = s.leaseMinutesByType;
  return {
    units,
    triageIndex: indexOf(units, s.triageUnitCode),
    poolIndex: indexOf(units, s.supplyPoolUnitCode),
    triageSlaHours: String(s.triageSlaHours),
    leaseMinutes: String(s.leaseMinutes),
    leaseByType: byType
      ? (Object.keys(NEED_TYPE_LABELS) as NeedType[]).map((t) => ({
          key: t,
          label: NEED_TYPE_LABELS[t],
          value: byType[t] !== undefined ? String(byType[t]) : '',
          placeholder: `不填按 ${s.leaseMinutes} 分钟`,
        }))
      : [],
    visitIntervalDays: String(s.visitIntervalDays),
    offSiteMeters: String(s.offSiteMeters),
    openNeedsPerType: String(s.openNeedsPerType),
    needsPerEnterprisePerDay: String(s.needsPerEnterprisePerDay),
    rateLimits: RATE_LIMITED.map((r) => ({
      key: r.key,
      label: r.name,
      value: s.rateLimits && s.rateLimits[r.key] !== undefined ? String(s.rateLimits[r.key]) : '',
      placeholder: `不填按 ${r.defaultPerMinute} 次`,
    })),
  };
}

/** The settings to save and the errors to show, field by field. */
export function settingsOf(d: SettingsData): { errors: Record<string, string>; patch: Partial<Settings> } {
  const errors: Record<string, string> = {};
  const patch: Partial<Settings> = {};
  const triage = d.units[d.triageIndex];
  const pool = d.units[d.poolIndex];
  if (!triage) errors.triage = '请选择分诊单位';
  else patch.triageUnitCode = triage.code;
  if (!pool) errors.pool = '请选择物资统筹单位';
  else patch.supplyPoolUnitCode = pool.code;
  const numbers: [keyof Settings, string, number, number, boolean, string][] = [
    ['triageSlaHours', d.triageSlaHours, 1, 2160, false, '分诊办结时限'],
    ['leaseMinutes', d.leaseMinutes, 10, 10080, true, '认领时长'],
    ['visitIntervalDays', d.visitIntervalDays, 1, 90, true, '走访周期'],
    ['offSiteMeters', d.offSiteMeters, 50, 10000, true, '签到距离'],
    ['openNeedsPerType', d.openNeedsPerType, 1, 1000, true, '同类在办需求'],
    ['needsPerEnterprisePerDay', d.needsPerEnterprisePerDay, 1, 100000, true, '每天新需求'],
  ];
  for (const [key, text, min, max, integer, what] of numbers) {
    const r = checkNumber(text, min, max, integer, what);
    if (r.error) errors[key] = r.error;
    else (patch as Record<string, number>)[key] = r.value as number;
  }
  if (d.leaseByType.length) {
    const byType: Partial<Record<NeedType, number>> = {};
    d.leaseByType.forEach((f, i) => {
      if (!f.value.trim()) return;
      const r = checkNumber(f.value, 10, 10080, true, '认领时长');
      if (r.error) errors[`lease${i}`] = r.error;
      else byType[f.key as NeedType] = r.value;
    });
    patch.leaseMinutesByType = byType;
  }
  const limits: Record<string, number> = {};
  d.rateLimits.forEach((f, i) => {
    if (!f.value.trim()) return;
    const r = checkNumber(f.value, 1, 100000, true, '每分钟次数');
    if (r.error) errors[`rate${i}`] = r.error;
    else limits[f.key] = r.value as number;
  });
  patch.rateLimits = limits;
  return { errors, patch };
}

const SERVER_FIELDS: Record<string, string> = {
  triageUnitCode: 'triage',
  supplyPoolUnitCode: 'pool',
  triageSlaHours: 'triageSlaHours',
  leaseMinutes: 'leaseMinutes',
  visitIntervalDays: 'visitIntervalDays',
  offSiteMeters: 'offSiteMeters',
  openNeedsPerType: 'openNeedsPerType',
  needsPerEnterprisePerDay: 'needsPerEnterprisePerDay',
};

definePage<SettingsData, SettingsMethods>({
  data: {
    units: [],
    triageIndex: -1,
    poolIndex: -1,
    triageSlaHours: '',
    leaseMinutes: '',
    leaseByType: [],
    visitIntervalDays: '',
    offSiteMeters: '',
    openNeedsPerType: '',
    needsPerEnterprisePerDay: '',
    rateLimits: [],
    errors: {},
  },

  async load() {
    const [settings, units] = await Promise.all([adminApi.getSettings(), adminApi.listUnits()]);
    return viewOf(settings, units.items);
  },

  methods: {
    onPick(this: This, e) {
      const key = (e.currentTarget.dataset as { key: 'triage' | 'pool' }).key;
      const index = picked(e);
      if (this.data.units[index]) this.setData({ [`${key}Index`]: index, [`errors.${key}`]: '' });
    },

    onText(this: This, e) {
      const field = (e.currentTarget.dataset as { field: string }).field;
      this.setData({ [field]: typed(e), [`errors.${field}`]: '' });
    },

    onLease(this: This, e) {
      const i = Number((e.currentTarget.dataset as { index: number }).index);
      this.setData({ [`leaseByType[${i}].value`]: typed(e), [`errors.lease${i}`]: '' });
    },

    onRate(this: This, e) {
      const i = Number((e.currentTarget.dataset as { index: number }).index);
      this.setData({ [`rateLimits[${i}].value`]: typed(e), [`errors.rate${i}`]: '' });
    },

    async save(this: This) {
      const { errors, patch } = settingsOf(this.data);
      const saved = await submitForm(this, errors, () => adminApi.saveSettings(patch), (field) => {
        if (!field) return null;
        if (SERVER_FIELDS[field]) return SERVER_FIELDS[field];
        const rate = RATE_LIMITED.findIndex((r) => field === `rateLimits.${r.key}`);
        return rate >= 0 ? `rate${rate}` : null;
      });
      if (!saved) return;
      this.setData(viewOf(saved, this.data.units) as Record<string, unknown>);
      wx.showToast({ title: '已保存', icon: 'success' });
    },
  },
});
