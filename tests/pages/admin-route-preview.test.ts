import { ApiFail, backend, find, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { options } from './helpers/fixtures';

describe('admin/route-preview', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('admin/route-preview/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('admin.listRules', { items: [
      { id: 'rule-a', order: 10, match: { type: 'supplies', chamberMember: 'chamber-pharma' }, unitCode: 'chamber-pharma', slaHours: 48, enabled: true },
      { id: 'rule-supplies-medical', order: 20, match: { type: 'supplies', industry: 'medical' }, unitCode: 'chamber-pharma', slaHours: 48, enabled: true },
    ] });
    backend.on('enterprise.options', options).on('need.routePreview', {
      unitCode: 'chamber-pharma',
      unitName: '区医药商会',
      ruleId: 'rule-supplies-medical',
      slaHours: 48,
      reason: '医药行业防疫物资由医药商会办理',
    });
  });

  test('sends type, industry, zone and chambers, and shows the unit, rule, SLA and reason', async () => {
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.preview');
    expect(backend.callsOf('need.routePreview')).toHaveLength(0); // zone is required
    expect(text(find(page, '.f-zone'))).toContain('请选择片区');

    page.instance.onType({ detail: { value: 1 } }); // 融资
    page.instance.onIndustry({ detail: { value: 1 } }); // 医药医疗
    page.instance.onZone({ detail: { value: 0 } });
    page.instance.onChambers({ detail: ['chamber-pharma', 'chamber-zhejiang'] });
    await flush();
    expect(text(find(page, '.f-type'))).toContain('融资');
    expect(text(find(page, '.f-industry'))).toContain('医药医疗');
    expect(text(find(page, '.f-zone'))).toContain('建桥园区C区');
    expect(text(find(page, '.f-chambers'))).toContain('浙江商会');
    await tapButton(page, '.preview');
    expect(backend.callsOf('need.routePreview').map((c) => c.payload)).toEqual([
      { type: 'financing', industry: 'medical', zone: 'jianqiao-c', chamberCodes: ['chamber-pharma', 'chamber-zhejiang'] },
    ]);
    const result = text(find(page, '.result'));
    expect(result).toContain('区医药商会');
    expect(result).toContain('第 2 条分派规则');
    expect(result).not.toContain('rule-supplies-medical');
    expect(result).toContain('48 小时');
    expect(result).toContain('医药行业防疫物资由医药商会办理');

    // A changed choice makes the answer stale.
    page.instance.onZone({ detail: { value: 1 } });
    await flush();
    expect(page.querySelectorAll('.result')).toHaveLength(0);
  });

  test('no matching rule reads as triage; a failure keeps the choices and toasts', async () => {
    backend.on('need.routePreview', { unitCode: 'acfic', unitName: '区工商联', ruleId: null, slaHours: 24, reason: '无匹配规则，转工商联分诊' });
    const page = renderPage(id);
    await flush();
    page.instance.onZone({ detail: { value: 1 } });
    await tapButton(page, '.preview');
    expect(backend.callsOf('need.routePreview')[0].payload).toEqual({ type: 'supplies', industry: 'manufacturing', zone: 'bajiaoyuan', chamberCodes: [] });
    expect(text(find(page, '.result'))).toContain('没有符合的规则，交给分诊单位');

    backend.on('need.routePreview', new ApiFail('INTERNAL', '网络异常，请稍后重试'));
    page.instance.onType({ detail: { value: 2 } });
    await tapButton(page, '.preview');
    expect(wxCalls.toasts).toContain('网络异常，请稍后重试');
    expect(text(find(page, '.send-error'))).toContain('网络异常');
    expect(text(find(page, '.f-zone'))).toContain('八桥镇');
  });

  test('a rule\'s 试一试 opens it set to the rule\'s case', async () => {
    const page = renderPage(id, { type: 'financing', industry: 'medical', zone: 'bajiaoyuan', chamber: 'chamber-zhejiang' });
    await flush();
    expect(text(find(page, '.f-type'))).toContain('融资');
    expect(text(find(page, '.f-industry'))).toContain('医药医疗');
    expect(text(find(page, '.f-zone'))).toContain('八桥镇');
    await tapButton(page, '.preview');
    expect(backend.callsOf('need.routePreview')[0].payload).toEqual({ type: 'financing', industry: 'medical', zone: 'bajiaoyuan', chamberCodes: ['chamber-zhejiang'] });
  });

  test('failed options show the retry state', async () => {
    backend.on('enterprise.options', new ApiFail('INTERNAL', '网络异常，请稍后重试'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('网络异常');
    backend.on('enterprise.options', options);
    await tapButton(page, '.state', '.retry');
    expect(text(find(page, '.f-zone'))).toContain('请选择');
  });
});
