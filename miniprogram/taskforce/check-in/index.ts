/**
 * 走访签到: GPS, photos, the 看/查/问/导 checklist and, optionally, needs
 * raised on the spot (each becomes a need routed like the enterprise's own).
 *
 * - One clientKey per form: a retry after a lost answer, or the offline
 *   queue resending, is the same visit on the server.
 * - Photos are uploaded at submit; each fileID is kept, so a retry does not
 *   upload again. Their cloud paths derive from the clientKey for the same reason.
 * - No network (the call or an upload failed in transport): the visit is
 *   queued on the phone and the member is told so; nothing typed is lost.
 * - The form does not wait for the policy list: the check-in matters more
 *   than the 导 choices, and the signal on a factory floor is weak. The list
 *   kept on the phone serves when there is no signal.
 * - No GPS is no obstacle (issue 9): the visit goes without a position and
 *   the server records it as 未定位 — said on the page before submitting.
 * - A queued check-in the server refused reopens here (?retry=clientKey)
 *   with everything the member entered, the server's message under the
 *   field it names; sending it again reuses its clientKey and photos.
 * - The enterprise's header offers 拨打 and 导航 from the zone kept on the phone.
 */
import type { GeoPoint, NeedType } from '../../../typings/api';
import { definePage } from '../../utils/define-page';
import { buildNeeds, inFormOrder } from '../../utils/need-sections';
import type { FormErrors, NeedForms, RowErrors } from '../../utils/need-forms';
import { emptyErrors, emptyForms, emptyRowErrors, fieldTarget, firstErrorId, NEED_TYPES } from '../../utils/need-forms';
import { dropDraft, keepDraft, readDraft, scrollToField } from '../../utils/form';
import type { FailedCheckIn, QueuedPhoto } from '../../utils/offline-queue';
import { dismissFailed, enqueue, findFailed, keepPhoto, QUEUED_MESSAGE, startAutoFlush } from '../../utils/offline-queue';
import { formatDateTime, todayInChina } from '../../utils/time';
import type { ApiFailure } from '../../services/api';
import type { CheckInInput, CheckInResult, VisitChecklist } from '../../services/visit-api';
import {
  isNetworkFailure,
  loadPolicies,
  MAX_PHOTOS,
  patchStoredEnterprise,
  photoCloudPath,
  storedEnterprise,
  uploadPhoto,
  visitApi,
} from '../../services/visit-api';

/** policy.list answers the level as a code (national, city, district): the page shows its name. */
const POLICY_LEVELS: Record<string, string> = { national: '国家级', city: '市级', district: '区级' };

/** The kinds of help most often raised during a visit; the rest go through the enterprise's own form. */
export const VISIT_NEED_TYPES: NeedType[] = ['supplies', 'hiring', 'financing', 'other'];

interface PhotoRow {
  path: string;
  fileID: string;
  /** True when `path` is our saved copy (a reopened check-in's photo). */
  saved?: boolean;
}

/** The server's message under the field it names, outside the needs section (whose errors live in `errors`/`forms`). */
interface FieldErrors {
  lookError: string;
  checkError: string;
  askError: string;
  guideError: string;
  photosError: string;
}

interface PolicyRow {
  id: string;
  title: string;
  level: string;
}

interface CheckInData extends FieldErrors {
  enterpriseId: string;
  enterpriseName: string;
  /** From the zone kept on the phone, for 拨打 and 导航; '' / null when unknown. */
  address: string;
  contactName: string;
  phone: string;
  entLocation: GeoPoint | null;
  clientKey: string;
  /** Set when this form is a refused queued check-in reopened: what the server said, and when it was saved. */
  reopenedText: string;
  /** The form came back from the phone's draft. */
  restored: boolean;
  locating: boolean;
  location: GeoPoint | null;
  locationError: string;
  /** The member refused location: the retry must open the settings page, getLocation alone would fail again. */
  locationDenied: boolean;
  photos: PhotoRow[];
  maxPhotos: number;
  look: string;
  check: string;
  ask: string;
  guide: string[];
  policies: PolicyRow[];
  policiesLoading: boolean;
  policiesError: string;
  /** 「离线 · 更新于 HH:mm」 when the policies are the copy kept on the phone. */
  policiesOffline: string;
  /** The need sections (components/need-sections): offered types, ticked ones, their forms and errors. */
  needTypes: NeedType[];
  checkedNeeds: NeedType[];
  forms: NeedForms;
  errors: FormErrors;
  rowErrors: RowErrors;
  today: string;
  /** Progress of the submit ("正在上传照片 2/5"), shown on the button: every wait over a second shows progress. */
  progress: string;
  /** Set after the server accepted the visit. */
  resultText: string;
  offSite: boolean;
  queued: boolean;
}

