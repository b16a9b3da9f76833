import type { AddressInfo } from 'net';
import { request, type Server } from 'http';
import { createHash } from 'crypto';
import { existsSync, readdirSync } from 'fs';
import { join } from 'path';
import { createGateway, type GatewayOptions } from '../../server/local/gateway';
import { photoLinks } from '../../server/files/links';
import { startHarness, type Harness } from './harness';

let h: Harness;
let server: Server;
let base: string;

async function listen(options: GatewayOptions = {}): Promise<{ server: Server; base: string }> {
  const server = createGateway(h.rt, () => undefined, options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
const stop = (s: Server) => new Promise((resolve) => s.close(resolve));

beforeAll(async () => {
  h = await startHarness();
  ({ server, base } = await listen());
});
afterAll(async () => {
  await stop(server);
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


// ── Files: only through the links the functions hand out ─────────────────────

/** What must never reach a caller: Node error codes, absolute paths, stack frames. */
const LEAKS = /ENOENT|EISDIR|EACCES|ERR_|\/work|\/tmp|\/home|node_modules|at \w+ \(/;

const api = async (fn: string, openid: string, body: object): Promise<any> => (await post(fn, JSON.stringify(body), openid)).json();
const exportLedger = async () => (await api('ledger', 'demo-admin', { action: 'export', kind: 'ledger' })).data;
const uploadAs = (openid: string | undefined, body: object) =>
  fetch(`${base}/upload`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-openid': openid } : {}) },
    body: JSON.stringify(body),
  });
const uploaded = async (openid: string, body: object): Promise<string> => ((await (await uploadAs(openid, body)).json()) as any).data.fileID;
const pathOf = (fileID: string) => fileID.replace(/^cloud:\/\/[^/]+\//, '');
/** Bytes that are what their names say: the gateway looks at the first bytes of an upload. */
const JPEG = (text = 'JPEGDATA') => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(text)]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x78]).toString('base64');

test('an export lands at an unguessable path and answers a 10-minute link on the port the gateway listens on', async () => {
  const a = await exportLedger();
  const b = await exportLedger();
  expect(a).toMatchObject({ name: expect.stringMatching(/^复工台账-\d{8}-\d{4}\.xlsx$/), url: expect.stringMatching(new RegExp(`^${base}/files/exports/`)) });
  expect(pathOf(a.fileID)).toMatch(/^exports\/[0-9a-f]{32}\/\d{8}-\d{4}-ledger\.xlsx$/);
  // Same minute, same kind: only the random folder tells them apart.
  expect(pathOf(a.fileID).split('/')[2]).toBe(pathOf(b.fileID).split('/')[2]);
  expect(pathOf(a.fileID)).not.toBe(pathOf(b.fileID));
  expect(Date.parse(a.expiresAt) - h.clock.now().getTime()).toBe(10 * 60_000);

  const res = await fetch(a.url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/spreadsheetml/);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.length).toBe(a.bytes);
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
});

test('a stored file is not served by its path alone, nor with a forged or borrowed signature', async () => {
  const a = await exportLedger();
  const b = await exportLedger();
  const direct = await fetch(`${base}/files/${pathOf(a.fileID)}`);
  expect(direct.status).toBe(403);
  expect(await direct.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('链接') } });

  const query = new URL(a.url).search;
  // a's signature does not open b: it covers the path.
  expect((await fetch(`${base}/files/${pathOf(b.fileID)}${query}`)).status).toBe(403);
  // Nor does it last longer than it says.
  const later = query.replace(/expires=(\d+)/, (_m, e) => `expires=${Number(e) + 86400}`);
  expect((await fetch(`${base}/files/${pathOf(a.fileID)}${later}`)).status).toBe(403);
  expect((await fetch(`${base}/files/${pathOf(a.fileID)}${query.replace(/sig=[^&]+/, 'sig=AAAA')}`)).status).toBe(403);
  expect((await fetch(a.url)).status).toBe(200);
});

test('a link stops working when it expires', async () => {
  const a = await exportLedger();
  h.clock.advance(10 * 60_000);
  expect((await fetch(a.url)).status).toBe(200);
  h.clock.advance(1000);
  const res = await fetch(a.url);
  expect(res.status).toBe(410);
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', message: expect.stringContaining('过期') } });
});

test.each([
  ['/files/', 400],
  ['/files', 400],
  ['/files/%E0%A4%A', 400],
  ['/files/exports/', 400],
  ['/files/exports', 403],
  ['/files/..%2F..%2Fetc%2Fpasswd', 400],
  ['/files/../../etc/passwd', 400],
  ['/files/%2e%2e/%2e%2e/etc/passwd', 400],
  ['/files//etc/passwd', 400],
  ['/files/a%00b', 400],
  ['/files/exports/nothing-here.xlsx?expires=1&sig=x', 403],
])('%s answers %i with an envelope and no Node error code or path', async (path, status) => {
  // node:http sends the path as written; fetch would resolve the dot segments itself.
  const { status: got, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const { hostname, port } = new URL(base);
    request({ hostname, port, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    })
      .on('error', reject)
      .end();
  });
  expect(got).toBe(status);
  expect(JSON.parse(text)).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.stringMatching(/[\u4e00-\u9fa5]/) } });
  expect(text).not.toMatch(LEAKS);
});

test('a link to a file that is gone answers 404, not a Node error', async () => {
  const photo = await uploaded('demo-taskforce', { cloudPath: 'gone.jpg', contentBase64: JPEG().toString('base64') });
  const [link] = await h.rt.files.links([photo], 60);
  require('fs').rmSync(h.rt.files.pathOf(photo));
  const res = await fetch(link.url);
  expect(res.status).toBe(404);
  expect(await res.text()).not.toMatch(LEAKS);
});

