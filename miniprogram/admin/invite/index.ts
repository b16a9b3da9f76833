/**
 * An admin makes a one-time invite code for a new enterprise owner, task-force
 * member, unit member (or head) or another admin, says who it is for, and
 * passes it on by chat: the code is shown big with a copy button. Units and
 * task forces are picked by name. Below, the codes already issued, with
 * their state, and 撤销 for one that should no longer work.
 */
import type { Invite, InviteInput, InviteRole, InviteRow, TaskForceOption, UnitOption } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage, messageOf, STALE_STATE } from '../../utils/define-page';
import { submitForm } from '../../utils/form';
import { formatDateTime } from '../../utils/time';
import { indexOf } from '../common/admin-labels';
import { confirmAction, picked, typed } from '../common/forms';
import { copyText } from '../../utils/clipboard';

const ROLES: { code: InviteRole; name: string }[] = [
  { code: 'enterprise', name: '企业' },
  { code: 'taskforce', name: '服务专班' },
  { code: 'unit', name: '责任单位' },
  { code: 'admin', name: '管理员' },
];

const STATUS_NAMES: Record<InviteRow['status'], string> = { open: '待使用', used: '已使用', revoked: '已撤销' };

type Field = 'name' | 'unit' | 'taskForce';

interface InviteView {
  code: string;
  expiresAt: string;
  /** Who the code is for, so a code made before a role change is not passed to the wrong person. */
  forWhom: string;
}

interface IssuedRow {
  code: string;
  who: string;
  what: string;
  when: string;
  status: InviteRow['status'];
  statusName: string;
}

interface InviteData {
  roles: typeof ROLES;
  roleIndex: number;
  role: InviteRole;
  units: UnitOption[];
  unitIndex: number;
  taskForces: TaskForceOption[];
  taskForceIndex: number;
  head: boolean;
  name: string;
  errors: Partial<Record<Field, string>>;
  invite: InviteView | null;
  issued: IssuedRow[];
  issuedCursor: string;
  issuedError: string;
  loadingMore: boolean;
  revoking: string;
}

interface InviteMethods {
  onRole(e: WechatMiniprogram.PickerChange): void;
  onUnit(e: WechatMiniprogram.PickerChange): void;
  onTaskForce(e: WechatMiniprogram.PickerChange): void;
  onHead(e: WechatMiniprogram.CustomEvent): void;
  onName(e: WechatMiniprogram.CustomEvent): void;
  create(): Promise<void>;
  copy(): void;
  revoke(e: WechatMiniprogram.BaseEvent): Promise<void>;
  moreIssued(): Promise<void>;
  refreshIssued(): Promise<void>;
}

type This = PageThis<InviteData, InviteMethods>;

export function inputOf(data: InviteData): { input?: InviteInput; errors: Partial<Record<Field, string>> } {
  const errors: Partial<Record<Field, string>> = {};
  const name = data.name.trim();
  if (name.length < 2 || name.length > 20) errors.name = '请填写对方的姓名或称呼（2–20 个字）';
  let input: InviteInput = { role: data.role, name };
  if (data.role === 'unit') {
    const unit = data.units[data.unitIndex];
    if (!unit) errors.unit = '请选择单位';
    else input = { role: 'unit', unitCode: unit.code, ...(data.head ? { head: true } : {}), name };
  }
  if (data.role === 'taskforce') {
    const tf = data.taskForces[data.taskForceIndex];
    if (!tf) errors.taskForce = '请选择服务专班';
    else input = { role: 'taskforce', taskForceId: tf.id, name };
  }
  return Object.keys(errors).length ? { errors } : { input, errors };
}

function forWhom(data: InviteData, input: InviteInput): string {
  const role = ROLES.find((r) => r.code === input.role);
  let what = role ? role.name : '';
  if (input.role === 'unit') {
    const unit = data.units.find((u) => u.code === input.unitCode);
    what = `${what} · ${unit ? unit.name : ''}${input.head ? '（负责人）' : ''}`;
  }
  if (input.role === 'taskforce') {
    const tf = data.taskForces.find((t) => t.id === input.taskForceId);
    what = `${what} · ${tf ? tf.name : ''}`;
  }
  return input.name ? `发给 ${input.name}：${what}` : what;
}

export function issuedRows(items: InviteRow[], units: UnitOption[], taskForces: TaskForceOption[]): IssuedRow[] {
  return items.map((i) => {
    const role = ROLES.find((r) => r.code === i.role);
    let what = role ? role.name : '';
    if (i.role === 'unit') {
      const unitName = i.unitName || (units.find((u) => u.code === i.unitCode) || { name: '' }).name;
      what = `${what}${unitName ? ` · ${unitName}` : ''}${i.head ? '（负责人）' : ''}`;
    }
    if (i.role === 'taskforce') {
      const tfName = i.taskForceName || (taskForces.find((t) => t.id === i.taskForceId) || { name: '' }).name;
      what = `${what}${tfName ? ` · ${tfName}` : ''}`;
    }
    const when =
      i.status === 'used' && i.usedAt
        ? `${formatDateTime(i.usedAt)} 已使用`
        : i.status === 'revoked' && i.revokedAt
          ? `${formatDateTime(i.revokedAt)} 已撤销`
          : `${formatDateTime(i.createdAt)} 发放`;
    return { code: i.code, who: i.name || '未注明发给谁', what, when, status: i.status, statusName: STATUS_NAMES[i.status] || '' };
  });
}

