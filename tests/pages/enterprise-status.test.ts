import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { enterprise } from './helpers/fixtures';

const latestStatus = {
  employeesTotal: 320,
  employeesBack: 200,
  capacityPercent: 60,
  resumed: true,
  difficulties: '缺口罩',
  at: '2020-02-18T06:30:00.000Z',
};

function fieldError(page: any, cls: string): string {
  return String(find(page, cls).dom.textContent);
}

describe('enterprise/status', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/status/index');
  });
  beforeEach(resetAll);

  test('prefills from the last report and sends exactly what the form shows', async () => {
    backend.on('enterprise.get', { ...enterprise, latestStatus });
    backend.on('enterprise.reportStatus', (p: Record<string, unknown>) => ({ id: 'st-2', enterpriseId: 'ent-qiutian', ...p, at: '2020-02-20T01:00:00.000Z' }));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('2020-02-18 14:30');
    expect(page.data.form).toEqual({
      employeesTotal: '320', employeesBack: '200', capacityPercent: '60', resumed: true, difficulties: '缺口罩',
    });
    page.instance.onField({ currentTarget: { dataset: { field: 'employeesBack' } }, detail: '280' });
    page.instance.onCapacitySlide({ detail: 85 });
    page.instance.onField({ currentTarget: { dataset: { field: 'difficulties' } }, detail: '  ' });
    await tapButton(page, '.submit');
    expect(backend.callsOf('enterprise.reportStatus').map((c) => c.payload)).toEqual([
      { employeesTotal: 320, employeesBack: 280, capacityPercent: 85, resumed: true },
    ]);
    expect(wxCalls.toasts).toContain('已提交');
    expect(wxCalls.navigations).toEqual([{ kind: 'navigateBack', url: '' }]);
  });

  test('more back than employees is caught at the field before sending', async () => {
    backend.on('enterprise.get', enterprise);
    const page = renderPage(id);
    await flush();
    // Without a report yet, the registered head count is the starting total.
    expect(page.data.form.employeesTotal).toBe('320');
    page.instance.onField({ currentTarget: { dataset: { field: 'employeesBack' } }, detail: '400' });
    page.instance.onField({ currentTarget: { dataset: { field: 'capacityPercent' } }, detail: '50' });
    find(page, '.f-resumed', '.van-switch').dispatchEvent('tap');
    await tapButton(page, '.submit');
    expect(backend.callsOf('enterprise.reportStatus')).toEqual([]);
    expect(fieldError(page, '.f-employeesBack')).toContain('返岗人数不能超过员工总数');
    expect(wxCalls.scrolls).toEqual(['.f-employeesBack']);
    expect(page.data.form.resumed).toBe(true);
  });

  test('an unsent report is kept on the phone and comes back before the last report; sending drops it', async () => {
    backend.on('enterprise.get', { ...enterprise, latestStatus });
    backend.on('enterprise.reportStatus', () => ({ id: 'st-2', enterpriseId: 'ent-qiutian', ...latestStatus }));
    const first = renderPage(id);
    await flush();
    first.instance.onField({ currentTarget: { dataset: { field: 'employeesBack' } }, detail: '300' });
    first.detach();

    const again = renderPage(id);
    await flush();
    expect(text(again)).toContain('已恢复您上次没有提交的内容');
    expect(again.data.form.employeesBack).toBe('300');
    await tapButton(again, '.submit');
    expect(backend.callsOf('enterprise.reportStatus')[0].payload).toMatchObject({ employeesBack: 300 });

    const fresh = renderPage(id);
    await flush();
    expect(fresh.data.form.employeesBack).toBe('200');
  });

  test('a server field error lands at its field and the input stays', async () => {
    backend.on('enterprise.get', { ...enterprise, latestStatus });
    backend.on('enterprise.reportStatus', new ApiFail('INVALID_ARGUMENT', '产能须在 0 到 100 之间', 'capacityPercent'));
    const page = renderPage(id);
    await flush();
    page.instance.onField({ currentTarget: { dataset: { field: 'employeesBack' } }, detail: '250' });
    await tapButton(page, '.submit');
    expect(backend.callsOf('enterprise.reportStatus')).toHaveLength(1);
    expect(fieldError(page, '.f-capacityPercent')).toContain('产能须在 0 到 100 之间');
    expect(page.data.form.employeesBack).toBe('250');
    expect(text(page)).toContain('重新提交');
    expect(wxCalls.navigations).toEqual([]);
  });
});
