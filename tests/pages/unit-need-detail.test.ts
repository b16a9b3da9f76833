import { ApiFail, backend, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { chamberHeadSession, need } from './helpers/fixtures';

const claimedByMe = need({
  status: 'claimed',
  claimedBy: 'demo-chamber-head',
  leaseUntil: '2020-02-12T05:00:00.000Z',
  timeline: [
    { at: '2020-02-12T01:30:00.000Z', actor: 'system', role: 'system', from: null, to: 'routed' },
    { at: '2020-02-12T03:00:00.000Z', actor: 'demo-chamber-head', role: 'unit', from: 'routed', to: 'claimed' },
  ],
});

describe('unit/need-detail', () => {
  let id: string;
  beforeAll(() => {
    id = loadPage('unit/need-detail/index');
  });
  beforeEach(() => {
    resetAll();
    backend.on('user.login', chamberHeadSession);
  });

  test('a routed need shows 认领, and claiming sends need.claim and reloads', async () => {
    let claimed = false;
    backend.on('need.get', () => (claimed ? claimedByMe : need({ enterpriseVerified: false })));
    backend.on('need.claim', () => {
      claimed = true;
      return claimedByMe;
    });
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    const t = text(page);
    expect(t).toContain('重庆秋田齿轮有限公司');
    expect(t).toContain('企业未核实');
    expect(t).toContain('口罩 20000 个');
    expect(t).toContain('认领');
    await tapButton(page, '.claim');
    expect(backend.callsOf('need.claim')[0].payload).toEqual({ id: 'need-1' });
    expect(wxCalls.toasts).toContain('已认领');
    expect(text(page)).toContain('待认领 → 已认领');
    expect(page.data.canFulfil).toBe(true);
  });

  test('losing the race (CONFLICT) says 已被他人认领 and reloads', async () => {
    backend.on('need.get', need());
    backend.on('need.claim', new ApiFail('CONFLICT', 'already claimed'));
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    backend.on('need.get', need({ status: 'claimed', claimedBy: 'someone-else' }));
    await tapButton(page, '.claim');
    expect(wxCalls.toasts).toEqual(['已被他人认领']);
    expect(backend.callsOf('need.get')).toHaveLength(2);
    expect(page.data.canClaim).toBe(false);
    expect(page.data.canFulfil).toBe(false);
  });

  test('the claimer fulfils with a note and the delivered quantity', async () => {
    backend.on('need.get', claimedByMe);
    backend.on('need.fulfil', { ...claimedByMe, status: 'fulfilled' });
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    await tapButton(page, '.fulfil-button');
    expect(page.data.noteError).toBeTruthy();
    expect(backend.callsOf('need.fulfil')).toHaveLength(0);
    page.instance.onNote({ detail: '已送达口罩' });
    page.instance.onQuantity({ detail: '15000' });
    await tapButton(page, '.fulfil-button');
    expect(backend.callsOf('need.fulfil')[0].payload).toEqual({ id: 'need-1', note: '已送达口罩', quantityDelivered: 15000 });
  });

  test('someone else\'s claim offers neither claim nor fulfil; errors show the error state', async () => {
    backend.on('need.get', need({ status: 'claimed', claimedBy: 'someone-else' }));
    const page = renderPage(id, { id: 'need-1' });
    await flush();
    expect(page.data.canClaim).toBe(false);
    expect(page.data.canFulfil).toBe(false);
    backend.on('need.get', new ApiFail('FORBIDDEN', '无权查看'));
    await page.instance.reload();
    await flush();
    expect(text(page)).toContain('无权查看');
  });
});
