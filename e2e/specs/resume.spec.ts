import { test as base } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebDavServer, type WebDavServer } from '../../electron/demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { expect, screenshot, seedTrashWindowTree, startHost } from '../fixtures';
import { row } from './trash-helpers';

/**
 * A batch cut short — the app killed in the middle of a restore — is there at the next launch,
 * saying what it did, and Resume finishes the rest. (The browser host keeps its journal in the
 * data folder it was given; the desktop app always does.)
 */
base('a restore cut short by a crash resumes at the next launch', async ({ page }) => {
  base.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'salvage-resume-e2e-'));
  const args = ['--no-demo', '--persist-secrets', '--data-dir', dataDir];
  const server: WebDavServer = await startWebDavServer({ kind: 'nextcloud', seed: seedTrashWindowTree });
  // Sixty files deleted from /Bulk: more than a restore runs at once, so a crash lands in the middle.
  const COUNT = 60;
  server.tree.mkdirs('alice', 'Bulk');
  server.control.seed('alice', COUNT, { folder: 'Bulk', prefix: 'bulk-' });
  const alice = WEBDAV_USERS.alice;
  const restored = () => server.tree.children(server.tree.resolve('alice', 'Bulk')!.id).length;
  try {
    const first = await startHost(args);
    await first.handle.invoke('accounts:add', {
      serverUrl: server.url,
      kind: 'nextcloud',
      user: alice.id,
      secret: alice.appPassword,
      label: 'alice@nextcloud.test',
    });
    await first.handle.open(page);
    await page.getByPlaceholder(/^Search/).fill('bulk-');
    await expect(row(page, 'bulk-59.txt')).toBeVisible();
    await row(page, 'bulk-59.txt').locator('.cell-name').click();
    await page.keyboard.press('ControlOrMeta+a');
    await expect(page.getByText(`${COUNT} selected`)).toBeVisible();
    server.control.setLatency(1_000); // every request a second: the batch takes several rounds
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(restored, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(2_500); // the journal is written every couple of seconds while a batch runs
    first.child.kill('SIGKILL');
    server.control.setLatency(0);
    expect(restored()).toBeLessThan(COUNT);

    const second = await startHost(args);
    try {
      await second.handle.open(page);
      const card = page.getByTestId('operation').filter({ hasText: 'Salvage was closed before this finished' });
      await expect(card).toBeVisible();
      await expect(card).toContainText(`of ${COUNT} items had a result`);
      await screenshot(page, 'resume-after-crash');
      await card.getByRole('button', { name: 'Resume' }).click();
      await expect.poll(restored, { timeout: 30_000 }).toBe(COUNT);
      // Nothing restored twice ("(restored)" copies), nothing left behind in the trash.
      const names = server.tree.children(server.tree.resolve('alice', 'Bulk')!.id).map((n) => n.name);
      expect(names.filter((n) => n.includes('(restored'))).toEqual([]);
      expect(server.tree.trashOf('alice').filter((e) => server.tree.node(e.nodeId).name.startsWith('bulk-'))).toEqual(
        [],
      );
      await expect(card.getByRole('button', { name: 'Resume' })).toBeDisabled();
    } finally {
      second.child.kill('SIGTERM');
    }
  } finally {
    await server.close();
  }
});
