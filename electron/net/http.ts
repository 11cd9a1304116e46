import { PREVIEW_MAX_BYTES } from '../../shared/model';
import { sleep } from '../base/async';
import { AppError, isAppError } from '../base/errors';
import { currentPace } from '../base/pace';
import { openRequest, type Answer } from './transport';
import { watchRequest } from './waiting';

/**
 * HTTP concerns every server request shares, written once: the transport (electron/net/transport.ts,
 * node:http — see there why not fetch/undici), deadlines, byte budgets, cancellation, retries of
 * idempotent requests (network failures, 502/503/504, 429 with Retry-After), and the mapping of
 * transport failures and common statuses onto error codes. Redirects are never followed.
 *
 * Bodies. Every answer's body is read to its end or cancelled here, on every path, so no caller
 * can leave a connection half read:
 * - `read: 'buffer'` (the default): the body is read whole, within its byte budget, before
 *   httpRequest resolves; the Response holds it in memory (`text()`, `json()`, `arrayBuffer()`
 *   work as usual, and `body.cancel()` is harmless).
 * - `read: 'stream'` (listings, previews): a 2xx body is handed over as it arrives, never read
 *   ahead of the reader (highWaterMark 0). Its connection is closed when the reader cancels, when
 *   the request's signal aborts, when a rule below ends it, and when nobody reads it for the
 *   request's time-out (a caller that forgot it). Other statuses are buffered as above.
 * Byte budgets (`maxBytes`, see BODY_BUDGET): an answer with an error or redirect status is cut at
 * BODY_BUDGET.error (its first 64 KiB are plenty for a message; the connection is closed, so a
 * 400 MB error answer costs 64 KiB), a 2xx body over its budget ends with BAD_RESPONSE naming the
 * server (a declared Content-Length over it fails before a byte is read).
 *
 * Deadlines (`timeoutMs`, the account's or `salvage --timeout`), one rule per request:
 * - ordinary answers (budget up to BODY_BUDGET.answer): one deadline from the first byte sent to
 *   the last byte of the body. A server that sends its headers and trickles the body ends with
 *   TIMEOUT naming it after timeoutMs, not later.
 * - large answers (streamed, or a budget above BODY_BUDGET.answer: folder and trash listings):
 *   the head within timeoutMs; then the body must keep coming: in every timeoutMs the reader
 *   spends waiting on the server, at least MIN_PROGRESS_BYTES (16 KiB) must arrive (time the
 *   reader spends on its own work does not count); and the whole answer within
 *   max(20 × timeoutMs, 10 min). A 1 GiB listing at 1 MB/s passes; a trickle does not.
 * While a request keeps the user waiting (no head yet, a body that is not coming, the total
 * deadline running), "Still waiting for <host> (N s of M s)…" is reported every 5 s
 * (electron/net/waiting.ts), also from the listing worker.
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
  /**
   * 'buffer' (default): the body is read whole before httpRequest resolves. 'stream': a 2xx body is handed over as it
   * arrives.
   */
  read?: 'buffer' | 'stream';
  /** The budget of a 2xx body in bytes. Defaults: BODY_BUDGET.answer (buffered), BODY_BUDGET.listing (streamed). */
  maxBytes?: number;
}

export interface HttpOptions {
  timeoutMs: number;
  retries: number;
  /** Longest Retry-After we honour before giving up with RATE_LIMITED. */
  maxRetryAfterMs: number;
  userAgent: string;
  /** The account's pinned self-signed certificate (see electron/net/tls.ts); set by httpOptionsForAccount. */
  trustedCertFingerprint?: string;
  /**
   * Tests only: the longest a pause really waits (a Retry-After, a retry's back-off, a batch's hold
   * after a pushback, a write's wait after 423 Locked), so a suite of faults does not sit out whole
   * seconds. The app never sets it: every pause is waited in full.
   */
  pauseCapMs?: number;
  /**
   * Tests only: a stand-in server as a fetch function. The app never sets it (lint refuses the
   * global fetch under electron/); its answers go through the same deadlines and budgets.
   */
  fetch?: typeof fetch;
}

