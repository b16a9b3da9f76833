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
  Need,
  NeedStatus,
  Page,
  Session,
  SubmitResult,
  SuppliesSubmission,
} from '../../typings/api';
import { config } from '../config';

/** What every rejected call carries: an Error with the contract's error fields. */
export type ApiFailure = Error & ApiError;

export const NETWORK_MESSAGE = '网络异常，请稍后重试';

export function apiError(code: ErrorCode, message: string, field?: string): ApiFailure {
  const err = new Error(message) as ApiFailure;
  err.code = code;
  if (field) err.field = field;
  return err;
}

export function isApiFailure(err: unknown): err is ApiFailure {
  return err instanceof Error && typeof (err as ApiFailure).code === 'string';
}

function unwrap<T>(envelope: unknown): T {
  const env = envelope as Envelope<T> | undefined;
  if (env && typeof env === 'object' && 'ok' in env) {
    if (env.ok) return env.data;
    const e = env.error || ({} as ApiError);
    throw apiError(e.code || 'INTERNAL', e.message || NETWORK_MESSAGE, e.field);
  }
  // A gateway page or a function that crashed before the envelope: not something the user can act on.
  throw apiError('INTERNAL', NETWORK_MESSAGE);
}

function viaCloud(fn: FunctionName, data: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.cloud.callFunction({
      name: fn,
      data,
      success: (res) => resolve(res.result),
      fail: () => reject(apiError('INTERNAL', NETWORK_MESSAGE)),
    });
  });
}

function viaGateway(fn: FunctionName, data: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${config.gatewayUrl}/api/${fn}`,
      method: 'POST',
      header: { 'content-type': 'application/json', 'x-openid': config.devOpenid },
      data,
      // The gateway answers errors with 4xx/5xx and the envelope in the body; unwrap reads it either way.
      success: (res) => resolve(res.data),
      fail: () => reject(apiError('INTERNAL', NETWORK_MESSAGE)),
    });
  });
}

export async function call<T>(fn: FunctionName, action: string, payload: object = {}): Promise<T> {
  const data = { ...(payload as Record<string, unknown>), action };
  const raw = config.mode === 'cloud' ? await viaCloud(fn, data) : await viaGateway(fn, data);
  return unwrap<T>(raw);
}

/** One typed wrapper per action the pages use, so a page never spells a function or action name. */
export const api = {
  login: () => call<Session>('user', 'login'),
  enterpriseOptions: () => call<EnterpriseOptions>('enterprise', 'options'),
  registerEnterprise: (input: EnterpriseInput) => call<Enterprise>('enterprise', 'register', input),
  getEnterprise: () => call<Enterprise>('enterprise', 'get'),
  submitNeed: (submission: SuppliesSubmission) => call<SubmitResult>('need', 'submit', submission),
  myNeeds: (cursor?: string) => call<Page<Need>>('need', 'mine', cursor ? { cursor } : {}),
  getNeed: (id: string) => call<Need>('need', 'get', { id }),
  confirmNeed: (id: string, rating: number, comment?: string) =>
    call<Need>('need', 'confirm', comment ? { id, rating, comment } : { id, rating }),
  queue: (status?: NeedStatus, cursor?: string) =>
    call<Page<Need>>('need', 'queue', { ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) }),
  claimNeed: (id: string) => call<Need>('need', 'claim', { id }),
  fulfilNeed: (id: string, note: string, quantityDelivered?: number) =>
    call<Need>('need', 'fulfil', quantityDelivered === undefined ? { id, note } : { id, note, quantityDelivered }),
};

export type Api = typeof api;
