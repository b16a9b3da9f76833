/**
 * A supplies request. The clientKey is made once per form: a retry after a
 * lost answer sends the same key, so the server creates the need once.
 */
import type { SupplyItem, SupplyKind } from '../../../typings/api';
import { definePage } from '../../utils/define-page';
import { SUPPLY_KIND_DEFAULT_UNIT, SUPPLY_KIND_LABELS } from '../../utils/labels';
import { endOfChinaDay, todayInChina } from '../../utils/time';

interface ItemRow {
  kind: SupplyKind;
  kindLabel: string;
  kindIndex: number;
  quantity: string;
  unit: string;
  error: string;
}

interface SuppliesData {
  kinds: { code: SupplyKind; name: string }[];
  items: ItemRow[];
  neededBy: string;
  today: string;
  deliveryAddress: string;
  errors: { items?: string; neededBy?: string; deliveryAddress?: string };
  clientKey: string;
}

const KINDS = (Object.keys(SUPPLY_KIND_LABELS) as SupplyKind[]).map((code) => ({ code, name: SUPPLY_KIND_LABELS[code] }));

function newItem(kindIndex = 0): ItemRow {
  const kind = KINDS[kindIndex].code;
  return { kind, kindLabel: KINDS[kindIndex].name, kindIndex, quantity: '', unit: SUPPLY_KIND_DEFAULT_UNIT[kind], error: '' };
}

export function makeClientKey(): string {
  return `sup-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

interface SuppliesMethods {
  onKind(e: WechatMiniprogram.PickerChange): void;
  onItemField(e: WechatMiniprogram.CustomEvent): void;
  addItem(): void;
  removeItem(e: WechatMiniprogram.CustomEvent): void;
  onDate(e: WechatMiniprogram.PickerChange): void;
  onAddress(e: WechatMiniprogram.CustomEvent): void;
  submit(): Promise<void>;
}

definePage<SuppliesData, SuppliesMethods>({
  data: {
    kinds: KINDS,
    items: [newItem()],
    neededBy: '',
    today: '',
    deliveryAddress: '',
    errors: {},
    clientKey: '',
  },

  onLoad() {
    this.setData({ clientKey: makeClientKey(), today: todayInChina() });
    // Prefill the address from the registration; not worth an error state if it fails.
    this.api.getEnterprise().then(
      (e) => {
        if (!this.data.deliveryAddress) this.setData({ deliveryAddress: e.address });
      },
      () => undefined,
    );
  },

  methods: {
    onKind(e) {
      const index = Number((e.currentTarget.dataset as { index: number }).index);
      const kindIndex = Number(e.detail.value);
      const kind = KINDS[kindIndex];
      if (!kind) return;
      this.setData({
        [`items[${index}].kind`]: kind.code,
        [`items[${index}].kindLabel`]: kind.name,
        [`items[${index}].kindIndex`]: kindIndex,
        [`items[${index}].unit`]: SUPPLY_KIND_DEFAULT_UNIT[kind.code],
      });
    },

    onItemField(e) {
      const { index, field } = e.currentTarget.dataset as { index: number; field: 'quantity' | 'unit' };
      this.setData({ [`items[${index}].${field}`]: e.detail, [`items[${index}].error`]: '', 'errors.items': '' });
    },

    addItem() {
      this.setData({ items: [...this.data.items, newItem()] });
    },

    removeItem(e) {
      const index = Number((e.currentTarget.dataset as { index: number }).index);
      if (this.data.items.length <= 1) return;
      this.setData({ items: this.data.items.filter((_, i) => i !== index) });
    },

    onDate(e) {
      this.setData({ neededBy: String(e.detail.value), 'errors.neededBy': '' });
    },

    onAddress(e) {
      this.setData({ deliveryAddress: String(e.detail), 'errors.deliveryAddress': '' });
    },

    async submit() {
      const { items, neededBy, deliveryAddress, clientKey } = this.data;
      let invalid = false;
      const checked = items.map((item) => {
        const quantity = Number(item.quantity);
        const error = !Number.isInteger(quantity) || quantity <= 0
          ? '请填写数量'
          : !item.unit.trim() ? '请填写单位' : '';
        if (error) invalid = true;
        return { ...item, error };
      });
      const errors: SuppliesData['errors'] = {};
      if (!neededBy) errors.neededBy = '请选择需要的日期';
      if (!deliveryAddress.trim()) errors.deliveryAddress = '请填写送货地址';
      if (invalid || Object.keys(errors).length) {
        this.setData({ items: checked, errors });
        wx.showToast({ title: '请检查标红的项目', icon: 'none' });
        return;
      }
      const payload: SupplyItem[] = items.map((i) => ({ kind: i.kind, quantity: Number(i.quantity), unit: i.unit.trim() }));
      const result = await this.send(
        () => this.api.submitNeed({ type: 'supplies', clientKey, items: payload, neededBy: endOfChinaDay(neededBy), deliveryAddress: deliveryAddress.trim() }),
        {
          onError: (err) => {
            if (err.code !== 'INVALID_ARGUMENT' || !err.field) return false;
            const m = /^items\.(\d+)/.exec(err.field);
            if (m) this.setData({ [`items[${m[1]}].error`]: err.message });
            else if (err.field === 'neededBy' || err.field === 'deliveryAddress') this.setData({ [`errors.${err.field}`]: err.message });
            else return false;
            return false; // still toast: the field may be scrolled out of sight
          },
        },
      );
      const need = result && result.needs[0];
      if (!need) return;
      wx.showToast({ title: '已提交', icon: 'success' });
      wx.redirectTo({ url: `/enterprise/need-detail/index?id=${need.id}` });
    },
  },
});