export const defaultHttpOptions: HttpOptions = {
  timeoutMs: 30_000,
  retries: 2,
  maxRetryAfterMs: 30_000,
  userAgent: 'Salvage/0.1 (trash recovery desktop app)',
};

const KiB = 1024;
const MiB = 1024 * KiB;

/** Byte budgets of answer bodies, by kind of answer. */
export const BODY_BUDGET = {
  /** An answer with an error or redirect status: cut here (the message is in the first bytes). */
  error: 64 * KiB,
  /** An ordinary answer: JSON, a Depth 0 PROPFIND, status.php, a token. */
  answer: 8 * MiB,
  /** A folder listing read whole (PROPFIND Depth 1): Nextcloud sends ~440 bytes an entry, so ~600,000 entries. */
  folder: 256 * MiB,
  /** A streamed trash listing: about a million items. */
  listing: 1024 * MiB,
  /** A preview image (the same cap the contract puts on previews). */
  preview: PREVIEW_MAX_BYTES,
} as const;

/** A large answer must bring at least this much in every time-out's worth of waiting. */
export const MIN_PROGRESS_BYTES = 16 * KiB;
/** The longest a large answer may take as a whole. */
export const largeAnswerCeilingMs = (timeoutMs: number) => Math.max(20 * timeoutMs, 10 * 60_000);

/**
 * Sets how long a request may wait for the server's answer, for providers made from now on
 * (`salvage --timeout`, SALVAGE_TIMEOUT in the environment). 5 s to 10 min.
 */
export function setRequestTimeout(seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 5 || seconds > 600)
    throw new AppError('INVALID_INPUT', 'The time-out must be between 5 and 600 seconds.');
  defaultHttpOptions.timeoutMs = Math.round(seconds * 1000);
}

/**
 * The options for one account's requests: when the user trusted a self-signed certificate for
 * this account, its requests accept exactly that certificate (pinned SHA-256 fingerprint, see
 * electron/net/tls.ts). Never a global switch: other accounts keep normal verification.
 */
export function httpOptionsForAccount(
  account: { trustedCertFingerprint?: string | undefined },
  base: HttpOptions = defaultHttpOptions,
): HttpOptions {
  return account.trustedCertFingerprint ? { ...base, trustedCertFingerprint: account.trustedCertFingerprint } : base;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'PROPFIND', 'OPTIONS']);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** Statuses whose Response must have no body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** The time really waited for a pause of `ms` under these options (`ms` unless a test shortens it). */
export const pauseOf = (options: Pick<HttpOptions, 'pauseCapMs'>, ms: number): number =>
  Math.min(ms, options.pauseCapMs ?? ms);

/** Seconds or an HTTP date, in milliseconds; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Maps a failure of the transport itself (no HTTP status) onto NETWORK, TIMEOUT, TLS or CANCELLED. */
export function transportError(e: unknown, url: string, timedOut: boolean, cancelled: boolean): AppError {
  if (cancelled) return new AppError('CANCELLED', 'Cancelled.');
  if (timedOut) return new AppError('TIMEOUT', `The server did not answer in time (${new URL(url).host}).`);
  // node:http puts the code on the error itself; a fetch (the tests' stand-in) on its cause.
  const own = e as { code?: unknown; message?: unknown; cause?: { code?: string; message?: string } } | null;
  const cause =
    typeof own?.code === 'string'
      ? { code: own.code, message: typeof own.message === 'string' ? own.message : '' }
      : own?.cause;
  const code = cause?.code ?? '';
  const { host, hostname, protocol } = new URL(url);
  const details = code ? { netCode: code } : undefined;
  // A plain-HTTP server on the port: the TLS handshake meets an HTTP answer.
  if (
    /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST/i.test(code) ||
    /wrong version number/i.test(cause?.message ?? '')
  ) {
    return new AppError(
      'NETWORK',
      `${host} does not speak HTTPS on this port. If it is a plain-HTTP server, put http:// in front of the address.`,
      details,
    );
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|FINGERPRINT/i.test(code)) {
    return new AppError('TLS', `The server's certificate is not trusted (${code}).`, { tlsCode: code });
  }
  if (code.startsWith('HPE_')) {
    return new AppError('BAD_RESPONSE', `${host} sent an answer that is not valid HTTP (${code}).`, details);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new AppError(
      'NETWORK',
      `No server named ${hostname} was found. Check the address, or your network connection.`,
      details,
    );
  }
  if (code === 'ECONNREFUSED') {
    return new AppError(
      'NETWORK',
      `Nothing answers at ${host}: the connection was refused. Check the address and port, and that the server is running.`,
      details,
    );
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new AppError(
      'TIMEOUT',
      `Could not connect to ${host} in time. Check the address and your network connection.`,
      details,
    );
  }
  if (code === 'ECONNRESET' && protocol === 'https:') {
    return new AppError(
      'NETWORK',
      `${host} closed the connection. If it is a plain-HTTP server, put http:// in front of the address.`,
      details,
    );
  }
  return new AppError('NETWORK', `Cannot reach ${host}${code ? ` (${code})` : ''}.`, details);
}

