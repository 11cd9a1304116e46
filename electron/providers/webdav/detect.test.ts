import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { createWebDavProber, kindFromStatus, probeFromStatus, versionAtLeast } from './detect';

describe('server detection from status.php', () => {
  it('uses structural markers, not the (themeable) product name', () => {
    const recorded = (
      JSON.parse(
        readFileSync(new URL('../../../e2e/fixtures/webdav/nextcloud-32.0.1.json', import.meta.url), 'utf8'),
      ) as { title: string; body: string }[]
    ).find((e) => e.title === 'GET /status.php')!;
    expect(kindFromStatus(JSON.parse(recorded.body))).toBe('nextcloud');
    expect(
      kindFromStatus({ installed: true, version: '32.0.1.2', productname: 'ACME Cloud', extendedSupport: false }),
    ).toBe('nextcloud');
    expect(
      kindFromStatus({ installed: true, version: '10.15.0.2', productname: 'Nextcloud', product: 'ownCloud' }),
    ).toBe('owncloud10');
    expect(kindFromStatus({ installed: true, version: '10.11.0.6', productname: 'ownCloud' })).toBe('owncloud10');
    expect(
      kindFromStatus({ installed: true, version: '10.0.11', product: 'Infinite Scale', productversion: '7.1.2' }),
    ).toBe('ocis');
    expect(kindFromStatus({ installed: true, productversion: '5.0.0', productname: 'Branded' })).toBe('ocis');
  });

  it('knows which ownCloud versions have the DAV trash bin (10.4+)', () => {
    expect(versionAtLeast('10.4.0.3', 10, 4)).toBe(true);
    expect(versionAtLeast('10.3.2.2', 10, 4)).toBe(false);
    expect(versionAtLeast('11.0', 10, 4)).toBe(true);
    expect(
      probeFromStatus(
        'https://x',
        { installed: true, version: '10.3.2.2', versionstring: '10.3.2', productname: 'ownCloud' },
        null,
      ),
    ).toMatchObject({
      kind: 'owncloud10',
      trashSupported: false,
      auth: 'app-password',
      insecureHttp: false,
    });
    expect(
      probeFromStatus('https://x', { version: '10.3.2.2', productname: 'ownCloud' }, { dav: { trashbin: '1.0' } })
        .trashSupported,
    ).toBe(true);
  });

  const expected = {
    nextcloud: { productName: 'Nextcloud', version: '32.0.1', auth: 'login-flow-or-app-password' },
    owncloud10: { productName: 'ownCloud', version: '10.15.0', auth: 'app-password' },
    ocis: { productName: 'Infinite Scale', version: '7.1.2', auth: 'token' },
  } as const;
  for (const kind of ['nextcloud', 'owncloud10', 'ocis'] as const) {
    describe(`against the ${kind} test server`, () => {
      let server: WebDavServer;
      beforeAll(async () => {
        server = await startWebDavServer({ kind });
      });
      afterAll(async () => {
        await server.close();
      });

      it('answers the probe', async () => {
        const probe = await createWebDavProber()(server.url);
        expect(probe).toMatchObject({
          kind,
          serverUrl: server.url,
          ...expected[kind],
          insecureHttp: true,
          trashSupported: true,
        });
      });

      it('says "not mine" for a server without status.php', async () => {
        server.control.fault({ path: '/status.php', status: 404, body: 'nope' });
        await expect(createWebDavProber()(server.url)).resolves.toBeNull();
      });

      it('reports maintenance mode', async () => {
        server.control.fault({
          path: '/status.php',
          status: 200,
          body: JSON.stringify({ installed: true, maintenance: true, version: '32.0.1.2', extendedSupport: false }),
          headers: { 'Content-Type': 'application/json' },
        });
        await expect(createWebDavProber()(server.url)).rejects.toMatchObject({ code: 'SERVER' });
      });
    });
  }
});
