import { ApiFail, backend, find, findAll, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';

const base = {
  summary: '对受疫情影响的中小微企业给予贷款贴息。',
  industries: [],
  tags: [],
  effectiveFrom: '2020-02-09T16:00:00.000Z',
};

const general = { ...base, id: 'p-general', title: '稳岗返还政策', level: 'city', matched: false, reasons: [] };
const forIndustry = {
  ...base,
  id: 'p-industry',
  title: '制造业复工补助',
  level: 'district',
  matched: true,
  reasons: ['industry', 'need:financing'],
  effectiveTo: '2020-06-30T15:59:59.000Z',
  link: 'https://example.gov.cn/p-industry',
};

describe('enterprise/policies', () => {
  let id: string;
  let clipboard: string[];
  beforeAll(() => {
    id = loadPage('enterprise/policies/index');
  });
  beforeEach(() => {
    resetAll();
    clipboard = [];
    (global as any).wx.setClipboardData = (opts: any) => {
      clipboard.push(opts.data);
      opts.success?.({});
    };
  });

  test('matched policies come first with the reasons they match', async () => {
    backend.on('policy.matched', { items: [general, forIndustry] });
    const page = renderPage(id);
    await flush();
    expect(backend.callsOf('policy.matched')).toEqual([{ fn: 'policy', action: 'matched', payload: {} }]);
    const titles = findAll(page, '.policy-title').map((n: any) => n.dom.textContent);
    expect(titles).toEqual(['制造业复工补助', '稳岗返还政策']);
    const t = text(page);
    expect(t).toContain('为您匹配的政策');
    expect(t).toContain('与您的行业相关');
    expect(t).toContain('与您的需求相关：融资');
    expect(t).toContain('区级');
    expect(t).toContain('市级');
    expect(t).toContain('有效期 2020-02-10 至 2020-06-30');
    await tapButton(page, '.copy-link');
    expect(clipboard).toEqual(['https://example.gov.cn/p-industry']);
    expect(wxCalls.toasts).toContain('链接已复制，请在浏览器中打开');
    // Copying is not a tap on the card: the summary stays folded.
    expect(page.data.expanded).toEqual({});
    await tapButton(page, '.policy');
    expect(page.data.expanded).toEqual({ 'p-industry': true });
  });

  test('a search switches to policy.list with the query, and clearing returns', async () => {
    backend.on('policy.matched', { items: [forIndustry] });
    backend.on('policy.list', { items: [{ ...general, matched: undefined, reasons: undefined }] });
    const page = renderPage(id);
    await flush();
    page.instance.onQuery({ detail: ' 稳岗 ' });
    find(page, '.search-go').dispatchEvent('tap');
    await flush();
    expect(backend.callsOf('policy.list').map((c) => c.payload)).toEqual([{ q: '稳岗' }]);
    expect(text(page)).toContain('搜索结果');
    expect(text(page)).toContain('稳岗返还政策');
    expect(text(page)).not.toContain('制造业复工补助');
    backend.on('policy.list', { items: [] });
    page.instance.onSearch({ detail: '无此政策' });
    await flush();
    expect(text(page)).toContain('没有找到与“无此政策”相关的政策');
    page.instance.onClear();
    await flush();
    expect(backend.callsOf('policy.matched')).toHaveLength(2);
    expect(text(page)).toContain('制造业复工补助');
  });

  test('a failure shows the error state and retry loads again', async () => {
    backend.on('policy.matched', new ApiFail('INTERNAL', '服务繁忙，请稍后重试'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('服务繁忙，请稍后重试');
    backend.on('policy.matched', { items: [general] });
    await tapButton(page, '.state', '.retry');
    expect(text(page)).toContain('稳岗返还政策');
  });
});