/** The status-to-code mapping shared by all providers; providers refine it where their bodies say more. */
export function errorForStatus(status: number, message?: string): AppError {
  const text = message?.trim();
  switch (status) {
    case 401:
      return new AppError('AUTH_FAILED', text || 'The server did not accept the credentials. Sign in again.', {
        status,
      });
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

/** True for the error a 2xx body over its budget ends with (its details.limitBytes says the budget). */
export const isOverBudget = (e: unknown): boolean => isAppError(e) && typeof e.details?.limitBytes === 'number';

const cancelled = () => new AppError('CANCELLED', 'Cancelled.');
const sizeText = (bytes: number) =>
  bytes >= MiB ? `${Math.round(bytes / MiB)} MiB` : `${Math.round(bytes / KiB)} KiB`;

function overBudget(host: string, status: number, limit: number): AppError {
  return new AppError(
    'BAD_RESPONSE',
    `${host} sent a larger answer than Salvage accepts for this request (more than ${sizeText(limit)}).`,
    {
      status,
      limitBytes: limit,
    },
  );
}

/**
 * A body that ended badly: the connection broke (NETWORK), or what came was not HTTP or not what its
 * encoding said (BAD_RESPONSE). Z_BUF_ERROR: the transfer ended cleanly but the gzip stream in it
 * stopped half way (a connection that breaks fails the pipeline with its own error instead).
 */
function broken(host: string, e: unknown): AppError {
  const own = (e as { code?: unknown } | null)?.code;
  const code = typeof own === 'string' ? own : 'aborted';
  if (code.startsWith('HPE_') || code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'ERR_CONTENT_ENCODING') {
    return new AppError('BAD_RESPONSE', `${host} sent an answer that could not be read (${code}).`, { netCode: code });
  }
  return new AppError('NETWORK', `The connection to ${host} broke while its answer was being read.`, { netCode: code });
}

/**
 * Waiting on a large answer's body (see the file header): the time the reader spends waiting on
 * the server adds up until MIN_PROGRESS_BYTES have arrived since the last reset; reaching
 * windowMs ends the answer.
 */
class ProgressClock {
  private stalledMs = 0;
  private since: number | null = null;
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly expire: () => void,
  ) {}

  /** How long the reader has been kept waiting in this window (for "Still waiting…"). */
  waited(): number {
    return this.stalledMs + (this.since === null ? 0 : Date.now() - this.since);
  }

  waiting(): void {
    this.since = Date.now();
    this.timer = setTimeout(this.expire, Math.max(0, this.windowMs - this.stalledMs));
  }

  got(bytes: number): void {
    clearTimeout(this.timer);
    if (this.since !== null) this.stalledMs += Date.now() - this.since;
    this.since = null;
    this.bytes += bytes;
    if (this.bytes >= MIN_PROGRESS_BYTES) {
      this.bytes = 0;
      this.stalledMs = 0;
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.since = null;
  }
}

/**
 * One attempt of a request: its deadline, its "Still waiting" reports, the caller's signal, and
 * how it ends. `end(error)` is the one way to stop it early (time-out, cancel, budget): it aborts
 * the transport, which closes the connection, and tells the body's reader.
 */
class Attempt {
  readonly controller = new AbortController();
  readonly host: string;
  ending: AppError | null = null;
  headAt: number | null = null;
  clock: ProgressClock | null = null;
  private closed = false;
  private readonly started = Date.now();
  private deadline: NodeJS.Timeout | undefined;
  private readonly stopWatching: () => void;
  private readonly onCancel = () => this.end(cancelled());
  private readonly onEnd: ((error: AppError) => void)[] = [];

  constructor(
    readonly req: HttpRequest,
    readonly timeoutMs: number,
  ) {
    this.host = new URL(req.url).host;
    this.deadline = setTimeout(() => {
      const still =
        this.headAt === null ? '' : `: its answer was still arriving after ${Math.round(timeoutMs / 1000)} s`;
      this.end(new AppError('TIMEOUT', `The server did not answer in time (${this.host})${still}.`));
    }, timeoutMs);
    this.stopWatching = watchRequest(req.url, req.method, timeoutMs, () =>
      this.clock ? this.clock.waited() : Date.now() - this.started,
    );
    req.signal?.addEventListener('abort', this.onCancel, { once: true });
  }

  /** The head is in and the body is large: from now on it keeps its own pace (file header). */
  paceLargeBody(): void {
    clearTimeout(this.deadline);
    const ceilingMs = largeAnswerCeilingMs(this.timeoutMs);
    this.deadline = setTimeout(
      () =>
        this.end(
          new AppError(
            'TIMEOUT',
            `The server did not answer in time (${this.host}): its answer took longer than ${Math.round(ceilingMs / 60_000)} minutes.`,
          ),
        ),
      Math.max(0, ceilingMs - (Date.now() - this.started)),
    );
    this.clock = new ProgressClock(this.timeoutMs, () =>
      this.end(
        new AppError(
          'TIMEOUT',
          `The server did not answer in time (${this.host}): its answer stopped coming (less than ${MIN_PROGRESS_BYTES / KiB} KiB in ${Math.round(this.timeoutMs / 1000)} s).`,
        ),
      ),
    );
  }

  whenEnded(fn: (error: AppError) => void): void {
    this.onEnd.push(fn);
  }

  end(error: AppError): void {
    if (this.ending || this.closed) return;
    this.ending = error;
    this.controller.abort(error);
    for (const fn of this.onEnd) fn(error);
    this.close();
  }

  /** Done (answer read, handed over and finished, or failed): timers and listeners go. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.deadline);
    this.clock?.stop();
    this.stopWatching();
    this.req.signal?.removeEventListener('abort', this.onCancel);
  }
}

/** A test stand-in's (web fetch) answer, seen as the transport's. */
async function openWithFetch(
  doFetch: typeof fetch,
  req: HttpRequest,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Answer> {
  const res = await doFetch(req.url, {
    method: req.method,
    headers,
    body: req.body ?? null,
    signal,
    redirect: 'manual',
  });
  const reader = res.body?.getReader() ?? null;
  const length = Number(res.headers.get('content-length'));
  let done = reader === null;
  return {
    status: res.status,
    statusText: res.statusText,
    rawHeaders: [...res.headers].flat(),
    declaredLength: res.headers.has('content-length') && Number.isSafeInteger(length) ? length : null,
    async read() {
      if (done || !reader) return null;
      if (signal.aborted) throw signal.reason;
      const next = await reader.read();
      if (next.done) done = true;
      return next.done ? null : next.value;
    },
    cancel(reason) {
      if (done) return;
      done = true;
      void reader?.cancel(reason).catch(() => undefined);
    },
  };
}

function headersOf(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A header the web Headers refuses (bad name or value) is left out, never fatal.
    }
  }
  return headers;
}

/** A web Response (status already checked to be 200–599); 204/205/304 get no body, as the constructor demands. */
function toResponse(
  answer: Answer,
  headers: Headers,
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null,
): Response {
  const content = NULL_BODY_STATUSES.has(answer.status) ? null : body;
  try {
    return new Response(content, { status: answer.status, statusText: answer.statusText, headers });
  } catch {
    return new Response(content, { status: answer.status, headers }); // a reason phrase the constructor refuses
  }
}

/** Reads a body whole within its budget; with `cut`, what is over the budget is dropped instead (error answers). */
async function readWhole(
  answer: Answer,
  attempt: Attempt,
  limit: number,
  cut: boolean,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!cut && answer.declaredLength !== null && answer.declaredLength > limit)
    throw overBudget(attempt.host, answer.status, limit);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    attempt.clock?.waiting();
    const chunk = await answer.read();
    attempt.clock?.got(chunk?.byteLength ?? 0);
    if (!chunk) break;
    if (total + chunk.byteLength > limit) {
      if (!cut) throw overBudget(attempt.host, answer.status, limit);
      chunks.push(chunk.subarray(0, limit - total));
      total = limit;
      answer.cancel();
      break;
    }
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * A 2xx body handed over as it arrives: pulled only when the reader reads (highWaterMark 0), so
 * the time the reader spends on its own work is not blamed on the server. Ends the attempt (and
 * its connection) on the reader's cancel, a rule of the file header, or a reader that stops
 * reading for the time-out.
 */
function streamBody(answer: Answer, attempt: Attempt, limit: number): ReadableStream<Uint8Array> {
  const clock = attempt.clock!;
  let total = 0;
  let idle: NodeJS.Timeout | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const awaitReader = () => {
    clearTimeout(idle);
    idle = setTimeout(
      () =>
        attempt.end(
          new AppError('CANCELLED', `Nothing read the answer of ${attempt.host}; its connection was closed.`),
        ),
      attempt.timeoutMs,
    );
  };
  attempt.whenEnded((error) => {
    clearTimeout(idle);
    answer.cancel(error);
    controller.error(error);
  });
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        awaitReader();
      },
      async pull(c) {
        clearTimeout(idle);
        if (attempt.ending) throw attempt.ending;
        clock.waiting();
        let chunk: Uint8Array | null;
        try {
          chunk = await answer.read();
        } catch (e) {
          clock.got(0);
          attempt.end(attempt.ending ?? (isAppError(e) ? e : broken(attempt.host, e)));
          throw attempt.ending;
        }
        clock.got(chunk?.byteLength ?? 0);
        if (attempt.ending) throw attempt.ending;
        if (chunk === null) {
          attempt.close();
          c.close();
          return;
        }
        total += chunk.byteLength;
        if (total > limit) {
          attempt.end(overBudget(attempt.host, answer.status, limit));
          throw attempt.ending;
        }
        c.enqueue(chunk);
        awaitReader();
      },
      cancel() {
        clearTimeout(idle);
        answer.cancel();
        attempt.close();
      },
    },
    { highWaterMark: 0 },
  );
}

