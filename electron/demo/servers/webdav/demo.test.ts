import { describe, expect, it } from 'vitest';
import { createServices } from '../../../services/index';
import { MemoryAccountStore, MemorySecretStore } from '../../../services/stores';
import type { TrashItem } from '../../../../shared/model';
import { startWebDavDemo } from './demo';

describe('WebDAV demo accounts', () => {
  it('starts an ownCloud 10, a Nextcloud and an Infinite Scale demo with a few hundred realistic trashed items each', async () => {
    const demo = await startWebDavDemo(Date.UTC(2026, 10, 26, 17, 4, 30));
    expect(demo.map((d) => d.kind)).toEqual(['owncloud10', 'nextcloud', 'ocis']);
    const services = createServices({
      host: 'browser',
      version: 't',
      platform: 'linux',
      accounts: new MemoryAccountStore(),
      secrets: new MemorySecretStore(),
      journal: null,
      demo: { start: async () => demo },
    });
    const accounts = await services.accounts.openDemo();
    expect(accounts.map((a) => [a.kind, a.demo, a.userName])).toEqual([
      ['owncloud10', true, 'Dana Demo'],
      ['nextcloud', true, 'Dana Demo'],
      ['ocis', true, 'Dana Demo'],
    ]);
    for (const account of accounts) {
      const items: TrashItem[] = await services.trash.readAll(account.id, null);
      expect(items.length).toBeGreaterThan(250);
      const names = new Set(items.map((i) => i.name));
      for (const odd of ['a#b%c&d+e ü [1].txt', '2024.10', '1e3', 'true', 'emoji 🎉 party.png', 'Budget 2026.xlsx'])
        expect(names, odd).toContain(odd);
      expect(items.some((i) => i.kind === 'folder' && i.name === 'Day 2')).toBe(true);
      // reva's trash listing has no content types; ownCloud 10 gives its top-level trashed files
      // application/octet-stream (their stored names end in .d<seconds>), as the real server does,
      // which Salvage reads as no type at all (the extension decides).
      if (account.kind === 'nextcloud') expect(items.some((i) => i.mimeType === 'image/jpeg')).toBe(true);
      else if (account.kind === 'owncloud10')
        expect(items.filter((i) => i.kind === 'file').every((i) => i.mimeType === null)).toBe(true);
      else expect(items.some((i) => i.originalFolder.startsWith('Marketing › '))).toBe(true);
      // The ready-made conflict: "Budget 2026.xlsx" is in the trash (twice) and its name is taken again.
      const budget = items.filter((i) => i.name === 'Budget 2026.xlsx');
      expect(budget).toHaveLength(2);
      for (const one of budget) {
        const check = await services.handlers['ops:checkConflicts']({
          items: [{ accountId: account.id, id: one.id }],
          destination: { kind: 'original' },
        });
        expect(
          check.conflicts.map((c) => [c.name, c.source, c.existing.size]),
          account.kind,
        ).toEqual([['Budget 2026.xlsx', 'existing', 48_213]]);
      }
      const day2 = items.find((i) => i.name === 'Day 2')!;
      const inside = await services.trash.readAll(account.id, day2.id);
      expect(inside.map((i) => i.name).sort()).toEqual(['IMG_5001.jpg', 'IMG_5002.jpg', 'IMG_5003.heic', 'clip.mov']);
    }
  });

  it("serves without the control API: /__control/ routes are the front end's own 404", async () => {
    for (const { kind, serverUrl } of await startWebDavDemo(Date.UTC(2026, 10, 26, 17, 4, 30))) {
      for (const [method, path] of [
        ['POST', '/__control/reset'],
        ['POST', '/__control/faults'],
        ['GET', '/__control/counts'],
      ]) {
        const res = await fetch(`${serverUrl}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
        expect([kind, method, path, res.status, await res.text()]).toEqual([
          kind,
          method,
          path,
          404,
          '<!DOCTYPE html><html><body>Page not found</body></html>',
        ]);
      }
    }
  });
});
