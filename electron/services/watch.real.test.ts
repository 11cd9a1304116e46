import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { AccountKind } from '../../shared/model';
import type { WatchAlert } from '../../shared/watch';
import { createMemoryServices } from './index';

/**
 * The watch against the real-server kits (/work/shared/servers): SALVAGE_WATCH_REAL_NEXTCLOUD and
 * SALVAGE_WATCH_REAL_OWNCLOUD hold a kit's `up` JSON ({url, user, password}); skipped otherwise. A
 * quiet trash costs one request per check (the activity feed's 304), seen on the wire through a
 * counting proxy; 120 files (SALVAGE_WATCH_REAL_COUNT to change it) deleted over WebDAV among
 * ordinary uploads raise one alert, and the checks after it none.
 */
const COUNT = Number(process.env.SALVAGE_WATCH_REAL_COUNT ?? 120);

interface Kit {
  url: string;
  user: string;
  password: string;
}

const kits: [AccountKind, string | undefined][] = [
  ['nextcloud', process.env.SALVAGE_WATCH_REAL_NEXTCLOUD],
  ['owncloud10', process.env.SALVAGE_WATCH_REAL_OWNCLOUD],
];

/** A TCP proxy counting the requests (request lines) and bytes that cross it. */
async function countingProxy(target: string) {
  const { hostname, port } = new URL(target);
  const state = { requests: [] as string[], bytes: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.on('data', (d: Buffer) => {
      state.bytes += d.length;
      for (const m of d
        .toString('latin1')
        .matchAll(/(?:^|\r\n)(GET|PUT|POST|DELETE|PROPFIND|MOVE|COPY|MKCOL|HEAD) (\S+) HTTP\/1\.1\r\n/g))
        state.requests.push(`${m[1]} ${m[2]}`);
    });
    upstream.on('data', (d: Buffer) => (state.bytes += d.length));
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    reset: () => {
      state.requests = [];
      state.bytes = 0;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

for (const [kind, json] of kits) {
  describe.skipIf(!json)(`the watch against the real ${kind} kit`, () => {
    it(`one request per quiet check; ${COUNT} files deleted among ordinary uploads give one alert`, async () => {
      const kit = JSON.parse(json!) as Kit;
      const proxy = await countingProxy(kit.url);
      const auth = `Basic ${Buffer.from(`${kit.user}:${kit.password}`).toString('base64')}`;
      const dav = (method: string, path: string, body?: string) =>
        fetch(`${kit.url}/remote.php/webdav/${path}`, {
          method,
          headers: { Authorization: auth },
          ...(body !== undefined ? { body } : {}),
        }).then(async (r) => {
          await r.arrayBuffer();
          if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status}`);
        });
      try {
        const services = createMemoryServices();
        const alerts: WatchAlert[] = [];
        services.bus.subscribe((name, payload) => name === 'watch:alert' && alerts.push(payload as WatchAlert));
        const account = await services.accounts.add({
          serverUrl: proxy.url,
          kind,
          user: kit.user,
          secret: kit.password,
        });
        await services.watch.check(account.id);
        for (let i = 0; i < 3; i++) {
          proxy.reset();
          const r = await services.watch.check(account.id);
          expect(r).toMatchObject({ change: 'same', read: 'none' });
          expect(proxy.state.requests, proxy.state.requests.join('\n')).toEqual([
            expect.stringMatching(/^GET \/(ocs\/v2\.php|index\.php)\/apps\/activity\/api\/v2\/activity\/files\?/),
          ]);
        }
        const folder = `Watch test ${Date.now()}`;
        await dav('MKCOL', encodeURIComponent(folder));
        for (let i = 0; i < COUNT; i++) await dav('PUT', `${encodeURIComponent(folder)}/f${i}.txt`, `file ${i}`);
        for (let i = 0; i < COUNT; i++) {
          await dav('DELETE', `${encodeURIComponent(folder)}/f${i}.txt`);
          if (i % 40 === 0) await dav('PUT', `ordinary-${folder.replace(/\D/g, '')}-${i}.txt`, 'ordinary work'); // ordinary work goes on
        }
        const found = await services.watch.check(account.id);
        expect(found.read).toBe('listing');
        expect(found.alerts.map((a) => a.title)).toEqual([
          expect.stringMatching(
            new RegExp(
              `^${COUNT.toLocaleString('en-US')} files deleted from Home / ${folder} (within a minute|in \\d+ minutes?)$`,
            ),
          ),
        ]);
        expect((await services.watch.check(account.id)).alerts).toEqual([]);
        expect(alerts).toHaveLength(1);
      } finally {
        await proxy.close();
      }
    }, 600_000);
  });
}
