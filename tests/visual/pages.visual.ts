/**
 * Visual check, step 1 of 2: renders every page under miniprogram-simulate
 * with the demo fixtures and writes a self-contained HTML file per page and
 * font variant. Step 2 (scripts/screenshots.js) screenshots them in Chromium.
 *
 * NOT part of `npm test` (jest's projects only look under tests/server and
 * tests/pages, and this file is named *.visual.ts). Run everything with
 *
 *     node scripts/screenshots.js            # → /tmp/shots/<page>-<variant>.png
 *
 * or only this step with
 *
 *     SHOTS_DIR=/tmp/shots npx jest -c tests/visual/jest.config.js
 *
 * See docs/visual-check.md.
 *
 * How the simulate tree becomes a phone-like page:
 * - simulate prefixes every class with its component's tag (`main--card`,
 *   `van-cell--van-cell__title`). WeChat scopes styles per component but
 *   vant components use addGlobalClass, and app.wxss is global: the closest
 *   cheap model is to strip the prefixes from both the DOM and the CSS.
 * - simulate never loads app.wxss: it is added here, with `page` matching the
 *   <page> element the tree is wrapped in.
 * - simulate maps 1rpx to 1px; here it is 0.48px (a 360-px phone is 750rpx).
 *   The pages and vant use px throughout, so this only matters if rpx appears.
 * - built-in tags lose their attributes in the DOM: an input's value or
 *   placeholder is read back from the exparser node and written as text.
 * - vant's icon font and empty-state images are remote: icons become a few
 *   plain glyphs, images a grey box of the same size.
 * - "large" multiplies every font-size and px line-height by LARGE_TEXT
 *   (Android WebView's text zoom at the largest system font); layout widths
 *   stay as they are, as on a phone.
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as Helpers from '../pages/helpers';
import { chamberHeadSession, claimedByHead, enterprise, enterpriseSession, fulfilledNeed, need, options } from '../pages/helpers/fixtures';

/*
 * Pages share vant components, and a component's JS registers itself only
 * the first time jest requires it: a second page loaded in the same module
 * registry would render vant without its templates. So every scenario gets
 * a fresh registry (fresh simulate, helpers and vant); these bindings are
 * re-pointed each time.
 */
let backend: typeof Helpers.backend;
let flush: typeof Helpers.flush;
let ApiFail: typeof Helpers.ApiFail;
let simulateUtils: any;
const MINIPROGRAM = path.resolve(__dirname, '../../miniprogram');

/*
 * jsdom has no layout: a selectAll query can come back empty, and vant's
 * tabs then throw (asynchronously) while scrolling the active tab into view.
 * That cannot happen on a phone and says nothing about the look: answer an
 * empty list with zero-sized boxes instead.
 */
function noEmptyRects(SelectorQuery: any): void {
  const exec = SelectorQuery.prototype.exec;
  if (exec.__visual) return;
  const zero = () => ({ left: 0, right: 0, top: 0, bottom: 0, width: 0, height: 0 });
  SelectorQuery.prototype.exec = function (this: unknown, cb?: (res: unknown[]) => void) {
    return exec.call(this, (res: unknown[]) =>
      cb?.(res.map((r) => (Array.isArray(r) && r.length === 0 ? Array.from({ length: 32 }, zero) : r))),
    );
  };
  SelectorQuery.prototype.exec.__visual = true;
}

function freshModules(): typeof Helpers {
  jest.resetModules();
  document.head.innerHTML = '';
  const h: typeof Helpers = require('../pages/helpers');
  ({ backend, flush, ApiFail } = h);
  simulateUtils = require('miniprogram-simulate/src/utils');
  noEmptyRects(require('j-component/src/tool/selectorquery'));
  simulateUtils.transformRpx = (style: string) =>
    String(style).replace(/(-?\d*\.?\d+)rpx/gi, (_m: string, n: string) => `${+(Number(n) * RPX).toFixed(3)}px`);
  return h;
}

const OUT = path.join(process.env.SHOTS_DIR || '/tmp/shots', 'html');
export const PHONE_WIDTH = 360;
const RPX = PHONE_WIDTH / 750;
const LARGE_TEXT = Number(process.env.LARGE_TEXT || 1.5);


// ---- scenarios ---------------------------------------------------------------

const session = (extra: object) => ({ openid: 'demo', roles: [], unitCodes: [], headOf: [], ...extra });

const financing = need({ id: 'need-2', type: 'financing', items: undefined, amountWan: 50, purpose: '采购原料', status: 'waiting' } as any);

