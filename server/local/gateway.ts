/**
 * The local gateway: the contract of the spec over HTTP. `POST /api/<fn>`
 * with `{action, ...payload}`; the caller is the `x-openid` header, which
 * only this local gateway reads (the deployed entry takes the WeChat context).
 *
 * It stands in for cloud storage too, and keeps its rules: an upload needs
 * an identity whose role uploads (files/uploads.ts: task-force photos, admin
 * sheets, within a daily quota) and lands in the caller's own folder under a fresh name; a
 * stored file is served only through an expiring signed link that a
 * function handed out. Because the identity is a plain header, no browser
 * page may call it unless its origin is listed in CORS_ORIGINS: a request
 * carrying any other Origin is refused outright (not merely left without
 * CORS headers, which stops a page reading the answer but not the call), and
 * so is one whose Host is not this machine's loopback or a listed
 * GATEWAY_HOSTS name — a DNS-rebinding page reaches 127.0.0.1 under its own
 * host name, and is turned away by that.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import type { Envelope, ErrorCode } from '../../typings/api';
import type { LocalRuntime } from './runtime';
import { cloudPathSegments } from './files';
import { acceptUpload } from '../files/uploads';
import { AppError } from '../core/errors';

const MAX_BODY = 5 * 1024 * 1024;
/** A body is read to its end so the client sees the 413; past this much the connection is cut after answering. */
const DRAIN_LIMIT = 8 * MAX_BODY;

type Headers = Record<string, string>;
type Reply = (status: number, body: unknown, headers?: Headers) => void;
type Log = (line: string) => void;

export interface GatewayOptions {
  /** Browser origins allowed to call; default: CORS_ORIGINS (comma-separated), none when unset. */
  corsOrigins?: string[];
  /** Host names (without port) the gateway answers to besides loopback; default: GATEWAY_HOSTS (comma-separated). */
  hosts?: string[];
}

class BodyTooLarge extends Error {}

const failure = (code: ErrorCode, message: string): Envelope<never> => ({ ok: false, error: { code, message } });

