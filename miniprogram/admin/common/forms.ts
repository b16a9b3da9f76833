/**
 * What the admin edit pages share: a confirmation before anything is
 * removed, reading a picker's index, and checking a typed number.
 */

/** Asks before a removal; resolves true only when the admin confirmed. */
export function confirmAction(title: string, content: string, confirmText = '确定'): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content,
      confirmText,
      cancelText: '取消',
      success: (res) => resolve(!!res.confirm),
      fail: () => resolve(false),
    });
  });
}

/** The picked index of a picker's change event. */
export function picked(e: { detail: { value: unknown } }): number {
  return Number(e.detail.value);
}

/** The text of a van-field's change event. */
export function typed(e: { detail: unknown }): string {
  return typeof e.detail === 'string' ? e.detail : String(e.detail == null ? '' : e.detail);
}

/**
 * A typed number within bounds, or the message to show at the field.
 * `integer` refuses decimals.
 */
export function checkNumber(text: string, min: number, max: number, integer: boolean, what: string): { value?: number; error?: string } {
  const trimmed = String(text || '').trim();
  if (!trimmed) return { error: `请填写${what}` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `${what}应为数字` };
  if (integer && !Number.isInteger(value)) return { error: `${what}应为整数` };
  if (value < min || value > max) return { error: `${what}应在 ${min}–${max} 之间` };
  return { value };
}
