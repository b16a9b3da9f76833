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

/** Timelines as need.get answers them: who acted by name (the fixtures' older events carry OPENIDs). */
const namedTimeline = [
  { at: '2020-02-12T01:30:00.000Z', actor: '重庆秋田齿轮有限公司', role: 'enterprise', from: null, to: 'routed', note: '分派至区医药商会' },
  { at: '2020-02-12T03:00:00.000Z', actor: '区医药商会', role: 'unit', from: 'routed', to: 'claimed' },
] as any[];

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
    setup: () =>
      backend.on('need.get', need({ status: 'waiting', waitQuestion: '需要哪种口罩？普通医用口罩还是 KN95？', allowedActions: ['answer', 'cancel'], timeline: namedTimeline.slice(0, 1) } as any)),
  },
  {
    name: 'need-detail-fulfilledNeed',
    page: 'enterprise/need-detail/index',
    query: { id: 'need-1' },
    setup: () =>
      backend.on('need.get', {
        ...fulfilledNeed,
        allowedActions: ['confirm', 'reopen'],
        timeline: [
          ...namedTimeline,
          { at: '2020-02-13T03:00:00.000Z', actor: '区医药商会', role: 'unit', from: 'claimed', to: 'fulfilled', note: '已送达 20000 个' },
        ],
      }),
  },
  {
    name: 'queue',
    page: 'unit/queue/index',
    setup: () =>
      backend.on('need.queue', {
        items: [
          need({ allowedActions: ['claim', 'transfer', 'reject'] }),
          need({ id: 'need-2', enterpriseName: '重庆渝通机械制造股份有限公司', enterpriseVerified: false, escalated: true, duplicateOf: 'need-0', allowedActions: ['claim', 'transfer', 'reject'] }),
          { ...financing, status: 'in_progress', allowedActions: [] },
        ],
      }),
  },
  { name: 'queue-empty', page: 'unit/queue/index', setup: () => backend.on('need.queue', { items: [] }) },
  {
    name: 'queue-filter-empty',
    page: 'unit/queue/index',
    setup: () => backend.on('need.queue', { items: [] }),
    act: async (page) => {
      page.instance.openFilter();
      page.instance.pickType({ currentTarget: { dataset: { index: 8 } } });
      page.instance.onDraftEscalated({ detail: true });
      await page.instance.applyFilter();
      await new Promise((r) => setTimeout(r, 400)); // the sheet slides away
      await flush();
    },
  },
  {
    name: 'queue-filter-sheet',
    page: 'unit/queue/index',
    setup: () => backend.on('need.queue', { items: [need({ allowedActions: ['claim'] })] }),
    act: async (page) => {
      page.instance.openFilter();
      page.instance.pickType({ currentTarget: { dataset: { index: 2 } } });
      // vant's popup slides in over 300 ms: shoot it once it is there.
      await new Promise((r) => setTimeout(r, 400));
      await flush();
    },
  },
  {
    name: 'unit-need-detail',
    page: 'unit/need-detail/index',
    query: { id: 'need-1' },
    setup: () =>
      backend.on('user.login', chamberHeadSession).on('need.get', {
        ...claimedByHead,
        timeline: namedTimeline,
        allowedActions: ['renew', 'release', 'progress', 'wait', 'contacted', 'fulfil', 'transfer', 'reject'],
        contact: { name: '王芳', phone: '13908310002', address: '重庆市大渡口区建桥工业园C区', location: { latitude: 29.4842, longitude: 106.4823 } },
      }),
  },
  {
    name: 'unit-need-detail-routed',
    page: 'unit/need-detail/index',
    query: { id: 'need-1' },
    setup: () =>
      backend.on('user.login', chamberHeadSession).on('need.get', need({ allowedActions: ['claim', 'transfer', 'reject'], timeline: namedTimeline.slice(0, 1), contact: { name: '王芳', phone: '13908310002' } })),
  },
  {
    name: 'unit-need-detail-sheet',
    page: 'unit/need-detail/index',
    query: { id: 'need-1' },
    setup: () =>
      backend.on('user.login', chamberHeadSession).on('need.get', {
        ...claimedByHead,
        timeline: namedTimeline,
        status: 'in_progress',
        allowedActions: ['renew', 'release', 'progress', 'wait', 'contacted', 'fulfil', 'transfer', 'reject'],
      }),
    act: async (page) => {
      page.instance.openMore();
      await new Promise((r) => setTimeout(r, 400));
      await flush();
    },
  },
  ...taskforceScenarios(),
  // ---- admin pages and enterprise members (adminpages) ----
  { name: 'admin-dashboard', page: 'admin/dashboard/index', setup: () => adminFakes() },
  {
    // 近 14 天每日新增与办结需求 on a busy fortnight: three-digit counts beside the bars, quiet days at 0.
    name: 'admin-dashboard-flow',
    page: 'admin/dashboard/index',
    setup: () => {
      adminFakes();
      backend.on('ledger.flow', {
        days: Array.from({ length: 14 }, (_, i) => ({
          date: new Date(Date.UTC(2020, 1, 17 + i)).toISOString().slice(0, 10),
          opened: i % 7 === 5 ? 0 : [128, 96, 143, 87, 110, 0, 12][i % 7] + i,
          closed: i % 7 === 6 ? 0 : [64, 101, 90, 120, 99, 8, 0][i % 7] + 2 * i,
        })),
      });
    },
  },
  { name: 'admin-rules', page: 'admin/rules/index', setup: () => adminFakes() },
  { name: 'admin-rule', page: 'admin/rule/index', query: { id: 'rule-supplies-medical' }, setup: () => adminFakes() },
  { name: 'admin-members', page: 'admin/members/index', query: { unitCode: 'chamber-pharma' }, setup: () => adminFakes() },
  { name: 'admin-invite', page: 'admin/invite/index', query: { role: 'unit', unitCode: 'chamber-pharma' }, setup: () => adminFakes() },
  {
    name: 'admin-import',
    page: 'admin/import/index',
    setup: () => {
      adminFakes();
      const wx = (global as any).wx;
      wx.chooseMessageFile = (opts: any) => opts.success?.({ tempFiles: [{ path: 'wxfile://tmp/list.xlsx', name: '大渡口区企业名单（2020年2月）.xlsx', size: 20480 }] });
      wx.getFileSystemManager = () => ({ readFile: (o: any) => o.success?.({ data: 'UEsDBA==' }) });
      const apiRequest = wx.request;
      wx.request = (opts: any) =>
        String(opts.url).endsWith('/upload')
          ? setTimeout(() => opts.success?.({ statusCode: 200, data: { ok: true, data: { fileID: 'local://uploads/x/1.xlsx' } } }), 0)
          : apiRequest(opts);
    },
    act: async (page) => {
      page.instance.choose();
      await flush(8);
    },
  },
  { name: 'admin-needs', page: 'admin/needs/index', query: { escalated: '1' }, setup: () => adminFakes() },
  { name: 'admin-settings', page: 'admin/settings/index', setup: () => adminFakes() },
  { name: 'admin-holidays', page: 'admin/holidays/index', query: { year: '2020' }, setup: () => adminFakes() },
  { name: 'admin-policy', page: 'admin/policy/index', query: { id: 'p-1' }, setup: () => adminFakes() },
  { name: 'enterprise-members', page: 'enterprise/members/index', setup: () => adminFakes() },
  ...adminDirectoryScenarios(),
];