function send(res: ServerResponse, status: number, body: unknown, headers: Headers): void {
  if (status === 204) return void res.writeHead(204, headers).end();
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * DevTools' simulator and the tests call with wx.request / Node, which no
 * CORS rule binds; only a browser page needs its origin listed.
 */
function corsHeaders(origin: string | undefined, allowed: string[]): Headers {
  if (!allowed.length) return {};
  if (!origin || !allowed.includes(origin)) return { vary: 'origin' };
  return {
    vary: 'origin',
    'access-control-allow-origin': origin,
    'access-control-allow-headers': 'content-type, x-openid',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let size = 0;
    let chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
      else {
        chunks = [];
        if (size > DRAIN_LIMIT) reject(new BodyTooLarge());
      }
    });
    req.on('end', () => (size > MAX_BODY ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/**
 * What an OPENID looks like (WeChat's are 28 characters of this alphabet;
 * the demo ones are words and hyphens). Anything else — spaces, line breaks,
 * `=` — could forge a line of the call log, so it is refused, not trimmed.
 */
const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

type Caller = { openid?: string; refused?: true };

function callerOf(req: IncomingMessage): Caller {
  const openid = req.headers['x-openid'];
  if (openid === undefined || openid === '') return {};
  return typeof openid === 'string' && OPENID.test(openid) ? { openid } : { refused: true };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The host name of a Host header ('127.0.0.1:3000' → '127.0.0.1', '[::1]:3000' → '[::1]'), lower-cased. */
function hostName(host: string): string {
  const m = /^(\[[0-9a-f:.]+\]|[^:]+)(?::\d{1,5})?$/i.exec(host.trim());
  return m ? m[1].toLowerCase() : '';
}

/** Why this request is refused before anything else is read, or undefined. */
function foreign(req: IncomingMessage, allowedOrigins: string[], hosts: Set<string>): string | undefined {
  const host = req.headers.host;
  if (!host || !hosts.has(hostName(host))) return `host ${JSON.stringify(host ?? '')}`;
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins.includes(origin)) return `origin ${JSON.stringify(origin)}`;
  return undefined;
}

const CONTENT_TYPES: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** Local only: what getTempFileURL's links serve in the cloud, and nothing without such a link. */
function serveFile(runtime: LocalRuntime, rawPath: string, query: URLSearchParams, res: ServerResponse, reply: Reply, cors: Headers): void {
  let segments: string[];
  try {
    segments = rawPath.split('/').map(decodeURIComponent);
  } catch {
    return reply(400, failure('INVALID_ARGUMENT', '文件地址不合法'));
  }
  const cloudPath = segments.join('/');
  if (segments.some((s) => s.includes('/')) || !cloudPathSegments(cloudPath)) return reply(400, failure('INVALID_ARGUMENT', '文件地址不合法'));
  const check = runtime.files.check(cloudPath, query.get('expires'), query.get('sig'));
  if (check === 'unsigned' || check === 'forged') return reply(403, failure('FORBIDDEN', '文件链接无效，请回到小程序重新打开'));
  if (check === 'expired') return reply(410, failure('FAILED_PRECONDITION', '文件链接已过期，请回到小程序重新获取'));
  const body = runtime.files.read(cloudPath);
  if (!body) return reply(404, failure('NOT_FOUND', '文件不存在或已被删除'));
  const ext = (/\.([A-Za-z0-9]+)$/.exec(cloudPath)?.[1] ?? '').toLowerCase();
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'content-length': String(body.length),
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
    ...cors,
  });
  res.end(body);
}

/**
 * Local only: what wx.cloud.uploadFile does in the cloud. The phone sends
 * {cloudPath, contentBase64} as JSON (read with the file system manager), so
 * no multipart parsing is needed here. The path it asks for only names the
 * file: where it lands is the caller's own folder, under a name no earlier
 * upload holds, so no one can replace an export or another person's photo.
 */
async function upload(runtime: LocalRuntime, req: IncomingMessage, reply: Reply, log: Log): Promise<void> {
  const text = (await readBody(req)).toString('utf8');
  const { openid } = callerOf(req);
  if (!openid) {
    log('upload caller=- rejected: no identity');
    return reply(401, failure('UNAUTHENTICATED', '未识别到身份，请登录后再上传'));
  }
  let body: { cloudPath?: unknown; contentBase64?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    return reply(400, failure('INVALID_ARGUMENT', '请求体不是合法的 JSON'));
  }
  if (!body || typeof body !== 'object' || typeof body.contentBase64 !== 'string' || !body.contentBase64 || !/^[A-Za-z0-9+/=\r\n]+$/.test(body.contentBase64)) {
    return reply(400, { ok: false, error: { code: 'INVALID_ARGUMENT', message: '需要文件内容（contentBase64）', field: 'contentBase64' } });
  }
  const content = Buffer.from(body.contentBase64, 'base64');
  let fileID: string;
  try {
    // The rule is the domain's (files/uploads.ts): who uploads what, how much a day, and the record the sweep reads.
    fileID = await acceptUpload(runtime.ports, openid, body.cloudPath, content);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    log(`upload caller=${openid} bytes=${content.length} ${err.code}`);
    return reply(statusOf(err.code), { ok: false, error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } });
  }
  log(`upload caller=${openid} bytes=${content.length} ok`);
  return reply(200, { ok: true, data: { fileID } });
}

