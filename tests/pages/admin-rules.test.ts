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

describe('admin/rules', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/rules/index');
  });

  test('lists the rules in the order they are tried, as names, with limits and the disabled mark; no codes', async () => {
    const page = renderPage(id);
    await flush();
    const rows = findAll(page, '.rule-row').map(text);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('1. 防疫物资 · 建桥园区C区 · 区医药商会会员');
    expect(rows[0]).toContain('已停用');
    expect(rows[0]).toContain('24 小时内办结');
    expect(rows[1]).toContain('2. 防疫物资 · 医药医疗');
    expect(rows[1]).toContain('分派给 区医药商会');
    expect(rows[1]).toContain('4 小时内响应，3 个工作日内办结');
    expect(rows[2]).toContain('招工');
    expect(rows[2]).toContain('区人力社保局');
    expect(text(page)).not.toMatch(/rule-|chamber-|hrss|jianqiao/);
    findAll(page, '.rule-row')[1].dispatchEvent('tap');
    await flush();
    await tapButton(page, '.add');
    expect(wxCalls.navigations.map((n) => n.url)).toEqual(['/admin/rule/index?id=rule-supplies-medical', '/admin/rule/index']);
  });

  test('no rules reads as empty; a failure offers retry', async () => {
    backend.on('admin.listRules', new ApiFail('FORBIDDEN', '您的身份无权执行此操作'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('您的身份无权执行此操作');
    backend.on('admin.listRules', { items: [] });
    await tapButton(page, '.state', '.retry');
    expect(text(page)).toContain('还没有分派规则');
  });
});
