import { expect, screenshot, SERVER_KINDS, test } from '../fixtures';
import { openTrash, row, selectRange, waitForOperation } from './trash-helpers';

// Deleting works the same on both WebDAV servers; one of them is enough here.
for (const kind of SERVER_KINDS.filter((k) => k !== 'owncloud10')) {
  test.describe(kind, () => {
    test.use({ serverKind: kind });
    test('Empty trash: the dialog states the exact count, Cancel (and Enter) change nothing, confirming empties the server trash', async ({
      page,
      host,
      account,
    }) => {
      await openTrash(page, host);
      const count = account.trash().length;
      expect(count).toBeGreaterThan(12);
      await page.getByRole('button', { name: 'Empty trash' }).click();
      const dialog = page.getByRole('alertdialog', { name: `Empty the trash of ${account.label}?` });
      // A folder whose size the server does not give (DocSpace) is named, not counted as 0 bytes.
      await expect(dialog.getByTestId('delete-message')).toHaveText(
        new RegExp(
          `^Permanently delete ${count} items \\(\\d[\\d.,]* [KMG]?B( \\+ \\d+ folders? of unknown size)?\\) from ${account.label.replace('.', '\\.')}\\? This cannot be undone\\.$`,
        ),
      );
      await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
      await screenshot(page, `${kind}-empty-trash-dialog-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-empty-trash-dialog-dark`);
      await page.emulateMedia({ colorScheme: 'light' });
      await page.keyboard.press('Enter'); // Enter does not confirm: it presses the focused Cancel.
      await expect(dialog).toHaveCount(0);
      expect(account.trash()).toHaveLength(count);
      await page.getByRole('button', { name: 'Empty trash' }).click();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      expect(account.trash()).toHaveLength(count);

      await page.getByRole('button', { name: 'Empty trash' }).click();
      // The button says what goes: every item (nothing is left out here).
      await dialog.getByRole('button', { name: `Delete ${count} items from 1 account` }).click();
      await waitForOperation(page);
      expect(account.trash()).toEqual([]);
      await expect(page.getByTestId('empty-trash')).toContainText('The trash is empty');
      await screenshot(page, `${kind}-trash-empty-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-trash-empty-dark`);
    });

    test('Delete permanently: exact sentence, focus on Cancel, then only the selected items are gone', async ({
      page,
      host,
      account,
    }) => {
      await openTrash(page, host);
      await selectRange(page, 'Batch 01.txt', 'Batch 03.txt');
      await page.keyboard.press('Delete');
      const dialog = page.getByRole('alertdialog', { name: 'Delete permanently?' });
      await expect(dialog.getByTestId('delete-message')).toHaveText(
        `Permanently delete 3 items (6 KB) from ${account.label}? This cannot be undone.`,
      );
      await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
      await dialog.getByRole('button', { name: 'Delete 3 items permanently' }).click();
      await waitForOperation(page);
      await expect(row(page, 'Batch 02.txt')).toHaveCount(0);
      const trash = account.trash();
      expect(trash).not.toContain('Batch 01.txt');
      expect(trash).not.toContain('Batch 03.txt');
      expect(trash).toContain('Batch 04.txt');
      expect(account.live('Reports/2024')).not.toContain('Batch 02.txt');
    });

    test('search, type filter and the empty search state', async ({ page, host, account }) => {
      expect(account.trash()).toContain(kind === 'docspace' ? 'holiday.jpg' : 'Projects');
      await openTrash(page, host);
      await page.keyboard.press('ControlOrMeta+f');
      await expect(page.getByRole('searchbox', { name: 'Search the trash' })).toBeFocused();
      await page.keyboard.type('batch 1');
      await expect(page.getByTestId('view-count')).toContainText('3 items');
      await page.getByRole('combobox', { name: 'Type' }).selectOption('image');
      await expect(page.getByTestId('empty-search')).toContainText('Nothing matches');
      await screenshot(page, `${kind}-empty-search-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-empty-search-dark`);
      await page.getByTestId('empty-search').getByRole('button', { name: 'Clear filters' }).click();
      await expect(page.getByTestId('view-count')).toContainText(`${account.trash().length} items`);
      await page.getByRole('combobox', { name: 'Type' }).selectOption(kind === 'docspace' ? 'image' : 'folder');
      await expect(row(page, 'Batch 01.txt')).toHaveCount(0);
      await expect(row(page, kind === 'docspace' ? 'holiday.jpg' : 'Projects')).toHaveCount(1);
    });
  });
}
