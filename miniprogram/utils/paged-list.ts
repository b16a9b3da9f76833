/**
 * The one cursor-paged list both "我的需求" and the unit queue show: first
 * page through definePage's `load` (so skeleton, error and pull-down come
 * for free), further pages appended by 加载更多 or reaching the bottom.
 *
 * A filter change restarts the list; an older "more" answer that arrives
 * after that (the user switched tabs while it was out) is dropped, or it
 * would append rows of the tab they left.
 */
import type { Page } from '../../typings/api';
import { messageOf } from './define-page';

export interface ListData<R> {
  items: R[];
  nextCursor: string;
  empty: boolean;
  loadingMore: boolean;
  moreError: string;
}

/** What a list page must offer: its data and setData (every definePage page does). */
export interface ListHost<R> {
  data: ListData<R>;
  setData(patch: Record<string, unknown>): void;
  reload(options?: { skeleton?: boolean }): Promise<void>;
}

export function emptyList<R>(): ListData<R> {
  return { items: [], nextCursor: '', empty: false, loadingMore: false, moreError: '' };
}

export interface PagedList<R, H extends ListHost<R>> {
  /** The first page, as a patch for definePage's `load` to return. */
  first(host: H): Promise<ListData<R>>;
  /** Appends the next page; does nothing without a cursor or while one is loading. */
  more(host: H): Promise<void>;
  /** Clears the rows and loads the first page again with a skeleton: the filters changed. */
  restart(host: H, patch?: Record<string, unknown>): Promise<void>;
}

/** Per-page generation counter, kept off `data` so it never reaches the template. */
const generations = new WeakMap<object, number>();

export function pagedList<T, R, H extends ListHost<R>>(
  fetch: (host: H, cursor?: string) => Promise<Page<T>>,
  toRow: (item: T) => R,
): PagedList<R, H> {
  return {
    async first(host) {
      generations.set(host, (generations.get(host) || 0) + 1);
      const page = await fetch(host);
      const items = page.items.map(toRow);
      return { items, nextCursor: page.nextCursor || '', empty: items.length === 0, loadingMore: false, moreError: '' };
    },

    async more(host) {
      const { nextCursor, loadingMore } = host.data;
      if (!nextCursor || loadingMore) return;
      const generation = generations.get(host) || 0;
      host.setData({ loadingMore: true, moreError: '' });
      try {
        const page = await fetch(host, nextCursor);
        if (generation !== (generations.get(host) || 0)) return;
        host.setData({
          items: [...host.data.items, ...page.items.map(toRow)],
          nextCursor: page.nextCursor || '',
          loadingMore: false,
        });
      } catch (err) {
        if (generation !== (generations.get(host) || 0)) return;
        host.setData({ loadingMore: false, moreError: messageOf(err) });
      }
    },

    restart(host, patch = {}) {
      // Bump now, not when the first page is fetched: a "more" already out belongs to the old filter.
      generations.set(host, (generations.get(host) || 0) + 1);
      host.setData({ ...patch, ...emptyList<R>() });
      return host.reload({ skeleton: true });
    },
  };
}
