/** The responsible units by name and kind; a tap opens one (its name, kind and members). */
import type { UnitOption } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { UNIT_KINDS, nameOf } from '../common/admin-labels';

interface UnitRow {
  code: string;
  name: string;
  kind: string;
}

interface UnitsData {
  units: UnitRow[];
  empty: boolean;
}

interface UnitsMethods {
  open(e: WechatMiniprogram.BaseEvent): void;
  add(): void;
}

type This = PageThis<UnitsData, UnitsMethods>;

export function unitRows(units: UnitOption[]): UnitRow[] {
  return units.map((u) => ({ code: u.code, name: u.name, kind: nameOf(UNIT_KINDS, u.kind, '其他') }));
}

definePage<UnitsData, UnitsMethods>({
  data: { units: [], empty: false },
  reloadOnShow: true,

  async load() {
    const { items } = await adminApi.listUnits();
    return { units: unitRows(items), empty: items.length === 0 };
  },

  methods: {
    open(this: This, e) {
      const code = (e.currentTarget.dataset as { code?: string }).code;
      if (code) wx.navigateTo({ url: `/admin/unit/index?code=${code}` });
    },

    add() {
      wx.navigateTo({ url: '/admin/unit/index' });
    },
  },
});
