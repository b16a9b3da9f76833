import { ApiFail, backend, find, findAll, flush, loadPage, renderPage, resetAll, tap, tapButton, text, wxCalls } from './helpers';
import { options } from './helpers/fixtures';

const rules = {
  items: [
    { id: 'rule-supplies-medical', order: 20, match: { type: 'supplies', industry: 'medical' }, unitCode: 'chamber-pharma', slaHours: 48, firstResponseHours: 4, resolutionWorkdays: 3, enabled: true },
    { id: 'rule-pharma-members', order: 10, match: { type: 'supplies', chamberMember: 'chamber-pharma', zone: 'jianqiao-c' }, unitCode: 'chamber-pharma', slaHours: 24, enabled: false },
    { id: 'rule-hiring', order: 30, match: { type: 'hiring' }, unitCode: 'hrss', slaHours: 72, enabled: true },
  ],
};

const units = {
  items: [
    { code: 'chamber-pharma', name: '区医药商会', kind: 'chamber' },
    { code: 'hrss', name: '区人力社保局', kind: 'department' },
  ],
};

const wx = (global as any).wx;

beforeEach(() => {
  resetAll();
  wx.showModal = (opts: any) => opts.success?.({ confirm: true, cancel: false });
  backend.on('admin.listRules', rules).on('admin.listUnits', units).on('enterprise.options', options);
});

describe('admin/rule', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/rule/index');
  });

  test('an existing rule shows by name and saves with both limits, keeping its id, order and slaHours', async () => {
    backend.on('admin.saveRule', (p: any) => p);
    const page = renderPage(id, { id: 'rule-supplies-medical' });
    await flush();
    expect(text(find(page, '.f-type'))).toContain('防疫物资');
    expect(text(find(page, '.f-industry'))).toContain('医药医疗');
    expect(text(find(page, '.f-zone'))).toContain('不限');
    expect(text(find(page, '.f-unit'))).toContain('区医药商会');
    page.instance.onPick({ currentTarget: { dataset: { key: 'zone' } }, detail: { value: 2 } }); // 八桥镇
    page.instance.onPick({ currentTarget: { dataset: { key: 'unit' } }, detail: { value: 1 } });
    page.instance.onText({ currentTarget: { dataset: { field: 'firstResponseHours' } }, detail: '2.5' });
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.saveRule').map((c) => c.payload)).toEqual([
      {
        id: 'rule-supplies-medical',
        order: 20,
        match: { type: 'supplies', industry: 'medical', zone: 'bajiaoyuan' },
        unitCode: 'hrss',
        slaHours: 48,
        firstResponseHours: 2.5,
        resolutionWorkdays: 3,
        enabled: true,
      },
    ]);
    expect(wxCalls.toasts).toContain('已保存');
    expect(wxCalls.navigations.map((n) => n.kind)).toEqual(['navigateBack']);
  });

  test('a new rule needs a unit and sane limits (shown at the fields); it gets a made-up id and goes last', async () => {
    backend.on('admin.saveRule', (p: any) => p);
    const page = renderPage(id);
    await flush();
    page.instance.onText({ currentTarget: { dataset: { field: 'firstResponseHours' } }, detail: '0' });
    page.instance.onText({ currentTarget: { dataset: { field: 'resolutionWorkdays' } }, detail: '2.5' });
    await tapButton(page, '.save');
    expect(backend.callsOf('admin.saveRule')).toHaveLength(0);
    expect(text(find(page, '.f-unit'))).toContain('请选择分派给哪个单位');
    expect(text(find(page, '.f-firstResponseHours'))).toContain('首次响应时限应在 0.5–720 之间');
    expect(text(find(page, '.f-resolutionWorkdays'))).toContain('办结时限应为整数');
    page.instance.onPick({ currentTarget: { dataset: { key: 'type' } }, detail: { value: 2 } }); // 招工
    page.instance.onPick({ currentTarget: { dataset: { key: 'unit' } }, detail: { value: 1 } });
    page.instance.onPick({ currentTarget: { dataset: { key: 'chamber' } }, detail: { value: 2 } }); // 浙江商会
    page.instance.onText({ currentTarget: { dataset: { field: 'firstResponseHours' } }, detail: '8' });
    page.instance.onText({ currentTarget: { dataset: { field: 'resolutionWorkdays' } }, detail: '5' });
    await tapButton(page, '.save');
    const [saved] = backend.callsOf('admin.saveRule').map((c) => c.payload as any);
    expect(saved.id).toMatch(/^rule-[a-z0-9]+$/);
    expect(saved).toMatchObject({ order: 40, match: { type: 'hiring', chamberMember: 'chamber-zhejiang' }, unitCode: 'hrss', slaHours: 120, firstResponseHours: 8, resolutionWorkdays: 5, enabled: true });
    expect(page.querySelectorAll('.remove')).toHaveLength(0);
  });

  test('a server refusal naming a field shows there and keeps the input', async () => {
    backend.on('admin.saveRule', new ApiFail('INVALID_ARGUMENT', '区域不存在', 'match.zone'));
    const page = renderPage(id, { id: 'rule-hiring' });
    await flush();
    await tapButton(page, '.save');
    expect(text(find(page, '.f-zone'))).toContain('区域不存在');
    expect(text(find(page, '.f-unit'))).toContain('区人力社保局');
  });

  test('试一试 opens the preview set to this case; 删除 asks first', async () => {
    backend.on('admin.deleteRule', { id: 'rule-pharma-members', removed: true });
    const page = renderPage(id, { id: 'rule-pharma-members' });
    await flush();
    expect(text(find(page, '.f-chamber'))).toContain('区医药商会');
    await tapButton(page, '.try');
    expect(wxCalls.navigations[0].url).toBe('/admin/route-preview/index?type=supplies&zone=jianqiao-c&chamber=chamber-pharma');
    wx.showModal = (opts: any) => opts.success?.({ confirm: false, cancel: true });
    await tapButton(page, '.remove');
    expect(backend.callsOf('admin.deleteRule')).toHaveLength(0);
    wx.showModal = (opts: any) => opts.success?.({ confirm: true, cancel: false });
    await tapButton(page, '.remove');
    await flush();
    expect(backend.callsOf('admin.deleteRule').map((c) => c.payload)).toEqual([{ id: 'rule-pharma-members' }]);
    expect(wxCalls.toasts).toContain('已删除');
  });

  test('a rule that is gone says so', async () => {
    const page = renderPage(id, { id: 'rule-nope' });
    await flush();
    expect(text(page)).toContain('这条规则已被删除');
  });
});
