/**
 * One way to build a form page:
 *
 * - `submitForm`: local checks first (shown at their fields, the page
 *   scrolled to the first, nothing sent), then the write through `send`,
 *   where a server error that names a field of this form is shown at that
 *   field too, and the typed input stays. On success the draft is dropped.
 * - Drafts: what was typed is kept on the phone under the form's key and
 *   given back when the page opens again (an owner leaves to fetch the
 *   business licence; a task-force member loses signal), until it is sent.
 * - `scrollToField`: brings a field to the top of the screen.
 */
import type { PageHelpers } from './define-page';

const CHECK_MARKED = '请检查标红的项目';

type FormHost = Pick<PageHelpers<object>, 'send' | 'setData'>;

export interface SubmitOptions {
  /** The form's fields in screen order: the page scrolls to the first that has an error. */
  order?: readonly string[];
  /** Element selector of a field, by its key; defaults to `.f-<key>`. */
  selectorOf?: (field: string) => string;
  /** Dropped once the server accepted the form. */
  draftKey?: string;
}

/**
 * The result of a form's own checks when its errors are not one flat
 * record (the need sections: errors per type and per row): the setData
 * patch that shows them, and where the first one is on screen.
 */
export interface FormCheck {
  ok: boolean;
  patch: Record<string, unknown>;
  firstSelector?: string;
}

/** Where a server error is shown: a data path and the element to scroll to. */
export interface FieldPlace {
  path: string;
  selector: string;
}

/** Scrolls the page so the field's top sits a little under the top edge; harmless where scrolling is unavailable. */
export function scrollToField(selector: string | undefined): void {
  if (!selector || typeof wx.pageScrollTo !== 'function') return;
  wx.pageScrollTo({ selector, offsetTop: -72, duration: 200, fail: () => undefined });
}

function firstBad(errors: Record<string, string | undefined>, order: readonly string[] | undefined): string | undefined {
  const bad = Object.keys(errors).filter((k) => errors[k]);
  if (!order) return bad[0];
  return order.find((k) => bad.includes(k)) ?? bad[0];
}

function isCheck(value: unknown): value is FormCheck {
  return !!value && typeof value === 'object' && typeof (value as FormCheck).ok === 'boolean' && 'patch' in (value as object);
}

export async function submitForm<T>(
  host: FormHost,
  /** A flat record of field errors (`{name: '请填写企业名称'}`), or a FormCheck. */
  checked: Record<string, string | undefined> | FormCheck,
  task: () => Promise<T>,
  /** Maps the server's `field` (e.g. `location.latitude`) to a field key of this form or a FieldPlace, or null. */
  placeOf: (serverField: string | undefined) => string | FieldPlace | null,
  options: SubmitOptions = {},
): Promise<T | undefined> {
  const selectorOf = options.selectorOf || ((f: string) => `.f-${f}`);
  let check: FormCheck;
  if (isCheck(checked)) {
    check = checked;
  } else {
    const first = firstBad(checked, options.order);
    check = { ok: !first, patch: { errors: first ? checked : {} }, firstSelector: first && selectorOf(first) };
  }
  host.setData(check.patch);
  if (!check.ok) {
    wx.showToast({ title: CHECK_MARKED, icon: 'none' });
    scrollToField(check.firstSelector);
    return undefined;
  }
  const result = await host.send(task, {
    onError: (err) => {
      const found = placeOf(err.field);
      if (!found) return false;
      const place = typeof found === 'string' ? { path: `errors.${found}`, selector: selectorOf(found) } : found;
      host.setData({ [place.path]: err.message });
      wx.showToast({ title: CHECK_MARKED, icon: 'none' });
      scrollToField(place.selector);
      return true;
    },
  });
  if (result !== undefined && options.draftKey) dropDraft(options.draftKey);
  return result;
}

// ---- drafts ---------------------------------------------------------------------

const DRAFT_PREFIX = 'draft:';
/** A draft older than this is more likely stale than wanted. */
const DRAFT_DAYS = 14;
const DRAFT_VERSION = 1;

interface StoredDraft<T> {
  v: number;
  at: number;
  data: T;
}

/** Keeps what the form holds now. Storage can be full or refused: a draft is a convenience, never an error. */
export function keepDraft<T>(key: string, data: T): void {
  try {
    const stored: StoredDraft<T> = { v: DRAFT_VERSION, at: Date.now(), data };
    wx.setStorageSync(DRAFT_PREFIX + key, stored);
  } catch {
    // nothing to do: the form itself still holds the input
  }
}

/** The kept draft, or null when there is none, it is from an older version of the form, or it is stale. */
export function readDraft<T>(key: string): T | null {
  try {
    const stored = wx.getStorageSync(DRAFT_PREFIX + key) as StoredDraft<T> | '';
    if (!stored || typeof stored !== 'object' || stored.v !== DRAFT_VERSION) return null;
    if (Date.now() - stored.at > DRAFT_DAYS * 24 * 60 * 60 * 1000) return null;
    return stored.data;
  } catch {
    return null;
  }
}

export function dropDraft(key: string): void {
  try {
    wx.removeStorageSync(DRAFT_PREFIX + key);
  } catch {
    // ignore: an undeletable draft is only offered again
  }
}
