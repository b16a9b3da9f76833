import type { AddressInfo } from 'net';
import type { Server } from 'http';
import { createGateway } from '../../server/local/gateway';
import { startHarness, type Harness } from './harness';

let h: Harness;
let server: Server;
let base: string;

beforeAll(async () => {
  h = await startHarness();
  server = createGateway(h.rt);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  h.close();
});

const post = (fn: string, body: string, openid?: string) =>
  fetch(`${base}/api/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-openid': openid } : {}) },
    body,
  });

test('GET /health answers', async () => {
  const res = await fetch(`${base}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true, data: { status: 'up' } });
});

test('a call answers the envelope with the x-openid identity', async () => {
  const res = await post('user', JSON.stringify({ action: 'login' }), 'demo-chamber-head');
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ ok: true, data: { openid: 'demo-chamber-head', headOf: ['chamber-pharma'] } });
});

test.each([
  ['malformed JSON', 'user', '{"action": ', 'demo-admin', 400, 'INVALID_ARGUMENT'],
  ['a JSON array', 'user', '[1,2]', 'demo-admin', 400, 'INVALID_ARGUMENT'],
  ['an unknown function', 'teleport', '{"action":"go"}', 'demo-admin', 404, 'NOT_FOUND'],
  ['an unknown action', 'need', '{"action":"explode"}', 'demo-admin', 404, 'NOT_FOUND'],
  ['a missing identity', 'user', '{"action":"login"}', undefined, 401, 'UNAUTHENTICATED'],
  ['a forbidden call', 'need', '{"action":"queue"}', 'demo-enterprise', 403, 'FORBIDDEN'],
])('%s gets the error envelope', async (_label, fn, body, openid, status, code) => {
  const res = await post(fn, body, openid);
  expect(res.status).toBe(status);
  const json = await res.json();
  expect(json).toMatchObject({ ok: false, error: { code } });
  expect(JSON.stringify(json)).not.toMatch(/at \w+ \(|node_modules/);
});

test('an unknown path and a GET on an API are refused with the envelope', async () => {
  expect(await (await fetch(`${base}/nothing`)).json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  expect(await (await fetch(`${base}/api/user`)).json()).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
});

test('the slice over HTTP: submit, claim, fulfil, confirm', async () => {
  const call = async (fn: string, openid: string, body: object): Promise<any> => (await post(fn, JSON.stringify(body), openid)).json();
  const submitted = await call('need', 'demo-enterprise', {
    action: 'submit',
    type: 'supplies',
    clientKey: 'http-key-0001',
    items: [{ kind: 'mask', quantity: 20000, unit: '个' }],
    neededBy: '2026-03-05',
    deliveryAddress: '建桥工业园C区',
  });
  const id = submitted.data.needs[0].id;
  expect((await call('need', 'demo-chamber-head', { action: 'claim', id })).ok).toBe(true);
  expect((await call('need', 'demo-chamber-head', { action: 'fulfil', id, note: '已送达' })).ok).toBe(true);
  expect((await call('need', 'demo-enterprise', { action: 'confirm', id, rating: 5 })).data.status).toBe('confirmed');
});

test('local uploads land in the files folder and are served back', async () => {
  const res = await fetch(`${base}/upload`, {
    method: 'POST',
    body: JSON.stringify({ cloudPath: 'visits/tf-02/gate.jpg', contentBase64: Buffer.from('JPEGDATA').toString('base64') }),
  });
  const json: any = await res.json();
  expect(json).toMatchObject({ ok: true, data: { fileID: expect.stringMatching(/^cloud:\/\/.+\/visits\/tf-02\/gate\.jpg$/) } });
  const back = await fetch(`${base}/files/visits/tf-02/gate.jpg`);
  expect(await back.text()).toBe('JPEGDATA');
  const bad = await fetch(`${base}/upload`, { method: 'POST', body: JSON.stringify({ cloudPath: '../../etc/passwd', contentBase64: 'eA==' }) });
  expect(bad.status).toBe(400);
  expect((await fetch(`${base}/files/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
});
