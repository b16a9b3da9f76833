import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';

const settings = {
  triageUnitCode: 'fic',
  triageSlaHours: 48,
  supplyPoolUnitCode: 'fic-supply-pool',
  leaseMinutes: 120,
  visitIntervalDays: 7,
  offSiteMeters: 500,
  rateLimits: { 'need.submit': 60 },
  openNeedsPerType: 3,
  needsPerEnterprisePerDay: 30,
};

const units = {
  items: [
    { code: 'fic', name: '区工商联', kind: 'federation' },
    { code: 'fic-supply-pool', name: '工商联物资统筹', kind: 'pool' },
    { code: 'hrss', name: '区人力社保局', kind: 'department' },
  ],
};

describe('admin/settings', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/settings/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('admin.getSettings', settings).on('admin.listUnits', units).on('admin.saveSettings', (p: any) => ({ ...settings, ...p }));
  });

  test('units by name, numbers, and rate limits under Chinese action names; saves what was changed', async () => {
    const page = renderPage(id);
    await flush();
    expect(text(find(page, '.f-triage'))).toContain('区工商联');
    expect(text(find(page, '.f-pool'))).toContain('工商联物资统筹');
    const limits = text(find(page, '.rate-limits'));
    expect(limits).toContain('提交需求');
    expect(limits).toContain('走访签到');
    expect(limits).not.toContain('need.submit');
    expect(page.querySelectorAll('.lease-by-type')).toHaveLength(0); // these settings carry no per-type lease
    page.instance.onPick({ currentTarget: { dataset: { key: 'triage' } }, detail: { value: 2 } });
    page.instance.onText({ currentTarget: { dataset: { field: 'offSiteMeters' } }, detail: '800' });
    expect(text(find(page, '.need-limits'))).toContain('同类在办需求');
    page.instance.onText({ currentTarget: { dataset: { field: 'needsPerEnterprisePerDay' } }, detail: '60' });
    page.instance.onRate({ currentTarget: { dataset: { index: 1 } }, detail: '20' });
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.saveSettings').map((c) => c.payload)).toEqual([
      {
        triageUnitCode: 'hrss',
        supplyPoolUnitCode: 'fic-supply-pool',
        triageSlaHours: 48,
        leaseMinutes: 120,
        visitIntervalDays: 7,
        offSiteMeters: 800,
        openNeedsPerType: 3,
        needsPerEnterprisePerDay: 60,
        rateLimits: { 'need.submit': 60, 'visit.checkIn': 20 },
      },
    ]);
    expect(wxCalls.toasts).toContain('已保存');
  });

  test('per-type lease minutes show when the settings carry them', async () => {
    backend.on('admin.getSettings', { ...settings, leaseMinutesByType: { financing: 1440 } });
    const page = renderPage(id);
    await flush();
    const lease = text(find(page, '.lease-by-type'));
    expect(lease).toContain('融资');
    expect(lease).toContain('防疫物资');
    page.instance.onLease({ currentTarget: { dataset: { index: 0 } }, detail: '60' });
    await tapButton(page, '.save');
    expect((backend.callsOf('admin.saveSettings')[0].payload as any).leaseMinutesByType).toEqual({ supplies: 60, financing: 1440 });
  });

  test('numbers out of range are shown at their fields; a server refusal too', async () => {
    const page = renderPage(id);
    await flush();
    page.instance.onText({ currentTarget: { dataset: { field: 'leaseMinutes' } }, detail: '5' });
    page.instance.onRate({ currentTarget: { dataset: { index: 0 } }, detail: '0' });
    page.instance.onText({ currentTarget: { dataset: { field: 'openNeedsPerType' } }, detail: '0' });
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.saveSettings')).toHaveLength(0);
    expect(text(find(page, '.f-openNeedsPerType'))).toContain('同类在办需求应在 1–1000 之间');
    expect(text(find(page, '.f-leaseMinutes'))).toContain('认领时长应在 10–10080 之间');
    expect(text(find(page, '.f-rate-0'))).toContain('每分钟次数应在 1–100000 之间');
    backend.on('admin.saveSettings', new ApiFail('INVALID_ARGUMENT', '单位不存在', 'triageUnitCode'));
    page.instance.onText({ currentTarget: { dataset: { field: 'leaseMinutes' } }, detail: '30' });
    page.instance.onRate({ currentTarget: { dataset: { index: 0 } }, detail: '' });
    page.instance.onText({ currentTarget: { dataset: { field: 'openNeedsPerType' } }, detail: '3' });
    await tapButton(page, '.save');
    expect(text(find(page, '.f-triage'))).toContain('单位不存在');
  });
});
