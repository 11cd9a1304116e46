import { expect, screenshot, test } from '../fixtures';
import { pool } from '../real/dav';
import { realTarget } from '../real/targets';

/**
 * The window against the real-server kits: 1,000 items restored into a folder of 3,000 files, as a
 * person would do it (open the trash, select all, Restore), then checked on the server itself with
 * plain WebDAV requests (e2e/real/dav.ts). The real servers come from SALVAGE_REAL_NEXTCLOUD /
 * SALVAGE_REAL_OWNCLOUD (.ci/run starts the kits and sets them); without them each test skips and
 * says why. The trash is emptied first, as the contract suite does (e2e/real/contract.ts), so the
 * list holds exactly these items. Nothing here measures speed.
 */

const COUNT = 1000;

for (const kind of ['nextcloud', 'owncloud10'] as const) {
  const real = realTarget(kind);
  test.describe(`the window against the real ${kind === 'nextcloud' ? 'Nextcloud' : 'ownCloud 10'} kit`, () => {
    test.skip('skip' in real, 'skip' in real ? real.skip : '');

    test(`${COUNT.toLocaleString('en-US')} items restored into a folder of 3,000 files from the window: each back once, where it was`, async ({
      page,
      host,
    }) => {
      test.setTimeout(40 * 60_000);
      if (!('target' in real)) return;
      const t = real.target();
      const folder = `window-${Date.now().toString(36)}/Big`;
      const all = Array.from({ length: COUNT * 4 }, (_, i) => `w${String(i).padStart(4, '0')}.txt`);
      const gone = all.filter((_, i) => i % 4 === 1);
      await t.dav.emptyTrash();
      await t.seed(new Map(all.map((n) => [`${folder}/${n}`, n])));
      await pool(gone, 6, (n) => t.dav.trash(`${folder}/${n}`));
      expect((await t.dav.list(folder))!.size).toBe(COUNT * 3);

      await host.invoke('accounts:add', {
        serverUrl: t.url,
        kind,
        user: t.user,
        secret: t.password,
        label: `${kind} kit`,
      });
      await host.open(page);
      const count = page.getByTestId('view-count');
      await expect(count).toHaveAttribute('data-complete', 'true', { timeout: 120_000 });
      await expect(count).toContainText(`${COUNT.toLocaleString('en-US')} items`);

      await page.getByRole('checkbox', { name: 'Select all' }).click();
      await expect(page.getByTestId('selection-count')).toContainText(`${COUNT.toLocaleString('en-US')} selected`);
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      const card = page.getByTestId('operation').first();
      await expect(card).toContainText('Done', { timeout: 35 * 60_000 });
      await expect(card).toContainText(`${COUNT.toLocaleString('en-US')} restored`);
      await expect(card).not.toContainText('failed');
      await screenshot(page, `real-${kind}-restored`);

      // The server: every file back in its folder with its own content, no other name there, nothing left in the trash.
      const big = (await t.dav.list(folder))!;
      expect(
        [...big.keys()].filter((n) => !all.includes(n)),
        'files that are not the originals',
      ).toEqual([]);
      expect(
        gone.filter((n) => !big.has(n)),
        'not back in the folder',
      ).toEqual([]);
      expect((await t.dav.trashEntries()).filter((e) => e.location.startsWith(`${folder}/`))).toEqual([]);
      for (const n of gone.filter((_, i) => i % 50 === 0)) expect(await t.dav.read(`${folder}/${n}`)).toBe(n);
    });
  });
}
