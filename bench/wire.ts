import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { forEachLimited } from '../electron/base/async';

/**
 * A recording proxy in front of a test server, so a bench can tell Salvage's cost from the test
 * server's. While recording, every request goes to the test server and each read's answer
 * (GET, PROPFIND, REPORT) is kept in memory byte for byte. While replaying, a kept answer is sent
 * from memory after a fixed latency; anything else still goes to the test server (after the same
 * latency). The floor is then: fetch every byte of the kept listing answers and count items with
 * a plain scan — the wire, with no parsing and no test server building its answer.
 */
export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const READS = new Set(['GET', 'PROPFIND', 'REPORT']);
const HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'host',
  'date',
]);

/** A read's identity: method, URL, Depth (a Depth 0 and a Depth 1 PROPFIND may share URL and body) and body. */
const keyOf = (method: string, url: string, depth: string | undefined, body: Buffer) =>
  `${method} ${url} ${depth ?? ''}\n${body.toString('latin1')}`;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export class WireProxy {
  readonly url: string;
  mode: 'record' | 'replay' = 'record';
  /** Requests while replaying that had no kept answer (sent on to the test server). */
  missed = 0;
  /** Every request seen (method and path), for counting a workflow's requests. */
  log: { method: string; url: string }[] = [];
  latencyMs: number;
  /** Reads recorded since the last mark(), in order (the listing's requests). */
  private window: Recorded[] = [];
  private readonly kept = new Map<string, Answer>();

  private constructor(
    private readonly server: Server,
    private readonly upstream: string,
    latencyMs: number,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.latencyMs = latencyMs;
  }

  static async start(upstream: string, latencyMs: number): Promise<WireProxy> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const proxy = new WireProxy(server, upstream, latencyMs);
    server.on('request', (req, res) => {
      void proxy.handle(req).then(
        (a) => {
          res.writeHead(a.status, { ...a.headers, 'Content-Length': String(a.body.length) });
          res.end(a.body);
        },
        (e: unknown) => {
          res.writeHead(502, { 'Content-Type': 'text/plain' });
          res.end(String(e));
        },
      );
    });
    return proxy;
  }

  /** Starts a new window of recorded reads (e.g. right before a listing). */
  mark(): void {
    this.window = [];
  }

  /** The reads recorded since mark(). */
  recorded(): Recorded[] {
    return this.window.slice();
  }

  /** Bytes kept for the recorded window's answers. */
  bytes(requests: Recorded[]): number {
    return requests.reduce(
      (n, r) => n + (this.kept.get(keyOf(r.method, r.url, r.headers.depth, r.body))?.body.length ?? 0),
      0,
    );
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage): Promise<Answer> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const body = await readBody(req);
    const depth = req.headers.depth;
    const key = keyOf(method, url, typeof depth === 'string' ? depth : undefined, body);
    this.log.push({ method, url });
    if (this.mode === 'replay') {
      await new Promise((r) => setTimeout(r, this.latencyMs));
      const kept = this.kept.get(key);
      if (kept) return kept;
      this.missed++;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && typeof v === 'string') headers[k] = v;
    const res = await fetch(this.upstream + url, {
      method,
      headers,
      ...(body.length ? { body: new Uint8Array(body) } : {}),
    });
    const answer: Answer = { status: res.status, headers: {}, body: Buffer.from(await res.arrayBuffer()) };
    res.headers.forEach((v, k) => {
      if (!HOP.has(k)) answer.headers[k] = v;
    });
    if (this.mode === 'record' && READS.has(method) && res.status < 300) {
      this.kept.set(key, answer);
      this.window.push({ method, url, headers, body });
    }
    return answer;
  }
}

/** Counts `needle` in a byte stream without parsing (the needle may span chunks). */
export async function scanCount(res: Response, needle: Buffer): Promise<number> {
  let count = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const buf = carry.length
      ? Buffer.concat([carry, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let at = buf.indexOf(needle);
    while (at !== -1) {
      count++;
      at = buf.indexOf(needle, at + needle.length);
    }
    carry = Buffer.from(buf.subarray(Math.max(0, buf.length - needle.length + 1)));
  }
  return count;
}

/**
 * The wire floor: fetch every recorded listing answer from the proxy (replaying), `concurrency`
 * in flight, and count items with a plain scan (`needle` occurrences minus `perAnswer` — the
 * listed folder itself — per answer).
 */
export async function wireFloor(
  proxy: WireProxy,
  requests: Recorded[],
  needle: string,
  perAnswer: number,
  concurrency: number,
): Promise<{ ms: number; items: number }> {
  const n = Buffer.from(needle);
  let items = 0;
  const t0 = performance.now();
  await forEachLimited(requests, concurrency, new AbortController().signal, async (r) => {
    const res = await fetch(proxy.url + r.url, {
      method: r.method,
      headers: r.headers,
      ...(r.body.length ? { body: new Uint8Array(r.body) } : {}),
    });
    if (!res.ok && res.status !== 207) throw new Error(`wire floor: ${r.method} ${r.url} answered ${res.status}`);
    // Counted first, then added: `items += await …` would read `items` before the await and
    // drop what other scans added meanwhile (a lost page whenever two scans overlapped).
    const counted = (await scanCount(res, n)) - perAnswer;
    items += counted;
  });
  return { ms: performance.now() - t0, items };
}
