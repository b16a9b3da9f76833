/**
 * One responsible unit: its name and kind, edited here, and the way to its
 * members. A new unit gets its code made up: nobody types one.
 */
import type { UnitKind, UnitOption } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { submitForm } from '../../utils/form';
import type { Choice } from '../common/admin-labels';
import { UNIT_KINDS, indexOf, newCode } from '../common/admin-labels';
import { picked, typed } from '../common/forms';

type Field = 'name' | 'kind';

interface UnitData {
  isNew: boolean;
  code: string;
  name: string;
  kinds: Choice<UnitKind>[];
  kindIndex: number;
  errors: Partial<Record<Field, string>>;
}

interface UnitMethods {
  onName(e: WechatMiniprogram.CustomEvent): void;
  onKind(e: WechatMiniprogram.PickerChange): void;
  save(): Promise<void>;
  members(): void;
}

type This = PageThis<UnitData, UnitMethods> & { unit?: UnitOption; nextOrder?: number };

export function validateUnit(data: UnitData): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const name = data.name.trim();
  if (name.length < 2 || name.length > 40) errors.name = '单位名称应为 2–40 个字';
  if (!data.kinds[data.kindIndex]) errors.kind = '请选择单位类型';
  return errors;
}

definePage<UnitData, UnitMethods>({
  data: { isNew: true, code: '', name: '', kinds: UNIT_KINDS, kindIndex: -1, errors: {} },

  async load(query) {
    const self = this as This;
    const { items } = await adminApi.listUnits();
    self.nextOrder = items.reduce((max, u) => Math.max(max, u.order || 0), 0) + 1;
    if (!query.code) return {};
    const unit = items.find((u) => u.code === query.code);
    if (!unit) throw Object.assign(new Error('这个单位已不存在'), { code: 'NOT_FOUND' });
    self.unit = unit;
    return { isNew: false, code: unit.code, name: unit.name, kindIndex: indexOf(UNIT_KINDS, unit.kind) };
  },

  methods: {
    onName(this: This, e) {
      this.setData({ name: typed(e), 'errors.name': '' });
    },

    onKind(this: This, e) {
      const kindIndex = picked(e);
      if (UNIT_KINDS[kindIndex]) this.setData({ kindIndex, 'errors.kind': '' });
    },

    async save(this: This) {
      const code = this.data.code || newCode('unit');
      const order = this.unit && this.unit.order !== undefined ? this.unit.order : this.nextOrder || 100;
      const saved = await submitForm(
        this,
        validateUnit(this.data),
        () => adminApi.saveUnit({ code, name: this.data.name.trim(), kind: UNIT_KINDS[this.data.kindIndex].code, order }),
        (field) => (field === 'name' || field === 'kind' ? field : null),
      );
      if (!saved) return;
      wx.showToast({ title: '已保存', icon: 'success' });
      wx.navigateBack();
    },

    members(this: This) {
      if (this.data.code) wx.navigateTo({ url: `/admin/members/index?unitCode=${this.data.code}` });
    },
  },
});
