/**
 * Who belongs to a unit (?unitCode=) or a task force (?taskForceId=), and
 * 移除 for someone who has left: their role there is revoked, after a
 * confirmation that names them. New members come by invite code.
 */
import type { Member, MembersOf, RevokeInput } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis, Query } from '../../utils/define-page';
import { definePage, STALE_STATE } from '../../utils/define-page';
import { formatDate } from '../../utils/time';
import { confirmAction } from '../common/forms';

interface MemberRow {
  openid: string;
  name: string;
  head: boolean;
  joinedAt: string;
}

interface MembersData {
  heading: string;
  members: MemberRow[];
  empty: boolean;
  /** The openid being removed, so only that row's button spins. */
  removing: string;
}

interface MembersMethods {
  remove(e: WechatMiniprogram.BaseEvent): Promise<void>;
  invite(): void;
}

type This = PageThis<MembersData, MembersMethods>;

export function scopeOf(query: Query): MembersOf | null {
  if (query.unitCode) return { unitCode: query.unitCode };
  if (query.taskForceId) return { taskForceId: query.taskForceId };
  return null;
}

export function memberRows(items: Member[]): MemberRow[] {
  // Heads first: they are the ones others ask for.
  return items
    .slice()
    .sort((a, b) => Number(b.head) - Number(a.head))
    .map((m) => ({ openid: m.openid, name: m.name || '未填写姓名', head: !!m.head, joinedAt: formatDate(m.joinedAt) }));
}

async function headingOf(scope: MembersOf): Promise<string> {
  if ('unitCode' in scope) {
    const units = await adminApi.listUnits().then((r) => r.items, () => []);
    const unit = units.find((u) => u.code === scope.unitCode);
    return unit ? `${unit.name}的成员` : '本单位成员';
  }
  const list = await adminApi.listTaskForces().then((r) => r.items, () => []);
  const tf = list.find((t) => t.id === scope.taskForceId);
  return tf ? `${tf.name}的成员` : '本专班成员';
}

definePage<MembersData, MembersMethods>({
  data: { heading: '', members: [], empty: false, removing: '' },
  // Back from the invite page, a member who just joined shows.
  reloadOnShow: true,

  async load(query) {
    const scope = scopeOf(query);
    if (!scope) throw Object.assign(new Error('没有指定单位或服务专班'), { code: 'INVALID_ARGUMENT' });
    const [members, heading] = await Promise.all([adminApi.members(scope), headingOf(scope)]);
    const rows = memberRows(members.items);
    return { heading, members: rows, empty: rows.length === 0 };
  },

  methods: {
    async remove(this: This, e) {
      const openid = (e.currentTarget.dataset as { openid?: string }).openid;
      const member = this.data.members.find((m) => m.openid === openid);
      const scope = scopeOf(this.query);
      if (!member || !scope) return;
      const where = 'unitCode' in scope ? '本单位' : '本专班';
      if (!(await confirmAction(`移除${member.name}？`, `移除后，${member.name}不能再处理${where}的工作；需要时可重新发邀请码。`, '移除'))) return;
      const input: RevokeInput =
        'unitCode' in scope
          ? { openid: member.openid, role: 'unit', unitCode: scope.unitCode }
          : { openid: member.openid, role: 'taskforce', taskForceId: scope.taskForceId };
      this.setData({ removing: member.openid });
      const done = await this.send(() => adminApi.revoke(input), { reloadOn: STALE_STATE });
      this.setData({ removing: '' });
      if (!done) return;
      const members = this.data.members.filter((m) => m.openid !== member.openid);
      this.setData({ members, empty: members.length === 0 });
      wx.showToast({ title: '已移除', icon: 'success' });
    },

    invite(this: This) {
      const scope = scopeOf(this.query);
      if (!scope) return;
      const url = 'unitCode' in scope ? `/admin/invite/index?role=unit&unitCode=${scope.unitCode}` : `/admin/invite/index?role=taskforce&taskForceId=${scope.taskForceId}`;
      wx.navigateTo({ url });
    },
  },
});