interface Scenario {
  name: string;
  page: string;
  query?: Record<string, string>;
  setup: () => void;
  /** Drives the page after it loaded (ticks, taps). */
  act?: (page: any) => Promise<void> | void;
}

const scenarios: Scenario[] = [
  { name: 'index-newcomer', page: 'pages/index/index', setup: () => backend.on('user.login', session({})) },
  {
    name: 'index-member',
    page: 'pages/index/index',
    setup: () =>
      backend
        .on('user.login', session({ roles: ['enterprise', 'unit'], enterpriseId: 'e1', unitCodes: ['chamber-pharma'] }))
        .on('user.todo', { enterprise: { open: 3, waiting: 1, toConfirm: 2 }, unit: { toClaim: 4, mine: 1, escalated: 2 } }),
  },
  { name: 'index-error', page: 'pages/index/index', setup: () => backend.on('user.login', new ApiFail('INTERNAL', '服务暂时不可用，请稍后重试')) },
  ...ownerScenarios(),
  { name: 'needs', page: 'enterprise/needs/index', setup: () => backend.on('need.mine', { items: [need(), financing, fulfilledNeed] }) },
  { name: 'needs-empty', page: 'enterprise/needs/index', setup: () => backend.on('need.mine', { items: [] }) },
  {
    name: 'need-detail-waiting',
    page: 'enterprise/need-detail/index',
    query: { id: 'need-1' },
    setup: () => backend.on('need.get', need({ status: 'waiting', waitQuestion: '需要哪种口罩？普通医用口罩还是 KN95？' } as any)),
  },
  { name: 'need-detail-fulfilledNeed', page: 'enterprise/need-detail/index', query: { id: 'need-1' }, setup: () => backend.on('need.get', fulfilledNeed) },
  {
    name: 'queue',
    page: 'unit/queue/index',
    setup: () =>
      backend.on('need.queue', {
        items: [
          need(),
          need({ id: 'need-2', enterpriseName: '重庆渝通机械制造股份有限公司', enterpriseVerified: false, escalated: true, duplicateOf: 'need-0' }),
          financing,
        ],
      }),
  },
  { name: 'queue-empty', page: 'unit/queue/index', setup: () => backend.on('need.queue', { items: [] }) },
  {
    name: 'unit-need-detail',
    page: 'unit/need-detail/index',
    query: { id: 'need-1' },
    setup: () => backend.on('user.login', chamberHeadSession).on('need.get', claimedByHead),
  },
];

// ---- the owner's pages (register, need-new, home, status, policies) and the needs section of the check-in ----

const DRAFT = (data: unknown) => ({ v: 1, at: Date.now(), data });
const place = { name: '重庆秋田齿轮有限公司', address: '重庆市大渡口区建桥工业园C区建桥大道8号', latitude: 29.4842, longitude: 106.4823 };
const typedRegistration = {
  name: '重庆秋田齿轮有限公司',
  creditCode: '91500104MA5U4RXX3K',
  industry: 'manufacturing',
  zone: 'jianqiao-c',
  address: '重庆市大渡口区建桥工业园C区建桥大道8号 重庆秋田齿轮有限公司',
  contactName: '李经理',
  contactPhone: '13800000000',
  employees: '320',
  chamberCodes: ['chamber-pharma'],
};
const latestStatus = { employeesTotal: 320, employeesBack: 200, capacityPercent: 60, resumed: true, difficulties: '缺口罩', at: '2020-02-18T06:30:00.000Z' };
const longLink = 'https://www.cq.gov.cn/zwgk/zfxxgkml/szfwj/qtgw/202002/t20200210_5121389_wap.html?source=dadukou-federation-of-industry-and-commerce';
const policies = [
  {
    id: 'p-1', title: '关于支持中小微企业应对疫情共渡难关的二十条政策措施（渝府办发〔2020〕12号）', level: 'city', summary: '对受疫情影响较大、有发展前景的中小微企业，金融机构不得盲目抽贷、断贷、压贷；对到期还款困难的，可予以展期或续贷。'.repeat(2),
    industries: [], tags: ['financing'], effectiveFrom: '2020-02-09T16:00:00.000Z', effectiveTo: '2020-06-30T15:59:59.000Z', matched: true, reasons: ['industry', 'need:financing'], link: longLink,
  },
  { id: 'p-2', title: '阶段性减免企业社会保险费', level: 'national', summary: '免征中小微企业养老、失业和工伤保险单位缴费。', industries: [], tags: [], effectiveFrom: '2020-02-01T16:00:00.000Z', matched: false, reasons: [] },
  { id: 'p-3', title: '大渡口区稳岗返还', level: 'district', summary: '对不裁员或少裁员的企业返还失业保险费。', industries: [], tags: ['hiring'], effectiveFrom: '2020-02-01T16:00:00.000Z', matched: false, reasons: [], link: 'https://example.gov.cn/p-3' },
];
const storage = (key: string, value: unknown) => (global as any).wx.setStorageSync(key, value);
/** The transport fails: the fresh helpers' own marker (each scenario has its own module registry). */
const down = () => require('../pages/helpers').NETWORK_DOWN;

