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
