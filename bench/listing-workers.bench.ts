import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import type { ReadContext } from '../electron/providers/webdav/dialect';
import { createWorkerHost, type WorkerHost } from '../electron/providers/webdav/trashStream';
import { record, type Bench, type BenchRow } from './harness';
import { nextcloudListing } from './xml-parse.bench';

/**
 * What a listing worker per account costs (electron/providers/webdav/trashStream.ts), against the
 * design it replaced (one worker shared by every account: WorkerHost with maxWorkers 1), with the
 * worker as the build ships it (one ESM bundle):
 *   - start-up: a new worker to its 'ready' message (median of 5);
 *   - resident memory added by four accounts listing 1,000 items each at once;
 *   - a small listing (the real Nextcloud 1,000-item answer) for one account while another account
 *     reads a 50,000-item, 38 MB listing: time to its last item.
 * The test server runs in this process (loopback); figures are wall time on a shared machine.
 */
const ROOT = '/remote.php/dav/trashbin/admin/trash';
const ctx = (accountId: string): ReadContext => ({ accountId, parentId: null, listedPath: ROOT, trashRootPath: ROOT });

async function startBodies(bodies: Record<string, Uint8Array>) {
  const server = createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    req.resume();
    if (!body) return void res.writeHead(404).end();
    res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function list(host: WorkerHost, account: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    host.fetch(
      'nextcloud',
      ctx(account),
      { url, method: 'PROPFIND', headers: { Depth: '1' }, body: '' },
      {
        items: (c) => (n += c.length),
        done: () => resolve(n),
        error: reject,
        status: (s) => reject(new Error(`status ${s}`)),
      },
    );
  });
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const rssMb = () => process.memoryUsage().rss / 1e6;

const bench: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'salvage-bench-worker-'));
  const file = join(dir, 'trash-worker.js');
  await build({
    entryPoints: [new URL('../electron/providers/webdav/trashWorker.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: file,
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const spec = { url: pathToFileURL(file), typescript: false };
  const small = readFileSync(new URL('../e2e/fixtures/webdav/nextcloud-32.0.1-trash-1000.xml', import.meta.url));
  const big = nextcloudListing(50_000);
  const server = await startBodies({ '/small': small, '/big': big });
  try {
    // Start-up: a bare worker to its 'ready'.
    const startups: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const w = new Worker(spec.url);
      await new Promise<void>((resolve) => w.on('message', (m: { type: string }) => m.type === 'ready' && resolve()));
      startups.push(performance.now() - t0);
      await w.terminate();
    }
    const startup = median(startups);

    // Memory: four accounts listing at once, on one shared worker or one each.
    const memory = async (maxWorkers: number) => {
      global.gc?.();
      await new Promise((r) => setTimeout(r, 200));
      const before = rssMb();
      const host = createWorkerHost(spec, { maxWorkers });
      await Promise.all(['a', 'b', 'c', 'd'].map((a) => list(host, a, `${server.url}/small`)));
      global.gc?.();
      const after = rssMb();
      const workers = host.workers().length;
      await host.close();
      return { mb: after - before, workers };
    };
    const sharedMem = await memory(1);
    const ownMem = await memory(4);

    // Isolation: a small listing beside a big one from another account.
    const beside = async (maxWorkers: number) => {
      const host = createWorkerHost(spec, { maxWorkers });
      await Promise.all([list(host, 'big', `${server.url}/small`), list(host, 'small', `${server.url}/small`)]); // warm
      const bigDone = list(host, 'big', `${server.url}/big`);
      await new Promise((r) => setTimeout(r, 50));
      const t0 = performance.now();
      await list(host, 'small', `${server.url}/small`);
      const ms = performance.now() - t0;
      await bigDone;
      await host.close();
      return ms;
    };
    const sharedBeside = await beside(1);
    const ownBeside = await beside(4);
    process.stderr.write(
      `listing-workers: start-up ${startups.map((s) => s.toFixed(0)).join('/')} ms; memory shared ${sharedMem.mb.toFixed(1)} MB (${sharedMem.workers} worker), own ${ownMem.mb.toFixed(1)} MB (${ownMem.workers} workers); small beside big: shared ${sharedBeside.toFixed(0)} ms, own ${ownBeside.toFixed(0)} ms\n`,
    );
    record(
      'listing_worker_startup_ms',
      'nextcloud',
      startup,
      'ms',
      false,
      'a bundled listing worker to its ready message, median of 5',
    );
    record(
      'listing_worker_rss_mb_per_account',
      'nextcloud',
      (ownMem.mb - sharedMem.mb) / 3,
      'MB',
      false,
      'resident memory per extra account listing at once (4 workers vs 1)',
    );
    const rows: BenchRow[] = [
      {
        bench: 'listing workers',
        measure: 'resident memory, 4 accounts listing',
        unit: 'MB',
        baseline: sharedMem.mb,
        baselineLabel: 'one shared worker',
        candidate: ownMem.mb,
        candidateLabel: 'worker per account',
        target: null,
      },
      {
        bench: 'listing workers',
        measure: 'small listing beside a 38 MB one',
        unit: 'ms',
        baseline: sharedBeside,
        baselineLabel: 'one shared worker',
        candidate: ownBeside,
        candidateLabel: 'worker per account',
        target: null,
      },
      {
        bench: 'listing workers',
        measure: 'worker start-up (to ready)',
        unit: 'ms',
        baseline: startup,
        baselineLabel: 'one shared worker',
        candidate: startup,
        candidateLabel: 'per account, once each',
        target: null,
      },
    ];
    return rows;
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
