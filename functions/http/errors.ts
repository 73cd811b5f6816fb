import { ERROR_STATUS, type ErrorCode } from '../domain/vocabulary.js';

export interface Issue {
  path: string;
  message: string;
}

/** An error the API answers with the contract's body: {"error":{"code","message","issues"?}}. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what = '资源') => new ApiError('NOT_FOUND', `${what}不存在`);
export const forbidden = (message = '无权执行此操作') => new ApiError('FORBIDDEN', message);
export const conflict = (message: string) => new ApiError('CONFLICT', message);
export const invalid = (path: string, message: string) =>
  new ApiError('VALIDATION_ERROR', '请求参数有误', [{ path, message }]);
