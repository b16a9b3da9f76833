/**
 * Home: what is this person's to do now — counts from user.todo for each hat
 * they wear — and the place to redeem an invite code, which is how a chamber
 * head, a task-force member or an admin gets their role. It reloads on every
 * show because registering or redeeming changes the roles.
 *
 * Offline (issue 9): someone who logged in before opens it from the session
 * kept on the phone, with 「离线 · 更新于 HH:mm」; a task-force member's
 * overdue count then comes from the zone kept on the phone. While online, a
 * member's phone is filled with what the visits need offline.
 */
import type { Todo } from '../../../typings/api';
import { refreshSessionStatus } from '../../services/session';
import { forgetTaskforceCache, storedProfile, storedZone, warmTaskforceCache } from '../../services/visit-api';
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
  /** 「离线 · 更新于 HH:mm」 when the session is the one kept on the phone. */
  offlineText: string;
  /** The member's task force and zones, by name (never the code). */
  taskForceName: string;
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
    offlineText: '',
    taskForceName: '',
  },
  reloadOnShow: true,

  onShow() {
    // Check-ins saved while offline go out as soon as the app is open with a network, whichever page is shown.
    startAutoFlush();
    void flushQueue().catch(() => undefined);
  },

  async load() {
    const status = await refreshSessionStatus();
    const session = status.data;
    const hasEnterprise = !!session.enterpriseId;
    const isUnit = session.unitCodes.length > 0;
    const isTaskforce = !!session.taskForceId;
    const isAdmin = session.roles.includes('admin');
    let todo: Todo = {};
    if (status.offline) {
      const zone = isTaskforce ? storedZone() : null;
      if (zone) todo = { taskforce: { overdue: zone.data.items.filter((e) => e.overdue).length } };
    } else {
      // The counts are a help, not the page: without them the links still work.
      todo = await this.api.todo().catch((): Todo => ({}));
      // A member no longer in a task force must not keep the zone's phone numbers on the phone.
      if (!isTaskforce) forgetTaskforceCache();
      else {
        void warmTaskforceCache().then(() => {
          const profile = storedProfile();
          if (profile) this.setData({ taskForceName: profile.data.taskForceName });
        });
      }
    }
    const profile = isTaskforce ? storedProfile() : null;
    const reminderMoment = session.headOf.length ? 'unitHead' : 'unitMember';
    return {
      offlineText: status.offlineText,
      taskForceName: profile ? profile.data.taskForceName : '',
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