function ownerScenarios(): Scenario[] {
  const options_ = () => backend.on('enterprise.options', options).on('user.login', enterpriseSession);
  return [
    { name: 'register', page: 'enterprise/register/index', setup: options_ },
    {
      name: 'register-errors',
      page: 'enterprise/register/index',
      setup: options_,
      act: async (page) => {
        page.instance.submit();
        await flush();
      },
    },
    {
      name: 'register-place',
      page: 'enterprise/register/index',
      setup: options_,
      act: async (page) => {
        page.instance.onPickIndustry({ detail: { value: 0 } });
        page.instance.chooseLocation();
        await flush(5);
        page.instance.toggleChambers();
      },
    },
    { name: 'register-restored', page: 'enterprise/register/index', setup: () => (options_(), storage('draft:register', DRAFT({ form: { ...typedRegistration, contactPhone: '' }, place }))) },
    {
      name: 'register-offline',
      page: 'enterprise/register/index',
      setup: () => (options_(), backend.on('enterprise.register', down)),
      act: async (page) => {
        page.setData({ form: typedRegistration, place });
        page.instance.submit();
        await flush(5);
      },
    },
    { name: 'register-error', page: 'enterprise/register/index', setup: () => backend.on('enterprise.options', new ApiFail('INTERNAL', '服务暂时不可用，请稍后重试')) },

    {
      name: 'need-new',
      page: 'enterprise/need-new/index',
      setup: () => backend.on('enterprise.get', enterprise),
      act: async (page) => {
        page.instance.onNeedTypes({ detail: ['supplies', 'financing'] });
        await flush();
      },
    },
    { name: 'need-new-welcome', page: 'enterprise/need-new/index', query: { type: 'supplies', welcome: '1' }, setup: () => backend.on('enterprise.get', enterprise) },
    {
      name: 'need-new-errors',
      page: 'enterprise/need-new/index',
      setup: () => backend.on('enterprise.get', { ...enterprise, address: '' }),
      act: async (page) => {
        page.instance.onNeedTypes({ detail: ['supplies', 'hiring'] });
        page.instance.onNeedChange({ detail: { patch: { 'forms.supplies.items[0].quantity': '0' } } });
        await flush();
        page.instance.submit();
        await flush();
      },
    },
    {
      name: 'need-new-offline',
      page: 'enterprise/need-new/index',
      query: { type: 'supplies' },
      setup: () => backend.on('enterprise.get', enterprise).on('need.submit', down),
      act: async (page) => {
        page.instance.submit();
        await flush(5);
      },
    },
    {
      name: 'need-new-restored',
      page: 'enterprise/need-new/index',
      setup: () => {
        backend.on('enterprise.get', enterprise);
        const forms = require('../../miniprogram/utils/need-forms').emptyForms();
        forms.policy.question = '稳岗返还什么时候到账？';
        storage('draft:need-new', DRAFT({ checked: ['policy'], forms, clientKey: 'need-draft' }));
      },
    },

    { name: 'enterprise-home', page: 'enterprise/home/index', setup: () => backend.on('enterprise.get', { ...enterprise, latestStatus }) },
    { name: 'enterprise-home-unverified', page: 'enterprise/home/index', setup: () => backend.on('enterprise.get', { ...enterprise, verified: false }) },
    { name: 'enterprise-home-error', page: 'enterprise/home/index', setup: () => backend.on('enterprise.get', down) },

    { name: 'status', page: 'enterprise/status/index', setup: () => backend.on('enterprise.get', { ...enterprise, latestStatus }) },
    {
      name: 'status-errors',
      page: 'enterprise/status/index',
      setup: () => backend.on('enterprise.get', enterprise),
      act: async (page) => {
        page.instance.onField({ currentTarget: { dataset: { field: 'employeesBack' } }, detail: '400' });
        page.instance.submit();
        await flush();
      },
    },
    {
      name: 'status-offline',
      page: 'enterprise/status/index',
      setup: () => backend.on('enterprise.get', { ...enterprise, latestStatus }).on('enterprise.reportStatus', down),
      act: async (page) => {
        page.instance.submit();
        await flush(5);
      },
    },
    { name: 'status-error', page: 'enterprise/status/index', setup: () => backend.on('enterprise.get', new ApiFail('INTERNAL', '服务暂时不可用，请稍后重试')) },

    {
      name: 'policies',
      page: 'enterprise/policies/index',
      setup: () => backend.on('policy.matched', { items: policies }),
      act: async (page) => {
        page.setData({ 'expanded.p-1': true });
      },
    },
    {
      name: 'policies-empty',
      page: 'enterprise/policies/index',
      setup: () => backend.on('policy.matched', { items: policies }).on('policy.list', { items: [] }),
      act: async (page) => {
        page.instance.onSearch({ detail: '外贸出口退税' });
        await flush(5);
      },
    },
    { name: 'policies-error', page: 'enterprise/policies/index', setup: () => backend.on('policy.matched', down) },

    {
      name: 'check-in-needs',
      page: 'taskforce/check-in/index',
      query: { enterpriseId: 'ent-qiutian', name: encodeURIComponent('重庆秋田齿轮有限公司') },
      setup: () => backend.on('policy.list', { items: policies }),
      act: async (page) => {
        page.instance.onNeedTypes({ detail: ['supplies', 'hiring'] });
        await flush();
      },
    },
  ];
}

