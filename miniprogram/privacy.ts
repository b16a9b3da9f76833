/**
 * The one list of privacy-scoped WeChat APIs the pages call. WeChat disables
 * such an API ("api scope is not declared in the privacy agreement") unless
 * 用户隐私保护指引 declares the information it handles; the location APIs must
 * also be applied for under 开发管理 → 接口设置 and listed in app.json's
 * `requiredPrivateInfos`, or code review stops the release.
 *
 * tests/server/privacy.test.ts scans the pages for calls of the platform's
 * privacy-scoped APIs (PLATFORM_PRIVACY_APIS) and fails on any not declared
 * here, or declared here and no longer called; README's deploy checklist is
 * printed from this list (`npm run docs`). Nothing here is loaded by a page.
 */

export interface PrivacyUse {
  /** The wx API the pages call. */
  api: string;
  /** The item to tick in 用户隐私保护指引 (设置 → 服务内容声明). */
  item: string;
  /** The purpose to write beside it: what the district tells people it is for. */
  purpose: string;
  /** The pages that call it. */
  pages: string[];
  /** Also applied for under 开发管理 → 接口设置 and listed in app.json requiredPrivateInfos. */
  applyFor?: true;
}

export const PRIVACY_USES: PrivacyUse[] = [
  {
    api: 'chooseLocation',
    item: '收集你选择的位置信息',
    purpose: '登记企业位置，便于服务专班上门走访',
    pages: ['enterprise/register'],
    applyFor: true,
  },
  {
    api: 'getLocation',
    item: '收集你的位置信息',
    purpose: '服务专班走访签到时核对是否在企业现场',
    pages: ['taskforce/check-in'],
    applyFor: true,
  },
  {
    api: 'chooseMedia',
    item: '收集你选中的照片或视频信息（含拍照）',
    purpose: '走访签到时拍摄或选择现场照片',
    pages: ['taskforce/check-in'],
  },
  {
    api: 'chooseMessageFile',
    item: '收集你选中的文件',
    purpose: '区工商联从聊天中选择企业名单表格导入',
    pages: ['admin/import'],
  },
  {
    api: 'setClipboardData',
    item: '使用你的剪切板',
    purpose: '复制邀请码和政策原文链接',
    pages: ['admin/invite', 'enterprise/members', 'enterprise/policies'],
  },
];

/**
 * The platform's privacy-scoped APIs (小程序用户隐私保护指引内容介绍), by the
 * information they handle. A call of any of these in a page must be in
 * PRIVACY_USES. Components (open-type="chooseAvatar"/"getPhoneNumber",
 * <camera>) are checked in the WXML by the same test.
 */
export const PLATFORM_PRIVACY_APIS: Record<string, string[]> = {
  位置信息: ['getLocation', 'getFuzzyLocation', 'startLocationUpdate', 'startLocationUpdateBackground', 'onLocationChange'],
  选择的位置信息: ['chooseLocation', 'choosePoi'],
  地址: ['chooseAddress'],
  发票信息: ['chooseInvoice', 'chooseInvoiceTitle'],
  微信运动步数: ['getWeRunData'],
  车牌号: ['chooseLicensePlate'],
  照片或视频: ['chooseImage', 'chooseMedia', 'chooseVideo'],
  文件: ['chooseMessageFile'],
  麦克风: ['startRecord', 'getRecorderManager', 'joinVoIPChat'],
  摄像头: ['createCameraContext', 'createVKSession'],
  蓝牙: ['openBluetoothAdapter', 'createBLEPeripheralServer'],
  相册写入: ['saveImageToPhotosAlbum', 'saveVideoToPhotosAlbum'],
  通讯录写入: ['addPhoneContact'],
  日历写入: ['addPhoneCalendar', 'addPhoneRepeatCalendar'],
  剪切板: ['setClipboardData', 'getClipboardData'],
};

/** The APIs that `requiredPrivateInfos` in app.json accepts (and 接口设置 asks to apply for). */
export const REQUIRED_PRIVATE_INFOS = [
  'getLocation',
  'getFuzzyLocation',
  'onLocationChange',
  'startLocationUpdate',
  'startLocationUpdateBackground',
  'chooseLocation',
  'choosePoi',
  'chooseAddress',
];
