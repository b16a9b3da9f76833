/**
 * Loads real page files under miniprogram-simulate.
 *
 * - miniprogram_npm is build output: if it is missing, pack-npm runs once
 *   (synchronously, ~2 s) before the first page loads, so a fresh checkout
 *   needs no jest globalSetup and no manual step.
 * - simulate knows Component, not Page: `global.Page` turns a page object
 *   into a component whose `attached` runs onLoad(query) then onShow.
 * - The backend is a table of fake handlers keyed "function.action"; both
 *   wx.request (local mode) and wx.cloud.callFunction (cloud mode) go
 *   through it, and every call is recorded.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import simulate = require('miniprogram-simulate');

export const ROOT = path.resolve(__dirname, '../../..');
export const MINIPROGRAM = path.join(ROOT, 'miniprogram');

const PACK_MARKER = path.join(MINIPROGRAM, 'miniprogram_npm/.pack-complete');
const PACK_LOCK = path.join(os.tmpdir(), `rd-pack-npm-${Buffer.from(ROOT).toString('hex').slice(-32)}.lock`);

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Jest runs test files in parallel workers: one of them packs (it holds an
 * exclusive lock file), the others wait for pack-npm's completion marker.
 */
export function ensureNpm(): void {
  const deadline = Date.now() + 90_000;
  while (!fs.existsSync(PACK_MARKER)) {
    let fd: number | null = null;
    try {
      fd = fs.openSync(PACK_LOCK, 'wx');
    } catch {
      // Someone else is packing; a lock older than a minute was left by a killed run.
      const age = Date.now() - (fs.statSync(PACK_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000) fs.rmSync(PACK_LOCK, { force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for scripts/pack-npm.js');
      sleepSync(200);
      continue;
    }
    try {
      if (!fs.existsSync(PACK_MARKER)) {
        execFileSync(process.execPath, [path.join(ROOT, 'scripts/pack-npm.js')], { cwd: ROOT, stdio: 'pipe' });
      }
    } finally {
      fs.closeSync(fd);
      fs.rmSync(PACK_LOCK, { force: true });
    }
  }
}

type AnyFn = (...args: any[]) => any;

let nextQuery: Record<string, string> = {};

function installPageAdapter(): void {
  (global as any).Page = (page: Record<string, unknown>) => {
    const methods: Record<string, AnyFn> = {};
    for (const [key, value] of Object.entries(page)) {
      if (typeof value === 'function') methods[key] = value as AnyFn;
    }
    (global as any).Component({
      data: page.data,
      methods,
      lifetimes: {
        attached(this: any) {
          const query = nextQuery;
          nextQuery = {};
          if (this.onLoad) this.onLoad(query);
          if (this.onShow) this.onShow();
        },
      },
    });
  };
}

// ---- fake backend ----------------------------------------------------------

export interface Call {
  fn: string;
  action: string;
  payload: Record<string, unknown>;
}

export type Handler = (payload: Record<string, unknown>) => unknown;

/** A handler returning this makes the transport itself fail (no envelope). */
export const NETWORK_DOWN = Symbol('network down');
/** The function ran past its timeout: the platform's -504003, the gateway's 504. */
export const FUNCTION_TIMEOUT = Symbol('function timeout');
/** The function crashed before answering: the platform's -504002, the gateway's bare 500. */
export const FUNCTION_CRASH = Symbol('function crash');
type NoEnvelope = typeof NETWORK_DOWN | typeof FUNCTION_TIMEOUT | typeof FUNCTION_CRASH;
const NO_ENVELOPE: unknown[] = [NETWORK_DOWN, FUNCTION_TIMEOUT, FUNCTION_CRASH];

/** What wx.cloud.callFunction's fail callback receives in each case (the platform's own wording). */
const CLOUD_FAIL = {
  [NETWORK_DOWN]: { errMsg: 'cloud.callFunction:fail request:fail' },
  [FUNCTION_TIMEOUT]: {
    errCode: -504003,
    errMsg: 'cloud.callFunction:fail Error: errCode: -504003  | errMsg: Invoking task timed out after 20 seconds',
  },
  [FUNCTION_CRASH]: {
    errCode: -504002,
    errMsg: "cloud.callFunction:fail Error: errCode: -504002 functions execute fail | errMsg: TypeError: Cannot read properties of undefined (reading 'x')",
  },
};

export class ApiFail {
  constructor(
    public code: string,
    public message: string,
    public field?: string,
  ) {}
}

/** Answers a call with the envelope itself: set by runtime-backend.ts to reach the in-process server. */
export type Route = (fn: string, data: Record<string, unknown>) => Promise<unknown>;

export const backend = {
  handlers: new Map<string, Handler>(),
  calls: [] as Call[],
  /** When set, every call goes to it instead of the fake handlers (reset() leaves it). */
  route: null as Route | null,
  /** Calls sent and not yet answered (the real runtime answers after its own awaits). */
  inFlight: 0,
  on(key: string, handler: Handler | unknown) {
    this.handlers.set(key, typeof handler === 'function' ? (handler as Handler) : () => handler);
    return this;
  },
  reset() {
    this.handlers.clear();
    this.calls = [];
  },
  callsOf(key: string): Call[] {
    return this.calls.filter((c) => `${c.fn}.${c.action}` === key);
  },
  /** The fake handlers' answer, or the routed runtime's. */
  async answerAsync(fn: string, data: Record<string, unknown>): Promise<unknown> {
    if (!this.route) return this.answer(fn, data);
    const { action, ...payload } = data as { action: string };
    this.calls.push({ fn, action, payload });
    return this.route(fn, data);
  },
  answer(fn: string, data: Record<string, unknown>): unknown | NoEnvelope {
    const { action, ...payload } = data as { action: string };
    this.calls.push({ fn, action, payload });
    const handler = this.handlers.get(`${fn}.${action}`);
    if (!handler) return { ok: false, error: { code: 'NOT_FOUND', message: `no fake for ${fn}.${action}` } };
    const out = handler(payload);
    if (NO_ENVELOPE.includes(out)) return out;
    if (out instanceof ApiFail) {
      return { ok: false, error: { code: out.code, message: out.message, ...(out.field ? { field: out.field } : {}) } };
    }
    return { ok: true, data: out };
  },
};

export const wxCalls = {
  toasts: [] as string[],
  navigations: [] as { kind: string; url: string }[],
  requests: [] as { url: string; header: Record<string, string> }[],
  /** Numbers dialled with wx.makePhoneCall. */
  calls: [] as string[],
  /** tmplIds of each wx.requestSubscribeMessage, in order. */
  subscribes: [] as string[][],
  /** What the fake subscribe dialog does: the user accepts, refuses, or the call fails. */
  subscribeOutcome: 'accept' as 'accept' | 'reject' | 'fail',
  /** Selectors given to wx.pageScrollTo, in order. */
  scrolls: [] as string[],
  /** The phone's storage (wx.*StorageSync), as JSON copies. */
  storage: new Map<string, unknown>(),
  /** What wx.chooseLocation answers: a place, or 'cancel' / 'deny'. */
  place: { name: '重庆秋田齿轮有限公司', address: '重庆市大渡口区建桥工业园C区建桥大道8号', latitude: 29.4842, longitude: 106.4823 } as
    | { name: string; address: string; latitude: number; longitude: number }
    | 'cancel'
    | 'deny',
  reset() {
    this.scrolls = [];
    this.storage.clear();
    this.place = { name: '重庆秋田齿轮有限公司', address: '重庆市大渡口区建桥工业园C区建桥大道8号', latitude: 29.4842, longitude: 106.4823 };
    this.toasts = [];
    this.navigations = [];
    this.requests = [];
    this.subscribes = [];
    this.calls = [];
    this.subscribeOutcome = 'accept';
  },
};

function installWx(): void {
  const wx = (global as any).wx;
  wx.request = (opts: any) => {
    wxCalls.requests.push({ url: opts.url, header: opts.header });
    const fn = String(opts.url).split('/api/')[1];
    backend.inFlight += 1;
    setTimeout(async () => {
      try {
        const out = await backend.answerAsync(fn, opts.data);
        if (out === NETWORK_DOWN) opts.fail?.({ errMsg: 'request:fail' });
        else if (out === FUNCTION_TIMEOUT) opts.success?.({ data: 'Gateway Timeout', statusCode: 504, header: {} });
        else if (out === FUNCTION_CRASH) opts.success?.({ data: '<html>Internal Server Error</html>', statusCode: 500, header: {} });
        else opts.success?.({ data: out, statusCode: 200, header: {} });
        opts.complete?.({});
      } finally {
        backend.inFlight -= 1;
      }
    }, 0);
    return { abort() {} };
  };
  wx.cloud = {
    init() {},
    callFunction(opts: any) {
      backend.inFlight += 1;
      setTimeout(async () => {
        try {
          const out = await backend.answerAsync(opts.name, opts.data);
          if (NO_ENVELOPE.includes(out)) opts.fail?.(CLOUD_FAIL[out as NoEnvelope]);
          else opts.success?.({ result: out, errMsg: 'cloud.callFunction:ok' });
        } finally {
          backend.inFlight -= 1;
        }
      }, 0);
    },
  };
  wx.showToast = (opts: any) => wxCalls.toasts.push(opts.title);
  wx.makePhoneCall = (opts: any) => wxCalls.calls.push(opts.phoneNumber);
  wx.showLoading = () => {};
  wx.hideLoading = () => {};
  wx.stopPullDownRefresh = () => {};
  for (const kind of ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab']) {
    wx[kind] = (opts: any) => {
      wxCalls.navigations.push({ kind, url: opts.url });
      opts.success?.({});
    };
  }
  wx.navigateBack = () => wxCalls.navigations.push({ kind: 'navigateBack', url: '' });
  wx.requestSubscribeMessage = (opts: any) => {
    wxCalls.subscribes.push(opts.tmplIds);
    // Record the order against backend calls: permission must be asked before the action is sent.
    backend.calls.push({ fn: 'wx', action: 'requestSubscribeMessage', payload: { tmplIds: opts.tmplIds } });
    setTimeout(() => {
      const outcome = wxCalls.subscribeOutcome;
      if (outcome === 'fail') opts.fail?.({ errMsg: 'requestSubscribeMessage:fail', errCode: 20001 });
      else {
        const res: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
        for (const id of opts.tmplIds) res[id] = outcome;
        opts.success?.(res);
      }
      opts.complete?.({});
    }, 0);
  };
  wx.getLocation = (opts: any) => opts.success?.({ latitude: 29.4842, longitude: 106.4823 });
  wx.chooseLocation = (opts: any) => {
    setTimeout(() => {
      const place = wxCalls.place;
      if (place === 'cancel') opts.fail?.({ errMsg: 'chooseLocation:fail cancel' });
      else if (place === 'deny') opts.fail?.({ errMsg: 'chooseLocation:fail auth deny' });
      else opts.success?.({ ...place, errMsg: 'chooseLocation:ok' });
      opts.complete?.({});
    }, 0);
  };
  wx.openSetting = (opts: any) => setTimeout(() => opts.complete?.({}), 0);
  wx.pageScrollTo = (opts: any) => {
    wxCalls.scrolls.push(opts.selector);
    opts.success?.({});
  };
  const copy = (v: unknown) => JSON.parse(JSON.stringify(v));
  wx.getStorageSync = (key: string) => (wxCalls.storage.has(key) ? copy(wxCalls.storage.get(key)) : '');
  wx.setStorageSync = (key: string, value: unknown) => wxCalls.storage.set(key, copy(value));
  wx.removeStorageSync = (key: string) => wxCalls.storage.delete(key);
}

/**
 * j-component has no groupSetData, which vant's tabs call whenever the SDK
 * version (simulate reports 2.32) allows it; batching is only an
 * optimisation, so running the callback directly is faithful enough.
 */
function installGroupSetDataPolyfill(): void {
  const g = global as any;
  const polyfill = g.Behavior({
    methods: {
      groupSetData(this: unknown, cb: () => void) {
        cb();
      },
    },
  });
  const original = g.Component;
  g.Component = (options: Record<string, any>) =>
    original({ ...options, behaviors: [...(options.behaviors || []), polyfill] });
}

installGroupSetDataPolyfill();
// vant's sticky (inside tabs) hooks the current page's onPageScroll.
(global as any).getCurrentPages = () => [{ route: 'test' }];
installPageAdapter();
installWx();

// ---- loading and driving pages --------------------------------------------

const loaded = new Map<string, string>();

/**
 * Loads a page or component once per test file (jest's module cache resets between files).
 *
 * A component's JS registers itself (calls Component) only the first time
 * it is required: a second page using the same vant components would get
 * them without definitions. So every page after the first in a file loads
 * in an isolated module registry (its own copies of vant and of the page's
 * modules; globals such as wx are shared).
 */
export function loadPage(relPath: string): string {
  ensureNpm();
  let id = loaded.get(relPath);
  if (!id) {
    const load = () =>
      simulate.load(path.join(MINIPROGRAM, relPath), {
        rootPath: MINIPROGRAM,
        compilerOptions: { maxBuffer: 64 * 1024 * 1024 },
      });
    if (loaded.size === 0) id = load();
    else jest.isolateModules(() => {
      id = load();
    });
    loaded.set(relPath, id as string);
  }
  return id as string;
}

export function renderPage(id: string, query: Record<string, string> = {}): any {
  nextQuery = query;
  const comp = simulate.render(id);
  const parent = document.createElement('parent-wrapper');
  comp.attach(parent);
  return comp;
}

/** Lets fake network callbacks (setTimeout 0) and the promises after them run. */
export async function flush(times = 3): Promise<void> {
  for (let i = 0; i < times; i++) await simulate.sleep(0);
}

/**
 * Finds an element through nested components: each selector is looked up
 * inside the component the previous one found (simulate's queries stop at
 * a component's own template).
 */
export function find(root: any, ...selectors: string[]): any {
  let node = root;
  for (const selector of selectors) {
    const next = node.querySelector(selector);
    if (!next) throw new Error(`nothing matches ${selectors.join(' >> ')} (stuck at ${selector})`);
    node = next;
  }
  return node;
}

export function findAll(root: any, selector: string): any[] {
  return root.querySelectorAll(selector);
}

/** Vant buttons and cells listen on their inner element, not on the host. */
export async function tapButton(root: any, ...selectors: string[]): Promise<void> {
  const host = find(root, ...selectors);
  const inner = host.querySelector('.van-button') || host;
  inner.dispatchEvent('tap');
  // Component events are delivered asynchronously; let the handler and its calls run.
  await flush();
}

export async function tap(root: any, ...selectors: string[]): Promise<void> {
  const host = find(root, ...selectors);
  const inner = host.querySelector('.van-cell') || host;
  inner.dispatchEvent('tap');
  await flush();
}

export function text(root: any): string {
  return String(root.dom.textContent).replace(/\s+/g, ' ');
}

export function resetAll(): void {
  backend.reset();
  wxCalls.reset();
}