definePage<InviteData, InviteMethods>({
  data: {
    roles: ROLES,
    roleIndex: 0,
    role: 'enterprise',
    units: [],
    unitIndex: -1,
    taskForces: [],
    taskForceIndex: -1,
    head: false,
    name: '',
    errors: {},
    invite: null,
    issued: [],
    issuedCursor: '',
    issuedError: '',
    loadingMore: false,
    revoking: '',
  },

  // A members page opens this set to its unit or task force (?role=unit&unitCode=…, ?role=taskforce&taskForceId=…).
  async load(query) {
    const [units, taskForces, issued] = await Promise.all([
      adminApi.listUnits(),
      adminApi.listTaskForces(),
      adminApi.listInvites().catch((err: unknown) => new Error(messageOf(err))),
    ]);
    const roleIndex = Math.max(0, ROLES.findIndex((r) => r.code === query.role));
    return {
      units: units.items,
      taskForces: taskForces.items,
      roleIndex,
      role: ROLES[roleIndex].code,
      unitIndex: indexOf(units.items, query.unitCode),
      taskForceIndex: taskForces.items.findIndex((t) => !!query.taskForceId && t.id === query.taskForceId),
      ...(issued instanceof Error
        ? { issued: [], issuedCursor: '', issuedError: `已发放的邀请码暂时无法显示：${issued.message}` }
        : { issued: issuedRows(issued.items, units.items, taskForces.items), issuedCursor: issued.nextCursor || '', issuedError: '' }),
    };
  },

  methods: {
    onRole(this: This, e) {
      const roleIndex = picked(e);
      const role = ROLES[roleIndex];
      if (!role || roleIndex === this.data.roleIndex) return;
      this.setData({ roleIndex, role: role.code, invite: null, errors: {}, sendError: '' });
    },

    onUnit(this: This, e) {
      const unitIndex = picked(e);
      if (!this.data.units[unitIndex]) return;
      this.setData({ unitIndex, 'errors.unit': '', invite: null });
    },

    onTaskForce(this: This, e) {
      const taskForceIndex = picked(e);
      if (!this.data.taskForces[taskForceIndex]) return;
      this.setData({ taskForceIndex, 'errors.taskForce': '', invite: null });
    },

    onHead(this: This, e) {
      this.setData({ head: !!e.detail, invite: null });
    },

    onName(this: This, e) {
      this.setData({ name: typed(e), 'errors.name': '', invite: null });
    },

    async create(this: This) {
      const { input, errors } = inputOf(this.data);
      const invite: Invite | undefined = await submitForm(
        this,
        errors,
        () => adminApi.createInvite(input as InviteInput),
        // The server names the field it rejects (unknown unit or task force): show it there.
        (field) => ({ unitCode: 'unit', taskForceId: 'taskForce', name: 'name' } as Record<string, Field>)[field || ''] || null,
      );
      if (!invite || !input) return;
      this.setData({
        invite: { code: invite.code, expiresAt: formatDateTime(invite.expiresAt), forWhom: forWhom(this.data, input) },
        name: '',
      });
      void this.refreshIssued();
    },

    copy(this: This) {
      const invite = this.data.invite;
      if (!invite) return;
      // WeChat shows its own "内容已复制" toast on success.
      copyText(invite.code);
    },

    async refreshIssued(this: This) {
      try {
        const page = await adminApi.listInvites();
        this.setData({ issued: issuedRows(page.items, this.data.units, this.data.taskForces), issuedCursor: page.nextCursor || '', issuedError: '' });
      } catch (err) {
        this.setData({ issuedError: `已发放的邀请码暂时无法显示：${messageOf(err)}` });
      }
    },

    async moreIssued(this: This) {
      const cursor = this.data.issuedCursor;
      if (!cursor || this.data.loadingMore) return;
      this.setData({ loadingMore: true });
      try {
        const page = await adminApi.listInvites(cursor);
        this.setData({
          issued: [...this.data.issued, ...issuedRows(page.items, this.data.units, this.data.taskForces)],
          issuedCursor: page.nextCursor || '',
          loadingMore: false,
        });
      } catch (err) {
        this.setData({ loadingMore: false });
        wx.showToast({ title: messageOf(err), icon: 'none' });
      }
    },

    async revoke(this: This, e) {
      const code = (e.currentTarget.dataset as { code?: string }).code;
      const row = this.data.issued.find((i) => i.code === code);
      if (!row || row.status !== 'open') return;
      if (!(await confirmAction('撤销这个邀请码？', `${row.who}将不能再用它绑定身份。`, '撤销'))) return;
      this.setData({ revoking: row.code });
      const done = await this.send(() => adminApi.revokeInvite(row.code), { reloadOn: STALE_STATE });
      this.setData({ revoking: '' });
      if (!done) return;
      const i = this.data.issued.findIndex((x) => x.code === row.code);
      if (i >= 0) this.setData({ [`issued[${i}].status`]: 'revoked', [`issued[${i}].statusName`]: STATUS_NAMES.revoked, [`issued[${i}].when`]: '刚刚撤销' });
      if (this.data.invite && this.data.invite.code === row.code) this.setData({ invite: null });
      wx.showToast({ title: '已撤销', icon: 'success' });
    },
  },
});
