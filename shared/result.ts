import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors';

export const ErrorValue = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** Extra facts for the UI (e.g. the HTTP status, which scope a key lacks). No secrets. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type ErrorValue = z.infer<typeof ErrorValue>;

/** What every call across the boundary returns: a value or an error with a code, never a thrown string. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, details?: ErrorValue['details']): Result<never> => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

/**
 * An error value from main, thrown in the renderer so react-query sees a failure; keeps its code.
 * Here rather than in the renderer's api client so that its pure helpers (renderer/lib) can tell
 * one by instanceof without reaching the transport.
 */
export class ApiError extends Error {
  readonly code: ErrorValue['code'];
  readonly details: ErrorValue['details'];

  constructor(error: ErrorValue) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.details = error.details;
  }
}
