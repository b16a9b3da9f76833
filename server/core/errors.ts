import type { ApiError, ErrorCode } from '../../typings/api';

/** A failure the caller should see as-is: its code and Chinese message cross the wire. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON(): ApiError {
    return this.field ? { code: this.code, message: this.message, field: this.field } : { code: this.code, message: this.message };
  }
}

export const invalid = (message: string, field?: string) => new AppError('INVALID_ARGUMENT', message, field);
export const forbidden = (message = '无权执行此操作') => new AppError('FORBIDDEN', message);
export const notFound = (message: string) => new AppError('NOT_FOUND', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const precondition = (message: string) => new AppError('FAILED_PRECONDITION', message);
export const unauthenticated = () => new AppError('UNAUTHENTICATED', '未识别到微信身份，请在小程序内重新打开');
