/**
 * An admin makes a one-time invite code for a new enterprise owner, task-force
 * member, unit member (or head) or another admin, and passes it on by chat:
 * the code is shown big with a copy button.
 */
import type { Invite, InviteInput, InviteRole, UnitOption } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { formatDateTime } from '../../utils/time';

const ROLES: { code: InviteRole; name: string }[] = [
  { code: 'enterprise', name: '企业' },
  { code: 'taskforce', name: '服务专班' },
  { code: 'unit', name: '责任单位' },
  { code: 'admin', name: '管理员' },
];

interface InviteView {
  code: string;
  expiresAt: string;
  /** Who the code is for, so a code made before a role change is not passed to the wrong person. */
  forWhom: string;
}

interface InviteData {
  roles: typeof ROLES;
  roleIndex: number;
  role: InviteRole;
  units: UnitOption[];
  unitIndex: number;
  head: boolean;
  taskForceId: string;
  unitError: string;
  taskForceError: string;
  invite: InviteView | null;
}

interface InviteMethods {
  onRole(e: WechatMiniprogram.PickerChange): void;
  onUnit(e: WechatMiniprogram.PickerChange): void;
  onHead(e: WechatMiniprogram.CustomEvent): void;
  onTaskForce(e: WechatMiniprogram.CustomEvent): void;
  create(): Promise<void>;
  copy(): void;
}

type This = PageThis<InviteData, InviteMethods>;

function inputOf(data: InviteData): InviteInput | { error: 'unitCode' | 'taskForceId' } {
  if (data.role === 'unit') {
    const unit = data.units[data.unitIndex];
    if (!unit) return { error: 'unitCode' };
    return data.head ? { role: 'unit', unitCode: unit.code, head: true } : { role: 'unit', unitCode: unit.code };
  }
  if (data.role === 'taskforce') {
    const id = data.taskForceId.trim();
    if (!id) return { error: 'taskForceId' };
    return { role: 'taskforce', taskForceId: id };
  }
  return { role: data.role };
}

function forWhom(data: InviteData, input: InviteInput): string {
  const role = ROLES.find((r) => r.code === input.role);
  const name = role ? role.name : input.role;
  if (input.role === 'unit') {
    const unit = data.units.find((u) => u.code === input.unitCode);
    return `${name} · ${unit ? unit.name : input.unitCode}${input.head ? '（负责人）' : ''}`;
  }
  if (input.role === 'taskforce') return `${name} · ${input.taskForceId}`;
  return name;
}

definePage<InviteData, InviteMethods>({
  data: {
    roles: ROLES,
    roleIndex: 0,
    role: 'enterprise',
    units: [],
    unitIndex: -1,
    head: false,
    taskForceId: '',
    unitError: '',
    taskForceError: '',
    invite: null,
  },

  async load() {
    const { items } = await adminApi.listUnits();
    return { units: items };
  },

  methods: {
    onRole(this: This, e) {
      const roleIndex = Number(e.detail.value);
      const role = ROLES[roleIndex];
      if (!role || roleIndex === this.data.roleIndex) return;
      this.setData({ roleIndex, role: role.code, invite: null, unitError: '', taskForceError: '', sendError: '' });
    },

    onUnit(this: This, e) {
      const unitIndex = Number(e.detail.value);
      if (!this.data.units[unitIndex]) return;
      this.setData({ unitIndex, unitError: '', invite: null });
    },

    onHead(this: This, e) {
      this.setData({ head: !!e.detail, invite: null });
    },

    onTaskForce(this: This, e) {
      this.setData({ taskForceId: String(e.detail || ''), taskForceError: '', invite: null });
    },

    async create(this: This) {
      const input = inputOf(this.data);
      if ('error' in input) {
        if (input.error === 'unitCode') this.setData({ unitError: '请选择单位' });
        else this.setData({ taskForceError: '请填写服务专班编号' });
        return;
      }
      const invite: Invite | undefined = await this.send(() => adminApi.createInvite(input), {
        onError: (err) => {
          // The server names the field it rejects (unknown unit or task force): show it there.
          if (err.field === 'unitCode') this.setData({ unitError: err.message });
          else if (err.field === 'taskForceId') this.setData({ taskForceError: err.message });
          else return false;
          return true;
        },
      });
      if (!invite) return;
      this.setData({
        invite: { code: invite.code, expiresAt: formatDateTime(invite.expiresAt), forWhom: forWhom(this.data, input) },
      });
    },

    copy(this: This) {
      const invite = this.data.invite;
      if (!invite) return;
      // WeChat shows its own "内容已复制" toast on success.
      wx.setClipboardData({ data: invite.code });
    },
  },
});
