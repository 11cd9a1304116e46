import { performance } from 'node:perf_hooks';
import { createServices } from '../electron/services/index';
import { MemoryAccountStore, MemorySecretStore } from '../electron/services/stores';
import { record, startServerProcess, type Bench, type BenchRow } from './harness';
import { WireProxy } from './wire';

/**
 * Requests to empty a 100,000-item trash, the way the window does it: the app's services (in this
 * process, as the hosts build them) list the trash page by page over trash:list, as the window
 * does before anyone can press Empty trash; then ops:empty runs to the end, every item reported.
 * A counting proxy in front of the test server (own process) sees every request of the emptying.
 *
 * Counted as empty_trash_requests: the requests that read or change the trash. DocSpace empties
 * in a long operation: one PUT files/fileops/emptytrash, then Salvage asks for its progress
 * (GET files/fileops) until it ends — those status polls are reported beside it, not in the
 * count (their number follows how long the server takes, not what Salvage asks of it).
 * The command line (no listing at hand) reads the trash once first: one more request, shown too.
 */
const COUNT = Number(process.env.SALVAGE_BENCH_ITEMS ?? 100_000);
/**
 * DocSpace's test server takes over two minutes to carry out the emptying of 100k items on this
 * kind of machine (twice: window and command line), which alone would break the bench's time
 * budget; the requests Salvage sends to empty do not depend on the count (one PUT), only the
 * command line's read does (one GET per 100 items). So DocSpace is measured with 10k items.
 */
const DOCSPACE_COUNT = Number(process.env.SALVAGE_BENCH_EMPTY_DOCSPACE_ITEMS ?? Math.min(COUNT, 10_000));
const countOf = (kind: 'nextcloud' | 'docspace') => (kind === 'docspace' ? DOCSPACE_COUNT : COUNT);
const WEBDAV_SECRET = 'alice-app-password-0001';

type Kind = 'nextcloud' | 'docspace';
const upstreamOf = (kind: Kind) =>
  kind === 'nextcloud'
    ? startServerProcess<{ url: string; key?: string }>(
        new URL('../electron/demo/servers/webdav/serve.ts', import.meta.url),
        ['--kind', 'nextcloud', '--seed', String(COUNT)],
      )
    : startServerProcess<{ url: string; key?: string }>(
        new URL('../electron/demo/servers/docspace/serve.ts', import.meta.url),
        ['--seed', String(DOCSPACE_COUNT - 4), '--op-item-ms', '0'],
      );

const isPoll = (r: { method: string; url: string }) =>
  r.method === 'GET' && /\/api\/2\.0\/files\/fileops(\?|$)/.test(r.url);

async function emptyOnce(
  kind: Kind,
  afterListing: boolean,
): Promise<{ requests: number; polls: number; deleted: number; listed: number; seen: string[]; ms: number }> {
  const upstream = await upstreamOf(kind);
  const proxy = await WireProxy.start(upstream.url, 0);
  try {
    const services = createServices({
      host: 'browser',
      version: '0.0.0-bench',
      platform: process.platform,
      accounts: new MemoryAccountStore(),
      secrets: new MemorySecretStore(),
      journal: null,
      demo: null,
    });
    const account = await services.handlers['accounts:add'](
      kind === 'nextcloud'
        ? { serverUrl: proxy.url, kind, user: 'alice', secret: WEBDAV_SECRET, label: 'bench' }
        : { serverUrl: proxy.url, kind, secret: upstream.key!, label: 'bench' },
    );
    let listed = 0;
    if (afterListing) {
      let cursor: string | null = null;
      do {
        const page = await services.handlers['trash:list']({ accountId: account.id, parentId: null, cursor });
        listed += page.items.length;
        cursor = page.cursor;
      } while (cursor !== null);
    }
    proxy.log = [];
    const t0 = performance.now();
    const op = await services.handlers['ops:empty']({ accountId: account.id });
    const done = await services.runner.wait(op.id);
    const ms = performance.now() - t0;
    if (done.state !== 'done') throw new Error(`empty bench ${kind}: ${done.state} ${JSON.stringify(done.error)}`);
    const deleted = done.results.filter((r) => r.outcome === 'deleted').length;
    if (deleted < countOf(kind))
      throw new Error(`empty bench ${kind}: ${deleted} items reported deleted, expected at least ${countOf(kind)}`);
    const seen = proxy.log;
    const polls = seen.filter(isPoll).length;
    const counts = new Map<string, number>();
    for (const r of seen.filter((x) => !isPoll(x)))
      counts.set(`${r.method} ${r.url.split('?')[0]}`, (counts.get(`${r.method} ${r.url.split('?')[0]}`) ?? 0) + 1);
    return {
      requests: seen.length - polls,
      polls,
      deleted,
      listed,
      seen: [...counts].map(([what, n]) => `${n}× ${what}`),
      ms,
    };
  } finally {
    await proxy.close();
    upstream.stop();
  }
}

const bench: Bench = async () => {
  const rows: BenchRow[] = [];
  for (const kind of ['nextcloud', 'docspace'] as const) {
    const window = await emptyOnce(kind, true);
    const cli = await emptyOnce(kind, false);
    process.stderr.write(
      `empty ${kind}: after the window's listing ${window.requests} request(s) (${window.seen.join(', ')}) + ${window.polls} status poll(s), ${window.deleted} deleted in ${window.ms.toFixed(0)} ms; command line ${cli.requests} (${cli.seen.join(', ')}) + ${cli.polls} poll(s)\n`,
    );
    const polls =
      kind === 'docspace'
        ? `; plus ${window.polls} status polls of the emptying operation (GET files/fileops), not counted`
        : '';
    record(
      'empty_trash_requests',
      kind,
      window.requests,
      'requests',
      false,
      `requests from Empty trash to every item reported (${countOf(kind).toLocaleString('en-US')} items), after the window's listing (the command line, with no listing at hand, reads the trash first: ${cli.requests} in all)${polls}`,
    );
    rows.push(
      {
        bench: `empty ${countOf(kind) / 1000}k ${kind}`,
        measure: "requests, after the window's listing",
        unit: 'req',
        baseline: countOf(kind),
        baselineLabel: 'one DELETE per item',
        candidate: window.requests,
        candidateLabel: 'salvage',
        target: 1,
      },
      {
        bench: `empty ${countOf(kind) / 1000}k ${kind}`,
        measure: 'requests, command line (reads the trash first)',
        unit: 'req',
        baseline: countOf(kind),
        baselineLabel: 'one DELETE per item',
        candidate: cli.requests,
        candidateLabel: 'salvage',
        target: null,
      },
    );
    if (kind === 'docspace')
      rows.push({
        bench: `empty ${countOf(kind) / 1000}k ${kind}`,
        measure: 'status polls of the emptying operation',
        unit: 'req',
        baseline: 0,
        baselineLabel: '—',
        candidate: window.polls,
        candidateLabel: 'salvage',
        target: null,
      });
  }
  return rows;
};

export default bench;
