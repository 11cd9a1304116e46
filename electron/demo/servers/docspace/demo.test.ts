import { describe, expect, it } from 'vitest';
import { createServices } from '../../../services/index';
import { MemoryAccountStore, MemorySecretStore } from '../../../services/stores';
import { startDocSpaceDemo } from './demo';

/** The demo's clock here: a fixed reading (the demo reads the time once when it opens). */
const NOW = Date.UTC(2026, 10, 26, 17, 4, 30);

describe('DocSpace demo portal', () => {
  it('opens as an account with rooms and a few hundred trashed items, some about to be purged', async () => {
    let started = 0;
    const services = createServices({
      host: 'browser',
      version: 'test',
      platform: 'linux',
      accounts: new MemoryAccountStore(),
      secrets: new MemorySecretStore(),
      journal: null,
      demo: {
        start: () => {
          started++;
          return startDocSpaceDemo(NOW);
        },
      },
    });
    const views = await services.accounts.openDemo();
    expect(started).toBe(1);
    const account = views.find((v) => v.kind === 'docspace')!;
    expect(account).toMatchObject({ userName: 'Dana Morgan', demo: true, status: 'ok' });
    const items = await services.trash.readAll(account.id, null);
    expect(items.length).toBeGreaterThanOrEqual(290);
    expect(items.filter((i) => i.kind === 'folder').length).toBe(3);
    expect(new Set(items.map((i) => i.originalFolder)).size).toBeGreaterThan(10);
    const soon = items.filter((i) => i.expiresAt && Date.parse(i.expiresAt) - NOW < 3 * 86_400_000);
    expect(soon.length).toBeGreaterThanOrEqual(10);
    const rooms = await services.accounts.withProvider(account.id, async (p) => {
      const root = await p.listFolders(null);
      return p.listFolders(root.children.find((c) => c.name === 'Rooms')!.id);
    });
    expect(rooms.children.map((c) => c.name)).toEqual(['Company handbook', 'Legal', 'Marketing', 'Product']);
  });

  it("serves without the control API: /__control/ routes are the front end's own 404", async () => {
    const { serverUrl } = (await startDocSpaceDemo(NOW))[0]!;
    for (const [method, path] of [
      ['POST', '/__control/reset'],
      ['POST', '/__control/faults'],
      ['GET', '/__control/counts'],
    ]) {
      const res = await fetch(`${serverUrl}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
  });
});
