/**
 * Enterprise registration, made for an owner's first need in under two
 * minutes:
 * - the position is picked on WeChat's map (wx.chooseLocation), never typed,
 *   and not wherever the owner happens to stand: check-ins are later judged
 *   on-site or not against it. The chosen place fills the address and, when
 *   its name says so, the zone.
 * - industry first (it decides where supply requests go), chambers folded
 *   away (most firms belong to none);
 * - what was typed is kept on the phone (the owner may leave to fetch the
 *   business licence) and given back when the page opens again;
 * - after 提交登记 the owner lands on the need form, masks already chosen.
 * Whatever happens to the request, the form keeps what was typed.
 */
import type { EnterpriseInput, IndustryCode, Option } from '../../../typings/api';
import { refreshSession } from '../../services/session';
import { definePage } from '../../utils/define-page';
import { keepDraft, readDraft, scrollToField, submitForm } from '../../utils/form';

const DRAFT_KEY = 'register';

interface RegisterForm {
  name: string;
  creditCode: string;
  industry: string;
  zone: string;
  address: string;
  contactName: string;
  contactPhone: string;
  employees: string;
  chamberCodes: string[];
}

/** The place picked on the map; only its name and address are ever shown. */
interface Place {
  name: string;
  address: string;
  latitude: number;
  longitude: number;
}

type FieldKey = keyof RegisterForm | 'location';

interface RegisterDraft {
  form: RegisterForm;
  place: Place | null;
}

interface RegisterData {
  form: RegisterForm;
  place: Place | null;
  errors: Partial<Record<FieldKey, string>>;
  industries: Option[];
  zones: Option[];
  chambers: Option[];
  industryIndex: number;
  zoneIndex: number;
  industryName: string;
  zoneName: string;
  /** After a refusal WeChat no longer asks: the next tap opens the settings. */
  locationDenied: boolean;
  showChambers: boolean;
  restored: boolean;
}

/** Screen order: the page scrolls to the first of these that has an error. */
const ORDER: FieldKey[] = [
  'industry', 'name', 'creditCode', 'location', 'address', 'zone',
  'employees', 'contactName', 'contactPhone', 'chamberCodes',
];

/** The server names nested fields ("location.latitude"); the form shows them at their top-level row. */
function fieldOf(serverField: string | undefined): FieldKey | null {
  if (!serverField) return null;
  const head = serverField.split(/[.[]/)[0];
  if (head === 'latitude' || head === 'longitude') return 'location';
  return (ORDER as string[]).includes(head) ? (head as FieldKey) : null;
}

function validate(form: RegisterForm, place: Place | null): Partial<Record<FieldKey, string>> {
  const errors: Partial<Record<FieldKey, string>> = {};
  if (!form.industry) errors.industry = '请选择所属行业';
  if (!form.name.trim()) errors.name = '请填写企业名称';
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(form.creditCode.trim().toUpperCase())) {
    errors.creditCode = '统一社会信用代码应为 18 位，见营业执照';
  }
  if (!place) errors.location = '请点这一行，在地图上选择企业所在的位置';
  if (!form.address.trim()) errors.address = '请填写地址';
  if (!form.zone) errors.zone = '请选择所在片区';
  if (!/^\d+$/.test(form.employees.trim())) errors.employees = '请填写员工人数';
  if (!form.contactName.trim()) errors.contactName = '请填写联系人';
  if (!/^1\d{10}$/.test(form.contactPhone.trim())) errors.contactPhone = '请填写 11 位手机号';
  return errors;
}

function toInput(form: RegisterForm, place: Place): EnterpriseInput {
  return {
    name: form.name.trim(),
    creditCode: form.creditCode.trim().toUpperCase(),
    industry: form.industry as IndustryCode,
    zone: form.zone,
    address: form.address.trim(),
    location: { latitude: place.latitude, longitude: place.longitude },
    contactName: form.contactName.trim(),
    contactPhone: form.contactPhone.trim(),
    employees: Number(form.employees.trim()),
    chamberCodes: form.chamberCodes,
  };
}

/** "建桥工业园C区" and "建桥园区C区" name the same place. */
const normalise = (s: string) => s.replace(/工业/g, '').replace(/园区/g, '园').replace(/\s+/g, '');

/** The zone a place's name or address mentions (the longest such name), or null: a guess the owner can change. */
function zoneOfPlace(zones: Option[], place: Pick<Place, 'name' | 'address'>): Option | null {
  const text = normalise(`${place.address} ${place.name}`);
  const hits = zones.filter((z) => z.name && text.includes(normalise(z.name)));
  return hits.sort((a, b) => b.name.length - a.name.length)[0] || null;
}

function isDenied(errMsg: string | undefined): boolean {
  return /auth|deny|denied|permission|authorize/i.test(errMsg || '');
}

const EMPTY_FORM: RegisterForm = {
  name: '', creditCode: '', industry: '', zone: '', address: '',
  contactName: '', contactPhone: '', employees: '', chamberCodes: [],
};

