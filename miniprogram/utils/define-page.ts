/**
 * Every page is built through definePage, so loading, error, empty and
 * "sending" states behave the same on every screen (STYLE.md: one wrapper,
 * like Vant's VantComponent) and a page file holds only what is its own.
 *
 * State every page gets in `data`:
 * - loading: the first load (or a retry) is running → show the skeleton;
 * - error: the last load failed → show the error state with 重试 (onRetry);
 * - busy: a write is being sent → the submit button spins and is disabled;
 * - sendError: the last write failed → the form keeps what was typed and
 *   shows the reason next to a 重新提交 button.
 */
import type { ErrorCode } from '../../typings/api';
import type { Api, ApiFailure } from '../services/api';
import { api, isApiFailure } from '../services/api';

export type Query = Record<string, string | undefined>;

export interface PageState {
  loading: boolean;
  error: string;
  busy: boolean;
  sendError: string;
}

export interface SendOptions {
  /**
   * Gets the failure first; return true when the page showed it itself
   * (e.g. next to a form field), false to fall back to a toast.
   */
  onError?: (err: ApiFailure) => boolean | void;
  /**
   * Codes that mean "the need is not what this screen shows" (someone else
   * acted first, wrong state, no longer yours): toast the server's message
   * and reload, so the user sees the need as it now stands.
   */
  reloadOn?: ErrorCode[];
}

/** Errors after which the screen is out of date rather than the input wrong. */
export const STALE_STATE: ErrorCode[] = ['FORBIDDEN', 'CONFLICT', 'FAILED_PRECONDITION', 'NOT_FOUND'];

export interface ReloadOptions {
  /** Show the skeleton instead of the current content, e.g. after a filter change made it wrong. */
  skeleton?: boolean;
}

export interface PageHelpers<D> {
  data: D & PageState;
  query: Query;
  api: Api;
  setData(patch: Record<string, unknown>, callback?: () => void): void;
  /** Re-runs `load`; keeps the current content on screen when it already has some (unless `skeleton`). */
  reload(options?: ReloadOptions): Promise<void>;
  onRetry(): void;
  /** Runs a write once at a time; resolves with its result, or undefined when it failed. */
  send<T>(task: () => Promise<T>, options?: SendOptions): Promise<T | undefined>;
}

export type PageThis<D, M> = PageHelpers<D> & M;

export interface PageSpec<D extends object, M> {
  data: D;
  /** What the page shows; its result is merged into data. Runs on load, retry and pull-down. */
  load?: (this: PageThis<D, M>, query: Query) => Promise<Partial<D> | void>;
  /** Load on every onShow instead of once: for pages whose content changes elsewhere (home). */
  reloadOnShow?: boolean;
  onLoad?: (this: PageThis<D, M>, query: Query) => void;
  onShow?: (this: PageThis<D, M>) => void;
  onReachBottom?: (this: PageThis<D, M>) => void;
  /** Defaults to reload. */
  onPullDownRefresh?: (this: PageThis<D, M>) => Promise<void> | void;
  methods?: M & ThisType<PageThis<D, M>>;
}

/** Something that is no call's failure went wrong on the phone itself: not the network, not the server. */
export const UNEXPECTED_MESSAGE = '操作没有完成，请稍后再试';

export function messageOf(err: unknown): string {
  if (isApiFailure(err)) return err.message || UNEXPECTED_MESSAGE;
  return UNEXPECTED_MESSAGE;
}

function toFailure(err: unknown): ApiFailure {
  if (isApiFailure(err)) return err;
  const failure = new Error(UNEXPECTED_MESSAGE) as ApiFailure;
  failure.code = 'INTERNAL';
  return failure;
}

interface Internal {
  loaded?: boolean;
  loadSeq?: number;
}

export function definePage<D extends object, M extends object = Record<string, never>>(spec: PageSpec<D, M>): void {
  const { data, load, reloadOnShow, onLoad, onShow, onReachBottom, onPullDownRefresh, methods } = spec;
  type This = PageThis<D, M> & Internal;

  const options: Record<string, unknown> = {
    data: { loading: !!load, error: '', busy: false, sendError: '', ...data },

    onLoad(this: This, query?: Query) {
      this.query = query || {};
      this.api = api;
      if (onLoad) onLoad.call(this, this.query);
      if (load && !reloadOnShow) void this.reload();
    },

    onShow(this: This) {
      if (onShow) onShow.call(this);
      if (load && reloadOnShow) void this.reload();
    },

    onPullDownRefresh(this: This) {
      const done = onPullDownRefresh ? onPullDownRefresh.call(this) : this.reload();
      void Promise.resolve(done).then(
        () => wx.stopPullDownRefresh(),
        () => wx.stopPullDownRefresh(),
      );
    },

    async reload(this: This, reloadOptions: ReloadOptions = {}) {
      if (!load) return;
      // A slower earlier answer (e.g. the tab the user just left) must not overwrite a newer one.
      const seq = (this.loadSeq = (this.loadSeq || 0) + 1);
      this.setData({ loading: !this.loaded || !!reloadOptions.skeleton, error: '' });
      try {
        const patch = await load.call(this, this.query || {});
        if (seq !== this.loadSeq) return;
        this.loaded = true;
        this.setData({ ...(patch || {}), loading: false, error: '' });
      } catch (err) {
        if (seq !== this.loadSeq) return;
        // Keep what is already on screen: an error over stale content beats a blank page.
        this.setData({ loading: false, error: messageOf(err) });
      }
    },

    onRetry(this: This) {
      void this.reload();
    },

    async send<T>(this: This, task: () => Promise<T>, sendOptions: SendOptions = {}): Promise<T | undefined> {
      // A second tap while the first request is out would submit twice.
      if (this.data.busy) return undefined;
      this.setData({ busy: true, sendError: '' });
      try {
        const result = await task();
        this.setData({ busy: false });
        return result;
      } catch (err) {
        const failure = toFailure(err);
        if (sendOptions.reloadOn && sendOptions.reloadOn.includes(failure.code)) {
          // Nothing to retry: the reloaded need shows what can be done now.
          this.setData({ busy: false, sendError: '' });
          wx.showToast({ title: failure.message, icon: 'none', duration: 3000 });
          void this.reload();
          return undefined;
        }
        this.setData({ busy: false, sendError: failure.message });
        const handled = sendOptions.onError ? sendOptions.onError(failure) : false;
        if (!handled) wx.showToast({ title: failure.message, icon: 'none', duration: 3000 });
        return undefined;
      }
    },

    ...(onReachBottom ? { onReachBottom } : {}),
    ...(methods || {}),
  };

  Page(options as WechatMiniprogram.Page.Options<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject>);
}
