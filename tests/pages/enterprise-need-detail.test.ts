import { ApiFail, backend, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { need } from './helpers/fixtures';

const fulfilled = need({
  status: 'fulfilled',
  claimedBy: 'demo-chamber-head',
  fulfilNote: '已送达 20000 个',
  timeline: [
    { at: '2020-02-12T01:30:00.000Z', actor: 'demo-enterprise', role: 'enterprise', from: null, to: 'routed', note: '分派至区医药商会' },
    { at: '2020-02-12T03:00:00.000Z', actor: 'demo-chamber-head', role: 'unit', from: 'routed', to: 'claimed' },
    { at: '2020-02-13T03:00:00.000Z', actor: 'demo-chamber-head', role: 'unit', from: 'claimed', to: 'fulfilled', note: '已送达 20000 个' },
  ],
});

describe('enterprise/need-detail', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('enterprise/need-detail/index');
  });
  beforeEach(resetAll);

  test('shows status, unit, items and the timeline; no confirm form before fulfilment', async () => {
    backend.on('need.get', need());
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    expect(backend.callsOf('need.get')[0].payload).toEqual({ id: 'need-1' });
    const t = text(page);
    expect(t).toContain('待认领');
    expect(t).toContain('区医药商会');
    expect(t).toContain('口罩 20000 个');
    expect(t).toContain('分派至区医药商会');
    expect(t).not.toContain('确认收到');
  });

  test('a fulfilled need offers the rating form and sends need.confirm', async () => {
    let confirmed = false;
    backend.on('need.get', () => (confirmed ? { ...fulfilled, status: 'confirmed', rating: 4 } : fulfilled));
    backend.on('need.confirm', () => {
      confirmed = true;
      return { ...fulfilled, status: 'confirmed' };
    });
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    const t = text(page);
    expect(t).toContain('已认领 → 已办结');
    expect(t).toContain('确认收到');
    page.instance.onRate({ detail: 4 });
    page.instance.onComment({ detail: '很及时' });
    await tapButton(page, '.confirm-button');
    expect(backend.callsOf('need.confirm')[0].payload).toEqual({ id: 'need-1', rating: 4, comment: '很及时' });
    expect(wxCalls.toasts).toContain('已确认，感谢评价');
    expect(text(page)).toContain('已确认');
    expect(text(page)).not.toContain('确认收到');
  });

  test('a confirm failure keeps the rating and says why', async () => {
    backend.on('need.get', fulfilled);
    backend.on('need.confirm', new ApiFail('FAILED_PRECONDITION', '该需求已确认'));
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    page.instance.onRate({ detail: 3 });
    await tapButton(page, '.confirm-button');
    expect(wxCalls.toasts).toContain('该需求已确认');
    expect(page.data.rating).toBe(3);
    expect(text(page)).toContain('重新确认');
  });

  test('a load failure shows the error state', async () => {
    backend.on('need.get', new ApiFail('NOT_FOUND', '需求不存在'));
    const page = renderPage(id, { id: 'nope' });
    await flush();
    expect(text(page)).toContain('需求不存在');
  });
});