async function handle(runtime: LocalRuntime, req: IncomingMessage, res: ServerResponse, reply: Reply, cors: Headers, log: Log): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://local');
  } catch {
    return reply(400, failure('INVALID_ARGUMENT', '请求地址不合法'));
  }
  if (req.method === 'OPTIONS') {
    // A preflight from a page whose origin is not listed: the browser will not send the call.
    if (req.headers.origin && !cors['access-control-allow-origin']) return reply(403, failure('FORBIDDEN', '不允许此来源的网页调用'));
    return reply(204, null);
  }
  if (req.method === 'GET' && url.pathname === '/health') return reply(200, { ok: true, data: { status: 'up' } });
  // Local only: the subscribe messages the functions sent, newest last.
  if (req.method === 'GET' && url.pathname === '/outbox') return reply(200, { ok: true, data: { items: runtime.outbox.read() } });
  const rawPath = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && (rawPath === '/files' || rawPath.startsWith('/files/'))) return serveFile(runtime, rawPath.slice(7), url.searchParams, res, reply, cors);
  if (req.method === 'POST' && url.pathname === '/upload') return upload(runtime, req, reply, log);
  const match = /^\/api\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
  if (!match) return reply(404, failure('NOT_FOUND', '没有这个接口，请使用 POST /api/<云函数名>'));
  if (req.method !== 'POST') return reply(405, failure('INVALID_ARGUMENT', '请使用 POST'));
  const { openid, refused } = callerOf(req);
  if (refused) {
    log(`${match[1]}.- caller=- rejected: malformed x-openid`);
    return reply(400, { ok: false, error: { code: 'INVALID_ARGUMENT', message: '身份标识格式不正确', field: 'x-openid' } });
  }
  let event: unknown;
  try {
    const text = (await readBody(req)).toString('utf8');
    event = text ? JSON.parse(text) : {};
  } catch (err) {
    if (err instanceof BodyTooLarge) throw err;
    log(`${match[1]}.- caller=${openid ?? '-'} rejected: body is not JSON`);
    return reply(400, failure('INVALID_ARGUMENT', '请求体不是合法的 JSON'));
  }
  if (!event || typeof event !== 'object' || Array.isArray(event)) {
    log(`${match[1]}.- caller=${openid ?? '-'} rejected: body is not a JSON object`);
    return reply(400, failure('INVALID_ARGUMENT', '请求体应为 JSON 对象'));
  }
  const envelope = await runtime.call(match[1], event as Record<string, unknown>, openid);
  // The envelope is the answer; HTTP status only mirrors it for curl users.
  reply(envelope.ok ? 200 : statusOf(envelope.error.code), envelope);
}

const STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FAILED_PRECONDITION: 412,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};
const statusOf = (code: string) => STATUS[code] ?? 500;

const listFromEnv = (name: string) =>
  (process.env[name] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
const originsFromEnv = () => listFromEnv('CORS_ORIGINS');

/**
 * `log` receives the requests refused before they reach a function (calls
 * are logged by the runtime). Once listening, the runtime's file links name
 * the port the gateway really serves on.
 */
export function createGateway(runtime: LocalRuntime, log: Log = () => undefined, options: GatewayOptions = {}): Server {
  const allowed = options.corsOrigins ?? originsFromEnv();
  const hosts = new Set([...LOOPBACK, ...(options.hosts ?? listFromEnv('GATEWAY_HOSTS')).map((h) => h.toLowerCase())]);
  const server = createServer((req, res) => {
    const cors = corsHeaders(req.headers.origin, allowed);
    const reply: Reply = (status, body, headers = {}) => send(res, status, body, { ...cors, ...headers });
    const refusal = foreign(req, allowed, hosts);
    if (refusal) {
      // Neither header is a value to print as it came: JSON.stringify keeps the log line one line.
      log(`${req.method} ${JSON.stringify((req.url ?? '').split('?')[0])} rejected: foreign ${refusal}`);
      if (!req.complete) res.on('finish', () => req.destroy());
      return reply(403, failure('FORBIDDEN', '不允许此来源的网页或地址调用'), { connection: 'close' });
    }
    handle(runtime, req, res, reply, cors, log).catch((err) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof BodyTooLarge) {
        log(`${req.method} ${(req.url ?? '').split('?')[0]} rejected: body over 5 MB`);
        // Past the drain limit the rest of the body is not read: close once the answer is out.
        if (!req.complete) res.on('finish', () => req.destroy());
        return reply(413, failure('INVALID_ARGUMENT', '请求内容过大，请控制在 5 MB 以内（照片请压缩后再上传）'), { connection: 'close' });
      }
      // Node error codes and paths stay in the server's log; the caller gets the envelope only.
      console.error('[gateway]', err);
      reply(500, failure('INTERNAL', '服务暂时不可用，请稍后重试'));
    });
  });
  server.on('listening', () => {
    const address = server.address() as AddressInfo | null;
    if (address && typeof address === 'object') runtime.files.baseUrl = `http://127.0.0.1:${address.port}`;
  });
  // Idle keep-alive sockets stay open longer than any client keeps one (undici: 4 s): closing first, a
  // busy server races a client reusing the socket, and the client's request fails with "other side closed".
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