// ---- admin directories: units, zones, task forces, policies, route preview, enterprises ----

function adminDirectoryScenarios(): Scenario[] {
  const fail = () => new ApiFail('INTERNAL', '服务暂时不可用，请稍后重试');
  const zones = {
    ...options,
    zones: [
      { code: 'jianqiao-c', name: '建桥园区C区' },
      { code: 'jianqiao-a', name: '建桥工业园区A区（含小微企业创业基地）' },
      { code: 'bajiaoyuan', name: '八桥镇' },
      { code: 'tiaodeng', name: '跳蹬镇' },
      { code: 'maosui', name: '茄子溪街道' },
    ],
  };
  const entRow = (extra: Record<string, unknown> = {}) => ({
    id: 'ent-qiutian', name: '重庆秋田齿轮有限公司', zone: 'jianqiao-c', zoneName: '建桥园区C区', industry: 'manufacturing',
    verified: true, resumed: true, employeesTotal: 320, employeesBack: 240, lastVisitAt: '2020-02-12T23:30:00.000Z',
    contactName: '李建国', contactPhone: '139****0001', ...extra, // admins read phones masked, as the server answers
  });
  const policies = {
    items: [
      { id: 'p-2', title: '稳岗返还政策', level: 'national', summary: '不裁员或少裁员的企业返还上年度失业保险费', tags: ['employment'], industries: [], effectiveFrom: '2020-02-20', effectiveTo: null, link: '' },
      { id: 'p-1', title: '关于支持中小企业共渡难关的二十条政策措施', level: 'city', summary: '减免房租、缓缴社保、贷款贴息等', tags: ['rent', 'financing'], industries: ['manufacturing'], effectiveFrom: '2020-02-10', effectiveTo: '2020-06-30', link: 'https://www.cq.gov.cn/zc/1.html' },
      { id: 'p-3', title: '大渡口区应对新冠肺炎疫情支持企业复工复产十条措施（试行）', level: 'district', summary: '园区标准厂房租金减半，防疫物资采购补贴', tags: ['rent', 'supplies'], industries: ['manufacturing', 'medical'], effectiveFrom: '2020-02-14', effectiveTo: '2020-12-31', link: '' },
    ],
  };
  const taskForces = {
    items: [
      { id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c'] },
      { id: 'tf-03', name: '八桥镇、跳蹬镇联合复工服务专班', leadOrg: '区经济和信息化委员会', zoneCodes: ['bajiaoyuan', 'tiaodeng'] },
    ],
  };
  return [
    { name: 'admin-units', page: 'admin/units/index', setup: () => adminFakes() },
    { name: 'admin-units-empty', page: 'admin/units/index', setup: () => { adminFakes(); backend.on('admin.listUnits', { items: [] }); } },
    { name: 'admin-units-error', page: 'admin/units/index', setup: () => { adminFakes(); backend.on('admin.listUnits', fail()); } },
    { name: 'admin-unit', page: 'admin/unit/index', query: { code: 'hrss' }, setup: () => adminFakes() },
    { name: 'admin-unit-new', page: 'admin/unit/index', setup: () => adminFakes() },
    { name: 'admin-zones', page: 'admin/zones/index', setup: () => { adminFakes(); backend.on('enterprise.options', zones); } },
    { name: 'admin-zones-empty', page: 'admin/zones/index', setup: () => { adminFakes(); backend.on('enterprise.options', { ...options, zones: [] }); } },
    { name: 'admin-zones-error', page: 'admin/zones/index', setup: () => { adminFakes(); backend.on('enterprise.options', fail()); } },
    { name: 'admin-zone', page: 'admin/zone/index', query: { code: 'jianqiao-a' }, setup: () => { adminFakes(); backend.on('enterprise.options', zones); } },
    { name: 'admin-zone-new', page: 'admin/zone/index', setup: () => { adminFakes(); backend.on('enterprise.options', zones); } },
    { name: 'admin-taskforces', page: 'admin/taskforces/index', setup: () => { adminFakes(); backend.on('enterprise.options', zones).on('admin.listTaskForces', taskForces); } },
    { name: 'admin-taskforces-empty', page: 'admin/taskforces/index', setup: () => { adminFakes(); backend.on('admin.listTaskForces', { items: [] }); } },
    { name: 'admin-taskforces-error', page: 'admin/taskforces/index', setup: () => { adminFakes(); backend.on('admin.listTaskForces', fail()); } },
    { name: 'admin-taskforce', page: 'admin/taskforce/index', query: { id: 'tf-03' }, setup: () => { adminFakes(); backend.on('enterprise.options', zones).on('admin.listTaskForces', taskForces); } },
    { name: 'admin-policies', page: 'admin/policies/index', setup: () => { adminFakes(); backend.on('policy.list', policies); } },
    { name: 'admin-policies-empty', page: 'admin/policies/index', setup: () => { adminFakes(); backend.on('policy.list', { items: [] }); } },
    { name: 'admin-policies-error', page: 'admin/policies/index', setup: () => { adminFakes(); backend.on('policy.list', fail()); } },
    {
      // Opened from a rule's 「试一试」, then 预览 tapped: the unit, rule, time limit and reason.
      name: 'admin-route-preview',
      page: 'admin/route-preview/index',
      query: { type: 'supplies', industry: 'medical', zone: 'jianqiao-c', chamber: 'chamber-pharma' },
      setup: () => {
        adminFakes();
        backend.on('need.routePreview', { unitCode: 'chamber-pharma', unitName: '区医药商会', ruleId: 'rule-supplies-medical', slaHours: 48, reason: '医药行业防疫物资由医药商会办理' });
      },
      act: async (page) => {
        await page.instance.preview();
        await flush();
      },
    },
    { name: 'admin-route-preview-blank', page: 'admin/route-preview/index', setup: () => adminFakes() },
    { name: 'admin-route-preview-error', page: 'admin/route-preview/index', setup: () => { adminFakes(); backend.on('enterprise.options', fail()); } },
    {
      name: 'admin-enterprises',
      page: 'admin/enterprises/index',
      query: { zone: 'jianqiao-c', verified: '1' },
      setup: () => {
        adminFakes();
        backend.on('admin.enterprises', {
          items: [
            entRow(),
            entRow({ id: 'ent-2', name: '重庆华伦医疗器械有限公司（大渡口分公司）', industry: 'medical', resumed: false, employeesBack: 60, employeesTotal: 180, lastVisitAt: null, contactPhone: '' }),
            entRow({ id: 'ent-3', name: '重庆渝通机械有限公司', verified: false, employeesBack: 1200, employeesTotal: 1350 }),
          ],
          nextCursor: 'c2',
          total: 23,
        });
      },
    },
    { name: 'admin-enterprises-empty', page: 'admin/enterprises/index', query: { taskForceId: 'tf-02' }, setup: () => { adminFakes(); backend.on('admin.enterprises', { items: [], total: 0 }); } },
    { name: 'admin-enterprises-error', page: 'admin/enterprises/index', setup: () => { adminFakes(); backend.on('admin.enterprises', new ApiFail('FORBIDDEN', '您的身份无权执行此操作')); } },
  ];
}

// ---- task force (offline first): list, map, offline list, check-in without GPS, refused check-in ----

function taskforceScenarios(): Scenario[] {
  /** The fresh registry's helpers and task-force wx fakes (storage, location, files, modals). */
  const tf = () => {
    const h = require('../pages/helpers');
    const wxFakes = require('../pages/taskforce-wx');
    wxFakes.installTaskforceWx();
    wxFakes.fake.reset();
    return { h, fake: wxFakes.fake };
  };
  const e = (extra: Record<string, unknown>) => ({
    id: 'ent-x',
    name: '企业',
    zone: 'jianqiao-c',
    industry: 'manufacturing',
    address: '重庆市大渡口区建桥工业园C区',
    location: { latitude: 29.4842, longitude: 106.4823 },
    contactName: '李经理',
    contactPhone: '13800000000',
    verified: true,
    lastVisitAt: null,
    overdue: false,
    ...extra,
  });
  const items = [
    e({ id: 'ent-1', name: '重庆秋田齿轮有限公司', overdue: true }),
    e({ id: 'ent-2', name: '重庆华伦医疗实业有限公司', industry: 'medical', lastVisitAt: '2020-02-01T06:30:00.000Z', overdue: true, verified: false, location: { latitude: 29.4862, longitude: 106.4853 } }),
    e({ id: 'ent-3', name: '重庆渝通机械有限公司', lastVisitAt: '2020-02-20T06:30:00.000Z', location: { latitude: 29.4812, longitude: 106.4793 } }),
    e({ id: 'ent-4', name: '建桥新登记商贸有限公司', industry: 'retail', lastVisitAt: '2020-02-21T06:30:00.000Z', verified: false, location: null, contactPhone: '' }),
  ];
  const zone = { items, total: items.length, overdue: 2 };
  const profile = { taskForceId: 'tf-02', taskForceName: '建桥C区专班（民盟区委会）', zones: [{ code: 'jianqiao-c', name: '建桥园区C区' }], visitIntervalDays: 7, offSiteMeters: 500 };
  const policies = {
    items: [
      { id: 'pol-social', title: '阶段性减免企业社会保险费', level: 'national', summary: '', tags: [], industries: [] },
      { id: 'pol-rent', title: '国有物业房租减免', level: 'district', summary: '', tags: [], industries: [] },
    ],
  };
  const hoursAgo = (n: number) => new Date(Date.now() - n * 3600_000).toISOString();
  const refused = {
    clientKey: 'visit-refused-01',
    enterpriseName: '重庆秋田齿轮有限公司',
    input: { enterpriseId: 'ent-1', clientKey: 'visit-refused-01', checklist: { look: '门口测温，车间每日消毒', check: '返岗人员健康登记齐全', ask: '缺口罩约 2 万个', guide: ['pol-social'] } },
    photos: [{ path: 'wxfile://store/a.jpg', fileID: '', saved: true }],
    queuedAt: hoursAgo(3),
    message: '内容不能超过 1000 字',
    code: 'INVALID_ARGUMENT',
    field: 'checklist.look',
    failedAt: hoursAgo(1),
  };
  return [
    {
      name: 'taskforce-enterprises',
      page: 'taskforce/enterprises/index',
      setup: () => {
        tf();
        backend.on('visit.myEnterprises', zone).on('visit.profile', profile);
      },
    },
    {
      name: 'taskforce-enterprises-map',
      page: 'taskforce/enterprises/index',
      setup: () => {
        tf();
        backend.on('visit.myEnterprises', zone).on('visit.profile', profile);
      },
      act: async (page) => {
        page.instance.showMap();
        page.instance.onMarker({ detail: { markerId: 1 } });
        await flush();
      },
    },
    {
      name: 'taskforce-enterprises-offline',
      page: 'taskforce/enterprises/index',
      setup: () => {
        const { h, fake } = tf();
        fake.storage.set('cache.zoneEnterprises', { data: zone, at: hoursAgo(2) });
        fake.storage.set('cache.visitProfile', { data: profile, at: hoursAgo(2) });
        fake.storage.set('taskforce.checkInFailed', [refused]);
        backend.on('visit.myEnterprises', h.NETWORK_DOWN).on('visit.profile', h.NETWORK_DOWN);
      },
    },
    {
      name: 'taskforce-check-in-nogps',
      page: 'taskforce/check-in/index',
      query: { enterpriseId: 'ent-1', name: encodeURIComponent('重庆秋田齿轮有限公司') },
      setup: () => {
        const { fake } = tf();
        fake.location = 'fail';
        fake.storage.set('cache.zoneEnterprises', { data: zone, at: hoursAgo(1) });
        backend.on('policy.list', policies);
      },
    },
    {
      name: 'taskforce-check-in-refused',
      page: 'taskforce/check-in/index',
      query: { retry: 'visit-refused-01', enterpriseId: 'ent-1', name: encodeURIComponent('重庆秋田齿轮有限公司') },
      setup: () => {
        const { h, fake } = tf();
        fake.storage.set('cache.zoneEnterprises', { data: zone, at: hoursAgo(1) });
        fake.storage.set('cache.policies', { data: policies, at: hoursAgo(1) });
        fake.storage.set('taskforce.checkInFailed', [refused]);
        backend.on('policy.list', h.NETWORK_DOWN);
      },
    },
    {
      name: 'taskforce-visits',
      page: 'taskforce/visits/index',
      setup: () => {
        tf();
        const v = (id: string, extra: Record<string, unknown>) => ({
          id,
          enterpriseId: 'ent-1',
          enterpriseName: '重庆秋田齿轮有限公司',
          distanceMeters: 36,
          offSite: false,
          located: true,
          photos: ['cloud://a'],
          checklist: { look: '门口测温', check: '健康登记齐全', ask: '缺口罩', guide: [] },
          needIds: [],
          createdAt: '2020-02-20T06:30:00.000Z',
          ...extra,
        });
        backend.on('visit.list', { items: [v('v1', {}), v('v2', { located: false, distanceMeters: null }), v('v3', { offSite: true, distanceMeters: 1234 })] });
      },
    },
  ];
}

/** Demo answers for the admin pages and the enterprise members page. */
function adminFakes(): void {
  const rates = (r: number, w: number, n = 10) => ({ enterprises: n, reported: n, resumed: Math.round(r * n), employeesTotal: 1000, employeesBack: Math.round(w * 1000), resumptionRate: r, workforceReturnRate: w });
  const days = Array.from({ length: 30 }, (_, i) => {
    const date = new Date(Date.UTC(2020, 1, 1 + i)).toISOString().slice(0, 10);
    const r = Math.min(0.95, 0.2 + i * 0.025 + (i % 4 === 0 ? 0.03 : 0));
    const w = Math.min(0.9, 0.1 + i * 0.022);
    return { date, enterprises: 40, reported: 38, resumed: Math.round(r * 40), resumptionRate: r, employeesTotal: 5000, employeesBack: Math.round(w * 5000), workforceReturnRate: w };
  });
  const unitsList = [
    { code: 'chamber-pharma', name: '区医药商会', kind: 'chamber', order: 1 },
    { code: 'hrss', name: '区人力资源和社会保障局', kind: 'department', order: 2 },
    { code: 'fic', name: '区工商联', kind: 'federation', order: 3 },
    { code: 'fic-supply-pool', name: '工商联物资统筹', kind: 'pool', order: 4 },
  ];
  // As the server answers ledger.units: units (unitCode) and task forces (taskForceId) apart.
  const kpi = (name: string, closureRate: number, first: number, received: number) => ({
    name, received, closed: Math.round(received * closureRate), closureRate, medianFirstResponseHours: first, medianCloseHours: 30, overdueRate: 0.1, ratingMean: 4.5, ratingGoodShare: 0.9, reopened: 0,
  });
  backend
    .on('ledger.summary', {
      asOf: '2020-03-01T06:05:00.000Z',
      overall: rates(0.85, 0.6912, 40),
      unverified: rates(0.5, 0.4, 3),
      includesUnverified: false,
      byZone: { 'jianqiao-c': rates(0.9, 0.72), bajiaoyuan: rates(0.4, 0.25, 5) },
      byIndustry: { manufacturing: rates(0.875, 0.7), medical: rates(1, 0.8, 3) },
      openNeeds: { total: 7, byType: { supplies: 4, financing: 3 }, byUnit: { 'chamber-pharma': 5, hrss: 2 } },
      slaBreaches: 2,
      suppliesDelivered: 12800,
      financingGrantedWan: 350,
      visitCoverage: { 'tf-02': { enterprises: 12, visited: 9, rate: 0.75 } },
    })
    .on('ledger.trend', { days })
    // Needs opened and fulfilled per China day, the last 14 days (ledger.flow {days: 14}).
    .on('ledger.flow', {
      days: Array.from({ length: 14 }, (_, i) => ({
        date: new Date(Date.UTC(2020, 1, 17 + i)).toISOString().slice(0, 10),
        opened: [6, 9, 4, 12, 7, 3, 0, 8, 5, 11, 6, 2, 1, 4][i],
        closed: [2, 5, 6, 7, 9, 4, 1, 6, 7, 8, 10, 3, 0, 5][i],
      })),
    })
    .on('ledger.units', {
      from: '2020-02-01',
      to: '2020-03-01',
      units: [
        { ...kpi('区医药商会', 0.92, 2.5, 24), unitCode: 'chamber-pharma' },
        { ...kpi('区人力资源和社会保障局', 0.75, 20, 12), unitCode: 'hrss' },
      ],
      taskForces: [{ ...kpi('建桥C区专班（民盟区委会）', 0.6, 50, 5), taskForceId: 'tf-02' }],
    })
    .on('enterprise.options', options)
    .on('admin.listUnits', { items: unitsList })
    .on('admin.listTaskForces', { items: [{ id: 'tf-02', name: '建桥C区专班（民盟区委会）', leadOrg: '民盟区委会', zoneCodes: ['jianqiao-c'] }] })
    .on('admin.listRules', {
      items: [
        { id: 'rule-pharma-members', order: 10, match: { type: 'supplies', chamberMember: 'chamber-pharma' }, unitCode: 'chamber-pharma', slaHours: 24, enabled: true },
        { id: 'rule-supplies-medical', order: 20, match: { type: 'supplies', industry: 'medical', zone: 'jianqiao-c' }, unitCode: 'chamber-pharma', slaHours: 48, firstResponseHours: 4, resolutionWorkdays: 3, enabled: true },
        { id: 'rule-hiring', order: 30, match: { type: 'hiring' }, unitCode: 'hrss', slaHours: 72, enabled: false },
      ],
    })
    .on('admin.members', {
      items: [
        { openid: 'o-1', name: '张德明', head: true, joinedAt: '2020-02-10T02:00:00.000Z' },
        { openid: 'o-2', name: '欧阳晓梅', head: false, joinedAt: '2020-02-11T02:00:00.000Z' },
      ],
    })
    .on('admin.listInvites', {
      items: [
        { code: 'K7Q2M9XD', role: 'unit', unitCode: 'chamber-pharma', unitName: '区医药商会', head: true, name: '张德明', createdAt: '2020-02-10T02:00:00.000Z', status: 'open' },
        { code: 'A1B2C3D4', role: 'taskforce', taskForceId: 'tf-02', taskForceName: '建桥C区专班（民盟区委会）', head: false, name: '李专员', createdAt: '2020-02-09T02:00:00.000Z', status: 'used', usedAt: '2020-02-09T03:00:00.000Z' },
        { code: 'ZZZZ2222', role: 'enterprise', head: false, name: '王经理', createdAt: '2020-02-08T02:00:00.000Z', status: 'revoked', revokedAt: '2020-02-08T05:00:00.000Z' },
      ],
    })
    .on('admin.importEnterprises', {
      dryRun: true,
      created: 2,
      updated: 1,
      rejected: 2,
      lines: [
        { row: 2, name: '重庆秋田齿轮有限公司', creditCode: '91500104MA5U0X1234', action: 'update', changes: ['employees', 'contactPhone'] },
        { row: 3, name: '重庆华伦医疗实业有限公司', creditCode: '91500104MA5U0X5678', action: 'create' },
        { row: 4, name: '重庆渝通机械有限公司', creditCode: '91500104MA5U0X9999', action: 'create' },
        { row: 5, name: '某某商贸有限公司', creditCode: '123', action: 'reject', reason: '统一社会信用代码校验位不正确', field: 'creditCode' },
        { row: 6, name: '', creditCode: '', action: 'reject', reason: '区域「跳蹬镇二社」不存在', field: 'zone' },
      ],
    })
    .on('need.queue', {
      items: [
        need({ id: 'n-1', escalated: true, unitName: '区医药商会' }),
        need({ id: 'n-2', type: 'financing', status: 'in_progress', escalated: true, enterpriseName: '重庆渝通机械制造股份有限公司', unitName: '区工商联金融服务部' } as any),
      ],
    })
    .on('admin.getSettings', { triageUnitCode: 'fic', triageSlaHours: 48, supplyPoolUnitCode: 'fic-supply-pool', leaseMinutes: 120, visitIntervalDays: 7, offSiteMeters: 500, rateLimits: { 'need.submit': 60 }, openNeedsPerType: 3, needsPerEnterprisePerDay: 30 })
    .on('admin.listHolidays', {
      items: [
        { date: '2020-01-24', kind: 'holiday', name: '春节' },
        { date: '2020-02-01', kind: 'workday', name: '春节调休上班' },
        { date: '2020-10-01', kind: 'holiday', name: '国庆节、中秋节' },
      ],
    })
    .on('policy.list', {
      items: [{ id: 'p-1', title: '关于支持中小企业共渡难关的二十条政策措施', level: 'city', summary: '减免房租、缓缴社保、贷款贴息等', tags: ['rent', 'financing'], industries: ['manufacturing'], effectiveFrom: '2020-02-10', effectiveTo: '2020-06-30', link: 'https://www.cq.gov.cn/zc/1.html' }],
    })
    .on('user.login', { openid: 'demo-enterprise', roles: ['enterprise'], enterpriseId: 'ent-qiutian', unitCodes: [], headOf: [] })
    .on('enterprise.members', {
      items: [
        { openid: 'demo-enterprise', name: '李总', owner: true, joinedAt: '2020-02-10T02:00:00.000Z' },
        { openid: 'o-3', name: '王会计', owner: false, joinedAt: '2020-02-11T02:00:00.000Z' },
      ],
    });
}

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
wx-scroll-view { width: 100%; } /* WeChat's own default: vant's tab bar is a scroll-view inside a flex row */
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
