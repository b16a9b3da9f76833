/**
 * Who belongs to this enterprise on the phone: the owner sees everyone,
 * removes someone who has left (after a confirmation that names them; never
 * themselves), and anyone of the enterprise can invite a colleague with a
 * one-time code passed on by chat.
 */
import type { EnterpriseMember, Invite } from '../../services/admin-api';
import { membersApi } from '../../services/admin-api';
import { getSession } from '../../services/session';
import type { PageThis } from '../../utils/define-page';
import { definePage, STALE_STATE } from '../../utils/define-page';
import { submitForm } from '../../utils/form';
import { formatDate, formatDateTime } from '../../utils/time';
import { copyText } from '../../utils/clipboard';

interface MemberRow {
  /** Not the OPENID: the server names members by an id of their own. */
  memberId: string;
  name: string;
  owner: boolean;
  me: boolean;
  joinedAt: string;
}

interface MembersData {
  members: MemberRow[];
  empty: boolean;
  isOwner: boolean;
  removing: string;
  inviteName: string;
  errors: { inviteName?: string };
  invite: { code: string; expiresAt: string; forWhom: string } | null;
}

interface MembersMethods {
  remove(e: WechatMiniprogram.BaseEvent): Promise<void>;
  onInviteName(e: WechatMiniprogram.CustomEvent): void;
  createInvite(): Promise<void>;
  copy(): void;
}

type This = PageThis<MembersData, MembersMethods> & { enterpriseId?: string };

export function memberRows(items: EnterpriseMember[]): MemberRow[] {
  return items
    .slice()
    .sort((a, b) => Number(b.owner) - Number(a.owner))
    .map((m) => ({ memberId: m.memberId, name: m.name || '未填写姓名', owner: !!m.owner, me: !!m.me, joinedAt: formatDate(m.joinedAt) }));
}

definePage<MembersData, MembersMethods>({
  data: { members: [], empty: false, isOwner: false, removing: '', inviteName: '', errors: {}, invite: null },

  async load() {
    const self = this as This;
    const [session, list] = await Promise.all([getSession(), membersApi.list()]);
    self.enterpriseId = session.enterpriseId;
    const members = memberRows(list.items);
    return { members, empty: members.length === 0, isOwner: members.some((m) => m.me && m.owner) };
  },

  methods: {
    async remove(this: This, e) {
      const memberId = (e.currentTarget.dataset as { member?: string }).member;
      const member = this.data.members.find((m) => m.memberId === memberId);
      if (!member || member.me || !this.data.isOwner) return;
      const ok = await new Promise<boolean>((resolve) =>
        wx.showModal({
          title: `移除${member.name}？`,
          content: `移除后，${member.name}不能再查看和提交本企业的需求；需要时可以重新邀请。`,
          confirmText: '移除',
          cancelText: '取消',
          success: (res) => resolve(!!res.confirm),
          fail: () => resolve(false),
        }),
      );
      if (!ok) return;
      this.setData({ removing: member.memberId });
      const done = await this.send(() => membersApi.remove(member.memberId), { reloadOn: STALE_STATE });
      this.setData({ removing: '' });
      if (!done) return;
      const members = this.data.members.filter((m) => m.memberId !== member.memberId);
      this.setData({ members, empty: members.length === 0 });
      wx.showToast({ title: '已移除', icon: 'success' });
    },

    onInviteName(this: This, e) {
      this.setData({ inviteName: String(e.detail || ''), 'errors.inviteName': '', invite: null });
    },

    async createInvite(this: This) {
      const name = this.data.inviteName.trim();
      const errors: { inviteName?: string } = {};
      if (name.length < 2 || name.length > 20) errors.inviteName = '请填写同事的姓名或称呼（2–20 个字）';
      const enterpriseId = this.enterpriseId || '';
      const invite: Invite | undefined = await submitForm(this, errors, () => membersApi.invite(enterpriseId, name), (field) =>
        field === 'name' ? 'inviteName' : null,
      );
      if (!invite) return;
      this.setData({ invite: { code: invite.code, expiresAt: formatDateTime(invite.expiresAt), forWhom: name }, inviteName: '' });
    },

    copy(this: This) {
      if (this.data.invite) copyText(this.data.invite.code);
    },
  },
});
