import type { ErrorCode } from '../../shared/errors';
import { kindInfo, type Kind } from '../../shared/kinds';
import { ApiError } from '../../shared/result';
import { errorText, textFor } from './errorText';

/** Which part of the add-account form an error is about, so it is shown there, once. */
export type AccountErrorField = 'address' | 'secret' | 'form';

export interface AccountError {
  field: AccountErrorField;
  text: string;
}

const codeAndMessage = (error: unknown): { code: ErrorCode; message: string } | null => {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    return { code: (error as { code: ErrorCode }).code, message: String((error as { message: unknown }).message) };
  }
  return null;
};

/**
 * What the secret is called for this server, in a sentence ("app password", "API key"; not yet detected: "app
 * password").
 */
export const secretNoun = (kind: Kind | null): string => (kind ? kindInfo(kind).secret.name : 'app password');

/**
 * The add-account form's errors: a problem reaching the server belongs to the address field and
 * keeps main's own hint (refused connection, unknown host, "put http:// in front"); credentials
 * the server refused belong to the secret field and say to check them — this is a first sign-in,
 * so nothing speaks of signing in "again".
 */
export function accountError(error: unknown, kind: Kind | null): AccountError | null {
  if (!error) return null;
  const e = codeAndMessage(error);
  if (!e) return { field: 'form', text: errorText(error) };
  const noun = secretNoun(kind);
  switch (e.code) {
    case 'AUTH_FAILED':
      return {
        field: 'secret',
        text:
          kind !== null && kindInfo(kind).userName === 'none'
            ? 'The server did not accept this API key. Check that it is complete and still valid, or create a new one.'
            : `The server did not accept this user name and ${noun}. Check both; if the ${noun} was revoked, create a new one.`,
      };
    case 'NETWORK':
    case 'TIMEOUT':
    case 'TLS':
    case 'UNSUPPORTED':
    case 'INVALID_INPUT':
      // main's message names the host and says what to try; the generic sentence only when it has none.
      return { field: 'address', text: e.message.trim() || textFor(e.code) };
    case 'BAD_RESPONSE':
    case 'NOT_FOUND':
      return { field: 'address', text: textFor('BAD_RESPONSE') };
    case 'FORBIDDEN':
      return {
        field: 'secret',
        text: `${e.message.trim() ? `${e.message.trim()} ` : ''}This ${noun} may not read the trash: create one with access to files.`,
      };
    default:
      return { field: 'form', text: textFor(e.code, e.message) };
  }
}

/**
 * A browser sign-in that did not complete: main's own sentence says what happened (declined in
 * the browser, not finished within 10 minutes, no OpenID Connect on this server, expired); the
 * general texts would speak of app passwords, which this sign-in has none of.
 */
export function browserSignInErrorText(error: unknown): string {
  const e = codeAndMessage(error);
  if (e && ['AUTH_FAILED', 'TIMEOUT', 'UNSUPPORTED', 'NOT_FOUND'].includes(e.code) && e.message.trim())
    return `${e.message.trim()} Try again, or use an app token.`;
  return errorText(error);
}
