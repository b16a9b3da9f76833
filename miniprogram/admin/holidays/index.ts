/**
 * The holiday calendar that working-day time limits count by: days off
 * (放假) and make-up working days (调休上班) of one year at a time, added and
 * removed here as the State Council publishes them.
 */
import type { Holiday } from '../../services/admin-api';
import { adminApi } from '../../services/admin-api';
import type { PageThis } from '../../utils/define-page';
import { definePage, STALE_STATE } from '../../utils/define-page';
import { submitForm } from '../../utils/form';
import { todayInChina } from '../../utils/time';
import type { Choice } from '../common/admin-labels';
import { confirmAction, picked, typed } from '../common/forms';

const KINDS: Choice<Holiday['kind']>[] = [
  { code: 'holiday', name: '放假' },
  { code: 'workday', name: '调休上班' },
];

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

interface HolidayRow {
  date: string;
  day: string;
  name: string;
  kind: Holiday['kind'];
  kindName: string;
}

type Field = 'date' | 'name';

interface HolidaysData {
  year: number;
  days: HolidayRow[];
  empty: boolean;
  kinds: typeof KINDS;
  kindIndex: number;
  date: string;
  name: string;
  errors: Partial<Record<Field, string>>;
  removing: string;
}

interface HolidaysMethods {
  prevYear(): void;
  nextYear(): void;
  onDate(e: WechatMiniprogram.PickerChange): void;
  onKind(e: WechatMiniprogram.PickerChange): void;
  onName(e: WechatMiniprogram.CustomEvent): void;
  add(): Promise<void>;
  remove(e: WechatMiniprogram.BaseEvent): Promise<void>;
}

type This = PageThis<HolidaysData, HolidaysMethods>;

/** "3月5日 周四": a calendar date, whatever the phone's zone. */
export function dayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${m}月${d}日 ${WEEKDAYS[weekday]}`;
}

export function holidayRows(items: Holiday[]): HolidayRow[] {
  return items
    .slice()
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((h) => ({ date: h.date, day: dayOf(h.date), name: h.name, kind: h.kind, kindName: h.kind === 'workday' ? '调休上班' : '放假' }));
}

function yearNow(): number {
  return Number(todayInChina().slice(0, 4));
}

definePage<HolidaysData, HolidaysMethods>({
  data: { year: 0, days: [], empty: false, kinds: KINDS, kindIndex: 0, date: '', name: '', errors: {}, removing: '' },

  onLoad(query) {
    const year = Number(query.year) || yearNow();
    this.setData({ year });
    this.data.year = year;
  },

  async load() {
    const year = this.data.year || yearNow();
    const { items } = await adminApi.listHolidays(year);
    const days = holidayRows(items);
    return { days, empty: days.length === 0 };
  },

  methods: {
    prevYear(this: This) {
      this.setData({ year: this.data.year - 1, days: [], date: '', errors: {} });
      void this.reload({ skeleton: true });
    },

    nextYear(this: This) {
      this.setData({ year: this.data.year + 1, days: [], date: '', errors: {} });
      void this.reload({ skeleton: true });
    },

    onDate(this: This, e) {
      this.setData({ date: String(e.detail.value), 'errors.date': '' });
    },

    onKind(this: This, e) {
      const kindIndex = picked(e);
      if (KINDS[kindIndex]) this.setData({ kindIndex });
    },

    onName(this: This, e) {
      this.setData({ name: typed(e), 'errors.name': '' });
    },

    async add(this: This) {
      const { date, year } = this.data;
      const name = this.data.name.trim();
      const errors: Partial<Record<Field, string>> = {};
      if (!date) errors.date = '请选择日期';
      else if (Number(date.slice(0, 4)) !== year) errors.date = `请选择 ${year} 年的日期`;
      else if (this.data.days.some((d) => d.date === date)) errors.date = '这一天已经在表里了';
      if (!name) errors.name = '请填写名称，如：春节';
      else if (name.length > 20) errors.name = '名称最多 20 个字';
      const holiday: Holiday = { date, kind: KINDS[this.data.kindIndex].code, name };
      const saved = await submitForm(this, errors, () => adminApi.saveHoliday(holiday), (field) =>
        field === 'date' || field === 'name' ? field : null,
      );
      if (!saved) return;
      const days = holidayRows([...this.data.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name })), holiday]);
      this.setData({ days, empty: false, date: '', name: '' });
      wx.showToast({ title: '已添加', icon: 'success' });
    },

    async remove(this: This, e) {
      const date = (e.currentTarget.dataset as { date?: string }).date;
      const row = this.data.days.find((d) => d.date === date);
      if (!row) return;
      if (!(await confirmAction(`删除${row.day}？`, `${row.name}（${row.kindName}）将不再计入工作日计算。`, '删除'))) return;
      this.setData({ removing: row.date });
      const done = await this.send(() => adminApi.deleteHoliday(row.date), { reloadOn: STALE_STATE });
      this.setData({ removing: '' });
      if (!done) return;
      const days = this.data.days.filter((d) => d.date !== row.date);
      this.setData({ days, empty: days.length === 0 });
    },
  },
});
