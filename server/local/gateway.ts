/**
 * The local gateway: the contract of the spec over HTTP. `POST /api/<fn>`
 * with `{action, ...payload}`; the caller is the `x-openid` header, which
 * only this local gateway reads (the deployed entry takes the WeChat context).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { existsSync, readFileSync } from 'fs';
import type { Envelope } from '../../typings/api';
import type { LocalRuntime } from './runtime';

const MAX_BODY = 5 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // DevTools' simulator calls from its own origin.
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'content-type, x-openid',
  });
  res.end(text);
}

/** Local only: what cloud storage would serve (exports, photos), by cloud path. */
function sendFile(runtime: LocalRuntime, cloudPath: string, res: ServerResponse): void {
  const file = runtime.files.pathOf(`cloud://local/${cloudPath}`);
  if (cloudPath.includes('..') || !existsSync(file)) return send(res, 404, failure('NOT_FOUND', '文件不存在'));
  const body = readFileSync(file);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  res.end(body);
}

/**
 * Local only: what wx.cloud.uploadFile does in the cloud. The phone sends
 * {cloudPath, contentBase64} as JSON (read with the file system manager), so
 * no multipart parsing is needed here.
 */
async function upload(runtime: LocalRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: { cloudPath?: unknown; contentBase64?: unknown };
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    return send(res, 400, failure('INVALID_ARGUMENT', '请求体不是合法的 JSON'));
  }
  if (typeof body.cloudPath !== 'string' || typeof body.contentBase64 !== 'string' || !body.cloudPath) {
    return send(res, 400, failure('INVALID_ARGUMENT', '需要 cloudPath 和 contentBase64'));
  }
  try {
    const fileID = await runtime.files.upload(body.cloudPath, Buffer.from(body.contentBase64, 'base64'));
    return send(res, 200, { ok: true, data: { fileID } });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return send(res, 400, failure(e.code ?? 'INVALID_ARGUMENT', e.message ?? '上传失败'));
  }
}

const failure = (code: string, message: string): Envelope<never> => ({ ok: false, error: { code: code as never, message } });

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type Log = (line: string) => void;

async function handle(runtime: LocalRuntime, req: IncomingMessage, res: ServerResponse, log: Log): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  if (req.method === 'OPTIONS') return send(res, 204, null);
  if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { ok: true, data: { status: 'up' } });
  // Local only: the subscribe messages the functions sent, newest last.
  if (req.method === 'GET' && url.pathname === '/outbox') return send(res, 200, { ok: true, data: { items: runtime.outbox.read() } });
  if (req.method === 'GET' && url.pathname.startsWith('/files/')) return sendFile(runtime, decodeURIComponent(url.pathname.slice(7)), res);
  if (req.method === 'POST' && url.pathname === '/upload') return upload(runtime, req, res);
  const match = /^\/api\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
  if (!match) return send(res, 404, failure('NOT_FOUND', '没有这个接口，请使用 POST /api/<云函数名>'));
  if (req.method !== 'POST') return send(res, 405, failure('INVALID_ARGUMENT', '请使用 POST'));
  let event: unknown;
  try {
    const text = await readBody(req);
    event = text ? JSON.parse(text) : {};
  } catch {
    log(`${match[1]}.- caller=${req.headers['x-openid'] ?? '-'} rejected: body is not JSON`);
    return send(res, 400, failure('INVALID_ARGUMENT', '请求体不是合法的 JSON'));
  }
  if (!event || typeof event !== 'object' || Array.isArray(event)) {
    log(`${match[1]}.- caller=${req.headers['x-openid'] ?? '-'} rejected: body is not a JSON object`);
    return send(res, 400, failure('INVALID_ARGUMENT', '请求体应为 JSON 对象'));
  }
  const openid = req.headers['x-openid'];
  const envelope = await runtime.call(match[1], event as Record<string, unknown>, typeof openid === 'string' && openid ? openid : undefined);
  // The envelope is the answer; HTTP status only mirrors it for curl users.
  send(res, envelope.ok ? 200 : statusOf(envelope.error.code), envelope);
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

/** `log` receives the requests refused before they reach a function (calls are logged by the runtime). */
export function createGateway(runtime: LocalRuntime, log: Log = () => undefined): Server {
  return createServer((req, res) => {
    handle(runtime, req, res, log).catch((err) => {
      console.error('[gateway]', err);
      if (!res.headersSent) send(res, 500, failure('INTERNAL', '服务暂时不可用，请稍后重试'));
    });
  });
}
