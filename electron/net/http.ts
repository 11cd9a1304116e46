import { sleep } from '../base/async';
import { AppError } from '../base/errors';
import { pinnedFetch } from './tls';
import { watchRequest } from './waiting';

/**
 * HTTP concerns every provider shares, written once: timeouts, cancellation, retries of
 * idempotent requests (network failures, 502/503/504, 429 with Retry-After), and the
 * mapping of transport failures and common statuses onto error codes.
 */
export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  signal?: AbortSignal;
  /** Safe to send again after a transport failure or 502/503/504/429. Defaults: GET, HEAD, PROPFIND, OPTIONS. */
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface HttpOptions {
  timeoutMs: number;
  retries: number;
  /** Longest Retry-After we honour before giving up with RATE_LIMITED. */
  maxRetryAfterMs: number;
  userAgent: string;
  /** Injected in tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export const defaultHttpOptions: HttpOptions = {
  timeoutMs: 30_000,
  retries: 2,
  maxRetryAfterMs: 30_000,
  userAgent: 'Salvage/0.1 (trash recovery desktop app)',
};

/**
 * Sets how long a request may wait for the server's answer, for providers made from now on
 * (`salvage --timeout`, SALVAGE_TIMEOUT in the environment). 5 s to 10 min.
 */
export function setRequestTimeout(seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 5 || seconds > 600) throw new AppError('INVALID_INPUT', 'The time-out must be between 5 and 600 seconds.');
  defaultHttpOptions.timeoutMs = Math.round(seconds * 1000);
}

/**
 * The options for one account's requests: when the user trusted a self-signed certificate for
 * this account, its fetch accepts exactly that certificate (pinned SHA-256 fingerprint, see
 * electron/net/tls.ts). Never a global switch: other accounts keep normal verification.
 */
export function httpOptionsForAccount(
  account: { trustedCertFingerprint?: string | undefined },
  base: HttpOptions = defaultHttpOptions,
): HttpOptions {
  return account.trustedCertFingerprint ? { ...base, fetch: pinnedFetch(account.trustedCertFingerprint) } : base;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'PROPFIND', 'OPTIONS']);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** Seconds or an HTTP date, in milliseconds; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Maps a failure of fetch itself (no HTTP status) onto NETWORK, TIMEOUT, TLS or CANCELLED. */
export function transportError(e: unknown, url: string, timedOut: boolean, cancelled: boolean): AppError {
  if (cancelled) return new AppError('CANCELLED', 'Cancelled.');
  if (timedOut) return new AppError('TIMEOUT', `The server did not answer in time (${new URL(url).host}).`);
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? '';
  const { host, hostname, protocol } = new URL(url);
  const details = code ? { netCode: code } : undefined;
  // A plain-HTTP server on the port: the TLS handshake meets an HTTP answer.
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST/i.test(code) || /wrong version number/i.test(cause?.message ?? '')) {
    return new AppError('NETWORK', `${host} does not speak HTTPS on this port. If it is a plain-HTTP server, put http:// in front of the address.`, details);
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|FINGERPRINT/i.test(code)) {
    return new AppError('TLS', `The server's certificate is not trusted (${code}).`, { tlsCode: code });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new AppError('NETWORK', `No server named ${hostname} was found. Check the address, or your network connection.`, details);
  }
  if (code === 'ECONNREFUSED') {
    return new AppError('NETWORK', `Nothing answers at ${host}: the connection was refused. Check the address and port, and that the server is running.`, details);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new AppError('TIMEOUT', `Could not connect to ${host} in time. Check the address and your network connection.`, details);
  }
  if (code === 'ECONNRESET' && protocol === 'https:') {
    return new AppError('NETWORK', `${host} closed the connection. If it is a plain-HTTP server, put http:// in front of the address.`, details);
  }
  return new AppError('NETWORK', `Cannot reach ${host}${code ? ` (${code})` : ''}.`, details);
}

/** The status-to-code mapping shared by all providers; providers refine it where their bodies say more. */
export function errorForStatus(status: number, message?: string): AppError {
  const text = message?.trim();
  switch (status) {
    case 401:
      return new AppError('AUTH_FAILED', text || 'The server did not accept the credentials. Sign in again.', { status });
    case 403:
      return new AppError('FORBIDDEN', text || 'The server refused this action for this account.', { status });
    case 404:
      return new AppError('NOT_FOUND', text || 'Not found on the server.', { status });
    case 409:
      return new AppError('DEST_MISSING', text || 'The destination folder does not exist.', { status });
    case 412:
      return new AppError('CONFLICT', text || 'An item with that name already exists.', { status });
    case 429:
      return new AppError('RATE_LIMITED', text || 'The server is busy; try again in a moment.', { status });
    case 507:
      return new AppError('QUOTA', text || 'Not enough storage space on the server.', { status });
    default:
      if (status >= 500) return new AppError('SERVER', text || `The server failed (HTTP ${status}).`, { status });
      return new AppError('BAD_RESPONSE', text || `Unexpected answer from the server (HTTP ${status}).`, { status });
  }
}

/**
 * Sends one request with timeout, cancellation and retries. Resolves with the Response for
 * every HTTP status (callers decide what a status means); rejects with AppError only for
 * transport failures, cancellation and exhausted retries.
 */
export async function httpRequest(req: HttpRequest, options: HttpOptions = defaultHttpOptions): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  const idempotent = req.idempotent ?? SAFE_METHODS.has(req.method.toUpperCase());
  const attempts = idempotent ? options.retries + 1 : 1;
  let lastError: AppError | null = null;

  for (let attempt = 0; attempt < attempts; attempt++) {
    const controller = new AbortController();
    let timedOut = false;
    const timeoutMs = req.timeoutMs ?? options.timeoutMs;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const answered = watchRequest(req.url, req.method, timeoutMs);
    const onAbort = () => controller.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (req.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      const res = await doFetch(req.url, {
        method: req.method,
        headers: { 'User-Agent': options.userAgent, ...req.headers },
        body: req.body,
        signal: controller.signal,
        redirect: 'manual',
      });
      const last = attempt === attempts - 1;
      if (RETRY_STATUSES.has(res.status) && !last) {
        const wait = parseRetryAfter(res.headers.get('retry-after')) ?? 500 * 2 ** attempt;
        if (wait <= options.maxRetryAfterMs) {
          await res.body?.cancel();
          await sleep(wait, req.signal);
          continue;
        }
      }
      return res;
    } catch (e) {
      if (e instanceof AppError) throw e;
      lastError = transportError(e, req.url, timedOut, req.signal?.aborted ?? false);
      // No retry after a time-out: the user has waited the whole time already.
      if (lastError.code === 'CANCELLED' || lastError.code === 'TLS' || timedOut) throw lastError;
      if (attempt < attempts - 1) await sleep(300 * 2 ** attempt, req.signal);
    } finally {
      clearTimeout(timer);
      answered();
      req.signal?.removeEventListener('abort', onAbort);
    }
  }
  throw lastError ?? new AppError('NETWORK', 'The request failed.');
}
