import { ApiFail, backend, find, findAll, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';

const holidays: Record<number, unknown> = {
  2020: {
    items: [
      { date: '2020-02-01', kind: 'workday', name: '春节调休' },
      { date: '2020-01-25', kind: 'holiday', name: '春节' },
    ],
  },
  2021: { items: [] },
};

const wx = (global as any).wx;

describe('admin/holidays', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/holidays/index');
  });
  beforeEach(() => {
    resetAll();
    wx.showModal = (opts: any) => opts.success?.({ confirm: true, cancel: false });
    backend
      .on('admin.listHolidays', (p: any) => holidays[p.year] || { items: [] })
      .on('admin.saveHoliday', (p: any) => p)
      .on('admin.deleteHoliday', { removed: true });
  });

  test('one year at a time, in date order with weekday and kind; the year switches', async () => {
    const page = renderPage(id, { year: '2020' });
    await flush();
    expect(backend.callsOf('admin.listHolidays').map((c) => c.payload)).toEqual([{ year: 2020 }]);
    const rows = findAll(page, '.day').map(text);
    expect(rows[0]).toContain('1月25日 周六');
    expect(rows[0]).toContain('放假');
    expect(rows[0]).toContain('春节');
    expect(rows[1]).toContain('2月1日 周六');
    expect(rows[1]).toContain('调休上班');
    await tapButton(page, '.next-year');
    await flush();
    expect(backend.callsOf('admin.listHolidays').map((c) => c.payload)).toEqual([{ year: 2020 }, { year: 2021 }]);
    expect(text(find(page, '.year'))).toContain('2021 年');
    expect(text(page)).toContain('这一年还没有登记节假日');
  });

  test('adds a make-up working day; checks the date belongs to the year and the name is given', async () => {
    const page = renderPage(id, { year: '2020' });
    await flush();
    await tapButton(page, '.add');
    expect(text(find(page, '.f-date'))).toContain('请选择日期');
    expect(text(find(page, '.f-name'))).toContain('请填写名称');
    page.instance.onDate({ detail: { value: '2021-01-01' } });
    await tapButton(page, '.add');
    expect(text(find(page, '.f-date'))).toContain('请选择 2020 年的日期');
    page.instance.onDate({ detail: { value: '2020-01-25' } });
    await tapButton(page, '.add');
    expect(text(find(page, '.f-date'))).toContain('这一天已经在表里了');
    expect(backend.callsOf('admin.saveHoliday')).toHaveLength(0);
    page.instance.onDate({ detail: { value: '2020-01-19' } });
    page.instance.onKind({ detail: { value: 1 } });
    page.instance.onName({ detail: '春节调休' });
    await tapButton(page, '.add');
    expect(backend.callsOf('admin.saveHoliday').map((c) => c.payload)).toEqual([{ date: '2020-01-19', kind: 'workday', name: '春节调休' }]);
    expect(text(findAll(page, '.day')[0])).toContain('1月19日 周日');
    expect(wxCalls.toasts).toContain('已添加');
  });

  test('删除 asks, then removes the day; a failure is toasted', async () => {
    const page = renderPage(id, { year: '2020' });
    await flush();
    await tapButton(page, '.remove');
    await flush();
    expect(backend.callsOf('admin.deleteHoliday').map((c) => c.payload)).toEqual([{ date: '2020-01-25' }]);
    expect(findAll(page, '.day')).toHaveLength(1);
    backend.on('admin.deleteHoliday', new ApiFail('INTERNAL', '网络异常，请稍后重试'));
    await tapButton(page, '.remove');
    await flush();
    expect(wxCalls.toasts).toContain('网络异常，请稍后重试');
    expect(findAll(page, '.day')).toHaveLength(1);
  });
});
