import type { ErrorCode } from '../../shared/errors';
import type { ErrorValue } from '../../shared/result';

/** The one error type main-process code throws for expected failures. The dispatcher turns it into a value. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorValue['details'];

  constructor(code: ErrorCode, message: string, details?: ErrorValue['details']) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toValue(): ErrorValue {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Any thrown value as an error value; unexpected errors become INTERNAL without leaking internals. */
export function toErrorValue(e: unknown): ErrorValue {
  if (isAppError(e)) return e.toValue();
  if (e instanceof Error && e.name === 'AbortError') return { code: 'CANCELLED', message: 'Cancelled.' };
  return { code: 'INTERNAL', message: 'Something went wrong inside Salvage.' };
}
