import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseXML } from 'webdav';
import { WebDavProvider } from '../electron/providers/webdav/provider';
import { createParseHost, InThreadHost, type ParseHost } from '../electron/providers/webdav/trashStream';
import { startServerProcess, type Bench, type BenchRow } from './harness';

/**
 * A 100,000-item Nextcloud trash (PROPFIND body of ~70 MB from the test server, which runs in its
 * own process): the `webdav` package's own parsing (fast-xml-parser, whole body at once) against
 * Salvage's listing (saxes fed as bytes arrive, in the listing worker, ~1,000-item chunks).
 * Measured: wall time to the last item, the longest the main event loop was blocked, and the
 * peak heap growth of the main thread. On a small, busy machine the longest block is dominated by
 * the OS scheduling three busy threads (server process, worker, main); "main-loop busy time" is
 * the time the main loop really ran code.
 */
const COUNT = Number(process.env.SALVAGE_BENCH_ITEMS ?? 100_000);

const serverProcess = () =>
  startServerProcess(new URL('../electron/demo/servers/webdav/serve.ts', import.meta.url), [
    '--kind',
    'nextcloud',
    '--seed',
    String(COUNT),
  ]);

interface Measure {
  ms: number;
  maxBlockMs: number;
  /** Time the main event loop was actually running code (event-loop utilisation × wall time). */
  busyMs: number;
  heapMb: number;
  items: number;
}

/** Runs fn while sampling the event loop (longest gap between 5 ms ticks) and the heap. */
async function measure(fn: () => Promise<number>): Promise<Measure> {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let heapPeak = heap0;
  let last = performance.now();
  let maxGap = 0;
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last - 5);
    last = now;
    // Heap sampled every 50 ms only: process.memoryUsage() itself costs main-thread time.
    if (++ticks % 10 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 5);
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const items = await fn();
  const elu = performance.eventLoopUtilization(elu0);
  const ms = performance.now() - t0;
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  // Let the sampler tick once more, so a block at the very end is seen too.
  await new Promise((r) => setTimeout(r, 30));
  clearInterval(timer);
  histogram.disable();
  return {
    ms,
    maxBlockMs: Math.max(maxGap, histogram.max / 1e6 - 5),
    busyMs: elu.active,
    heapMb: (heapPeak - heap0) / 1e6,
    items,
  };
}

const bench: Bench = async () => {
  const server = await serverProcess();
  try {
    const auth = `Basic ${Buffer.from('alice:alice-app-password-0001').toString('base64')}`;
    const provider = (host: ParseHost) =>
      new WebDavProvider(
        'nextcloud',
        {
          id: 'bench',
          kind: 'nextcloud',
          label: '',
          serverUrl: server.url,
          user: 'alice',
          userId: 'alice',
          userName: 'alice',
          demo: false,
        },
        { user: 'alice', secret: 'alice-app-password-0001' },
        { parseHost: host, http: { timeoutMs: 300_000 } },
      );
    const viaProvider = (host: ParseHost) => async () => {
      let n = 0;
      for await (const chunk of provider(host).listTrash(null)) n += chunk.items.length;
      return n;
    };
    // The host the app makes (the listing worker); warm it up (and the server's caches) once.
    const workerHost = createParseHost();
    await viaProvider(workerHost)();

    const baseline = await measure(async () => {
      const res = await fetch(`${server.url}/remote.php/dav/trashbin/alice/trash`, {
        method: 'PROPFIND',
        headers: { Authorization: auth, Depth: '1', 'Content-Type': 'application/xml' },
      });
      const text = await res.text();
      const parsed = (await parseXML(text)) as { multistatus: { response: unknown[] } };
      return parsed.multistatus.response.length - 1;
    });
    if (workerHost.mode !== 'worker') throw new Error('the listing worker did not start');
    const worker = await measure(viaProvider(workerHost));
    const inThread = await measure(viaProvider(new InThreadHost()));
    process.stderr.write(
      `webdav-listing: ${COUNT} items; webdav package ${baseline.items}, worker ${worker.items}, in-thread ${inThread.items}\n`,
    );
    const rows: BenchRow[] = [
      {
        bench: `webdav listing ${COUNT / 1000}k`,
        measure: 'time to last item',
        unit: 'ms',
        baseline: baseline.ms,
        baselineLabel: 'webdav pkg',
        candidate: worker.ms,
        candidateLabel: 'listing worker',
        target: null,
      },
      {
        bench: `webdav listing ${COUNT / 1000}k`,
        measure: 'longest main-loop block',
        unit: 'ms',
        baseline: baseline.maxBlockMs,
        baselineLabel: 'webdav pkg',
        candidate: worker.maxBlockMs,
        candidateLabel: 'listing worker',
        target: 50,
      },
      {
        bench: `webdav listing ${COUNT / 1000}k`,
        measure: 'main-loop busy time',
        unit: 'ms',
        baseline: baseline.busyMs,
        baselineLabel: 'webdav pkg',
        candidate: worker.busyMs,
        candidateLabel: 'listing worker',
        target: null,
      },
      {
        bench: `webdav listing ${COUNT / 1000}k`,
        measure: 'main heap growth',
        unit: 'MB',
        baseline: baseline.heapMb,
        baselineLabel: 'webdav pkg',
        candidate: worker.heapMb,
        candidateLabel: 'listing worker',
        target: null,
      },
      {
        bench: `webdav listing ${COUNT / 1000}k`,
        measure: 'time to last item',
        unit: 'ms',
        baseline: baseline.ms,
        baselineLabel: 'webdav pkg',
        candidate: inThread.ms,
        candidateLabel: 'in-thread fallback',
        target: null,
      },
      {
        bench: `webdav listing ${COUNT / 1000}k`,
        measure: 'longest main-loop block',
        unit: 'ms',
        baseline: baseline.maxBlockMs,
        baselineLabel: 'webdav pkg',
        candidate: inThread.maxBlockMs,
        candidateLabel: 'in-thread fallback',
        target: 50,
      },
    ];
    return rows;
  } finally {
    server.stop();
  }
};

export default bench;
