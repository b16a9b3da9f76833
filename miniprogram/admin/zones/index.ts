/** The district's zones (parks, streets, towns) in their order; a tap edits one. */
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { ZONE_KINDS, guessZoneKind, nameOf } from '../common/admin-labels';

interface ZoneRow {
  code: string;
  name: string;
  kind: string;
}

interface ZonesData {
  zones: ZoneRow[];
  empty: boolean;
}

interface ZonesMethods {
  open(e: WechatMiniprogram.BaseEvent): void;
  add(): void;
}

type This = PageThis<ZonesData, ZonesMethods>;

definePage<ZonesData, ZonesMethods>({
  data: { zones: [], empty: false },
  reloadOnShow: true,

  async load() {
    const { zones } = await adminApi.enterpriseOptions();
    return {
      zones: zones.map((z) => ({ code: z.code, name: z.name, kind: nameOf(ZONE_KINDS, guessZoneKind(z.name)) })),
      empty: zones.length === 0,
    };
  },

  methods: {
    open(this: This, e) {
      const code = (e.currentTarget.dataset as { code?: string }).code;
      if (code) wx.navigateTo({ url: `/admin/zone/index?code=${code}` });
    },

    add() {
      wx.navigateTo({ url: '/admin/zone/index' });
    },
  },
});
