import type { Page } from '@playwright/test';
import { expect, screenshot, SERVER_KINDS, test } from '../fixtures';
import { openTrash, row, selectRange, showEarlierBatches, waitForOperation } from './trash-helpers';

/** Operation cards whose title matches, newest first. */
const cards = (page: Page, title: RegExp) =>
  page.getByTestId('operation').filter({ has: page.locator('.op-title', { hasText: title }) });
const restoreButton = (page: Page) => page.getByRole('button', { name: 'Restore', exact: true });

for (const kind of SERVER_KINDS) {
  test.describe(kind, () => {
    test.use({ serverKind: kind });

    test('Replace then Undo: the file that was replaced is back where it was', async ({ page, host, account }) => {
      account.addFile('Reports/2024', 'Batch 01.txt', 77);
      await openTrash(page, host);
      await row(page, 'Batch 01.txt').locator('.cell-name').click();
      await restoreButton(page).click();
      const dialog = page.getByRole('dialog', { name: /already exists/ });
      await dialog.getByTestId('conflict Batch 01.txt').getByRole('radio', { name: 'Replace' }).check();
      await dialog.getByRole('button', { name: 'Restore' }).click();
      await waitForOperation(page);
      expect(account.sizes('Reports/2024', 'Batch 01.txt')).toEqual([1000]);

      await cards(page, /^Restore/)
        .first()
        .getByRole('button', { name: 'Undo' })
        .click();
      const undo = cards(page, /^Undo/).first();
      await expect(undo.getByTestId('operation-state')).toContainText('Done —');
      await expect(undo).toContainText('the file it replaced is back');
      // The old Batch 01.txt (77 bytes) is the one in Reports/2024 again.
      expect(account.sizes('Reports/2024', 'Batch 01.txt')).toEqual([77]);
      // The restore's card (folded, now that the undo is the newest batch) offers no second undo.
      await showEarlierBatches(page);
      await expect(
        cards(page, /^Restore/)
          .first()
          .getByRole('button', { name: 'Undo' }),
      ).toHaveCount(0);
      await expect(cards(page, /^Restore/).first()).toContainText('Already undone.');
    });

    test('an old restore card cannot undo a later restore of the same file', async ({ page, host, account }) => {
      await openTrash(page, host);
      await selectRange(page, 'Batch 01.txt', 'Batch 02.txt');
      await restoreButton(page).click();
      await waitForOperation(page);
      const first = cards(page, /^Restore 2 items/).first();
      await first.getByRole('button', { name: 'Undo' }).click();
      await expect(cards(page, /^Undo/).first().getByTestId('operation-state')).toContainText('Done —');
      await expect(row(page, 'Batch 01.txt')).toHaveCount(1);

      // Restore Batch 01.txt again on its own (wait for that batch's own card: the undo card is done already).
      await row(page, 'Batch 01.txt').locator('.cell-name').click();
      await restoreButton(page).click();
      await expect(
        cards(page, /^Restore Batch 01\.txt/)
          .first()
          .getByTestId('operation-state'),
      ).toContainText('Done —');
      expect(account.live('Reports/2024')).toContain('Batch 01.txt');

      // The first card's Undo is gone, with the reason in plain text.
      await showEarlierBatches(page);
      await expect(first.getByRole('button', { name: 'Undo' })).toHaveCount(0);
      await expect(first).toContainText('Already undone.');
      await screenshot(page, `${kind}-undo-stale`);
      expect(account.live('Reports/2024')).toContain('Batch 01.txt');
    });

    test('two selected items with the same name are named in the pre-check, Keep both by default', async ({
      page,
      host,
      account,
    }) => {
      account.trashFile('Reports/2024', 'Batch 03.txt', 333);
      await openTrash(page, host);
      const both = row(page, 'Batch 03.txt');
      await expect(both).toHaveCount(2);
      await both.nth(0).locator('.cell-name').click();
      await both
        .nth(1)
        .locator('.cell-name')
        .click({ modifiers: ['ControlOrMeta'] });
      await restoreButton(page).click();
      const dialog = page.getByRole('dialog', { name: /same path/ });
      await expect(dialog).toBeVisible();
      const clash = dialog.getByTestId('conflict Batch 03.txt');
      await expect(clash).toHaveCount(1);
      await expect(clash.getByRole('radio', { name: 'Keep both' })).toBeChecked();
      await screenshot(page, `${kind}-selection-clash`);
      await dialog.getByRole('button', { name: 'Restore' }).click();
      await waitForOperation(page);
      // Both are back, side by side; nothing asked mid-batch, nothing overwritten.
      expect(account.sizes('Reports/2024', 'Batch 03')).toEqual([333, 3000]);
      expect(account.trash()).not.toContain('Batch 03.txt');
    });
  });
}
