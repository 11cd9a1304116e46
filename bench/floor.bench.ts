import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { dialects } from '../electron/providers/webdav/dialect';
import { WebDavProvider } from '../electron/providers/webdav/provider';
import { createParseHost } from '../electron/providers/webdav/trashStream';
import { record, startServerProcess, type Bench, type BenchRow } from './harness';

/**
 * The wire floor for listing a 100,000-item trash, so Salvage's cost can be told apart from the
 * test server's. The test server's answer (the very bytes it sends for Salvage's PROPFIND) is
 * rendered once, then served from memory by a plain HTTP server with a fixed 20 ms per request:
 *
 * - list100k_floor_ms: fetch every byte of that answer and count the items with a plain scan;
 * - list100k_ms: Salvage's provider listing (listing worker, saxes, ~1,000-item chunks) from the
 *   same server, request sent → last item handed to the caller. It stops at the provider: the
 *   contract, transport, react-query and the virtual list are not in this figure.
 * - main_loop_max_block_ms: the longest the main event loop was blocked during that listing.
 *
 * Nextcloud only (the WebDAV kind the listing bench covers); DocSpace's floor is not built yet.
 */
const COUNT = Number(process.env.SALVAGE_BENCH_ITEMS ?? 100_000);
const LATENCY_MS = 20;
const USER = 'alice';
const SECRET = 'alice-app-password-0001';

const testServer = () =>
  startServerProcess(new URL('../electron/demo/servers/webdav/serve.ts', import.meta.url), ['--kind', 'nextcloud', '--seed', String(COUNT)]);

const auth = `Basic ${Buffer.from(`${USER}:${SECRET}`).toString('base64')}`;
const trashPath = dialects.nextcloud.trashRoot({ basePath: '', userId: USER, spaceId: '' });

/** Serves one pre-rendered 207 answer to every request, after LATENCY_MS. */
async function memoryServer(body: Buffer, contentType: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        res.writeHead(207, { 'Content-Type': contentType, 'Content-Length': String(body.length) });
        res.end(body);
      }, LATENCY_MS);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Counts "<d:response>" in a byte stream without parsing (the pattern may span chunks). */
async function scanCount(res: Response): Promise<number> {
  const needle = Buffer.from('<d:response>');
  let count = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let at = buf.indexOf(needle);
    while (at !== -1) {
      count++;
      at = buf.indexOf(needle, at + needle.length);
    }
    carry = Buffer.from(buf.subarray(Math.max(0, buf.length - needle.length + 1)));
  }
  return count;
}

const bench: Bench = async () => {
  const source = await testServer();
  let body: Buffer;
  let contentType: string;
  try {
    const res = await fetch(`${source.url}${trashPath}`, {
      method: 'PROPFIND',
      headers: { Authorization: auth, Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
      body: dialects.nextcloud.trashPropfind,
    });
    contentType = res.headers.get('content-type') ?? 'application/xml; charset=utf-8';
    body = Buffer.from(await res.arrayBuffer());
  } finally {
    source.stop();
  }
  const mem = await memoryServer(body, contentType);
  try {
    const floor = async () => {
      const t0 = performance.now();
      const res = await fetch(`${mem.url}${trashPath}`, { method: 'PROPFIND', headers: { Authorization: auth, Depth: '1' }, body: dialects.nextcloud.trashPropfind });
      const n = (await scanCount(res)) - 1; // the trash root itself
      return { ms: performance.now() - t0, n };
    };
    const host = createParseHost();
    const provider = new WebDavProvider(
      'nextcloud',
      { id: 'bench', kind: 'nextcloud', label: '', serverUrl: mem.url, user: USER, userId: USER, userName: USER, demo: false },
      { user: USER, secret: SECRET },
      { parseHost: host, http: { timeoutMs: 300_000 } },
    );
    const salvage = async () => {
      let last = performance.now();
      let maxGap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last - 5);
        last = now;
      }, 5);
      const t0 = performance.now();
      let n = 0;
      for await (const chunk of provider.listTrash(null)) n += chunk.items.length;
      const ms = performance.now() - t0;
      clearInterval(timer);
      return { ms, n, maxBlockMs: maxGap };
    };
    // Warm both (the worker starts, the JIT settles), then take the best of three of each.
    await floor();
    await salvage();
    const floors = [await floor(), await floor(), await floor()];
    const runs = [await salvage(), await salvage(), await salvage()];
    const f = floors.reduce((a, b) => (b.ms < a.ms ? b : a));
    const s = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const maxBlock = Math.max(...runs.map((r) => r.maxBlockMs));
    if (f.n !== s.n || f.n < COUNT) throw new Error(`floor bench: counted ${f.n} (scan) and ${s.n} (salvage), expected the same, at least ${COUNT}`);
    process.stderr.write(`floor nextcloud: ${(body.length / 1e6).toFixed(1)} MB; floor ${f.ms.toFixed(0)} ms, salvage ${s.ms.toFixed(0)} ms, longest block ${maxBlock.toFixed(0)} ms\n`);
    record('list100k_floor_ms', 'nextcloud', f.ms, 'ms', false, `fetch every byte of the pre-rendered answer (${(body.length / 1e6).toFixed(1)} MB) at ${LATENCY_MS} ms per request and count items with a plain scan`);
    record('list100k_ms', 'nextcloud', s.ms, 'ms', false, 'provider listing from the same in-memory server, request → last item handed to the caller (stops at the provider: contract, transport and renderer not included)');
    record('list100k_vs_floor', 'nextcloud', s.ms / f.ms, '×', false, 'target ≤ 2.5');
    record('main_loop_max_block_ms', 'nextcloud', maxBlock, 'ms', false, 'longest main-loop block while the provider lists 100k items (listing worker)');
    const rows: BenchRow[] = [
      { bench: `listing floor ${COUNT / 1000}k nextcloud`, measure: 'time to last item', unit: 'ms', baseline: f.ms, baselineLabel: 'wire floor', candidate: s.ms, candidateLabel: 'salvage provider', target: 2.5 * f.ms },
      { bench: `listing floor ${COUNT / 1000}k nextcloud`, measure: 'longest main-loop block', unit: 'ms', baseline: 0, baselineLabel: 'wire floor', candidate: maxBlock, candidateLabel: 'salvage provider', target: 50 },
    ];
    return rows;
  } finally {
    mem.server.close();
  }
};

export default bench;
