/**
 * The one way Salvage's main process talks to servers: node:http / node:https, one request at a
 * time, nothing followed, nothing global. electron/net/http.ts builds every policy (deadlines,
 * byte budgets, retries, web Responses) on top of `openRequest`; nothing else in the app opens a
 * connection to a server (lint refuses `undici` and the global `fetch` under electron/).
 *
 * Why not fetch: Node's fetch is undici, and undici's HTTP/1 client up to 7.x dies with an
 * uncatchable `AssertionError: assert(!this.paused)` (client-h1.js, Parser.finish from
 * Socket.onHttpSocketEnd) when a response body is not being read (the parser paused under
 * backpressure) and the server closes the connection — which PHP's built-in server, Apache with
 * KeepAlive off and many proxies do after every answer (`Connection: close`). Restoring 30 files
 * into a Nextcloud folder of 3,200 files killed the command line that way (undici#5360).
 * Loading the npm `undici` also replaces the process's global dispatcher, so every `fetch` in
 * the process ran through it. Node's own http client applies backpressure by stopping the socket
 * read: the server's FIN is seen only after the buffered data has been read, whatever a caller
 * does, in Node 20 and in Electron's Node alike.
 *
 * Moving to a fixed undici later: the fix (nodejs/undici#5474) is in undici ≥ 8, which needs
 * Node ≥ 22.19. This repository runs Node 20 (package.json engines ≥ 20.19: the command line,
 * the browser host, the tests); Electron ≥ 40 embeds Node 24 (40: 24.11.1, 43: 24.18.0; check
 * Electron 45's with `process.versions.node` in its About panel), whose *bundled* undici is 7.x,
 * so Electron's global fetch has the bug too. Once every runtime is on Node ≥ 22.19, undici ≥ 8
 * can replace this file: an `Agent` per pin whose `connect` checks the fingerprint (as
 * tls.ts's PinnedAgent does), `dispatcher.request()` (not fetch, so that no global dispatcher is
 * installed) in `openRequest`, and its body as `Answer.read`/`cancel`. http.ts and its callers
 * need not change; keep the regression test in http.survival.test.ts.
 */
import { Agent as HttpAgent, request as httpRequestRaw, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequestRaw } from 'node:https';
import { createGunzip } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import { pinnedAgent } from './tls';

/** A free connection is closed after this long unused: under the usual server keep-alive (Apache 5 s). */
const FREE_SOCKET_MS = 4_000;

const plainAgent = new HttpAgent({ keepAlive: true, timeout: FREE_SOCKET_MS });
const verifiedAgent = new HttpsAgent({ keepAlive: true, timeout: FREE_SOCKET_MS });

/** The agent for a request: the account's pinned certificate, or normal verification. */
export function agentFor(url: URL, trustedCertFingerprint?: string): HttpAgent {
  if (url.protocol === 'http:') return plainAgent;
  return trustedCertFingerprint ? pinnedAgent(trustedCertFingerprint) : verifiedAgent;
}

export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | undefined;
  /** Ends the request (and its body) at once; the reason is what `openRequest`/`read` reject with. */
  signal: AbortSignal;
  trustedCertFingerprint?: string | undefined;
}

/** A server's answer: head read, body pulled chunk by chunk (never ahead of the reader). */
export interface Answer {
  status: number;
  statusText: string;
  /** [name, value, name, value, …] as the server sent them. */
  rawHeaders: string[];
  /** The body's declared length (null: unknown, or the body is compressed). */
  declaredLength: number | null;
  /** The next chunk of the body, or null at its end. Rejects when the connection breaks or the request is cancelled. */
  read(): Promise<Uint8Array | null>;
  /** Ends the body without reading it: its connection is closed (never put back for reuse half read). */
  cancel(reason?: Error): void;
}

/**
 * Sends one request; resolves when the answer's head is in. Rejects with Node's error (its `code` says what failed).
 */
export function openRequest(req: TransportRequest): Promise<Answer> {
  const url = new URL(req.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.reject(new Error(`Not an http(s) address: ${url.protocol}`));
  const send = url.protocol === 'https:' ? httpsRequestRaw : httpRequestRaw;
  return new Promise<Answer>((resolve, reject) => {
    if (req.signal.aborted) return reject(abortReason(req.signal));
    const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
    const headers: Record<string, string> = { 'Accept-Encoding': 'gzip', ...req.headers };
    if (body) headers['Content-Length'] = String(body.byteLength);
    const outgoing = send(url, {
      method: req.method,
      headers,
      agent: agentFor(url, req.trustedCertFingerprint),
      // Hostile or broken answers end as errors, never as a parse of anything.
      insecureHTTPParser: false,
    });
    let response: IncomingMessage | null = null;
    const onAbort = () => {
      response?.destroy();
      outgoing.destroy(abortReason(req.signal));
    };
    req.signal.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', (e) => {
      req.signal.removeEventListener('abort', onAbort);
      reject(e);
    });
    outgoing.on('response', (res) => {
      response = res;
      resolve(answerOf(res, req.signal, () => req.signal.removeEventListener('abort', onAbort)));
    });
    outgoing.end(body);
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : Object.assign(new Error('The request was cancelled.'), { name: 'AbortError' });
}

function answerOf(res: IncomingMessage, signal: AbortSignal, release: () => void): Answer {
  const head = { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', rawHeaders: res.rawHeaders };
  // Errors are read through `read()`; these listeners only make sure none is ever unheard.
  res.on('error', () => {});
  const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let stream: Readable = res;
  let declaredLength: number | null = null;
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    // pipeline: a failure or an early end of either side ends both; backpressure reaches the socket.
    stream = pipeline(res, createGunzip(), () => {});
    stream.on('error', () => {});
  } else if (encoding === 'identity') {
    const length = Number(res.headers['content-length']);
    declaredLength =
      res.headers['content-length'] !== undefined && Number.isSafeInteger(length) && length >= 0 ? length : null;
  } else {
    res.destroy();
    release();
    const failed = Object.assign(
      new Error(`The server sent its answer in an encoding Salvage did not ask for (${encoding}).`),
      { code: 'ERR_CONTENT_ENCODING' },
    );
    return { ...head, declaredLength: null, read: () => Promise.reject(failed), cancel: () => {} };
  }
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let finished = false;
  const stop = (reason?: Error) => {
    finished = true;
    release();
    // Destroying an answer that has not ended closes its socket: it never goes back to the pool half read.
    stream.destroy(reason);
    if (stream !== res) res.destroy();
  };
  return {
    ...head,
    declaredLength,
    async read() {
      if (finished) return null;
      if (signal.aborted) {
        stop();
        throw abortReason(signal);
      }
      try {
        const next = await chunks.next();
        if (next.done) {
          finished = true;
          release();
          return null;
        }
        return new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      } catch (e) {
        stop();
        throw e;
      }
    },
    cancel(reason) {
      if (!finished) stop(reason);
    },
  };
}
