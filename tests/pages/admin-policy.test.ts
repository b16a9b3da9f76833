import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';

const policies = {
  items: [{ id: 'p-new', title: '稳岗返还政策', level: 'city', summary: '返还失业保险费', tags: ['hiring'], industries: ['manufacturing'], effectiveFrom: '2020-02-10' }],
};

const wx = (global as any).wx;

describe('admin/policy', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/policy/index');
  });
  beforeEach(() => {
    resetAll();
    wx.showModal = (opts: any) => opts.success?.({ confirm: true, cancel: false });
    backend.on('policy.list', policies).on('admin.savePolicy', (p: any) => p).on('admin.deletePolicy', { id: 'p-new', removed: true });
  });

  test('edits a policy: level by name, tags and industries as ticks in list order, dates and link', async () => {
    const page = renderPage(id, { id: 'p-new' });
    await flush();
    expect(text(find(page, '.f-level'))).toContain('市级');
    expect(text(find(page, '.f-effectiveTo'))).toContain('长期有效');
    page.instance.onLevel({ detail: { value: 2 } });
    page.instance.onTags({ detail: ['other', 'supplies', 'hiring'] });
    page.instance.onIndustries({ detail: ['medical', 'manufacturing'] });
    page.instance.onDate({ currentTarget: { dataset: { field: 'effectiveTo' } }, detail: { value: '2020-12-31' } });
    page.instance.onText({ currentTarget: { dataset: { field: 'link' } }, detail: 'https://www.cq.gov.cn/zc/1.html' });
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.savePolicy').map((c) => c.payload)).toEqual([
      {
        id: 'p-new',
        title: '稳岗返还政策',
        level: 'district',
        summary: '返还失业保险费',
        tags: ['supplies', 'hiring', 'other'],
        industries: ['manufacturing', 'medical'],
        effectiveFrom: '2020-02-10',
        effectiveTo: '2020-12-31',
        link: 'https://www.cq.gov.cn/zc/1.html',
      },
    ]);
    expect(wxCalls.toasts).toContain('已保存');
  });

  test('checks at the fields: title, summary, end before start, link; server field errors land there too', async () => {
    const page = renderPage(id);
    await flush();
    page.instance.onDate({ currentTarget: { dataset: { field: 'effectiveFrom' } }, detail: { value: '2020-03-01' } });
    page.instance.onDate({ currentTarget: { dataset: { field: 'effectiveTo' } }, detail: { value: '2020-02-01' } });
    page.instance.onText({ currentTarget: { dataset: { field: 'link' } }, detail: 'www.example' });
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.savePolicy')).toHaveLength(0);
    expect(text(find(page, '.f-title'))).toContain('标题应为 2–80 个字');
    expect(text(find(page, '.f-summary'))).toContain('请填写摘要');
    expect(text(find(page, '.f-effectiveTo'))).toContain('截止日期不能早于生效日期');
    expect(text(find(page, '.f-link'))).toContain('链接应以 http:// 或 https:// 开头');
    backend.on('admin.savePolicy', new ApiFail('INVALID_ARGUMENT', '链接格式不正确', 'link'));
    page.instance.onText({ currentTarget: { dataset: { field: 'title' } }, detail: '新政策' });
    page.instance.onText({ currentTarget: { dataset: { field: 'summary' } }, detail: '要点' });
    page.instance.clearEnd();
    page.instance.onText({ currentTarget: { dataset: { field: 'link' } }, detail: 'https://x.y/z' });
    await tapButton(page, '.save');
    const [sent] = backend.callsOf('admin.savePolicy').map((c) => c.payload as any);
    expect(sent.id).toMatch(/^policy-[a-z0-9]+$/);
    expect(sent.effectiveTo).toBeUndefined();
    expect(text(find(page, '.f-link'))).toContain('链接格式不正确');
  });

  test('删除 asks first, then removes', async () => {
    const page = renderPage(id, { id: 'p-new' });
    await flush();
    await tapButton(page, '.remove');
    await flush();
    expect(backend.callsOf('admin.deletePolicy').map((c) => c.payload)).toEqual([{ id: 'p-new' }]);
    expect(wxCalls.navigations.map((n) => n.kind)).toEqual(['navigateBack']);
  });
});
