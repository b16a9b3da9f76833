/** The task forces with their lead organisation and zones by name; a tap opens one. */
import type { Option } from '../../../typings/api';
import type { TaskForceOption } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage } from '../../utils/define-page';

interface TaskForceRow {
  id: string;
  name: string;
  detail: string;
}

interface TaskForcesData {
  taskForces: TaskForceRow[];
  empty: boolean;
}

interface TaskForcesMethods {
  open(e: WechatMiniprogram.BaseEvent): void;
  add(): void;
}

type This = PageThis<TaskForcesData, TaskForcesMethods>;

export function taskForceRows(list: TaskForceOption[], zones: Option[]): TaskForceRow[] {
  const zoneName = (code: string) => (zones.find((z) => z.code === code) || { name: '（已删除的区域）' }).name;
  return list.map((tf) => ({ id: tf.id, name: tf.name, detail: `${tf.leadOrg}牵头 · ${(tf.zoneCodes || []).map(zoneName).join('、')}` }));
}

definePage<TaskForcesData, TaskForcesMethods>({
  data: { taskForces: [], empty: false },
  reloadOnShow: true,

  async load() {
    const [list, options] = await Promise.all([adminApi.listTaskForces(), adminApi.enterpriseOptions()]);
    return { taskForces: taskForceRows(list.items, options.zones), empty: list.items.length === 0 };
  },

  methods: {
    open(this: This, e) {
      const id = (e.currentTarget.dataset as { id?: string }).id;
      if (id) wx.navigateTo({ url: `/admin/taskforce/index?id=${id}` });
    },

    add() {
      wx.navigateTo({ url: '/admin/taskforce/index' });
    },
  },
});