// ---- turning the rendered tree into a standalone HTML file --------------------

const ICON_GLYPHS: Record<string, string> = {
  arrow: '›',
  'arrow-left': '‹',
  'arrow-down': '⌄',
  success: '✓',
  checked: '✓',
  passed: '✓',
  plus: '+',
  cross: '×',
  close: '×',
  clear: '×',
  'location-o': '⌖',
  'warning-o': '!',
  'info-o': 'i',
  star: '★',
  'star-o': '☆',
};

/** The fake navigation bar is WeChat's, not the page's: it never scales. */
const NAV_CSS = `.vc-navbar { height: 44px; line-height: 44px; text-align: center; background: #1d6fd6; color: #fff; font-size: 17px; font-weight: 500; }`;

const BASE_CSS = `
html, body { margin: 0; padding: 0; }
body { width: ${PHONE_WIDTH}px; background: #f5f6f8; -webkit-text-size-adjust: none;
  font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Helvetica Neue", sans-serif; }
page { display: block; min-height: 100vh; }
wx-view, wx-scroll-view, wx-swiper, wx-picker, wx-form, wx-cover-view, wx-block { display: block; }
wx-text, wx-label { display: inline; }
wx-text { white-space: pre-wrap; }
wx-button { position: relative; display: block; box-sizing: border-box; margin-left: auto; margin-right: auto;
  padding-left: 14px; padding-right: 14px; font-size: 18px; text-align: center; text-decoration: none;
  line-height: 2.55555556; border-radius: 5px; overflow: hidden; color: #000; background-color: #f8f8f8; }
wx-input { display: block; height: 1.4rem; min-height: 1.4rem; overflow: hidden; white-space: nowrap; text-overflow: clip; }
wx-textarea { display: block; width: 300px; height: 150px; white-space: pre-wrap; word-break: break-all; }
wx-textarea[data-vc-autoheight] { height: auto !important; }
.vc-placeholder { color: #c8c9cc; }
wx-image { display: inline-block; overflow: hidden; width: 320px; height: 240px; background: #e8e9ec; }
[class*="van-icon-"]::before { font-family: sans-serif !important; }
`;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function stripPrefixes(css: string, prefixes: string[]): string {
  if (!prefixes.length) return css;
  const re = new RegExp(`\\.(?:${prefixes.map((p) => p.replace(/[-]/g, '\\-')).join('|')})--`, 'g');
  return css.replace(re, '.');
}

/** Scales px font sizes and px line heights, in CSS text and in style="" attributes. */
function scaleText(css: string, factor: number): string {
  return css.replace(/(font-size|line-height)(\s*:\s*)([^;}"]+)/gi, (_m, prop, colon, value: string) =>
    `${prop}${colon}${value.replace(/(\d*\.?\d+)px/g, (_n, num) => `${+(Number(num) * factor).toFixed(2)}px`)}`,
  );
}

function pageTitle(rel: string): string {
  const json = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, rel + '.json'), 'utf8'));
  const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, 'app.json'), 'utf8'));
  return json.navigationBarTitleText || app.window.navigationBarTitleText || '';
}

