/**
 * Every action of every function × every kind of caller, drawn from the
 * action tables: the dispatcher answers FORBIDDEN (its own refusal) exactly
 * when the action's declared roles include none the caller holds. An allowed
 * caller gets past the access check — whatever the handler then answers to a
 * bare payload (INVALID_ARGUMENT, NOT_FOUND, a FORBIDDEN of its own scope
 * rules, …), never the dispatcher's refusal and never INTERNAL.
 *
 * The callers' roles are written here, not read back from the session, so
 * the test checks the tables against what the seed and the revocation did.
 */
import type { Role } from '../../typings/api';
import { functions } from '../../server/functions';
import { startHarness, type Harness } from './harness';

let h: Harness;

/** The dispatcher's refusal, told apart from a handler's own FORBIDDEN (scope: another unit's need, …). */
const ROLE_REFUSAL = '您的身份无权执行此操作';

interface Caller {
  label: string;
  /** A fixed OPENID, or a new one per call (someone the system has never seen). */
  openid: string | ((fn: string, action: string) => string);
  roles: Role[];
}

const CALLERS: Caller[] = [
  { label: 'admin', openid: 'demo-admin', roles: ['admin'] },
  { label: 'enterprise owner', openid: 'demo-enterprise', roles: ['enterprise'] },
  { label: 'task-force member', openid: 'demo-taskforce', roles: ['taskforce'] },
  { label: 'unit head', openid: 'demo-chamber-head', roles: ['unit'] },
  { label: 'unit member', openid: 'demo-finance', roles: ['unit'] },
  { label: 'unit member and task-force member', openid: 'two-hats', roles: ['unit', 'taskforce'] },
  { label: 'fresh openid', openid: (fn, action) => `fresh-${fn}-${action}`, roles: [] },
  { label: 'signed in, no role', openid: 'no-role', roles: [] },
  { label: 'revoked unit member', openid: 'revoked-member', roles: [] },
];

beforeAll(async () => {
  h = await startHarness();
  await h.ok('user', 'login', {}, 'no-role');
  const tf = await h.ok('admin', 'createInvite', { role: 'taskforce', taskForceId: 'tf-06' }, 'demo-admin');
  await h.ok('user', 'redeemInvite', { code: tf.code }, 'two-hats');
  const unit = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'commerce' }, 'demo-admin');
  await h.ok('user', 'redeemInvite', { code: unit.code }, 'two-hats');
  const gone = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'commerce' }, 'demo-admin');
  await h.ok('user', 'redeemInvite', { code: gone.code }, 'revoked-member');
  await h.ok('admin', 'revoke', { openid: 'revoked-member', role: 'unit', unitCode: 'commerce' }, 'demo-admin');
});
afterAll(() => h.close());

test('the callers hold what this test says they hold', async () => {
  for (const caller of CALLERS) {
    if (typeof caller.openid !== 'string') continue;
    const session = await h.ok('user', 'login', {}, caller.openid);
    expect({ who: caller.label, roles: [...session.roles].sort() }).toEqual({ who: caller.label, roles: [...caller.roles].sort() });
  }
});

describe.each(Object.keys(functions))('%s', (fn) => {
  test('every action × every caller: FORBIDDEN exactly as declared', async () => {
    const table = functions[fn];
    const mismatches: string[] = [];
    let checked = 0;
    for (const [action, def] of Object.entries(table)) {
      for (const caller of CALLERS) {
        const openid = typeof caller.openid === 'string' ? caller.openid : caller.openid(fn, action);
        const allowed = def.roles === 'signedIn' || def.roles.some((r: Role) => caller.roles.includes(r));
        const env = await h.raw(fn, action, {}, openid);
        const refused = !env.ok && env.error.code === 'FORBIDDEN' && env.error.message === ROLE_REFUSAL;
        const internal = !env.ok && (env.error.code === 'INTERNAL' || env.error.code === 'UNAUTHENTICATED');
        checked++;
        if (allowed && (refused || internal)) mismatches.push(`${fn}.${action} refused ${caller.label}: ${JSON.stringify(env)}`);
        if (!allowed && !refused) mismatches.push(`${fn}.${action} let ${caller.label} past the access check: ${JSON.stringify(env).slice(0, 200)}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(Object.keys(table).length * CALLERS.length);
  });
});

test('no identity at all is UNAUTHENTICATED for every action', async () => {
  for (const [fn, table] of Object.entries(functions)) {
    for (const action of Object.keys(table)) {
      expect({ fn, action, error: (await h.fail(fn, action, {})).code }).toEqual({ fn, action, error: 'UNAUTHENTICATED' });
    }
  }
});
