import { INDUSTRY_LABELS, label } from '../../utils/labels';
import { definePage } from '../../utils/define-page';

interface EnterpriseView {
  name: string;
  verified: boolean;
  industry: string;
  address: string;
  contactName: string;
  contactPhone: string;
  employees: number;
}

interface HomeData {
  enterprise: EnterpriseView | null;
}

definePage<HomeData, { go(e: WechatMiniprogram.CustomEvent): void }>({
  data: { enterprise: null },

  async load() {
    const e = await this.api.getEnterprise();
    return {
      enterprise: {
        name: e.name,
        verified: e.verified,
        industry: label(INDUSTRY_LABELS, e.industry),
        address: e.address,
        contactName: e.contactName,
        contactPhone: e.contactPhone,
        employees: e.employees,
      },
    };
  },

  methods: {
    go(e) {
      const url = (e.currentTarget.dataset as { url?: string }).url;
      if (url) wx.navigateTo({ url });
    },
  },
});
