import { RESTORE_CONCURRENCY } from '../electron/providers/webdav/restore';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { forEachLimited } from '../electron/base/async';
import { EventBus } from '../electron/base/events';
import { OperationsRunner } from '../electron/operations/runner';
import { dialects } from '../electron/providers/webdav/dialect';
import { encodePath } from '../electron/providers/webdav/paths';
import { WebDavProvider } from '../electron/providers/webdav/provider';
import { InThreadHost } from '../electron/providers/webdav/trashStream';
import type { TrashItem } from '../shared/model';
import { median, record, spread, startServerProcess, type Bench, type BenchRow } from './harness';

/**
 * Restoring 1,000 trashed files at 20 ms per request into a folder that already holds 1,000
 * files (/Bulk; no name clashes), on each WebDAV server kind's test server in its own process:
 *
 * - the vendor sample's loop: one restore MOVE per file, awaited in turn;
 * - Nextcloud web's pattern: every MOVE at once (`execBatch` is a Promise.all), which a browser
 *   keeps at ~6 in flight per host over HTTP/1.1 (here: 6 at a time);
 * - Salvage: the operations runner and the provider's restore, at its default concurrency and on a
 *   curve of concurrencies up to 32. Every run must report all 1,000 items restored.
 *
 * The server is reset between runs, and each pattern runs once unmeasured first (warm-up). Ratios
 * are of wall times in the same run on the same server; the whole sequence runs SALVAGE_BENCH_RESTORE_RUNS
 * times (3) and each figure is the median of the runs, with every run and the spread kept.
 */
const ITEMS = Number(process.env.SALVAGE_BENCH_RESTORE_ITEMS ?? 1000);
const LATENCY_MS = 20;
/** Runs per kind: restore times swing with the machine's load, so the median and the spread are reported. */
const RUNS = Math.max(1, Number(process.env.SALVAGE_BENCH_RESTORE_RUNS ?? 3));
const CURVE = (process.env.SALVAGE_BENCH_RESTORE_CURVE ?? '8,16,32').split(',').filter(Boolean).map(Number);
const KINDS = (process.env.SALVAGE_BENCH_RESTORE_KINDS ?? 'nextcloud,owncloud10').split(',') as (
  'nextcloud' | 'owncloud10'
)[];
const USER = 'alice';
const SECRET = 'alice-app-password-0001';
const auth = `Basic ${Buffer.from(`${USER}:${SECRET}`).toString('base64')}`;

const serverProcess = (kind: string, trashed = ITEMS, existing = ITEMS) =>
  startServerProcess(new URL('./restore-server.ts', import.meta.url), [
    '--kind',
    kind,
    '--existing',
    String(existing),
    '--trashed',
    String(trashed),
  ]);
/**
 * Items of the large restore (restore100k_*); 0 leaves it out. Its vendor loop is the 1k loop's time per item × this
 * (run for real it would take ~40 minutes).
 */
const BIG = Number(process.env.SALVAGE_BENCH_RESTORE_BIG ?? 100_000);

/**
 * The one MOVE that restores a trashed item to where it was, as the vendor's sample and Nextcloud
 * web send it: the item's trash path and the Destination, both encoded paths below the server's URL.
 * (bench/real.bench.ts sends the same to the real servers.)
 */
export function restoreMove(
  kind: 'nextcloud' | 'owncloud10',
  userId: string,
  item: TrashItem,
): { from: string; to: string } {
  const dialect = dialects[kind];
  const ctx = { basePath: '', userId, spaceId: '' };
  const to =
    dialect.restore.mode === 'restore-collection'
      ? dialect.restore.target(ctx, item)
      : `${dialect.filesRoot(ctx)}${item.originalFolderId === '/' ? '' : (item.originalFolderId ?? '')}/${item.name}`;
  return { from: encodePath(`${dialect.trashRoot(ctx)}/${item.id}`), to: encodePath(to) };
}