/** What the phone keeps while a check-in is being filled in (a call, a lost signal, a closed app). */
interface CheckInDraft {
  clientKey: string;
  look: string;
  check: string;
  ask: string;
  guide: string[];
  checkedNeeds: NeedType[];
  forms: NeedForms;
  photos: PhotoRow[];
}

const draftKey = (enterpriseId: string) => `checkin:${enterpriseId}`;

interface CheckInMethods {
  restore(item: FailedCheckIn): void;
  keep(): void;
  startOver(): void;
  showServerError(err: { message: string; field?: string }, types: NeedType[]): boolean;
  call(): void;
  navigate(): void;
  locate(): void;
  retryLocation(): void;
  loadPolicies(): Promise<void>;
  choosePhotos(): void;
  removePhoto(e: WechatMiniprogram.BaseEvent): void;
  previewPhoto(e: WechatMiniprogram.BaseEvent): void;
  onText(e: WechatMiniprogram.CustomEvent): void;
  onGuide(e: WechatMiniprogram.CustomEvent): void;
  onNeedTypes(e: WechatMiniprogram.CustomEvent): void;
  onNeedChange(e: WechatMiniprogram.CustomEvent): void;
  uploadPending(): Promise<boolean>;
  queue(input: Omit<CheckInInput, 'photos'>): void;
  submit(): Promise<void>;
  showResult(result: CheckInResult): void;
  openVisits(): void;
}

