import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, relative } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Dispatch } from '../../services/dispatcher';
import type { EventBus } from '../../base/events';
import { CONTENT_SECURITY_POLICY } from '../security';

/**
 * The browser host's bridge: the same dispatcher the Electron window uses, served over HTTP on
 * 127.0.0.1 only. Every API call needs the per-launch token; a Host or Origin that is not this
 * bridge's own (DNS rebinding, another site in the browser) is refused before anything else.
 * The renderer is served from staticDir; events stream as server-sent events.
 */
export interface BridgeOptions {
  dispatch: Dispatch;
  bus: EventBus;
  /** Built renderer folder; null serves no pages (tests). */
  staticDir: string | null;
  /** Per-launch secret; generated when absent. */
  token?: string;
  port?: number;
}

export interface Bridge {
  url: string;
  port: number;
  token: string;
  /** The address to open: the token rides in the fragment, which browsers never send to a server. */
  launchUrl: string;
  close(): Promise<void>;
}

/**
 * The largest request the contract needs, measured with the renderer's own request shape: a
 * restore of 100,000 items with a conflict answer for every one is 21 MiB (Nextcloud ids,
 * "Quarterly report final version 1.docx.d1796611971") to 28 MiB (Infinite Scale ids); 200,000
 * items without answers 22–29 MiB. Anything larger is refused with 413 before it is read
 * (a declared Content-Length) or as soon as it passes the cap.
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
const TOKEN_HEADER = 'x-salvage-token';
/** Items serialised per turn of the event loop in a long answer (see sendSliced). */
export const SEND_SLICE = 1000;
/** Stands for the items in a long answer's envelope: a string no item list can produce. */
const SLOT = '\u0000salvage-items\u0000';
const SLOT_JSON = JSON.stringify(SLOT);
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const sseClients = new Set<ServerResponse>();

  const unsubscribe = options.bus.subscribe((name, payload) => {
    const data = `event: message\ndata: ${JSON.stringify({ name, payload })}\n\n`;
    for (const res of sseClients) res.write(data);
  });

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
    res.end(text);
  };
  const refuse = (res: ServerResponse, status: number, message: string) => send(res, status, { error: message });
  /**
   * A result whose value holds a long `items` list (a trash:list page of 5,000) is written as JSON
   * SEND_SLICE items at a time with a turn of the event loop between slices: serialising 5,000
   * items in one go holds main for ~15 ms, far longer on a busy machine. Same JSON, sent chunked.
   */
  const sendSliced = async (res: ServerResponse, result: unknown) => {
    const value = (result as { ok?: unknown; value?: unknown }).value as { items?: unknown } | undefined;
    const items = value?.items;
    if (!Array.isArray(items) || items.length <= SEND_SLICE) return send(res, 200, result);
    // The envelope with an empty list, split where the items go: `…"items":[` + items + `]…`.
    const envelope = JSON.stringify({ ...(result as object), value: { ...value, items: [SLOT] } });
    const at = envelope.indexOf(SLOT_JSON);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
    res.write(envelope.slice(0, at));
    for (let i = 0; i < items.length; i += SEND_SLICE) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (res.destroyed) return;
      const text = JSON.stringify(items.slice(i, i + SEND_SLICE));
      res.write(i > 0 ? `,${text.slice(1, -1)}` : text.slice(1, -1));
    }
    res.end(envelope.slice(at + SLOT_JSON.length));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: the Host must be this bridge's own address.
    if (!req.headers.host || !allowedHosts().has(req.headers.host)) return refuse(res, 421, 'Wrong host.');
    // Another site in the browser: its Origin is not ours.
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return refuse(res, 403, 'Foreign origin.');

    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname === '/api/invoke') {
      if (req.method !== 'POST') return refuse(res, 405, 'Use POST.');
      if (!sameToken(req.headers[TOKEN_HEADER] as string | undefined, token))
        return refuse(res, 401, 'Missing or wrong token.');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'Send JSON.');
      const text = await readBody(req);
      if (text === null) return tooLarge(req, res);
      let body: { channel?: unknown; payload?: unknown };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        return refuse(res, 400, 'Bad JSON.');
      }
      const result = await options.dispatch(body.channel, body.payload, { frameUrl: null, isMainFrame: true });
      return sendSliced(res, result);
    }
    if (url.pathname === '/api/events') {
      if (!sameToken(url.searchParams.get('token'), token)) return refuse(res, 401, 'Missing or wrong token.');
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
    return serveStatic(url.pathname, res);
  };

  const serveStatic = (pathname: string, res: ServerResponse) => {
    if (!options.staticDir) return refuse(res, 404, 'Not found.');
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return refuse(res, 400, 'Bad path.');
    }
    const file = normalize(join(options.staticDir, decoded === '/' ? 'index.html' : decoded));
    const rel = relative(options.staticDir, file);
    if (rel.startsWith('..') || !existsSync(file) || !statSync(file).isFile()) return refuse(res, 404, 'Not found.');
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, 'Bridge failure.');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    token,
    launchUrl: `${url}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const res of sseClients) res.end();
        sseClients.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The body as text, or null when it is (or says it is) larger than MAX_BODY_BYTES: then it is not read further. */
function readBody(req: IncomingMessage): Promise<string | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      chunks.length = 0;
      resolve(null);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** How long a refused request's connection lingers after the 413, what still arrives dropped unread. */
const LINGER_MS = 1_000;

/**
 * 413, then the connection is closed; the rest of the body is never kept. A lingering close, as web
 * servers do it: the answer goes out with the write side closed, what the client still sends is
 * dropped for LINGER_MS, then the connection ends. Closing at once with the client's bytes unread
 * resets the connection, and a reset can destroy the 413 before the client has read it.
 */
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  const text = JSON.stringify({
    error: `Request too large (more than ${MAX_BODY_BYTES / 1024 / 1024} MiB). Restore or delete fewer items at once.`,
  });
  // No "Connection: close": with it Node's server closes the socket itself as soon as the answer is out.
  res.writeHead(413, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(text, () => {
    req.socket.end();
    req.removeAllListeners('data');
    req.on('data', () => undefined);
    req.resume();
    setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
  });
}
