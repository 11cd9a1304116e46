import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PAGE_CONCURRENCY } from '../electron/providers/docspace/pages';
import { WATCH_INTERVAL } from '../shared/watch';
import { cliList } from './cli';
import { record, startServerProcess, type Bench, type BenchRow } from './harness';
import { ensureBuilt, startHost } from './list100k.bench';
import { wireFloor, WireProxy } from './wire';

/**
 * A 1,000,000-item DocSpace trash: 10,000 pages of 100 (`GET files/@trash`), about 1.6 GB of JSON,
 * behind the recording proxy (bench/wire.ts): the command line's first listing records every page
 * from the test server, and every measured run is served from memory at 20 ms a request, the pages
 * read PAGE_CONCURRENCY at a time as the app reads them. The same keys as list1m.bench.ts (the
 * Nextcloud-shaped million in one PROPFIND answer), recorded for docspace: latest.json keeps the
 * worse kind of each and both in its details.
 *
 * - list1m_cli_peak_rss_mb / list1m_cli_ms: `salvage list --json` in its own process (bench/cli.ts).
 * - list1m_ms / list1m_main_peak_rss_mb / list1m_main_loop_max_block_ms: the browser host (main's
 *   services, bench/probe.mjs loaded) listing over trash:list and its bridge, read by this process.
 * - list1m_floor_ms: every page fetched at the app's page concurrency and its items counted by a scan.
 *
 * SALVAGE_BENCH_1M_ITEMS sets the size (as for list1m).
 */
const COUNT = Number(process.env.SALVAGE_BENCH_1M_ITEMS ?? 1_000_000);
const LATENCY_MS = 20;
const KIND = 'docspace';

const bench: Bench = async () => {
  ensureBuilt();
  // The test server's own trash holds 4 items besides the seeded ones (as list100k's DocSpace).
  const upstream = await startServerProcess<{ url: string; key: string }>(
    new URL('../electron/demo/servers/docspace/serve.ts', import.meta.url),
    ['--seed', String(COUNT - 4), '--cache'],
  );
  const proxy = await WireProxy.start(upstream.url, LATENCY_MS);
  try {
    const account = { serverUrl: proxy.url, kind: KIND, secret: upstream.key };
    proxy.mark();
    process.stderr.write(`list1m docspace: recording ${COUNT.toLocaleString('en-US')} items, page by page…\n`);
    const first = await cliList(account);
    if (first.code !== 0 || first.items < COUNT)
      throw new Error(
        `list1m docspace: the recording listing gave ${first.items} (exit ${first.code}): ${first.stderr}`,
      );
    const pages = proxy.recorded().filter((r) => r.method === 'GET' && r.url.includes('/files/@trash'));
    proxy.mode = 'replay';
    const mb = proxy.bytes(pages) / 1e6;

    const floor = await wireFloor(proxy, pages, '"fileEntryType":', 1, PAGE_CONCURRENCY);
    if (floor.items !== first.items)
      process.stderr.write(`list1m docspace: the floor counted ${floor.items}, the command line ${first.items}\n`);

    const cli = await cliList(account);
    if (cli.code !== 0 || cli.items !== first.items)
      throw new Error(`list1m docspace: the command line listed ${cli.items} (exit ${cli.code}): ${cli.stderr}`);

    const host = await startHost();
    let hostMs = 0;
    let probe = { maxBlockMs: 0, maxRssMb: 0 };
    let n = 0;
    try {
      await host.invoke('watch:set', { intervalMinutes: WATCH_INTERVAL.max });
      const { id } = await host.invoke<{ id: string }>('accounts:add', { ...account, label: 'bench 1m docspace' });
      await host.probe();
      const t0 = performance.now();
      n = await host.countTrash(id);
      hostMs = performance.now() - t0;
      probe = await host.probe();
    } finally {
      host.stop();
    }
    if (n !== first.items) throw new Error(`list1m docspace: the host listed ${n}, the command line ${first.items}`);
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    process.stderr.write(
      `list1m docspace: ${n} items, ${pages.length} pages, ${mb.toFixed(0)} MB; floor ${floor.ms.toFixed(0)} ms; cli ${cli.ms.toFixed(0)} ms, peak ${cli.peakMb.toFixed(0)} MB; host ${hostMs.toFixed(0)} ms, main peak ${probe.maxRssMb.toFixed(0)} MB, longest block ${probe.maxBlockMs.toFixed(0)} ms (load ${load})\n`,
    );
    const how = `${n.toLocaleString('en-US')} items in ${pages.length.toLocaleString('en-US')} pages (${mb.toFixed(0)} MB) at ${LATENCY_MS} ms, ${PAGE_CONCURRENCY} at a time; load ${load}`;
    record('list1m_floor_ms', KIND, floor.ms, 'ms', false, `every page fetched, items counted by a scan; ${how}`);
    record('list1m_ms', KIND, hostMs, 'ms', false, `the host's services over trash:list and the bridge; ${how}`);
    record('list1m_main_peak_rss_mb', KIND, probe.maxRssMb, 'MB', false, `host main's peak RSS; ≤ 1024; ${how}`);
    record('list1m_main_loop_max_block_ms', KIND, probe.maxBlockMs, 'ms', false, `host main's longest block; ${how}`);
    record('list1m_cli_peak_rss_mb', KIND, cli.peakMb, 'MB', false, `salvage list --json's VmHWM; ≤ 300; ${how}`);
    record('list1m_cli_ms', KIND, cli.ms, 'ms', false, `salvage list --json, start → exit; ${how}`);
    const row = (measure: string, unit: string, candidate: number, label: string, target: number | null) =>
      ({
        bench: 'list 1M docspace',
        measure,
        unit,
        baseline: measure.endsWith('time') ? floor.ms : 0,
        baselineLabel: measure.endsWith('time') ? 'wire floor' : '—',
        candidate,
        candidateLabel: label,
        target,
      }) satisfies BenchRow;
    return [
      row('host + bridge, time', 'ms', hostMs, 'host bridge', null),
      row('main peak memory (RSS)', 'MB', probe.maxRssMb, 'host main', 1024),
      row('longest main-loop block', 'ms', probe.maxBlockMs, 'host main', 50),
      row('salvage list --json, time', 'ms', cli.ms, 'command line', null),
      row('salvage list --json, peak memory (RSS)', 'MB', cli.peakMb, 'command line', 300),
    ];
  } finally {
    await proxy.close();
    upstream.stop();
  }
};

export default bench;
