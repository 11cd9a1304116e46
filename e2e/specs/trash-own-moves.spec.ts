import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, startHost, test } from '../fixtures';
import { grid, latestOperation, openTrash, row, shots, startIncident, waitForOperation } from './trash-helpers';

/**
 * Issue 22, item 5: Salvage keeps its own ledger of what it moved back to the trash. What an Undo
 * puts back keeps its deletion time (and so its deletion event), reads with its own name and place
 * (no "(restored)" copies), and is marked as moved back by Salvage; a file a Replace moved is marked
 * and is no deletion event; the ledger survives a restart of the host.
 */

/** A row's Deleted cell: what it says ("3 days ago") and its exact date on hover. */
async function deletedOf(r: Locator) {
  const cell = r.getByRole('gridcell').nth(3);
  return { text: await cell.textContent(), exact: await cell.getAttribute('title') };
}

const sidebarCount = (page: Page, label: RegExp) =>
  page.getByRole('navigation', { name: 'Accounts' }).getByRole('button', { name: label }).locator('.badge');

test('Undo of "Restore this event" gives the trash back as it was: the same 184 items, deleted when they were, the same event, marked as moved back', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const s = await startIncident(host);
  try {
    await page.setViewportSize({ width: 1400, height: 900 });
    await openTrash(page, host, 'Minutes 40.md');
    const before = await sidebarCount(page, /^Nextcloud \(work\)/).textContent();
    const event = page.getByTestId('deletion-event').first();
    const summary = await event.locator('.event-summary').textContent();
    expect(summary).toContain('184 items');
    await page.getByRole('searchbox', { name: 'Search the trash' }).fill('Minutes 40.md');
    const deletedBefore = await deletedOf(row(page, 'Minutes 40.md'));
    expect(deletedBefore.exact).toMatch(/\d{4}/);
    await page.getByRole('searchbox', { name: 'Search the trash' }).fill('');

    await event.getByRole('button', { name: /^Restore this event/ }).click();
    await waitForOperation(page);
    await expect(row(page, 'Minutes 40.md')).toHaveCount(0);
    await page.getByTestId('undo-toast').getByRole('button', { name: 'Undo' }).click();
    await expect(latestOperation(page).getByTestId('operation-state')).toContainText(
      'Done — 184 moved back to the trash',
      { timeout: 30_000 },
    );

    // The account holds as many items as before, and the event is found again, to the minute the same.
    await expect(sidebarCount(page, /^Nextcloud \(work\)/)).toHaveText(before!, { timeout: 20_000 });
    await expect(page.getByTestId('deletion-event').first().locator('.event-summary')).toHaveText(summary!);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    const minutes = row(page, 'Minutes 40.md');
    await expect(minutes.getByTestId('salvage-move')).toHaveText('moved back');
    // Deleted when it was deleted, to the second (not just now).
    expect(await deletedOf(minutes)).toEqual(deletedBefore);
    // Nothing reads as deleted just now.
    await expect(
      grid(page)
        .getByRole('row')
        .filter({ hasText: 'just now' })
        .filter({ has: page.getByTestId('salvage-move') }),
    ).toHaveCount(0);
    await minutes.locator('.cell-name').click();
    // The toolbar's Details toggle (a batch card has a Details button of its own).
    await page.getByRole('button', { name: 'Details', exact: true }).and(page.locator('[aria-pressed]')).click();
    await expect(page.getByTestId('details-moved')).toContainText('Salvage moved this back to the trash');
    await shots(page, 'own-moves-undone-event');
  } finally {
    await s.server.close();
  }
});

test('Undo of Keep both leaves no "(restored)" copy behind; Replace marks the file it moved; restoring the undone item puts it back under its own name', async ({
  page,
  host,
}) => {
  const s = await startIncident(host);
  try {
    await page.setViewportSize({ width: 1400, height: 900 });
    // A live file in the way of "Minutes 40.md".
    s.server.tree.writeFile('alice', 'Projects/Client X/Meetings/Minutes 40.md', 77, { parents: true });
    await openTrash(page, host, 'Minutes 40.md');
    const deletedBefore = await deletedOf(row(page, 'Minutes 40.md'));
    await row(page, 'Minutes 40.md').locator('.cell-name').click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /already exist/ });
    await dialog.getByRole('button', { name: 'Restore 1 item' }).click(); // Keep both is the default
    await waitForOperation(page);
    await expect(latestOperation(page)).toContainText('restored under a new name');
    expect(s.live('Projects/Client X/Meetings')).toContain('Minutes 40 (restored).md');

    await latestOperation(page).getByRole('button', { name: 'Undo' }).click();
    await expect(latestOperation(page).getByTestId('operation-state')).toContainText('1 moved back to the trash');
    // The server keeps it as "Minutes 40 (restored).md"; the window lists it as it was, once.
    expect(s.trash()).toContain('Minutes 40 (restored).md');
    await expect(row(page, 'Minutes 40 (restored).md')).toHaveCount(0);
    await expect(row(page, 'Minutes 40.md')).toHaveCount(1);
    await expect(row(page, 'Minutes 40.md').getByTestId('salvage-move')).toHaveText('moved back');
    expect(await deletedOf(row(page, 'Minutes 40.md'))).toEqual(deletedBefore);

    // Now Replace: the live one goes to the trash, marked as Salvage's move, not as a deletion.
    await row(page, 'Minutes 40.md').locator('.cell-name').click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await dialog.getByRole('radio', { name: 'Replace' }).check();
    await dialog.getByRole('button', { name: 'Restore 1 item' }).click();
    await waitForOperation(page);
    await expect(latestOperation(page)).toContainText('1 replaced');
    // Restored under its own name (not "(restored)"), over the live one.
    expect(s.live('Projects/Client X/Meetings')).toContain('Minutes 40.md');
    expect(s.live('Projects/Client X/Meetings')).not.toContain('Minutes 40 (restored).md');
    const replaced = row(page, 'Minutes 40.md');
    await expect(replaced).toContainText('just now');
    await expect(replaced.getByTestId('salvage-move')).toHaveText('replaced');
    // It is no deletion event: the incident is still the one event, and nothing was added to it.
    await expect(page.getByTestId('deletion-event')).toHaveCount(1);
    await shots(page, 'own-moves-replaced');
  } finally {
    await s.server.close();
  }
});

test('the ledger lives with the account data: after the host is started again, an undone item still reads with its deletion time, marked', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'salvage-e2e-moves-'));
  const args = ['--no-demo', '--persist-secrets', '--data-dir', dir];
  let { handle, child } = await startHost(args);
  const s = await startIncident(handle);
  try {
    await openTrash(page, handle, 'Minutes 40.md');
    const deletedBefore = await deletedOf(row(page, 'Minutes 40.md'));
    await row(page, 'Minutes 40.md').locator('.cell-name').click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await waitForOperation(page);
    await page.getByTestId('undo-toast').getByRole('button', { name: 'Undo' }).click();
    await expect(latestOperation(page).getByTestId('operation-state')).toContainText('1 moved back to the trash');
    await expect(row(page, 'Minutes 40.md').getByTestId('salvage-move')).toHaveText('moved back');

    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    ({ handle, child } = await startHost(args));
    await openTrash(page, handle, 'Minutes 40.md');
    await expect(row(page, 'Minutes 40.md').getByTestId('salvage-move')).toHaveText('moved back');
    expect(await deletedOf(row(page, 'Minutes 40.md'))).toEqual(deletedBefore);
    // No toast comes back for the restore of the earlier session.
    await expect(page.getByTestId('undo-toast')).toHaveCount(0);
  } finally {
    child.kill('SIGTERM');
    await s.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
