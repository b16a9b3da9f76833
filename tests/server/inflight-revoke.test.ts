/**
 * Issue 20, item 3: revocation reaches in-flight calls. A change is decided
 * on the session as read in the same attempt as the need, so a revoke that
 * lands while a call is under way — before its read of the need, or between
 * a lost race and the retry — is what the decision sees. Deterministic: the
 * revoke's own write (the person's document, its `rev` moved on) is made at
 * a chosen request of the call.
 */
import { masks, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await h.db.collection('users').doc(MEMBER).set({
    data: { roles: ['unit'], unitCodes: ['chamber-pharma'], headOf: [], rev: 1, createdAt: '2026-03-01', updatedAt: '2026-03-01' },
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  h.close();
});

const OWNER = 'demo-hualun';
const MEMBER = 'pharma-revoked';
let seq = 0;
const key = () => `inflight-${String(++seq).padStart(8, '0')}`;

async function need(): Promise<string> {
  return (await h.ok('need', 'submit', { ...masks(100), clientKey: key() }, OWNER)).needs[0].id;
}

const doc = async (id: string): Promise<any> => (await h.db.collection('needs').where({ _id: id }).limit(1).get()).data[0];

/** What admin.revoke writes for a unit hold: the unit gone, the role with it, the version moved on. */
function revokeNow(modify: (...args: any[]) => unknown) {
  modify('users', { _id: MEMBER }, { $set: { roles: [], unitCodes: [], headOf: [] }, $inc: { rev: 1 } }, { multi: false, merge: true, upsert: false });
}

test('a revoke that lands after the call read the session, before it read the need: the claim is refused', async () => {
  const id = await need();
  const store = h.rt.store as any;
  const modify = store.modify.bind(store);
  const getById = store.getById.bind(store);
  let revoked = false;
  jest.spyOn(store, 'getById').mockImplementation((coll: any, docId: any, tx: any) => {
    // The dispatcher has read the member's document (the session); the first read of the need is next.
    if (!revoked && coll === 'needs' && docId === id) {
      revoked = true;
      revokeNow(modify);
    }
    return getById(coll, docId, tx);
  });
  const err = await h.fail('need', 'claim', { id }, MEMBER);
  expect(revoked).toBe(true);
  expect(err.code).toBe('FORBIDDEN');
  const after = await doc(id);
  expect(after.status).toBe('routed');
  expect(after.claimedBy ?? null).toBeNull();
});

test('a revoke between a lost race and its retry: the retry decides on the revoked session and writes nothing', async () => {
  const id = await need();
  await h.ok('need', 'claim', { id }, MEMBER);
  const store = h.rt.store as any;
  const modify = store.modify.bind(store);
  let raced = false;
  jest.spyOn(store, 'modify').mockImplementation((...args: any[]) => {
    if (!raced && args[0] === 'needs' && (args[1] as any).eventSeq !== undefined) {
      raced = true;
      // While the fulfil's write is in flight: the member is revoked, and the need moves (another
      // write — the revocation's own pass over the needs they hold, a call recorded by the unit).
      revokeNow(modify);
      modify('needs', { _id: id }, { $inc: { eventSeq: 1 } }, { multi: false, merge: true, upsert: false });
    }
    return modify(...args);
  });
  const err = await h.fail('need', 'fulfil', { id, note: '已送达', quantityDelivered: 100 }, MEMBER);
  expect(raced).toBe(true);
  expect(err.code).toBe('FORBIDDEN');
  expect(await doc(id)).toMatchObject({ status: 'claimed' });
});

test('a session unchanged since the call began decides as before (no revoke, no refusal)', async () => {
  const id = await need();
  expect(await h.ok('need', 'claim', { id }, MEMBER)).toMatchObject({ status: 'claimed' });
});
