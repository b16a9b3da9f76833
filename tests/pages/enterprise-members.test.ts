import { ApiFail, backend, find, findAll, flush, loadPage, renderPage, resetAll, tapButton, text, wxCalls } from './helpers';
import { enterpriseSession } from './helpers/fixtures';

const members = {
  items: [
    { memberId: 'm-colleague', me: false, name: '王会计', owner: false, joinedAt: '2020-02-11T02:00:00.000Z' },
    { memberId: 'm-owner', me: true, name: '李总', owner: true, joinedAt: '2020-02-10T02:00:00.000Z' },
  ],
};

const wx = (global as any).wx;

describe('enterprise/members', () => {
  let id: string;
  const clipboard: string[] = [];
  beforeAll(() => {
    id = loadPage('enterprise/members/index');
  });
  beforeEach(() => {
    resetAll();
    clipboard.length = 0;
    wx.showModal = (opts: any) => opts.success?.({ confirm: true, cancel: false });
    wx.setClipboardData = (opts: any) => clipboard.push(opts.data);
    backend
      .on('user.login', enterpriseSession)
      .on('enterprise.members', members)
      .on('enterprise.removeMember', { removed: true })
      .on('admin.createInvite', { code: 'Q7W8E9R2', expiresAt: '2020-02-24T16:00:00.000Z' });
  });

  test('the owner sees everyone, owner first, and removes a colleague after confirming — never themselves', async () => {
    const page = renderPage(id);
    await flush();
    const rows = findAll(page, '.member').map(text);
    expect(rows[0]).toContain('李总');
    expect(rows[0]).toContain('负责人');
    expect(rows[0]).toContain('我');
    expect(rows[1]).toContain('王会计');
    expect(rows[1]).toContain('2020-02-11 加入');
    expect(findAll(page, '.remove')).toHaveLength(1);
    expect(text(page)).not.toContain('m-colleague');
    await tapButton(page, '.remove');
    await flush();
    expect(backend.callsOf('enterprise.removeMember').map((c) => c.payload)).toEqual([{ memberId: 'm-colleague' }]);
    expect(findAll(page, '.member')).toHaveLength(1);
    expect(wxCalls.toasts).toContain('已移除');
  });

  test('someone who is not the owner sees the list without 移除', async () => {
    backend.on('enterprise.members', { items: members.items.map((m) => ({ ...m, owner: m.memberId !== 'm-owner' })) });
    const page = renderPage(id);
    await flush();
    expect(findAll(page, '.remove')).toHaveLength(0);
    expect(text(page)).toContain('只有企业负责人可以移除成员');
  });

  test('a cancelled confirmation removes nothing; a refusal is toasted and the list reloads', async () => {
    wx.showModal = (opts: any) => opts.success?.({ confirm: false, cancel: true });
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.remove');
    expect(backend.callsOf('enterprise.removeMember')).toHaveLength(0);
    wx.showModal = (opts: any) => opts.success?.({ confirm: true, cancel: false });
    backend.on('enterprise.removeMember', new ApiFail('FORBIDDEN', '只有企业负责人可以移除成员'));
    await tapButton(page, '.remove');
    await flush();
    expect(wxCalls.toasts).toContain('只有企业负责人可以移除成员');
    expect(backend.callsOf('enterprise.members')).toHaveLength(2);
  });

  test('invites a colleague into this enterprise by name and shows the code to copy', async () => {
    const page = renderPage(id);
    await flush();
    await tapButton(page, '.create-invite');
    expect(backend.callsOf('admin.createInvite')).toHaveLength(0);
    expect(text(find(page, '.f-inviteName'))).toContain('请填写同事的姓名或称呼');
    page.instance.onInviteName({ detail: '赵出纳' });
    await tapButton(page, '.create-invite');
    expect(backend.callsOf('admin.createInvite').map((c) => c.payload)).toEqual([{ role: 'enterprise', enterpriseId: 'ent-qiutian', name: '赵出纳' }]);
    expect(text(find(page, '.invite'))).toContain('发给 赵出纳');
    expect(text(find(page, '.invite-code'))).toContain('Q7W8E9R2');
    await tapButton(page, '.copy');
    expect(clipboard).toEqual(['Q7W8E9R2']);
  });

  test('a failed list shows retry', async () => {
    backend.on('enterprise.members', new ApiFail('INTERNAL', '网络异常，请稍后重试'));
    const page = renderPage(id);
    await flush();
    expect(text(page)).toContain('网络异常');
  });
});
