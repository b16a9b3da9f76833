/**
 * The only way pages reach the backend. Cloud and local mode answer the
 * same envelope, so everything above this file is mode-agnostic.
 */
import type {
  ApiError,
  Enterprise,
  EnterpriseInput,
  EnterpriseOptions,
  Envelope,
  ErrorCode,
  FunctionName,
  MineFilter,
  MultiNeedSubmission,
  Need,
  NeedDetail,
  Page,
  QueueFilter,
  Session,
  Todo,
  SubmitResult,
  UnitSummary,
} from '../../typings/api';
import { config } from '../config';

/**
 * How a call failed when no envelope came back: the phone had no network,
 * the function ran past its timeout, or the function itself failed. Each
 * has its own words and remedy; only the first is 网络异常.
 */
export type TransportFailure = 'network' | 'timeout' | 'function';

/** What every rejected call carries: an Error with the contract's error fields (and, without an envelope, how it failed). */
export type ApiFailure = Error & ApiError & { transport?: TransportFailure };

export const NETWORK_MESSAGE = '网络异常，请检查手机网络后重试';
/** A timed-out call may still have gone through: look before trying again. */
export const TIMEOUT_MESSAGE = '服务器处理超时，刚才的操作可能已经完成。请下拉刷新查看，没有完成再重试';
export const FUNCTION_MESSAGE = '服务暂时出现故障，请稍后再试；一直如此请联系区工商联';

const TRANSPORT_MESSAGES: Record<TransportFailure, string> = {
  network: NETWORK_MESSAGE,
  timeout: TIMEOUT_MESSAGE,
  function: FUNCTION_MESSAGE,
};

export function apiError(code: ErrorCode, message: string, field?: string): ApiFailure {
  const err = new Error(message) as ApiFailure;
  err.code = code;
  if (field) err.field = field;
  return err;
}

export function transportFailure(kind: TransportFailure): ApiFailure {
  const err = apiError('INTERNAL', TRANSPORT_MESSAGES[kind]);
  err.transport = kind;
  return err;
}

export function isApiFailure(err: unknown): err is ApiFailure {
  return err instanceof Error && typeof (err as ApiFailure).code === 'string';
}

/**
 * wx.cloud.callFunction's fail callback, read by its error code: -504003 is
 * the function's own timeout ("Invoking task timed out") and -404012 the
 * client giving up waiting for a long call; -504002 and -404011 are the
 * function failing (a crash, a deploy without dependencies), as are the
 * other -50xxxx platform errors. Anything else never reached a function:
 * the network.
 */
export function classifyCloudFailure(err: { errCode?: number | string; errMsg?: string } | undefined): TransportFailure {
  const text = `${(err && err.errCode) || ''} ${(err && err.errMsg) || ''}`;
  if (/-504003|-404012|timed out/i.test(text)) return 'timeout';
  if (/-504002|-404011|-50\d{4}|execute fail/i.test(text)) return 'function';
  return 'network';
}

/** The local gateway's HTTP status when its body is no envelope: 504 is a timeout, any other a failed function. */
export function classifyHttpFailure(statusCode: number | undefined): TransportFailure {
  return statusCode === 504 ? 'timeout' : 'function';
}

function unwrap<T>(envelope: unknown, statusCode?: number): T {
  const env = envelope as Envelope<T> | undefined;
  if (env && typeof env === 'object' && 'ok' in env) {
    if (env.ok) return env.data;
    const e = env.error || ({} as ApiError);
    throw apiError(e.code || 'INTERNAL', e.message || FUNCTION_MESSAGE, e.field);
  }
  // An answer that is no envelope: the function crashed before it could write one (or a proxy answered).
  throw transportFailure(classifyHttpFailure(statusCode));
}

interface Answer {
  body: unknown;
  statusCode?: number;
}

function viaCloud(fn: FunctionName, data: Record<string, unknown>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    wx.cloud.callFunction({
      name: fn,
      data,
      success: (res) => resolve({ body: res.result }),
      fail: (err) => reject(transportFailure(classifyCloudFailure(err as { errCode?: number; errMsg?: string }))),
    });
  });
}

