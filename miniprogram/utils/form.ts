/**
 * The submit shape every form shares: local checks first (shown at their
 * fields, nothing sent), then the write through `send`, where a server error
 * that names a field of this form is shown at that field too and the typed
 * input stays.
 */
import type { PageHelpers } from './define-page';

const CHECK_MARKED = '请检查标红的项目';

type FormHost = Pick<PageHelpers<object>, 'send' | 'setData'>;

export async function submitForm<T>(
  host: FormHost,
  errors: Record<string, string | undefined>,
  task: () => Promise<T>,
  /** Maps the server's `field` (e.g. `location.latitude`) to a field of this form, or null. */
  fieldOf: (serverField: string | undefined) => string | null,
): Promise<T | undefined> {
  if (Object.keys(errors).length > 0) {
    host.setData({ errors });
    wx.showToast({ title: CHECK_MARKED, icon: 'none' });
    return undefined;
  }
  host.setData({ errors: {} });
  return host.send(task, {
    onError: (err) => {
      const field = fieldOf(err.field);
      if (!field) return false;
      host.setData({ [`errors.${field}`]: err.message });
      wx.showToast({ title: CHECK_MARKED, icon: 'none' });
      return true;
    },
  });
}