export function makeVisitKey(): string {
  return `visit-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** What the member reads after the server placed the visit. */
export function resultTextOf(result: Pick<CheckInResult, 'distanceMeters' | 'offSite' | 'located'>): string {
  if (result.located === false) return '走访已登记（没有定位，已标记为未定位走访）';
  if (result.distanceMeters === null || result.distanceMeters === undefined) return '走访已登记（企业没有登记位置，无法核对距离）';
  const meters = Math.round(result.distanceMeters);
  return result.offSite ? `距企业 ${meters} 米，已标记为非现场` : `走访已登记，距企业 ${meters} 米`;
}

const NO_FIELD_ERRORS: FieldErrors = { lookError: '', checkError: '', askError: '', guideError: '', photosError: '' };

/** Which of this page's own fields a server's `field` names ('checklist.look', 'photos.2', …). */
export function ownFieldOf(field: string): keyof FieldErrors | null {
  if (/^checklist\.look/.test(field)) return 'lookError';
  if (/^checklist\.check/.test(field)) return 'checkError';
  if (/^checklist\.ask/.test(field)) return 'askError';
  if (/^checklist\.guide/.test(field)) return 'guideError';
  if (/^photos/.test(field)) return 'photosError';
  return null;
}

/** The element a selector inside the need-sections component is reached through. */
const inSections = (id: string) => `.sections >>> #${id}`;

function isDenied(errMsg: string): boolean {
  // Android and iOS word it differently; both mention auth or permission.
  return /auth|deny|denied|permission|authorize/i.test(errMsg || '');
}

definePage<CheckInData, CheckInMethods>({
  data: {
    enterpriseId: '',
    enterpriseName: '',
    address: '',
    contactName: '',
    phone: '',
    entLocation: null,
    clientKey: '',
    reopenedText: '',
    restored: false,
    ...NO_FIELD_ERRORS,
    locating: false,
    location: null,
    locationError: '',
    locationDenied: false,
    photos: [],
    maxPhotos: MAX_PHOTOS,
    look: '',
    check: '',
    ask: '',
    guide: [],
    policies: [],
    policiesLoading: false,
    policiesError: '',
    policiesOffline: '',
    needTypes: VISIT_NEED_TYPES,
    checkedNeeds: [],
    forms: emptyForms(),
    errors: emptyErrors(),
    rowErrors: emptyRowErrors(),
    today: '',
    progress: '',
    resultText: '',
    offSite: false,
    queued: false,
  },

  onLoad(query) {
    startAutoFlush();
    const enterpriseId = query.enterpriseId || '';
    const known = enterpriseId ? storedEnterprise(enterpriseId) : null;
    this.setData({
      enterpriseId,
      enterpriseName: query.name ? decodeURIComponent(query.name) : known ? known.name : '',
      address: known ? known.address : '',
      contactName: known ? known.contactName : '',
      phone: known ? known.contactPhone : '',
      entLocation: known ? known.location : null,
      clientKey: makeVisitKey(),
      today: todayInChina(),
      // Fresh objects per page: the data literal above is shared by every instance.
      forms: emptyForms(),
      errors: emptyErrors(),
      rowErrors: emptyRowErrors(),
    });
    const refused = query.retry ? findFailed(decodeURIComponent(query.retry)) : null;
    const draft = !refused && enterpriseId ? readDraft<CheckInDraft>(draftKey(enterpriseId)) : null;
    if (draft) this.setData({ ...draft, restored: true });
    if (refused) this.restore(refused);
    // A reopened visit keeps the position it was made at (or none); the member may locate again.
    else this.locate();
    void this.loadPolicies();
  },

  methods: {
    restore(item) {
      const c = item.input.checklist;
      const checked = ((item.draft && item.draft.checkedNeeds) || []).filter((t): t is NeedType => (VISIT_NEED_TYPES as string[]).includes(t));
      this.setData({
        clientKey: item.clientKey,
        enterpriseName: this.data.enterpriseName || item.enterpriseName,
        location: item.input.location || null,
        look: c.look || '',
        check: c.check || '',
        ask: c.ask || '',
        guide: c.guide || [],
        photos: item.photos.map((p) => ({ path: p.path, fileID: p.fileID, saved: !!p.saved })),
        // The need sections are drawn from these: the component shows the saved forms as they were.
        ...(item.draft && item.draft.forms ? { forms: item.draft.forms } : {}),
        checkedNeeds: checked,
        reopenedText: `${formatDateTime(item.queuedAt)} 保存的这条走访没有提交成功：${item.message}`,
      });
      this.showServerError({ message: item.message, field: item.field }, inFormOrder(checked, NEED_TYPES));
    },

    /** Puts the message under the field it names and scrolls to it; false when it names none of them. */
    showServerError(err, types) {
      if (!err.field) return false;
      const own = ownFieldOf(err.field);
      if (own) {
        this.setData({ [own]: err.message });
        return true;
      }
      const target = fieldTarget(err.field, types);
      if (!target) return false;
      this.setData({ [target.path]: err.message });
      scrollToField(inSections(target.id));
      return true;
    },

    keep() {
      const { enterpriseId, clientKey, look, check, ask, guide, checkedNeeds, forms, photos } = this.data;
      if (enterpriseId && !this.data.reopenedText) keepDraft<CheckInDraft>(draftKey(enterpriseId), { clientKey, look, check, ask, guide, checkedNeeds, forms, photos });
    },

    startOver() {
      dropDraft(draftKey(this.data.enterpriseId));
      this.setData({
        restored: false,
        clientKey: makeVisitKey(),
        look: '',
        check: '',
        ask: '',
        guide: [],
        photos: [],
        checkedNeeds: [],
        forms: emptyForms(),
        errors: emptyErrors(),
        rowErrors: emptyRowErrors(),
        ...NO_FIELD_ERRORS,
      });
    },

    call() {
      if (this.data.phone) wx.makePhoneCall({ phoneNumber: this.data.phone, fail: () => undefined });
    },

    navigate() {
      const p = this.data.entLocation;
      if (!p) return;
      wx.openLocation({ latitude: p.latitude, longitude: p.longitude, name: this.data.enterpriseName, address: this.data.address, scale: 16, fail: () => undefined });
    },

    locate() {
      this.setData({ locating: true, locationError: '' });
      wx.getLocation({
        type: 'gcj02',
        success: (res) => {
          this.setData({ locating: false, locationDenied: false, location: { latitude: res.latitude, longitude: res.longitude } });
        },
        fail: (err) => {
          const denied = isDenied(err && err.errMsg);
          this.setData({
            locating: false,
            locationDenied: denied,
            locationError: denied
              ? '没有位置权限。可以直接提交（将标记为未定位走访），或点下面的按钮在设置里打开「位置信息」。'
              : '定位失败：可以直接提交（将标记为未定位走访），或打开手机的定位（GPS）开关，到室外或窗边后重新定位。',
          });
        },
      });
    },

    retryLocation() {
      if (this.data.locationDenied && typeof wx.openSetting === 'function') {
        // After a refusal WeChat no longer asks; only the settings page can grant it again.
        wx.openSetting({ complete: () => this.locate() });
        return;
      }
      this.locate();
    },

    async loadPolicies() {
      this.setData({ policiesLoading: true, policiesError: '' });
      try {
        const { data, offlineText } = await loadPolicies();
        this.setData({
          policiesLoading: false,
          policiesOffline: offlineText,
          policies: data.items.map((p) => ({ id: p.id, title: p.title, level: POLICY_LEVELS[p.level] ?? '' })),
        });
      } catch {
        this.setData({ policiesLoading: false, policiesError: '政策列表没有加载出来' });
      }
    },

    choosePhotos() {
      const left = MAX_PHOTOS - this.data.photos.length;
      if (left <= 0) {
        wx.showToast({ title: `最多 ${MAX_PHOTOS} 张照片`, icon: 'none' });
        return;
      }
      wx.chooseMedia({
        count: left,
        mediaType: ['image'],
        sourceType: ['camera', 'album'],
        // Compressed: full-size photos take minutes to upload on a weak signal.
        sizeType: ['compressed'],
        success: (res) => {
          const added = res.tempFiles.map((f) => ({ path: f.tempFilePath, fileID: '' }));
          this.setData({ photos: [...this.data.photos, ...added].slice(0, MAX_PHOTOS), photosError: '' });
          this.keep();
        },
      });
    },

    removePhoto(e) {
      const i = Number(e.currentTarget.dataset.index);
      this.setData({ photos: this.data.photos.filter((_, k) => k !== i), photosError: '' });
      this.keep();
    },

    previewPhoto(e) {
      const i = Number(e.currentTarget.dataset.index);
      const urls = this.data.photos.map((p) => p.path || p.fileID);
      wx.previewImage({ urls, current: urls[i] });
    },

    onText(e) {
      const field = String(e.currentTarget.dataset.field);
      if (field === 'look' || field === 'check' || field === 'ask') this.setData({ [field]: String(e.detail), [`${field}Error`]: '' });
      this.keep();
    },

    onGuide(e) {
      this.setData({ guide: (e.detail as string[]).map(String), guideError: '' });
      this.keep();
    },

    onNeedTypes(e) {
      this.setData({ checkedNeeds: inFormOrder((e.detail as unknown as string[]) || [], VISIT_NEED_TYPES) });
      this.keep();
    },

    onNeedChange(e) {
      this.setData((e.detail as unknown as { patch: Record<string, unknown> }).patch);
      this.keep();
    },

    /** Uploads the photos that have no fileID yet; false when one could not be uploaded now. */
    async uploadPending() {
      const { photos, enterpriseId, clientKey } = this.data;
      for (let i = 0; i < photos.length; i++) {
        if (photos[i].fileID) continue;
        this.setData({ progress: `正在上传照片 ${i + 1}/${photos.length}` });
        try {
          const fileID = await uploadPhoto(photoCloudPath(enterpriseId, clientKey, i, photos[i].path), photos[i].path);
          this.setData({ [`photos[${i}].fileID`]: fileID });
        } catch (err) {
          if (isNetworkFailure(err)) return false;
          // The file itself is unusable (deleted temp file): the member must take it again.
          this.setData({ progress: '', sendError: (err as Error).message });
          wx.showToast({ title: (err as Error).message, icon: 'none', duration: 3000 });
          throw err;
        }
      }
      return true;
    },

    queue(input) {
      // Uploaded photos keep their path too: a refused visit reopens with them on screen.
      const photos: QueuedPhoto[] = this.data.photos.map((p) =>
        p.fileID ? { path: p.path, fileID: p.fileID, ...(p.saved ? { saved: true } : {}) } : p.saved ? { path: p.path, fileID: '', saved: true } : keepPhoto(p.path),
      );
      enqueue({
        clientKey: input.clientKey,
        enterpriseName: this.data.enterpriseName,
        input,
        photos,
        queuedAt: new Date().toISOString(),
        draft: { checkedNeeds: this.data.checkedNeeds, forms: this.data.forms },
      });
      // The queue holds it now, photos included.
      dropDraft(draftKey(this.data.enterpriseId));
      this.setData({ queued: true, busy: false, sendError: '', progress: '' });
      wx.showModal({
        title: '已保存在手机上',
        content: QUEUED_MESSAGE,
        showCancel: false,
        confirmText: '知道了',
        complete: () => wx.navigateBack(),
      });
    },

    async submit() {
      if (this.data.busy || this.data.queued || this.data.resultText) return;
      if (this.data.locating) {
        // GPS on a factory floor can take long: the member decides whether to wait.
        const goOn = await new Promise<boolean>((resolve) =>
          wx.showModal({
            title: '还在定位',
            content: '现在提交将标记为未定位走访。要等定位完成吗？',
            confirmText: '直接提交',
            cancelText: '等待定位',
            success: (res) => resolve(!!res.confirm),
            fail: () => resolve(false),
          }),
        );
        if (!goOn) return;
      }
      const { enterpriseId, clientKey, forms } = this.data;
      const location = this.data.locating ? null : this.data.location;
      this.setData({ ...NO_FIELD_ERRORS });
      // Sent in the order the sections show, so a server error `needs.<i>.…` finds its section.
      const types = inFormOrder(this.data.checkedNeeds, NEED_TYPES);
      const { needs, patch, invalid, errors, rowErrors } = buildNeeds(types, forms);
      this.setData(patch);
      if (invalid) {
        wx.showToast({ title: '请检查标红的项目', icon: 'none' });
        scrollToField(inSections(firstErrorId(types, errors, rowErrors)));
        return;
      }

      const checklist: VisitChecklist = {
        look: this.data.look.trim(),
        check: this.data.check.trim(),
        ask: this.data.ask.trim(),
        guide: this.data.guide,
      };
      const input: Omit<CheckInInput, 'photos'> = {
        enterpriseId,
        clientKey,
        ...(location ? { location } : {}),
        checklist,
        ...(needs.length ? { needs } : {}),
      };

      this.setData({ busy: true, sendError: '' });
      let uploaded: boolean;
      try {
        uploaded = await this.uploadPending();
      } catch {
        this.setData({ busy: false });
        return;
      }
      if (!uploaded) {
        this.queue(input);
        return;
      }
      this.setData({ busy: false, progress: '正在提交…' });

      let networkDown = false;
      const result = await this.send(
        () => visitApi.checkIn({ ...input, photos: this.data.photos.map((p) => p.fileID) }),
        {
          onError: (err) => {
            if (isNetworkFailure(err)) {
              networkDown = true;
              return true;
            }
            if (err.code === 'INVALID_ARGUMENT' && err.field) this.showServerError(err as ApiFailure, types);
            return false;
          },
        },
      );
      this.setData({ progress: '' });
      if (networkDown) {
        this.queue(input);
        return;
      }
      if (result) this.showResult(result);
    },

    showResult(result) {
      dropDraft(draftKey(this.data.enterpriseId));
      const resultText = resultTextOf(result);
      patchStoredEnterprise(this.data.enterpriseId, { lastVisitAt: result.createdAt || new Date().toISOString(), overdue: false });
      // A reopened visit that now went through leaves the refused list (and its saved photo copies go).
      if (this.data.reopenedText) dismissFailed(this.data.clientKey);
      this.setData({ resultText, offSite: result.offSite });
      wx.showModal({
        title: result.offSite ? '非现场签到' : '签到成功',
        content: resultText,
        showCancel: false,
        confirmText: '返回',
        complete: () => wx.navigateBack(),
      });
    },

    openVisits() {
      const { enterpriseId, enterpriseName } = this.data;
      wx.navigateTo({ url: `/taskforce/visits/index?enterpriseId=${enterpriseId}&name=${encodeURIComponent(enterpriseName)}` });
    },
  },
});
