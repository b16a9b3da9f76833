/**
 * Home: what is this person's to do now, from their session. It reloads on
 * every show because registering or redeeming an invite changes the roles.
 */
import { refreshSession } from '../../services/session';
import { definePage } from '../../utils/define-page';

interface HomeData {
  hasEnterprise: boolean;
  isUnit: boolean;
  isTaskforce: boolean;
  isNewcomer: boolean;
}

definePage<HomeData, { go(e: WechatMiniprogram.CustomEvent): void }>({
  data: { hasEnterprise: false, isUnit: false, isTaskforce: false, isNewcomer: false },
  reloadOnShow: true,

  async load() {
    const session = await refreshSession();
    const hasEnterprise = !!session.enterpriseId;
    const isUnit = session.unitCodes.length > 0;
    const isTaskforce = !!session.taskForceId;
    return {
      hasEnterprise,
      isUnit,
      isTaskforce,
      isNewcomer: !hasEnterprise && !isUnit && !isTaskforce && !session.roles.includes('admin'),
    };
  },

  methods: {
    go(e) {
      const url = (e.currentTarget.dataset as { url?: string }).url;
      if (url) wx.navigateTo({ url });
    },
  },
});