function viaGateway(fn: FunctionName, data: Record<string, unknown>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${config.gatewayUrl}/api/${fn}`,
      method: 'POST',
      header: { 'content-type': 'application/json', 'x-openid': config.devOpenid },
      data,
      // The gateway answers errors with 4xx/5xx and the envelope in the body; unwrap reads it either way.
      success: (res) => resolve({ body: res.data, statusCode: res.statusCode }),
      fail: () => reject(transportFailure('network')),
    });
  });
}

export async function call<T>(fn: FunctionName, action: string, payload: object = {}): Promise<T> {
  const data = { ...(payload as Record<string, unknown>), action };
  const answer = config.mode === 'cloud' ? await viaCloud(fn, data) : await viaGateway(fn, data);
  return unwrap<T>(answer.body, answer.statusCode);
}

/** Leaves out absent, empty and false filters, so the server sees only what the user chose. */
function compact(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    out[k] = v;
  }
  return out;
}

/** One typed wrapper per action the pages use, so a page never spells a function or action name. */
export const api = {
  login: () => call<Session>('user', 'login'),
  todo: () => call<Todo>('user', 'todo'),
  redeemInvite: (code: string) => call<Session>('user', 'redeemInvite', { code }),
  enterpriseOptions: () => call<EnterpriseOptions>('enterprise', 'options'),
  registerEnterprise: (input: EnterpriseInput) => call<Enterprise>('enterprise', 'register', input),
  getEnterprise: () => call<Enterprise>('enterprise', 'get'),

  // enterprise side
  submitNeeds: (submission: MultiNeedSubmission) => call<SubmitResult>('need', 'submit', submission),
  myNeeds: (filter: MineFilter = {}, cursor?: string) =>
    call<Page<Need>>('need', 'mine', compact({ ...filter, cursor })),
  getNeed: (id: string) => call<NeedDetail>('need', 'get', { id }),
  confirmNeed: (id: string, rating: number, comment?: string) =>
    call<Need>('need', 'confirm', compact({ id, rating, comment })),
  answerNeed: (id: string, text: string) => call<Need>('need', 'answer', { id, text }),
  reopenNeed: (id: string, reason: string) => call<Need>('need', 'reopen', { id, reason }),
  cancelNeed: (id: string, reason?: string) => call<Need>('need', 'cancel', compact({ id, reason })),

  // handler side
  queue: (filter: QueueFilter = {}, cursor?: string) =>
    call<Page<Need>>('need', 'queue', compact({ ...filter, cursor })),
  claimNeed: (id: string) => call<Need>('need', 'claim', { id }),
  renewNeed: (id: string) => call<Need>('need', 'renew', { id }),
  releaseNeed: (id: string, reason?: string) => call<Need>('need', 'release', compact({ id, reason })),
  progressNeed: (id: string, note: string) => call<Need>('need', 'progress', { id, note }),
  waitNeed: (id: string, question: string) => call<Need>('need', 'wait', { id, question }),
  /** quantityDelivered: supplies, this delivery (none: everything still owed); grantedWan: a loan, what the bank granted. */
  fulfilNeed: (id: string, note: string, quantityDelivered?: number, grantedWan?: number) =>
    call<Need>('need', 'fulfil', compact({ id, note, quantityDelivered, grantedWan })),
  transferNeed: (id: string, toUnitCode: string, reason: string) =>
    call<Need>('need', 'transfer', { id, toUnitCode, reason }),
  rejectNeed: (id: string, reason: string) => call<Need>('need', 'reject', { id, reason }),
  /** A unit head (or admin) ends a member's claim. */
  breakClaim: (id: string, reason?: string) => call<Need>('need', 'breakClaim', compact({ id, reason })),
  /** The handler phoned the enterprise: the first response for the SLA. */
  contactedNeed: (id: string) => call<Need>('need', 'contacted', { id }),
  units: () => call<Page<UnitSummary>>('need', 'units'),
};

export type Api = typeof api;

/**
 * What wx.cloud.uploadFile does, in both modes: in the cloud straight to
 * storage; locally the gateway's /upload (read as base64, no multipart).
 * Resolves with the fileID; rejects with an ApiFailure. `goneMessage` is
 * what the person reads when the local file itself is gone (a cleaned temp
 * file): sending again cannot fix that.
 */
export function uploadFile(cloudPath: string, filePath: string, goneMessage: string): Promise<string> {
  if (config.mode === 'cloud') {
    return new Promise((resolve, reject) => {
      wx.cloud.uploadFile({
        cloudPath,
        filePath,
        success: (res) => resolve(res.fileID),
        fail: (err) => reject(transportFailure(classifyCloudFailure(err as { errCode?: number; errMsg?: string }))),
      });
    });
  }
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().readFile({
      filePath,
      encoding: 'base64',
      fail: () => reject(apiError('FAILED_PRECONDITION', goneMessage)),
      success: (file) =>
        wx.request({
          url: `${config.gatewayUrl}/upload`,
          method: 'POST',
          header: { 'content-type': 'application/json', 'x-openid': config.devOpenid },
          data: { cloudPath, contentBase64: String(file.data) },
          success: (res) => {
            const body = res.data as { ok?: boolean; data?: { fileID?: string }; error?: { code?: string; message?: string } };
            if (body && body.ok && body.data && body.data.fileID) resolve(body.data.fileID);
            else if (body && body.ok === false && body.error) {
              reject(apiError((body.error.code as ApiFailure['code']) || 'INTERNAL', body.error.message || FUNCTION_MESSAGE));
            } else reject(transportFailure(classifyHttpFailure(res.statusCode)));
          },
          fail: () => reject(transportFailure('network')),
        }),
    });
  });
}
