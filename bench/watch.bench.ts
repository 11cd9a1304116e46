import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { TEST_KEYS } from '../electron/demo/servers/docspace/seed';
import { WEBDAV_USERS } from '../electron/demo/servers/webdav/seed';
import { setRequestTimeout } from '../electron/net/http';
import { createMemoryServices } from '../electron/services/index';
import type { AccountKind } from '../shared/model';
import { record, startServerProcess, type Bench, type BenchRow } from './harness';

/**
 * What the watch costs per check of an unchanged trash of 100,000 items, on each server kind: the
 * app's services (as the hosts build them) watch an account on the test server through a TCP proxy
 * that counts every byte both ways (request and answer, headers included) and every request; the
 * test server runs in its own process. The first check reads the whole trash (what the watch knows from then on); the
 * next ones are the figures: `watch_unchanged_requests` and `watch_unchanged_bytes`, the worst of
 * CHECKS checks, worst kind. Beside them, for scale: what one whole listing costs (what a watch
 * without a cheap request would pay at every check), and a check after 500 deletions.
 */
const COUNT = Number(process.env.SALVAGE_BENCH_ITEMS ?? 100_000);
const CHECKS = 5;

/** A TCP proxy counting the bytes that cross it in each direction. */
export class CountingProxy {
  up = 0;
  down = 0;
  /** Request lines seen going to the server. */
  requests = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server) {}
  private get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  get address(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  static async start(target: string): Promise<CountingProxy> {
    const { hostname, port } = new URL(target);
    const server = createServer();
    const proxy = new CountingProxy(server);
    server.on('connection', (client) => {
      const upstream = connect(Number(port), hostname);
      proxy.sockets.add(client).add(upstream);
      client.on('data', (d: Buffer) => {
        proxy.up += d.length;
        proxy.requests += (
          d
            .toString('latin1')
            .match(/(?:^|\r\n)(?:GET|PUT|POST|DELETE|PROPFIND|MOVE|COPY|MKCOL|HEAD) \S+ HTTP\/1\.1\r\n/g) ?? []
        ).length;
      });
      upstream.on('data', (d: Buffer) => (proxy.down += d.length));
      client.pipe(upstream);
      upstream.pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
        proxy.sockets.delete(client);
        proxy.sockets.delete(upstream);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return proxy;
  }
  reset(): void {
    this.up = 0;
    this.down = 0;
    this.requests = 0;
  }
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A test server in its own process (its work never blocks the watch's), seeded with COUNT trashed items. */
async function start(kind: AccountKind) {
  const server =
    kind === 'docspace'
      ? await startServerProcess<{ url: string; key: string }>(
          new URL('../electron/demo/servers/docspace/serve.ts', import.meta.url),
          ['--seed', String(COUNT), '--op-item-ms', '0'],
        )
      : await startServerProcess<{ url: string }>(
          new URL('../electron/demo/servers/webdav/serve.ts', import.meta.url),
          ['--kind', kind, '--seed', String(COUNT)],
        );
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/__control/${path}`, {
      method,
      ...(body ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : ((await res.json()) as unknown);
  };
  const alice = WEBDAV_USERS.alice;
  return {
    server,
    add: (url: string) =>
      kind === 'docspace'
        ? { serverUrl: url, kind, secret: (server as { key?: string }).key ?? TEST_KEYS.alice }
        : { serverUrl: url, kind, user: alice.id, secret: alice.appPassword },
    /**
     * 500 files deleted within a minute, ten minutes after the seed's last deletion (further than any chaining gap).
     */
    async trash500() {
      const t = Date.now() + 10 * 60_000;
      const steps = Array.from({ length: 500 }, (_, i) => [
        { op: 'create', path: `Gone/g${i}.txt`, size: 10, at: t - 60_000 },
        { op: 'trash', path: `Gone/g${i}.txt`, at: t + i * 100 },
      ]).flat();
      await control('POST', 'history', { user: 'alice', steps });
    },
  };
}

async function measure(kind: AccountKind) {
  const target = await start(kind);
  const proxy = await CountingProxy.start(target.server.url);
  try {
    const services = createMemoryServices();
    const account = await services.accounts.add({ ...target.add(proxy.address), label: 'bench' });
    // Requests and bytes as they cross the proxy (request lines counted on their way to the server).
    const cost = async (fn: () => Promise<unknown>) => {
      proxy.reset();
      await fn();
      return { requests: proxy.requests, bytes: proxy.up + proxy.down };
    };
    const first = await cost(() => services.watch.check(account.id));
    const listing = await cost(() => services.trash.readAll(account.id, null));
    const checks: { requests: number; bytes: number }[] = [];
    for (let i = 0; i < CHECKS; i++) {
      let read = 'none';
      checks.push(await cost(async () => (read = (await services.watch.check(account.id)).read)));
      if (read !== 'none') throw new Error(`watch bench ${kind}: an unchanged trash was read (${read})`);
    }
    await target.trash500();
    let found = 0;
    const changed = await cost(async () => {
      // DocSpace may see a burst only at the check after next (its checks alternate): up to two checks, both counted.
      for (let i = 0; i < 2 && found === 0; i++)
        found += (await services.watch.check(account.id)).alerts.filter((a) => a.kind === 'deletion').length;
    });
    if (found !== 1) throw new Error(`watch bench ${kind}: 500 deletions gave ${found} alerts`);
    const via = services.watch.view().accounts[0]!.via ?? '?';
    return { first, listing, checks, changed, via };
  } finally {
    await proxy.close();
    target.server.stop();
  }
}

const bench: Bench = async () => {
  // Listings of 100k items on a loaded machine: give them time (the cheap checks are what is measured).
  setRequestTimeout(600);
  const rows: BenchRow[] = [];
  for (const kind of ['nextcloud', 'owncloud10', 'ocis', 'docspace'] as const) {
    const m = await measure(kind);
    const requests = Math.max(...m.checks.map((c) => c.requests));
    const bytes = Math.max(...m.checks.map((c) => c.bytes));
    process.stderr.write(
      `watch ${kind} (${m.via}): first check ${m.first.requests} req / ${(m.first.bytes / 1e6).toFixed(1)} MB; unchanged ${m.checks.map((c) => `${c.requests}/${c.bytes} B`).join(', ')}; a whole listing ${m.listing.requests} req / ${(m.listing.bytes / 1e6).toFixed(1)} MB; after 500 deletions ${m.changed.requests} req / ${(m.changed.bytes / 1e6).toFixed(2)} MB\n`,
    );
    const k = `${(COUNT / 1000).toFixed(0)}k`;
    record(
      'watch_unchanged_requests',
      kind,
      requests,
      'requests',
      false,
      `requests per check of an unchanged ${COUNT.toLocaleString('en-US')}-item trash (worst of ${CHECKS}): the activity feed (Nextcloud, ownCloud 10), the spaces' ETags (oCIS), the trash total (DocSpace)`,
    );
    record(
      'watch_unchanged_bytes',
      kind,
      bytes,
      'bytes',
      false,
      `bytes on the wire per check of an unchanged ${COUNT.toLocaleString('en-US')}-item trash, request and answer with headers (worst of ${CHECKS})`,
    );
    record(
      'watch_listing_bytes',
      kind,
      m.listing.bytes,
      'bytes',
      false,
      `one whole listing of the same trash, what a check would cost without a cheap request (${m.listing.requests} requests)`,
    );
    record(
      'watch_changed_requests',
      kind,
      m.changed.requests,
      'requests',
      false,
      'the check(s) that found 500 new deletions, reading what is new (DocSpace: newest first; the others: one listing)',
    );
    rows.push(
      {
        bench: `watch ${k} ${kind}`,
        measure: `requests per unchanged check (${m.via})`,
        unit: 'req',
        baseline: m.listing.requests,
        baselineLabel: 'a whole listing',
        candidate: requests,
        candidateLabel: 'salvage',
        target: 1,
      },
      {
        bench: `watch ${k} ${kind}`,
        measure: 'bytes per unchanged check',
        unit: 'B',
        baseline: m.listing.bytes,
        baselineLabel: 'a whole listing',
        candidate: bytes,
        candidateLabel: 'salvage',
        target: 4096,
      },
      {
        bench: `watch ${k} ${kind}`,
        measure: 'requests, check after 500 deletions',
        unit: 'req',
        baseline: m.listing.requests,
        baselineLabel: 'a whole listing',
        candidate: m.changed.requests,
        candidateLabel: 'salvage',
        target: null,
      },
    );
  }
  return rows;
};

export default bench;