// ── Uploads: an identity, the caller's own folder, never an overwrite ────────

test('an upload without an identity is refused and stores nothing', async () => {
  const root = join(h.rt.files.pathOf('cloud://x/uploads'));
  const before = existsSync(root) ? readdirSync(root, { recursive: true }).length : 0;
  const res = await uploadAs(undefined, { cloudPath: 'visits/tf-02/gate.jpg', contentBase64: Buffer.from('JPEGDATA').toString('base64') });
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  expect(existsSync(root) ? readdirSync(root, { recursive: true }).length : 0).toBe(before);
});

test("an upload lands under the caller's own prefix, under a fresh name, and is read back through a link", async () => {
  const prefix = `uploads/${createHash('sha256').update('demo-taskforce').digest('hex').slice(0, 16)}/`;
  const body = { cloudPath: 'visits/ent-qiutian/visit-abc-0.jpg', contentBase64: JPEG().toString('base64') };
  const first = await uploaded('demo-taskforce', body);
  const second = await uploaded('demo-taskforce', body);
  expect(pathOf(first)).toMatch(new RegExp(`^${prefix}[0-9a-f]{16}-visit-abc-0\\.jpg$`));
  expect(second).not.toBe(first);
  const other = await uploaded('demo-admin', { cloudPath: 'imports/1.csv', contentBase64: Buffer.from('企业名称\n').toString('base64') });
  expect(pathOf(other).startsWith(prefix)).toBe(false);

  expect((await fetch(`${base}/files/${pathOf(first)}`)).status).toBe(403);
  const links = await photoLinks(h.rt.ports, [first, first, second]);
  expect([...links.keys()]).toEqual([first, second]);
  const res = await fetch(links.get(first)!.url);
  expect(res.headers.get('content-type')).toBe('image/jpeg');
  expect(Buffer.from(await res.arrayBuffer())).toEqual(JPEG());
});

test('an upload cannot overwrite an export, or climb out of its folder', async () => {
  const a = await exportLedger();
  const sheet = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('x'.repeat(14))]).toString('base64');
  for (const cloudPath of [pathOf(a.fileID), `../../${pathOf(a.fileID)}`, '../../etc/passwd.csv']) {
    const res = await uploadAs('demo-admin', { cloudPath, contentBase64: sheet });
    const fileID = ((await res.json()) as any).data.fileID;
    expect(pathOf(fileID)).toMatch(/^uploads\/[0-9a-f]{16}\/[0-9a-f]{16}-[^/]+$/);
  }
  // A name that is no photo or sheet is not stored at all.
  for (const cloudPath of ['/etc/passwd', '..', '']) {
    expect((await uploadAs('demo-admin', { cloudPath, contentBase64: sheet })).status).toBe(400);
  }
  const res = await fetch(a.url);
  expect(Buffer.from(await res.arrayBuffer()).length).toBe(a.bytes);
});

test('photo links are handed out for uploads only, never for an export named as a photo', async () => {
  const a = await exportLedger();
  const photo = await uploaded('demo-taskforce', { cloudPath: 'p.png', contentBase64: PNG });
  const links = await photoLinks(h.rt.ports, [a.fileID, photo, 'cloud://x/uploads/missing.jpg']);
  expect([...links.keys()]).toEqual([photo]);
});

// ── Browsers, bodies, surprises ──────────────────────────────────────────────

test('no CORS header by default: a web page cannot act as anyone', async () => {
  const res = await fetch(`${base}/api/user`, { method: 'POST', headers: { origin: 'https://evil.example', 'x-openid': 'demo-admin' }, body: '{"action":"login"}' });
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  const preflight = await fetch(`${base}/api/user`, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-openid' },
  });
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
});

test('CORS for the configured origins only, echoing the one that asks', async () => {
  const saved = process.env.CORS_ORIGINS;
  process.env.CORS_ORIGINS = 'http://localhost:5173, https://desk.example.gov.cn';
  const g = await listen();
  if (saved === undefined) delete process.env.CORS_ORIGINS;
  else process.env.CORS_ORIGINS = saved;
  try {
    const preflight = (origin: string) =>
      fetch(`${g.base}/api/user`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-openid' } });
    const ok = await preflight('https://desk.example.gov.cn');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://desk.example.gov.cn');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/x-openid/);
    const call = await fetch(`${g.base}/api/user`, { method: 'POST', headers: { origin: 'http://localhost:5173', 'x-openid': 'demo-admin' }, body: '{"action":"login"}' });
    expect(call.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await preflight('https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await stop(g.server);
  }
});

test.each(['/api/user', '/upload'])('a 6 MB body to %s answers 413 with the envelope instead of resetting the connection', async (path) => {
  const big = JSON.stringify({ action: 'login', cloudPath: 'a.jpg', contentBase64: 'A'.repeat(6 * 1024 * 1024) });
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'x-openid': 'demo-admin' }, body: big });
  expect(res.status).toBe(413);
  expect(await res.json()).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('请求内容过大') } });
  // The gateway still answers afterwards.
  expect((await fetch(`${base}/health`)).status).toBe(200);
});

test('an unexpected failure answers INTERNAL in Chinese and keeps the details in the server log', async () => {
  const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const call = jest.spyOn(h.rt, 'call').mockRejectedValueOnce(Object.assign(new Error("ENOENT: no such file or directory, open '/work/.data/db.sqlite'"), { code: 'ENOENT' }));
  try {
    const res = await post('user', '{"action":"login"}', 'demo-admin');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/[\u4e00-\u9fa5]/) } });
    expect(text).not.toMatch(LEAKS);
    expect(String(logged.mock.calls[0]?.[1])).toMatch(/ENOENT/);
  } finally {
    call.mockRestore();
    logged.mockRestore();
  }
});
