import { startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

test('list searches title and summary, and filters by tag', async () => {
  const all = await h.ok('policy', 'list', {}, 'anyone');
  expect(all.items.length).toBe(5);
  const rent = await h.ok('policy', 'list', { tag: 'rent' }, 'anyone');
  expect(rent.items.map((p: any) => p.id).sort()).toEqual(['policy-cq-smes-2020', 'policy-ddk-rent-2020']);
  const search = await h.ok('policy', 'list', { q: '招聘' }, 'anyone');
  expect(search.items.map((p: any) => p.title)).toEqual(['春风行动暨就业援助月']);
  expect((await h.ok('policy', 'list', { q: '(.*' }, 'anyone')).items).toEqual([]);
  const both = await h.ok('policy', 'list', { tag: 'financing', q: '贷款' }, 'anyone');
  expect(both.items.map((p: any) => p.id).sort()).toEqual(['policy-cq-smes-2020', 'policy-loan-special-2020']);
});

test('get answers one policy or NOT_FOUND', async () => {
  expect(await h.ok('policy', 'get', { id: 'policy-utilities-2020' }, 'anyone')).toMatchObject({ title: '阶段性降低企业用电用气成本' });
  expect(await h.fail('policy', 'get', { id: 'nope' }, 'anyone')).toMatchObject({ code: 'NOT_FOUND' });
});

test("matched puts the enterprise's industry and open needs first and leaves out other industries' policies", async () => {
  await h.ok('need', 'submit', { type: 'hiring', positions: [{ title: '质检员', count: 3 }], clientKey: 'policy-key-01' }, 'demo-enterprise');
  const { items } = await h.ok('policy', 'matched', {}, 'demo-enterprise');
  expect(items.map((p: any) => p.id)).not.toContain('policy-ddk-rent-2020'); // catering, retail, services only
  expect(items[0]).toMatchObject({ matched: true });
  const first = items.filter((p: any) => p.matched).map((p: any) => p.id);
  expect(first).toEqual(expect.arrayContaining(['policy-spring-breeze-2020', 'policy-loan-special-2020', 'policy-cq-smes-2020']));
  expect(items.find((p: any) => p.id === 'policy-spring-breeze-2020').reasons).toEqual(['need:hiring']);
  expect(await h.fail('policy', 'matched', {}, 'demo-chamber-head')).toMatchObject({ code: 'FORBIDDEN' });
});

test('hostile searches are answered, never INTERNAL: a NUL, other control characters, regex syntax, an overlong query', async () => {
  for (const q of ['a\u0000b', '\u0007', 'x\u001b[31m']) {
    expect(await h.fail('policy', 'list', { q }, 'anyone')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'q' });
  }
  expect(await h.fail('policy', 'list', { tag: 'rent\u0000' }, 'anyone')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'tag' });
  expect(await h.fail('policy', 'list', { q: '贷'.repeat(41) }, 'anyone')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'q' });
  for (const q of ['(a+)+$', '[', '\\', '.*', '贷'.repeat(40)]) {
    expect(await h.raw('policy', 'list', { q }, 'anyone')).toMatchObject({ ok: true });
  }
});

test('policies page like every list: a cursor walks the whole list once, at most 200 a page', async () => {
  const all = (await h.ok('policy', 'list', {}, 'anyone')).items.map((p: any) => p.id);
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page: any = await h.ok('policy', 'list', { limit: 2, ...(cursor ? { cursor } : {}) }, 'anyone');
    expect(page.items.length).toBeLessThanOrEqual(2);
    seen.push(...page.items.map((p: any) => p.id));
    cursor = page.nextCursor;
  } while (cursor);
  expect(seen).toEqual(all);
  expect(await h.fail('policy', 'list', { limit: 201 }, 'anyone')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'limit' });
  expect(await h.fail('policy', 'list', { cursor: 'nonsense' }, 'anyone')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'cursor' });
});
