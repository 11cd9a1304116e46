import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { cliList } from './cli';
import { record, type Bench, type BenchRow } from './harness';
import { ensureBuilt, startHost } from './list100k.bench';
import { wireFloor, WireProxy } from './wire';
import { WATCH_INTERVAL } from '../shared/watch';

/**
 * A 1,000,000-item Nextcloud-shaped trash (one PROPFIND answer), behind the recording proxy
 * (bench/wire.ts): the test server builds the answer once (it takes minutes at this size), the
 * command line's listing records it, and every measured run is served from memory at 20 ms.
 *
 * - list1m_cli_peak_rss_mb / list1m_cli_ms: `salvage list --json` in its own process, stdout
 *   read and counted by this process (bench/cli.ts); peak resident memory from VmHWM.
 * - list1m_ms / list1m_main_peak_rss_mb / list1m_main_loop_max_block_ms: the browser host (the
 *   app's main-process services, bench/probe.mjs loaded) listing over trash:list and its bridge,
 *   read by this process — no window (the window's own figures are list100k's).
 * - list1m_floor_ms: every byte of the recorded answer fetched and its items counted by a scan.
 */
const COUNT = Number(process.env.SALVAGE_BENCH_1M_ITEMS ?? 1_000_000);
const LATENCY_MS = 20;
const USER = 'alice';
const SECRET = 'alice-app-password-0001';
const root = fileURLToPath(new URL('..', import.meta.url));

/** The test server with COUNT items in the trash, in its own process with room for them. */
async function server(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=8000',
      '--import',
      'tsx',
      'electron/demo/servers/webdav/serve.ts',
      '--kind',
      'nextcloud',
      '--seed',
      String(COUNT - 9),
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`test server exited (${code})`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, stop: () => child.kill('SIGTERM') };
}

const bench: Bench = async () => {
  ensureBuilt();
  const upstream = await server();
  const proxy = await WireProxy.start(upstream.url, LATENCY_MS);
  try {
    // Record: the test server builds its answer once.
    const account = { serverUrl: proxy.url, kind: 'nextcloud', user: USER, secret: SECRET };
    proxy.mark();
    process.stderr.write(
      `list1m: recording the ${COUNT.toLocaleString('en-US')}-item answer (the test server takes minutes)…\n`,
    );
    const first = await cliList(account);
    if (first.code !== 0 || first.items < COUNT)
      throw new Error(`list1m: the recording listing gave ${first.items} items (exit ${first.code}): ${first.stderr}`);
    const listing = proxy.recorded().filter((r) => r.method === 'PROPFIND' && r.url.includes('/trashbin/'));
    proxy.mode = 'replay';
    const mb = proxy.bytes(listing) / 1e6;

    const floor = await wireFloor(proxy, listing, '<d:response>', 1, 1);
    if (floor.items !== first.items)
      process.stderr.write(`list1m: the floor counted ${floor.items}, the command line listed ${first.items}\n`);

    const cli = await cliList(account);
    if (cli.code !== 0 || cli.items !== first.items)
      throw new Error(`list1m: the command line listed ${cli.items} (exit ${cli.code}): ${cli.stderr}`);

    const host = await startHost();
    let hostMs = 0;
    let probe = { maxBlockMs: 0, maxRssMb: 0 };
    let n = 0;
    try {
      // As in list100k: the watch's first round would read the whole trash beside the measured listing.
      await host.invoke('watch:set', { intervalMinutes: WATCH_INTERVAL.max });
      const { id: accountId } = await host.invoke<{ id: string }>('accounts:add', { ...account, label: 'bench 1m' });
      await host.probe(); // a fresh window for the block figure
      const t0 = performance.now();
      n = await host.countTrash(accountId);
      hostMs = performance.now() - t0;
      probe = await host.probe();
    } finally {
      host.stop();
    }
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    process.stderr.write(
      `list1m: ${first.items} items, ${mb.toFixed(0)} MB; floor ${floor.ms.toFixed(0)} ms; cli ${cli.ms.toFixed(0)} ms, peak ${cli.peakMb.toFixed(0)} MB; host bridge ${n} items in ${hostMs.toFixed(0)} ms, main peak ${probe.maxRssMb.toFixed(0)} MB, longest block ${probe.maxBlockMs.toFixed(0)} ms (load ${load})\n`,
    );
    const how = `${first.items.toLocaleString('en-US')} items in one PROPFIND answer of ${mb.toFixed(0)} MB at ${LATENCY_MS} ms; load ${load}`;
    record(
      'list1m_floor_ms',
      'nextcloud',
      floor.ms,
      'ms',
      false,
      `fetch every byte and count items with a plain scan; ${how}`,
    );
    record(
      'list1m_ms',
      'nextcloud',
      hostMs,
      'ms',
      false,
      `the host's services over trash:list and the bridge, no window; ${n} items; ${how}`,
    );
    record(
      'list1m_main_peak_rss_mb',
      'nextcloud',
      probe.maxRssMb,
      'MB',
      false,
      `peak RSS of the host process (main) since it started; target ≤ 1024; ${how}`,
    );
    record(
      'list1m_main_loop_max_block_ms',
      'nextcloud',
      probe.maxBlockMs,
      'ms',
      false,
      'longest block of the host main loop during the 1M listing (probe)',
    );
    record(
      'list1m_cli_peak_rss_mb',
      'nextcloud',
      cli.peakMb,
      'MB',
      false,
      `peak RSS (VmHWM) of salvage list --json; target ≤ 300; ${how}`,
    );
    record(
      'list1m_cli_ms',
      'nextcloud',
      cli.ms,
      'ms',
      false,
      `salvage list --json, process start → exit, stdout counted; ${how}`,
    );
    const rows: BenchRow[] = [
      {
        bench: 'list 1M nextcloud',
        measure: `host + bridge, no window (${how})`,
        unit: 'ms',
        baseline: floor.ms,
        baselineLabel: 'wire floor',
        candidate: hostMs,
        candidateLabel: 'host bridge',
        target: null,
      },
      {
        bench: 'list 1M nextcloud',
        measure: 'main peak memory (RSS)',
        unit: 'MB',
        baseline: 0,
        baselineLabel: '—',
        candidate: probe.maxRssMb,
        candidateLabel: 'host main',
        target: 1024,
      },
      {
        bench: 'list 1M nextcloud',
        measure: 'longest main-loop block',
        unit: 'ms',
        baseline: 0,
        baselineLabel: '—',
        candidate: probe.maxBlockMs,
        candidateLabel: 'host main',
        target: 50,
      },
      {
        bench: 'list 1M nextcloud',
        measure: 'salvage list --json, time',
        unit: 'ms',
        baseline: floor.ms,
        baselineLabel: 'wire floor',
        candidate: cli.ms,
        candidateLabel: 'command line',
        target: floor.ms + 2500,
      },
      {
        bench: 'list 1M nextcloud',
        measure: 'salvage list --json, peak memory (RSS)',
        unit: 'MB',
        baseline: 0,
        baselineLabel: '—',
        candidate: cli.peakMb,
        candidateLabel: 'command line',
        target: 300,
      },
    ];
    return rows;
  } finally {
    await proxy.close();
    upstream.stop();
  }
};

export default bench;
