/**
 * Copies text for the person to paste elsewhere. The clipboard is a
 * privacy-scoped API (miniprogram/privacy.ts): before the person agrees to
 * the privacy guide, or if the release forgot to declare it, the call fails —
 * then the text is shown so it can be copied by hand, never lost silently.
 * `copied` replaces WeChat's own 内容已复制 toast when the page has more to say.
 */
export function copyText(text: string, copied?: string): void {
  wx.setClipboardData({
    data: text,
    success: () => {
      if (copied) wx.showToast({ title: copied, icon: 'none', duration: 3000 });
    },
    fail: () => {
      wx.showModal({ title: '没能自动复制，请手动抄录', content: text, showCancel: false, confirmText: '知道了' });
    },
  });
}
