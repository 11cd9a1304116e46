import { test as base } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebDavServer, type WebDavServer } from '../../electron/demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { expect, screenshot, seedTrashWindowTree, startHost } from '../fixtures';
import { row, selectRange } from './trash-helpers';

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
  const alice = WEBDAV_USERS.alice;
  const live = () => server.tree.children(server.tree.resolve('alice', 'Reports/2024')!.id).map((n) => n.name);
  try {
    const first = await startHost(args);
    await first.handle.invoke('accounts:add', { serverUrl: server.url, kind: 'nextcloud', user: alice.id, secret: alice.appPassword, label: 'alice@nextcloud.test' });
    await first.handle.open(page);
    await expect(row(page, 'Batch 01.txt')).toBeVisible();
    server.control.setLatency(250); // every request a quarter of a second: six restores take several seconds
    await selectRange(page, 'Batch 01.txt', 'Batch 06.txt');
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(live, { timeout: 30_000 }).toContain('Batch 01.txt');
    await page.waitForTimeout(2_500); // the journal is written every couple of seconds while a batch runs
    first.child.kill('SIGKILL');
    server.control.setLatency(0);
    const doneBefore = live().filter((n) => n.startsWith('Batch')).length;
    expect(doneBefore).toBeLessThan(6);

    const second = await startHost(args);
    try {
      await second.handle.open(page);
      const card = page.getByTestId('operation').filter({ hasText: 'Salvage was closed before this finished' });
      await expect(card).toBeVisible();
      await expect(card).toContainText('of 6 items had a result');
      await screenshot(page, 'resume-after-crash');
      await card.getByRole('button', { name: 'Resume' }).click();
      await expect.poll(() => live().filter((n) => n.startsWith('Batch')).sort(), { timeout: 30_000 }).toEqual(
        ['Batch 01.txt', 'Batch 02.txt', 'Batch 03.txt', 'Batch 04.txt', 'Batch 05.txt', 'Batch 06.txt'],
      );
      // Nothing restored twice, nothing left behind: none of the six is still in the trash.
      const trash = server.tree.trashOf('alice').map((e) => server.tree.node(e.nodeId).name);
      for (let i = 1; i <= 6; i++) expect(trash).not.toContain(`Batch 0${i}.txt`);
      await expect(card.getByRole('button', { name: 'Resume' })).toBeDisabled();
    } finally {
      second.child.kill('SIGTERM');
    }
  } finally {
    await server.close();
  }
});
