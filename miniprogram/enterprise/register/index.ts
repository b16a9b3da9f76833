/**
 * Enterprise registration. Whatever happens to the request, the form keeps
 * what was typed: older owners on weak signal must not have to type a
 * credit code twice.
 */
import type { EnterpriseInput, IndustryCode, Option } from '../../../typings/api';
import { refreshSession } from '../../services/session';
import { definePage } from '../../utils/define-page';
import { submitForm } from '../../utils/form';

interface RegisterForm {
  name: string;
  creditCode: string;
  industry: string;
  zone: string;
  address: string;
  latitude: string;
  longitude: string;
  contactName: string;
  contactPhone: string;
  employees: string;
  chamberCodes: string[];
}

type FieldKey = keyof RegisterForm | 'location';

interface RegisterData {
  form: RegisterForm;
  errors: Partial<Record<FieldKey, string>>;
  industries: Option[];
  zones: Option[];
  chambers: Option[];
  industryIndex: number;
  zoneIndex: number;
  industryName: string;
  zoneName: string;
  locating: boolean;
}

const FIELDS: FieldKey[] = [
  'name', 'creditCode', 'industry', 'zone', 'address', 'location',
  'contactName', 'contactPhone', 'employees', 'chamberCodes',
];

/** The server names nested fields ("location.latitude"); the form shows them at their top-level row. */
function fieldOf(serverField: string | undefined): FieldKey | null {
  if (!serverField) return null;
  const head = serverField.split(/[.[]/)[0];
  if (head === 'latitude' || head === 'longitude') return 'location';
  return (FIELDS as string[]).includes(head) ? (head as FieldKey) : null;
}

function validate(form: RegisterForm): Partial<Record<FieldKey, string>> {
  const errors: Partial<Record<FieldKey, string>> = {};
  if (!form.name.trim()) errors.name = '请填写企业名称';
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(form.creditCode.trim().toUpperCase())) {
    errors.creditCode = '统一社会信用代码应为 18 位';
  }
  if (!form.industry) errors.industry = '请选择所属行业';
  if (!form.zone) errors.zone = '请选择所在片区';
  if (!form.address.trim()) errors.address = '请填写地址';
  const lat = Number(form.latitude);
  const lng = Number(form.longitude);
  if (form.latitude === '' || form.longitude === '' || !(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) {
    errors.location = '请点“使用当前位置”，或填写经纬度';
  }
  if (!form.contactName.trim()) errors.contactName = '请填写联系人';
  if (!/^1\d{10}$/.test(form.contactPhone.trim())) errors.contactPhone = '请填写 11 位手机号';
  if (!/^\d+$/.test(form.employees.trim())) errors.employees = '请填写员工人数';
  return errors;
}

function toInput(form: RegisterForm): EnterpriseInput {
  return {
    name: form.name.trim(),
    creditCode: form.creditCode.trim().toUpperCase(),
    industry: form.industry as IndustryCode,
    zone: form.zone,
    address: form.address.trim(),
    location: { latitude: Number(form.latitude), longitude: Number(form.longitude) },
    contactName: form.contactName.trim(),
    contactPhone: form.contactPhone.trim(),
    employees: Number(form.employees),
    chamberCodes: form.chamberCodes,
  };
}

interface RegisterMethods {
  onField(e: WechatMiniprogram.CustomEvent): void;
  onPickIndustry(e: WechatMiniprogram.PickerChange): void;
  onPickZone(e: WechatMiniprogram.PickerChange): void;
  onChambers(e: WechatMiniprogram.CustomEvent): void;
  locate(): void;
  submit(): Promise<void>;
}

definePage<RegisterData, RegisterMethods>({
  data: {
    form: {
      name: '', creditCode: '', industry: '', zone: '', address: '', latitude: '', longitude: '',
      contactName: '', contactPhone: '', employees: '', chamberCodes: [],
    },
    errors: {},
    industries: [],
    zones: [],
    chambers: [],
    industryIndex: -1,
    zoneIndex: -1,
    industryName: '',
    zoneName: '',
    locating: false,
  },

  async load() {
    const options = await this.api.enterpriseOptions();
    return { industries: options.industries, zones: options.zones, chambers: options.chambers };
  },

  methods: {
    onField(e) {
      const field = (e.currentTarget.dataset as { field: keyof RegisterForm }).field;
      const errorKey = field === 'latitude' || field === 'longitude' ? 'location' : field;
      this.setData({ [`form.${field}`]: e.detail, [`errors.${errorKey}`]: '' });
    },

    onPickIndustry(e) {
      const index = Number(e.detail.value);
      const option = this.data.industries[index];
      if (!option) return;
      this.setData({ industryIndex: index, industryName: option.name, 'form.industry': option.code, 'errors.industry': '' });
    },

    onPickZone(e) {
      const index = Number(e.detail.value);
      const option = this.data.zones[index];
      if (!option) return;
      this.setData({ zoneIndex: index, zoneName: option.name, 'form.zone': option.code, 'errors.zone': '' });
    },

    onChambers(e) {
      this.setData({ 'form.chamberCodes': e.detail as unknown as string[] });
    },

    locate() {
      this.setData({ locating: true });
      // gcj02 is what WeChat maps and the check-in distance use, so both sides compare like with like.
      wx.getLocation({
        type: 'gcj02',
        success: (res) => {
          this.setData({
            locating: false,
            'form.latitude': res.latitude.toFixed(6),
            'form.longitude': res.longitude.toFixed(6),
            'errors.location': '',
          });
        },
        fail: () => {
          this.setData({ locating: false, 'errors.location': '无法获取位置，请在设置中允许定位，或手动填写经纬度' });
        },
      });
    },

    async submit() {
      const enterprise = await submitForm(this, validate(this.data.form), () => this.api.registerEnterprise(toInput(this.data.form)), fieldOf);
      if (!enterprise) return;
      // The home page and the needs pages read roles from the session; it just changed.
      refreshSession().catch(() => undefined);
      wx.showToast({ title: '登记成功', icon: 'success' });
      wx.redirectTo({ url: '/enterprise/home/index' });
    },
  },
});