type Outcome = { kind: 'response'; response: Response } | { kind: 'retry'; waitMs: number };

/** One attempt: sends the request, then reads (or hands over) its body under the attempt's rules. */
async function exchange(
  req: HttpRequest,
  options: HttpOptions,
  timeoutMs: number,
  attempt: number,
  mayRetry: boolean,
  refusalsOnly = false,
): Promise<Outcome> {
  const stream = req.read === 'stream';
  const limit = req.maxBytes ?? (stream ? BODY_BUDGET.listing : BODY_BUDGET.answer);
  // A batch's pace (electron/base/pace.ts): wait out a Retry-After it is holding (before this
  // attempt's deadline starts), then report a pushback (429/503) to it.
  const pace = currentPace();
  if (pace) await pace.ready(req.signal);
  const run = new Attempt(req, timeoutMs);
  let answer: Answer | null = null;
  let handedOver = false;
  try {
    if (req.signal?.aborted) throw cancelled();
    const headers = { 'User-Agent': options.userAgent, ...req.headers };
    const signal = run.controller.signal;
    answer = options.fetch
      ? await openWithFetch(options.fetch, req, headers, signal)
      : await openRequest({
          method: req.method,
          url: req.url,
          headers,
          body: req.body,
          signal,
          trustedCertFingerprint: options.trustedCertFingerprint,
        });
    run.headAt = Date.now();
    const { status } = answer;
    if (status < 200 || status > 599)
      throw new AppError('BAD_RESPONSE', `${run.host} answered with HTTP ${status}, which Salvage cannot use.`, {
        status,
      });
    const answerHeaders = headersOf(answer.rawHeaders);
    if (pace && (status === 429 || status === 503))
      pace.pushback(status, parseRetryAfter(answerHeaders.get('retry-after')), options.pauseCapMs);
    if (mayRetry && (refusalsOnly ? status === 429 : RETRY_STATUSES.has(status))) {
      const wait = parseRetryAfter(answerHeaders.get('retry-after')) ?? 500 * 2 ** attempt;
      if (wait <= options.maxRetryAfterMs) {
        answer.cancel();
        return { kind: 'retry', waitMs: wait };
      }
    }
    const ok = status >= 200 && status < 300;
    if (stream || limit > BODY_BUDGET.answer) run.paceLargeBody();
    if (stream && ok && !NULL_BODY_STATUSES.has(status) && req.method.toUpperCase() !== 'HEAD') {
      handedOver = true;
      return { kind: 'response', response: toResponse(answer, answerHeaders, streamBody(answer, run, limit)) };
    }
    const bytes = await readWhole(answer, run, ok ? limit : BODY_BUDGET.error, !ok);
    return { kind: 'response', response: toResponse(answer, answerHeaders, bytes) };
  } catch (e) {
    answer?.cancel();
    if (run.ending) throw run.ending;
    if (isAppError(e)) throw e;
    if (run.headAt !== null) throw broken(run.host, e);
    throw transportError(e, req.url, false, false);
  } finally {
    if (!handedOver) run.close();
  }
}

