import type { ErrorCode } from '../../shared/errors';
import { ApiError } from '../../shared/result';

/**
 * The one place error codes become sentences: what happened, then what to do.
 * The server's own message is appended only where it adds something a person can use.
 */
const TEXT: Record<ErrorCode, string> = {
  AUTH_FAILED: 'The server did not accept the sign-in. Sign in again with a new app password or API key.',
  FORBIDDEN:
    'The server refused: this account is not allowed to do that. Ask the server administrator for the permission.',
  NOT_FOUND: 'It is no longer there — someone may have restored or deleted it already. Reload the trash.',
  CONFLICT: 'Something with the same name is already there. Choose Replace, Keep both or Skip.',
  DEST_MISSING: 'The destination folder no longer exists. Pick another folder.',
  QUOTA: 'The account is out of storage space. Free some space on the server, then retry.',
  RATE_LIMITED: 'The server asked us to slow down. Wait a minute, then retry.',
  NETWORK: 'Cannot reach the server. Check the network connection, then retry.',
  TIMEOUT: 'The server did not answer in time. Retry; if it keeps happening, the server may be overloaded.',
  TLS: 'The server’s certificate is not trusted. Check the address, or ask the administrator about the certificate.',
  SERVER: 'The server had an internal error. Retry later; if it persists, tell the server administrator.',
  BAD_RESPONSE: 'The server answered something Salvage cannot read. Check that the address points at the right server.',
  UNSUPPORTED: 'The server does not offer this.',
  INVALID_INPUT: 'That request was not valid.',
  UNKNOWN_CHANNEL: 'This version of Salvage is out of step with itself. Restart Salvage.',
  FORBIDDEN_SENDER: 'This page may not talk to Salvage. Open the address Salvage printed when it started.',
  CANCELLED: 'Cancelled.',
  INTERRUPTED: 'Salvage was closed before this finished. Resume does the rest.',
  INTERNAL: 'Something went wrong inside Salvage. Retry; if it happens again, please report it.',
};

/** Codes whose server message is the most useful part (it names the field, the version, the reason). */
const SHOW_MESSAGE: ErrorCode[] = [
  'UNSUPPORTED',
  'INVALID_INPUT',
  'FORBIDDEN',
  'INTERNAL',
  'FORBIDDEN_SENDER',
  'INTERRUPTED',
];
/** Codes whose message from main already says what to do: shown alone. */
const MESSAGE_ONLY: ErrorCode[] = ['UNSUPPORTED', 'INVALID_INPUT', 'FORBIDDEN_SENDER', 'INTERRUPTED'];

export function errorCode(error: unknown): ErrorCode {
  return error instanceof ApiError ? error.code : 'INTERNAL';
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return textFor(error.code, error.message);
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    return textFor((error as { code: ErrorCode }).code, String((error as { message: unknown }).message));
  }
  return TEXT.INTERNAL;
}

export function textFor(code: ErrorCode, message?: string): string {
  const base = TEXT[code] ?? TEXT.INTERNAL;
  if (message && SHOW_MESSAGE.includes(code) && !base.includes(message))
    return MESSAGE_ONLY.includes(code) ? message : `${message} ${base}`;
  return base;
}

/** Whether retrying the same call may help (network, timeouts, server errors). */
export const isTransient = (code: ErrorCode) => ['NETWORK', 'TIMEOUT', 'SERVER', 'RATE_LIMITED'].includes(code);
