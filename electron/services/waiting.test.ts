import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from '../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import { defaultHttpOptions } from '../net/http';
import { createMemoryServices } from './index';

/** A server that keeps a batch waiting is named on the batch itself, and the batch still ends. */
let server: WebDavServer;
const saved = defaultHttpOptions.timeoutMs;
beforeAll(async () => {
  server = await startWebDavServer({ kind: 'nextcloud' });
  defaultHttpOptions.timeoutMs = 7_000;
});
afterAll(async () => {
  defaultHttpOptions.timeoutMs = saved;
  await server.close();
});

it(
  'shows "Still waiting for <host>" on a running restore whose server does not answer, then reports a time-out',
  { timeout: 20_000 },
  async () => {
    const services = createMemoryServices();
    const { id: accountId } = await services.handlers['accounts:add']({
      serverUrl: server.url,
      kind: 'nextcloud',
      user: 'alice',
      secret: WEBDAV_USERS.alice.appPassword,
    });
    const notes = (await services.trash.readAll(accountId, null)).find((i) => i.name === 'notes.txt')!;
    server.control.fault({ kind: 'hang', method: 'MOVE' });
    const op = await services.ops.restore({
      items: [{ accountId, id: notes.id }],
      destination: { kind: 'original' },
      resolutions: {},
    });
    const host = new URL(server.url).host;
    await expect
      .poll(() => services.runner.get(op.id).current, { timeout: 7_000, interval: 200 })
      .toBe(`Still waiting for ${host} (5 s of 7 s)…`);
    const done = await services.runner.wait(op.id);
    expect(done.results).toEqual([
      expect.objectContaining({ outcome: 'failed', error: expect.objectContaining({ code: 'TIMEOUT' }) }),
    ]);
    // The hung MOVE never reached the tree: the item is still in the trash.
    expect(server.tree.trashOf('alice').some((e) => server.tree.node(e.nodeId).name === 'notes.txt')).toBe(true);
  },
);
