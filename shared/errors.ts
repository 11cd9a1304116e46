/**
 * Every failure that crosses the process boundary carries one of these codes.
 * Providers map server statuses and bodies onto them; the renderer maps them
 * onto sentences a person can act on (renderer/lib/errorText.ts).
 */
export const ERROR_CODES = [
  'AUTH_FAILED', // 401: wrong or expired credentials — ask to sign in again
  'FORBIDDEN', // 403: signed in, but not allowed (missing scope, admin disabled deletion)
  'NOT_FOUND', // the item or account is gone
  'CONFLICT', // the target name is taken (412 with Overwrite: F)
  'DEST_MISSING', // the destination folder does not exist (409)
  'QUOTA', // 507: over quota
  'RATE_LIMITED', // 429
  'NETWORK', // cannot reach the server
  'TIMEOUT', // the server did not answer in time
  'TLS', // certificate problem
  'SERVER', // 5xx or an error body we cannot map
  'BAD_RESPONSE', // the server answered something we cannot read
  'UNSUPPORTED', // the server does not offer this (old version, app disabled)
  'INVALID_INPUT', // a request that failed its schema
  'UNKNOWN_CHANNEL', // a channel that is not in the contract
  'FORBIDDEN_SENDER', // a caller that is not the app's own window
  'CANCELLED', // the user cancelled
  'INTERRUPTED', // Salvage was closed while a batch ran; Resume does the rest
  'INTERNAL', // a bug in Salvage
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