/**
 * Sends one request with its deadline, budget, cancellation and retries. Resolves with the
 * Response for every HTTP status 200–599 (callers decide what a status means), its body read
 * (or, with `read: 'stream'`, handed over) as the file header says; rejects with AppError for
 * transport failures, time-outs, cancellation, a body over its budget, and exhausted retries.
 */
export async function httpRequest(req: HttpRequest, options: HttpOptions = defaultHttpOptions): Promise<Response> {
  const idempotent = req.idempotent ?? SAFE_METHODS.has(req.method.toUpperCase());
  // In a paced batch a write answered 429 is sent again once the pace's hold has passed: a 429
  // comes from the server's rate limiter, before it acted. Nothing else about a write is retried.
  const refusalsOnly = !idempotent && currentPace() !== undefined;
  const attempts = idempotent || refusalsOnly ? options.retries + 1 : 1;
  const timeoutMs = req.timeoutMs ?? options.timeoutMs;
  let lastError: AppError | null = null;

  for (let attempt = 0; attempt < attempts; attempt++) {
    const last = attempt === attempts - 1;
    try {
      const outcome = await exchange(req, options, timeoutMs, attempt, !last, refusalsOnly);
      if (outcome.kind === 'response') return outcome.response;
      await sleep(pauseOf(options, outcome.waitMs), req.signal);
    } catch (e) {
      const error = isAppError(e) ? e : transportError(e, req.url, false, req.signal?.aborted ?? false);
      // No retry after a time-out (the user has waited the whole time already), a refused
      // certificate, a cancel, or an answer the server will send the same way again.
      if (error.code !== 'NETWORK' || last || refusalsOnly) throw error;
      lastError = error;
      await sleep(pauseOf(options, 300 * 2 ** attempt), req.signal);
    }
  }
  throw lastError ?? new AppError('NETWORK', 'The request failed.');
}

/**
 * A fetch-shaped function over httpRequest, for libraries that take one (oauth4webapi's
 * customFetch): the same transport, deadline and budgets; no retries of writes, no redirects.
 */
export function netFetch(
  options: HttpOptions = defaultHttpOptions,
): (url: string | URL, init?: RequestInit) => Promise<Response> {
  return async (url, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const body = init.body;
    let payload: string | Uint8Array<ArrayBuffer> | undefined;
    if (body === undefined || body === null) payload = undefined;
    else if (typeof body === 'string') payload = body;
    else if (body instanceof URLSearchParams) {
      payload = body.toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    } else if (body instanceof Uint8Array) payload = new Uint8Array(body);
    else if (body instanceof ArrayBuffer) payload = new Uint8Array(body.slice(0));
    else throw new AppError('INTERNAL', 'netFetch sends text, form and byte bodies only.');
    return httpRequest(
      {
        method,
        url: String(url),
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      },
      options,
    );
  };
}
