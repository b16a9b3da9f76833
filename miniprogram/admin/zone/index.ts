/**
 * One zone: its name and kind. The zone list the phone can read
 * (enterprise.options) carries names in order but not kinds, so the kind
 * starts from what the name says (…镇, …街道, otherwise a park) and the
 * order is the zone's place in that list.
 */
import type { ZoneKind } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { submitForm } from '../../utils/form';
import type { Choice } from '../common/admin-labels';
import { ZONE_KINDS, guessZoneKind, indexOf, newCode } from '../common/admin-labels';
import { picked, typed } from '../common/forms';

type Field = 'name' | 'kind';

interface ZoneData {
  isNew: boolean;
  code: string;
  name: string;
  kinds: Choice<ZoneKind>[];
  kindIndex: number;
  errors: Partial<Record<Field, string>>;
}

interface ZoneMethods {
  onName(e: WechatMiniprogram.CustomEvent): void;
  onKind(e: WechatMiniprogram.PickerChange): void;
  save(): Promise<void>;
}

type This = PageThis<ZoneData, ZoneMethods> & { order?: number };

definePage<ZoneData, ZoneMethods>({
  data: { isNew: true, code: '', name: '', kinds: ZONE_KINDS, kindIndex: -1, errors: {} },

  async load(query) {
    const self = this as This;
    const { zones } = await adminApi.enterpriseOptions();
    self.order = zones.length + 1;
    if (!query.code) return {};
    const index = zones.findIndex((z) => z.code === query.code);
    if (index < 0) throw Object.assign(new Error('这个区域已不存在'), { code: 'NOT_FOUND' });
    self.order = index + 1;
    const zone = zones[index];
    return { isNew: false, code: zone.code, name: zone.name, kindIndex: indexOf(ZONE_KINDS, guessZoneKind(zone.name)) };
  },

  methods: {
    onName(this: This, e) {
      this.setData({ name: typed(e), 'errors.name': '' });
    },

    onKind(this: This, e) {
      const kindIndex = picked(e);
      if (ZONE_KINDS[kindIndex]) this.setData({ kindIndex, 'errors.kind': '' });
    },

    async save(this: This) {
      const errors: Partial<Record<Field, string>> = {};
      const name = this.data.name.trim();
      if (name.length < 2 || name.length > 40) errors.name = '区域名称应为 2–40 个字';
      if (!ZONE_KINDS[this.data.kindIndex]) errors.kind = '请选择区域类型';
      const code = this.data.code || newCode('zone');
      const saved = await submitForm(
        this,
        errors,
        () => adminApi.saveZone({ code, name, kind: ZONE_KINDS[this.data.kindIndex].code, order: this.order || 100 }),
        (field) => (field === 'name' || field === 'kind' ? field : null),
      );
      if (!saved) return;
      wx.showToast({ title: '已保存', icon: 'success' });
      wx.navigateBack();
    },
  },
});
