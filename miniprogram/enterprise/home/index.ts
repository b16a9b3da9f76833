import { enterpriseApi } from '../../services/enterprise-api';
import { INDUSTRY_LABELS, label } from '../../utils/labels';
import { formatDateTime } from '../../utils/time';
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

interface StatusView {
  resumed: boolean;
  employeesBack: number;
  employeesTotal: number;
  capacityPercent: number;
  at: string;
}

interface HomeData {
  enterprise: EnterpriseView | null;
  /** null until the enterprise reports its resumption for the first time. */
  status: StatusView | null;
}

definePage<HomeData, { go(e: WechatMiniprogram.CustomEvent): void }>({
  data: { enterprise: null, status: null },
  // Coming back from 复工状态填报 must show the report just sent.
  reloadOnShow: true,

  async load() {
    const e = await enterpriseApi.getEnterprise();
    const s = e.latestStatus;
    return {
      status: s
        ? {
            resumed: !!s.resumed,
            employeesBack: s.employeesBack,
            employeesTotal: s.employeesTotal,
            capacityPercent: s.capacityPercent,
            at: formatDateTime(s.at),
          }
        : null,
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
