/**
 * Home: what is this person's to do now — counts from user.todo for each hat
 * they wear — and the place to redeem an invite code, which is how a chamber
 * head, a task-force member or an admin gets their role. It reloads on every
 * show because registering or redeeming changes the roles.
 */
import type { Todo } from '../../../typings/api';
import { refreshSession } from '../../services/session';
import { flushQueue, startAutoFlush } from '../../utils/offline-queue';
import { definePage } from '../../utils/define-page';
import { acceptedToday, requestReminders } from '../../utils/subscribe';

interface HomeData {
  hasEnterprise: boolean;
  isUnit: boolean;
  isTaskforce: boolean;
  isAdmin: boolean;
  isNewcomer: boolean;
  todo: Todo;
  inviteCode: string;
  inviteError: string;
  /** Set by a redeemed invite: the moment a new unit member is offered the unit's reminders. */
  offerReminders: boolean;
  reminderMoment: 'unitMember' | 'unitHead';
  remindersOn: boolean;
}

interface HomeMethods {
  go(e: WechatMiniprogram.CustomEvent): void;
  onInviteCode(e: WechatMiniprogram.CustomEvent): void;
  redeem(): Promise<void>;
  enableReminders(): Promise<void>;
}

definePage<HomeData, HomeMethods>({
  data: {
    hasEnterprise: false,
    isUnit: false,
    isTaskforce: false,
    isAdmin: false,
    isNewcomer: false,
    todo: {},
    inviteCode: '',
    inviteError: '',
    offerReminders: false,
    reminderMoment: 'unitMember',
    remindersOn: false,
  },
  reloadOnShow: true,

  onShow() {
    // Check-ins saved while offline go out as soon as the app is open with a network, whichever page is shown.
    startAutoFlush();
    void flushQueue().catch(() => undefined);
  },

  async load() {
    const session = await refreshSession();
    const hasEnterprise = !!session.enterpriseId;
    const isUnit = session.unitCodes.length > 0;
    const isTaskforce = !!session.taskForceId;
    const isAdmin = session.roles.includes('admin');
    // The counts are a help, not the page: without them the links still work.
    const todo = await this.api.todo().catch((): Todo => ({}));
    const reminderMoment = session.headOf.length ? 'unitHead' : 'unitMember';
    return {
      reminderMoment,
      remindersOn: acceptedToday(reminderMoment),
      hasEnterprise,
      isUnit,
      isTaskforce,
      isAdmin,
      isNewcomer: !hasEnterprise && !isUnit && !isTaskforce && !isAdmin,
      todo,
    };
  },

  methods: {
    go(e) {
      const url = (e.currentTarget.dataset as { url?: string }).url;
      if (url) wx.navigateTo({ url });
    },

    onInviteCode(e) {
      this.setData({ inviteCode: String(e.detail), inviteError: '' });
    },

    async redeem() {
      const code = this.data.inviteCode.trim();
      if (!code) {
        this.setData({ inviteError: '请输入邀请码' });
        return;
      }
      // A wrong, used or expired code is said next to the field, where the person is looking.
      const session = await this.send(() => this.api.redeemInvite(code), {
        onError: (failure) => {
          this.setData({ inviteError: failure.message });
          return true;
        },
      });
      if (!session) return;
      wx.showToast({ title: '身份已绑定', icon: 'success' });
      this.setData({ inviteCode: '', offerReminders: true });
      await this.reload();
    },

    // WeChat asks only from a tap, and the redeem tap was spent before the role was known.
    async enableReminders() {
      if (await requestReminders(this.data.reminderMoment)) {
        this.setData({ remindersOn: true });
        wx.showToast({ title: '已开启提醒', icon: 'success' });
      }
    },
  },
});