async function control(url: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${url}/__control/${path}`, {
    method: 'POST',
    ...(body ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`control ${path}: ${res.status}`);
}

/**
 * Salvage's restore as the app runs it (the operations runner over the provider's restore, every item
 * to where it was); throws unless every item is reported restored and landed.
 */
export async function restoreWithSalvage(p: WebDavProvider, items: TrashItem[], label: string): Promise<void> {
  const runner = new OperationsRunner(new EventBus());
  const view = runner.start({
    kind: 'restore',
    title: 'bench',
    accountIds: ['bench'],
    items: items.map((i) => ({ key: i.key, name: i.name, size: i.size })),
    undoable: true,
    work: (c) => p.restore(items, { kind: 'original' }, { recreateMissingFolders: false }, c),
  });
  const done = await runner.wait(view.id);
  const restored = done.results.filter((r) => r.outcome === 'restored').length;
  const landed = runner.landed(view.id).size;
  if (restored !== items.length || landed !== items.length) {
    const other = done.results.find((r) => r.outcome !== 'restored');
    throw new Error(
      `${label}: ${restored} restored, ${landed} with what landed, of ${items.length}; e.g. ${JSON.stringify(other)}`,
    );
  }
}

export interface RestoreRun {
  sequentialMs: number;
  nextcloudWebMs: number;
  /** Salvage at its default concurrency. */
  salvageMs: number;
  /** Requests the server received during that restore, by method, ÷ items restored. */
  requestsPerItem: number;
  requestsByMethod: Record<string, number>;
  curve: { concurrency: number; ms: number }[];
}

export interface RestoreFigures {
  kind: string;
  defaultConcurrency: number;
  /** Each run measures every pattern once, in the same order; ratios are taken within a run. */
  runs: RestoreRun[];
}

/** The app's WebDAV provider for the bench user on a test server, parsing in this thread. */
function benchProvider(
  kind: 'nextcloud' | 'owncloud10',
  serverUrl: string,
  timeoutMs: number,
  concurrency?: number,
): WebDavProvider {
  const account = { id: 'bench', kind, label: '', serverUrl, user: USER, userId: USER, userName: USER, demo: false };
  return new WebDavProvider(
    kind,
    account,
    { user: USER, secret: SECRET },
    { parseHost: new InThreadHost(), http: { timeoutMs }, ...(concurrency ? { concurrency } : {}) },
  );
}

async function measureKind(kind: 'nextcloud' | 'owncloud10'): Promise<RestoreFigures> {
  const server = await serverProcess(kind);
  try {
    const provider = (concurrency?: number) => benchProvider(kind, server.url, 120_000, concurrency);
    const fresh = async (): Promise<TrashItem[]> => {
      await control(server.url, 'reset');
      const items: TrashItem[] = [];
      for await (const chunk of provider().listTrash(null)) items.push(...chunk.items);
      await control(server.url, 'latency', { ms: LATENCY_MS });
      const bulk = items.filter((i) => i.originalFolder === '/Bulk');
      if (bulk.length !== ITEMS)
        throw new Error(`restore bench: ${bulk.length} items in the trash from /Bulk, expected ${ITEMS}`);
      return bulk;
    };
    // One MOVE per item, as the vendor sample and Nextcloud web send it.
    const moveOne = async (item: TrashItem) => {
      const { from, to } = restoreMove(kind, USER, item);
      const res = await fetch(server.url + from, {
        method: 'MOVE',
        headers: { Authorization: auth, Destination: server.url + to },
      });
      await res.body?.cancel();
      if (res.status !== 201 && res.status !== 204)
        throw new Error(`restore bench: MOVE ${item.name} answered ${res.status}`);
    };
    const time = async (fn: (items: TrashItem[]) => Promise<void>) => {
      const items = await fresh();
      const t0 = performance.now();
      await fn(items);
      return performance.now() - t0;
    };
    /** Every request the server received since its last reset, by method. */
    const counts = async () => (await (await fetch(`${server.url}/__control/counts`)).json()) as Record<string, number>;
    let lastRequests: Record<string, number> = {};
    const salvage = (concurrency?: number) => async (items: TrashItem[]) => {
      const before = await counts();
      await restoreWithSalvage(provider(concurrency), items, `restore bench (${kind})`);
      const after = await counts();
      lastRequests = Object.fromEntries(
        Object.entries(after)
          .map(([m, n]) => [m, n - (before[m] ?? 0)])
          .filter(([, n]) => (n as number) > 0),
      );
    };

    // One unmeasured pass of each first, so no pattern pays for the JIT or for opening connections.
    await time((items) => forEachLimited(items, 6, new AbortController().signal, moveOne));
    await time(salvage());
    // Where the adaptive concurrency starts (the restore's own field moved into its job module with the provider
    // split).
    const defaultConcurrency = RESTORE_CONCURRENCY;
    const runs: RestoreRun[] = [];
    for (let run = 0; run < RUNS; run++) {
      const sequentialMs = await time(async (items) => {
        for (const item of items) await moveOne(item);
      });
      const nextcloudWebMs = await time((items) => forEachLimited(items, 6, new AbortController().signal, moveOne));
      const salvageMs = await time(salvage());
      const requestsByMethod = lastRequests;
      const requestsPerItem = Object.values(requestsByMethod).reduce((a, b) => a + b, 0) / ITEMS;
      const curve: { concurrency: number; ms: number }[] = [];
      for (const c of CURVE) curve.push({ concurrency: c, ms: await time(salvage(c)) });
      process.stderr.write(
        `restore ${kind} run ${run + 1}/${RUNS} (load ${loadavg()[0]!.toFixed(1)}): sequential ${sequentialMs.toFixed(0)} ms, nextcloud web ${nextcloudWebMs.toFixed(0)} ms, salvage ${salvageMs.toFixed(0)} ms (c=${defaultConcurrency}, ${JSON.stringify(requestsByMethod)}); curve ${curve.map((p) => `c=${p.concurrency}: ${p.ms.toFixed(0)}`).join(', ')}\n`,
      );
      runs.push({ sequentialMs, nextcloudWebMs, salvageMs, requestsPerItem, requestsByMethod, curve });
    }
    return { kind, defaultConcurrency, runs };
  } finally {
    server.stop();
  }
}

/**
 * BIG items restored by Salvage (operations runner, adaptive concurrency) from a trash of BIG
 * items into an empty /Bulk at 20 ms per request, every item checked restored and landed; the
 * vendor loop's time is extrapolated from the 1k runs' (the same MOVE per item, awaited in turn).
 */
async function measureBig(
  kind: 'nextcloud' | 'owncloud10',
  sequentialMsPerItem: number,
): Promise<{ ms: number; speedup: number; requestsPerItem: number }> {
  const server = await serverProcess(kind, BIG, 0);
  try {
    const provider = benchProvider(kind, server.url, 300_000);
    const items: TrashItem[] = [];
    for await (const chunk of provider.listTrash(null)) items.push(...chunk.items);
    const bulk = items.filter((i) => i.originalFolder === '/Bulk');
    if (bulk.length !== BIG) throw new Error(`restore ${BIG} bench: ${bulk.length} items in the trash from /Bulk`);
    await control(server.url, 'latency', { ms: LATENCY_MS });
    const counts = async () => (await (await fetch(`${server.url}/__control/counts`)).json()) as Record<string, number>;
    const before = await counts();
    const runner = new OperationsRunner(new EventBus());
    const t0 = performance.now();
    const view = runner.start({
      kind: 'restore',
      title: 'bench big',
      accountIds: ['bench'],
      items: bulk.map((i) => ({ key: i.key, name: i.name, size: i.size })),
      undoable: true,
      work: (c) => provider.restore(bulk, { kind: 'original' }, { recreateMissingFolders: false }, c),
    });
    const done = await runner.wait(view.id);
    const ms = performance.now() - t0;
    const restored = done.results.filter((r) => r.outcome === 'restored').length;
    const landed = runner.landed(view.id).size;
    if (restored !== BIG || landed !== BIG)
      throw new Error(`restore ${BIG} bench (${kind}): ${restored} restored, ${landed} with what landed, of ${BIG}`);
    const after = await counts();
    const requests = Object.entries(after).reduce((n, [m, c]) => n + c - (before[m] ?? 0), 0);
    const speedup = (sequentialMsPerItem * BIG) / ms;
    process.stderr.write(
      `restore ${BIG} ${kind}: ${(ms / 1000).toFixed(1)} s (${((BIG * 1000) / ms).toFixed(0)} items/s, ${(requests / BIG).toFixed(3)} requests per item), vendor loop ≈ ${((sequentialMsPerItem * BIG) / 1000).toFixed(0)} s → ${speedup.toFixed(1)}× (load ${loadavg()[0]!.toFixed(1)})\n`,
    );
    return { ms, speedup, requestsPerItem: requests / BIG };
  } finally {
    server.stop();
  }
}

/** Figures of the last run, for bench/results/latest.json. */
export const restoreFigures: RestoreFigures[] = [];

const bench: Bench = async () => {
  const rows: BenchRow[] = [];
  for (const kind of KINDS) {
    const full = await measureKind(kind);
    restoreFigures.push(full);
    // Each figure is the median of the runs' values (ratios within a run), with every run kept.
    const per = (fn: (r: RestoreRun) => number) => full.runs.map(fn);
    const speedups = per((r) => r.sequentialMs / r.salvageMs);
    const bests = per((r) => Math.max(r.sequentialMs / r.salvageMs, ...r.curve.map((p) => r.sequentialMs / p.ms)));
    const vsWeb = per((r) => r.nextcloudWebMs / r.salvageMs);
    const load = `load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end`;
    record(
      'restore1k_speedup_vs_sequential',
      kind,
      median(speedups),
      '×',
      true,
      `vendor loop ÷ Salvage at its adaptive concurrency (starting at ${full.defaultConcurrency}); ${ITEMS} items at ${LATENCY_MS} ms into a folder holding ${ITEMS} files; median of ${RUNS} runs (${spread(speedups)}; ${load})`,
      speedups,
    );
    record(
      'restore1k_best_speedup_on_curve',
      kind,
      median(bests),
      '×',
      true,
      `best of concurrency ${[full.defaultConcurrency, ...CURVE].join(', ')} per run; median (${spread(bests)})`,
      bests,
    );
    record(
      'restore1k_vs_nextcloud_web',
      kind,
      median(vsWeb),
      '×',
      true,
      `Nextcloud web pattern (every MOVE at once, 6 in flight) ÷ Salvage at its default concurrency; median (${spread(vsWeb)})`,
      vsWeb,
    );
    record(
      'restore1k_ms',
      kind,
      median(per((r) => r.salvageMs)),
      'ms',
      false,
      `median of ${RUNS} runs`,
      per((r) => r.salvageMs),
    );
    const perItem = per((r) => r.requestsPerItem);
    record(
      'requests_per_restored_item',
      kind,
      median(perItem),
      'req',
      false,
      `requests the server received while Salvage restored ${ITEMS} items (listing before excluded), ÷ items; median of ${RUNS} runs (${spread(perItem)}); e.g. ${JSON.stringify(full.runs[0]?.requestsByMethod ?? {})}; target ≤ 1.05`,
      perItem,
    );
    record(
      'restore1k_sequential_ms',
      kind,
      median(per((r) => r.sequentialMs)),
      'ms',
      false,
      `median of ${RUNS} runs`,
      per((r) => r.sequentialMs),
    );
    if (BIG > 0) {
      const seqPerItem = median(per((r) => r.sequentialMs)) / ITEMS;
      const big = await measureBig(kind, seqPerItem);
      const note = `${BIG.toLocaleString('en-US')} items at ${LATENCY_MS} ms into an empty folder, adaptive concurrency, ${big.requestsPerItem.toFixed(3)} requests per item; the vendor loop extrapolated from the ${ITEMS}-item loop (${seqPerItem.toFixed(1)} ms per item); load ${loadavg()[0]!.toFixed(1)}`;
      record('restore100k_speedup_vs_sequential', kind, big.speedup, '×', true, `${note}; target ≥ 10`);
      record('restore100k_ms', kind, big.ms, 'ms', false, note);
      rows.push({
        bench: `restore ${BIG / 1000}k ${kind}`,
        measure: 'wall time (vendor loop extrapolated)',
        unit: 'ms',
        baseline: seqPerItem * BIG,
        baselineLabel: 'vendor loop',
        candidate: big.ms,
        candidateLabel: 'salvage',
        target: (seqPerItem * BIG) / 10,
      });
    }
    // The table shows the run whose Salvage time is the median.
    const f = [...full.runs].sort((a, b) => a.salvageMs - b.salvageMs)[Math.floor((full.runs.length - 1) / 2)]!;
    const name = `restore ${ITEMS / 1000}k ${kind}`;
    rows.push(
      {
        bench: name,
        measure: `wall time, adaptive concurrency (from ${full.defaultConcurrency}), median run of ${RUNS}`,
        unit: 'ms',
        baseline: f.sequentialMs,
        baselineLabel: 'vendor loop',
        candidate: f.salvageMs,
        candidateLabel: 'salvage',
        target: f.sequentialMs / 6,
      },
      {
        bench: name,
        measure: 'wall time vs Nextcloud web (6 in flight)',
        unit: 'ms',
        baseline: f.nextcloudWebMs,
        baselineLabel: 'nextcloud web',
        candidate: f.salvageMs,
        candidateLabel: 'salvage',
        target: f.nextcloudWebMs,
      },
      ...f.curve.map((p) => ({
        bench: name,
        measure: `wall time, concurrency ${p.concurrency}`,
        unit: 'ms',
        baseline: f.sequentialMs,
        baselineLabel: 'vendor loop',
        candidate: p.ms,
        candidateLabel: 'salvage',
        target: null,
      })),
    );
  }
  return rows;
};

export default bench;