interface RegisterMethods {
  onField(e: WechatMiniprogram.CustomEvent): void;
  onPickIndustry(e: WechatMiniprogram.PickerChange): void;
  onPickZone(e: WechatMiniprogram.PickerChange): void;
  onChambers(e: WechatMiniprogram.CustomEvent): void;
  toggleChambers(): void;
  chooseLocation(): void;
  keep(): void;
  submit(): Promise<void>;
}

definePage<RegisterData, RegisterMethods>({
  data: {
    form: { ...EMPTY_FORM },
    place: null,
    errors: {},
    industries: [],
    zones: [],
    chambers: [],
    industryIndex: -1,
    zoneIndex: -1,
    industryName: '',
    zoneName: '',
    locationDenied: false,
    showChambers: false,
    restored: false,
  },

  onLoad() {
    const draft = readDraft<RegisterDraft>(DRAFT_KEY);
    if (draft) {
      this.setData({
        form: { ...EMPTY_FORM, ...draft.form },
        place: draft.place,
        restored: true,
        showChambers: (draft.form.chamberCodes || []).length > 0,
      });
    }
  },

  async load() {
    const options = await this.api.enterpriseOptions();
    const { industry, zone } = this.data.form;
    const industryIndex = options.industries.findIndex((o) => o.code === industry);
    const zoneIndex = options.zones.findIndex((o) => o.code === zone);
    return {
      industries: options.industries,
      zones: options.zones,
      chambers: options.chambers,
      // A restored draft shows its choices by name.
      industryIndex,
      industryName: industryIndex >= 0 ? options.industries[industryIndex].name : '',
      zoneIndex,
      zoneName: zoneIndex >= 0 ? options.zones[zoneIndex].name : '',
    };
  },

  methods: {
    onField(e) {
      const field = (e.currentTarget.dataset as { field: keyof RegisterForm }).field;
      this.setData({ [`form.${field}`]: String(e.detail ?? ''), [`errors.${field}`]: '' });
      this.keep();
    },

    onPickIndustry(e) {
      const index = Number(e.detail.value);
      const option = this.data.industries[index];
      if (!option) return;
      this.setData({ industryIndex: index, industryName: option.name, 'form.industry': option.code, 'errors.industry': '' });
      this.keep();
    },

    onPickZone(e) {
      const index = Number(e.detail.value);
      const option = this.data.zones[index];
      if (!option) return;
      this.setData({ zoneIndex: index, zoneName: option.name, 'form.zone': option.code, 'errors.zone': '' });
      this.keep();
    },

    onChambers(e) {
      this.setData({ 'form.chamberCodes': (e.detail as unknown as string[]).map(String), 'errors.chamberCodes': '' });
      this.keep();
    },

    toggleChambers() {
      this.setData({ showChambers: !this.data.showChambers });
    },

    chooseLocation() {
      if (this.data.locationDenied && typeof wx.openSetting === 'function') {
        wx.openSetting({ complete: () => this.setData({ locationDenied: false }) });
        return;
      }
      const current = this.data.place;
      wx.chooseLocation({
        // Opens where the owner chose last time, if they come back to correct it.
        ...(current ? { latitude: current.latitude, longitude: current.longitude } : {}),
        success: (res) => {
          const place: Place = { name: res.name || '', address: res.address || '', latitude: res.latitude, longitude: res.longitude };
          const patch: Record<string, unknown> = { place, 'errors.location': '', locationDenied: false };
          // The map's address is usually what the licence says; the owner can still edit it.
          const address = [res.address, res.name].filter(Boolean).join(' ');
          if (address && (!this.data.form.address.trim() || (current && this.data.form.address === [current.address, current.name].filter(Boolean).join(' ')))) {
            patch['form.address'] = address;
            patch['errors.address'] = '';
          }
          const zone = this.data.form.zone ? null : zoneOfPlace(this.data.zones, place);
          if (zone) {
            patch['form.zone'] = zone.code;
            patch.zoneIndex = this.data.zones.indexOf(zone);
            patch.zoneName = zone.name;
            patch['errors.zone'] = '';
          }
          this.setData(patch);
          this.keep();
        },
        fail: (err) => {
          if (isDenied(err && err.errMsg)) {
            this.setData({ locationDenied: true, 'errors.location': '没有位置权限：请再点这一行，在设置里允许“位置信息”后选择' });
            scrollToField('.f-location');
          }
          // Anything else is the owner closing the map: nothing to say.
        },
      });
    },

    keep() {
      keepDraft<RegisterDraft>(DRAFT_KEY, { form: this.data.form, place: this.data.place });
    },

    async submit() {
      const { form, place } = this.data;
      const enterprise = await submitForm(
        this,
        validate(form, place),
        () => this.api.registerEnterprise(toInput(form, place as Place)),
        fieldOf,
        { order: ORDER, draftKey: DRAFT_KEY },
      );
      if (!enterprise) return;
      // The home page and the needs pages read roles from the session; it just changed.
      refreshSession().catch(() => undefined);
      wx.showToast({ title: '登记成功', icon: 'success' });
      // Straight to the first need: masks are what nearly every firm asked for first.
      wx.redirectTo({ url: '/enterprise/need-new/index?type=supplies&welcome=1' });
    },
  },
});
