/**
 * The local gateway's front door (issue 13, item 11): a foreign Host (DNS
 * rebinding) or an Origin outside CORS_ORIGINS is refused before anything
 * runs, and `x-openid` must look like an OPENID, so it cannot forge a log line.
 */
import type { AddressInfo } from 'net';
import { request, type Server } from 'http';
import { createGateway, type GatewayOptions } from '../../server/local/gateway';
import { startHarness, type Harness } from './harness';

let h: Harness;
let server: Server;
let port: number;
const logged: string[] = [];

async function listen(options: GatewayOptions = {}): Promise<{ server: Server; port: number }> {
  const s = createGateway(h.rt, (line) => logged.push(line), options);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { server: s, port: (s.address() as AddressInfo).port };
}
const stop = (s: Server) => new Promise((resolve) => s.close(resolve));

beforeAll(async () => {
  h = await startHarness();
  ({ server, port } = await listen({ corsOrigins: ['http://localhost:5173'], hosts: ['desk.internal'] }));
});
afterAll(async () => {
  await stop(server);
  h.close();
});

/** node:http lets a test set Host as a rebinding page's browser would. */
function call(headers: Record<string, string>, body = '{"action":"login"}', path = '/api/user', at = port): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname: '127.0.0.1', port: at, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('loopback hosts and listed host names are served', async () => {
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST', `[::1]:${port}`, `desk.internal:${port}`]) {
    expect([host, (await call({ host, 'x-openid': 'demo-admin' })).status]).toEqual([host, 200]);
  }
});

test('a foreign Host is refused before the call runs: DNS rebinding reaches nothing', async () => {
  const spy = jest.spyOn(h.rt, 'call');
  try {
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, 'localhost.evil.example']) {
      const res = await call({ host, 'x-openid': 'demo-admin' });
      expect([host, res.status]).toEqual([host, 403]);
      expect(res.json).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/^[^A-Za-z]*$/) } });
    }
    // An upload and a file link are behind the same door.
    expect((await call({ host: 'evil.example', 'x-openid': 'demo-taskforce' }, '{"cloudPath":"a.jpg","contentBase64":"eA=="}', '/upload')).status).toBe(403);
    expect(spy).not.toHaveBeenCalled();
  } finally {
    spy.mockRestore();
  }
});

test('an Origin not in CORS_ORIGINS is refused, not merely left without CORS headers', async () => {
  const spy = jest.spyOn(h.rt, 'call');
  try {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${port}`]) {
      expect([origin, (await call({ host: `127.0.0.1:${port}`, origin, 'x-openid': 'demo-admin' })).status]).toEqual([origin, 403]);
    }
    expect(spy).not.toHaveBeenCalled();
  } finally {
    spy.mockRestore();
  }
  expect((await call({ host: `127.0.0.1:${port}`, origin: 'http://localhost:5173', 'x-openid': 'demo-admin' })).status).toBe(200);
});

test('x-openid must be [A-Za-z0-9_-]{1,64}: spaces, line breaks and `=` cannot forge a log line', async () => {
  logged.length = 0;
  const spy = jest.spyOn(h.rt, 'call');
  try {
    for (const openid of ['demo-admin 6ms db=1 ok', 'a'.repeat(65), 'demo admin', 'demo=admin', 'demo.admin', '管理员']) {
      const res = await call({ host: `127.0.0.1:${port}`, 'x-openid': encodeURI(openid) === openid ? openid : openid.replace(/[^\x20-\x7e]/g, '%') });
      expect([openid, res.status, res.json.error?.code]).toEqual([openid, 400, 'INVALID_ARGUMENT']);
      expect(res.json.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(spy).not.toHaveBeenCalled();
  } finally {
    spy.mockRestore();
  }
  expect(logged.every((l) => !/caller=demo-admin \d+ms/.test(l))).toBe(true);
  // The longest legal one still works, and so does no identity at all (the action decides).
  expect((await call({ host: `127.0.0.1:${port}`, 'x-openid': `A_-9${'z'.repeat(60)}` })).status).toBe(200);
  expect((await call({ host: `127.0.0.1:${port}` }, '{"action":"login"}')).json).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
});

test('GATEWAY_HOSTS lists extra host names when no option is given', async () => {
  const saved = process.env.GATEWAY_HOSTS;
  process.env.GATEWAY_HOSTS = 'desk.lan, Other.Lan';
  const g = await listen();
  try {
    expect((await call({ host: 'other.lan:80', 'x-openid': 'demo-admin' }, undefined, '/api/user', g.port)).status).toBe(200);
    expect((await call({ host: 'desk.internal', 'x-openid': 'demo-admin' }, undefined, '/api/user', g.port)).status).toBe(403);
  } finally {
    if (saved === undefined) delete process.env.GATEWAY_HOSTS;
    else process.env.GATEWAY_HOSTS = saved;
    await stop(g.server);
  }
});