function snapshot(page: any, rel: string, styleId: string): { html: string; css: string } {
  const live: HTMLElement = page.dom;
  const clone = live.cloneNode(true) as HTMLElement;

  // Built-in tags: read their data back from the exparser node.
  const liveFields = Array.from(live.querySelectorAll('wx-input, wx-textarea, wx-image, wx-picker')) as any[];
  const cloneFields = Array.from(clone.querySelectorAll('wx-input, wx-textarea, wx-image, wx-picker')) as HTMLElement[];
  liveFields.forEach((el, i) => {
    const target = cloneFields[i];
    const attrs: Record<string, unknown> = {};
    for (const a of el.__wxElement?._vt?.attrs || []) attrs[a.name] = a.value;
    const tag = el.tagName.toLowerCase();
    if (tag === 'wx-input' || tag === 'wx-textarea') {
      const value = attrs.value == null ? '' : String(attrs.value);
      const placeholder = attrs.placeholder == null ? '' : String(attrs.placeholder);
      target.innerHTML = value
        ? escapeHtml(attrs.password ? '•'.repeat(value.length) : value)
        : `<span class="vc-placeholder">${escapeHtml(placeholder)}</span>`;
      if (attrs.autoHeight) target.setAttribute('data-vc-autoheight', '');
      if (attrs.disabled) target.setAttribute('data-vc-disabled', '');
    }
  });

  // Component tags present in this tree, plus "main" (the page itself).
  const prefixes = new Set<string>(['main']);
  clone.querySelectorAll('*').forEach((el) => {
    const tag = el.tagName.toLowerCase();
    if (tag.includes('-') && !tag.startsWith('wx-')) prefixes.add(tag);
  });
  const sorted = [...prefixes].sort((a, b) => b.length - a.length);
  const tokenRe = new RegExp(`^(?:${sorted.map((p) => p.replace(/-/g, '\\-')).join('|')})--`);
  clone.querySelectorAll('[class]').forEach((el) => {
    const cls = el.getAttribute('class') || '';
    el.setAttribute('class', cls.split(/\s+/).filter(Boolean).map((t) => t.replace(tokenRe, '')).join(' '));
  });

  // van-sticky measured jsdom's zero-sized boxes and believes the page is scrolled.
  clone.querySelectorAll('.van-sticky-wrap--fixed').forEach((el) => {
    el.classList.remove('van-sticky-wrap--fixed');
    el.removeAttribute('style');
  });
  clone.querySelectorAll('.van-sticky').forEach((el) => el.removeAttribute('style'));

  // Icons: vant's font is remote.
  clone.querySelectorAll('[class*="van-icon-"]').forEach((el) => {
    const name = (el.getAttribute('class') || '').split(/\s+/).map((t) => /^van-icon-(.+)$/.exec(t)?.[1]).find(Boolean);
    if (name) el.setAttribute('data-vc-glyph', ICON_GLYPHS[name] ?? '•');
  });

  // Only this page's own <style> (simulate injects one per loaded page, all under the prefix "main").
  const injected = document.getElementById(styleId)?.innerHTML || '';
  const app = fs.readFileSync(path.join(MINIPROGRAM, 'app.wxss'), 'utf8');
  const css = [
    BASE_CSS,
    simulateUtils.transformRpx(app), // app.wxss comes before the page's and the components' styles
    stripPrefixes(injected, sorted),
    '[data-vc-glyph]::before { content: attr(data-vc-glyph) !important; }',
  ].join('\n');

  const body = `<page><div class="vc-navbar">${escapeHtml(pageTitle(rel))}</div>${clone.innerHTML}</page>`;
  return { html: body, css };
}

function writeHtml(name: string, variant: string, body: string, css: string): void {
  const doc = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=${PHONE_WIDTH}, initial-scale=1">
<style>${css}\n${NAV_CSS}</style></head><body>${body}</body></html>`;
  fs.writeFileSync(path.join(OUT, `${name}-${variant}.html`), doc);
}

describe('visual snapshots (HTML for scripts/screenshots.js)', () => {
  beforeAll(() => fs.mkdirSync(OUT, { recursive: true }));

  // ONLY=register (a regular expression) renders just the matching scenarios.
  const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
  for (const s of scenarios.filter((x) => !only || only.test(x.name))) {
    test(s.name, async () => {
      const h = freshModules();
      h.resetAll();
      s.setup();
      const id = h.loadPage(s.page);
      const page = h.renderPage(id, s.query || {});
      await flush(5);
      if (s.act) await s.act(page);
      await flush(5);
      const { html, css } = snapshot(page, s.page, id);
      writeHtml(s.name, 'normal', html, css);
      writeHtml(s.name, 'large', scaleText(html, LARGE_TEXT), scaleText(css, LARGE_TEXT));
      page.detach?.();
    });
  }
});
