/** One task force: name, lead organisation and the zones it serves (ticked by name), and the way to its members. */
import type { Option } from '../../../typings/api';
import type { TaskForceOption } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';
import { submitForm } from '../../utils/form';
import { newCode } from '../common/admin-labels';
import { typed } from '../common/forms';

type Field = 'name' | 'leadOrg' | 'zones';

interface TaskForceData {
  isNew: boolean;
  id: string;
  name: string;
  leadOrg: string;
  zones: Option[];
  zoneCodes: string[];
  errors: Partial<Record<Field, string>>;
}

interface TaskForceMethods {
  onText(e: WechatMiniprogram.CustomEvent): void;
  onZones(e: WechatMiniprogram.CustomEvent<string[]>): void;
  save(): Promise<void>;
  members(): void;
}

type This = PageThis<TaskForceData, TaskForceMethods> & { taskForce?: TaskForceOption; nextOrder?: number };

export function validateTaskForce(data: TaskForceData): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const name = data.name.trim();
  const lead = data.leadOrg.trim();
  if (name.length < 2 || name.length > 60) errors.name = '专班名称应为 2–60 个字';
  if (lead.length < 2 || lead.length > 40) errors.leadOrg = '牵头单位应为 2–40 个字';
  if (!data.zoneCodes.length) errors.zones = '至少选择一个区域';
  else if (data.zoneCodes.length > 20) errors.zones = '最多选择 20 个区域';
  return errors;
}

definePage<TaskForceData, TaskForceMethods>({
  data: { isNew: true, id: '', name: '', leadOrg: '', zones: [], zoneCodes: [], errors: {} },

  async load(query) {
    const self = this as This;
    const [list, options] = await Promise.all([adminApi.listTaskForces(), adminApi.enterpriseOptions()]);
    self.nextOrder = list.items.length + 1;
    if (!query.id) return { zones: options.zones };
    const tf = list.items.find((t) => t.id === query.id);
    if (!tf) throw Object.assign(new Error('这个服务专班已不存在'), { code: 'NOT_FOUND' });
    self.taskForce = tf;
    return { zones: options.zones, isNew: false, id: tf.id, name: tf.name, leadOrg: tf.leadOrg, zoneCodes: tf.zoneCodes || [] };
  },

  methods: {
    onText(this: This, e) {
      const field = (e.currentTarget.dataset as { field: 'name' | 'leadOrg' }).field;
      this.setData({ [field]: typed(e), [`errors.${field}`]: '' });
    },

    onZones(this: This, e) {
      this.setData({ zoneCodes: Array.isArray(e.detail) ? e.detail : [], 'errors.zones': '' });
    },

    async save(this: This) {
      const id = this.data.id || newCode('tf');
      const before = this.taskForce as (TaskForceOption & { order?: number }) | undefined;
      const order = before && before.order !== undefined ? before.order : this.nextOrder || 100;
      // Kept in the order the zone list has them, whatever order they were ticked in.
      const zoneCodes = this.data.zones.map((z) => z.code).filter((c) => this.data.zoneCodes.includes(c));
      const saved = await submitForm(
        this,
        validateTaskForce(this.data),
        () => adminApi.saveTaskForce({ id, name: this.data.name.trim(), leadOrg: this.data.leadOrg.trim(), zoneCodes, order }),
        (field) => {
          if (field === 'name' || field === 'leadOrg') return field;
          return field && field.indexOf('zoneCodes') === 0 ? 'zones' : null;
        },
      );
      if (!saved) return;
      wx.showToast({ title: '已保存', icon: 'success' });
      wx.navigateBack();
    },

    members(this: This) {
      if (this.data.id) wx.navigateTo({ url: `/admin/members/index?taskForceId=${this.data.id}` });
    },
  },
});
