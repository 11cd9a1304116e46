import { expect, screenshot, test } from '../fixtures';
import { latestOperation, openTrash, row, waitForOperation } from './trash-helpers';

// The test seed deletes Old/letter.txt, then the folder Old itself: letter.txt's original folder is
// gone — and is in the trash itself.
for (const kind of ['nextcloud', 'owncloud10', 'ocis'] as const) {
  test.describe(kind, () => {
    test.use({ serverKind: kind });
    test('restoring into a folder that no longer exists says so first (and that the folder is in the trash), then restores it with the item or makes it again', async ({
      page,
      host,
      account,
    }) => {
      expect(account.live('')).not.toContain('Old');
      await openTrash(page, host);
      await row(page, 'letter.txt').locator('.cell-name').click();
      await page.getByRole('button', { name: 'Restore', exact: true }).click();

      const dialog = page.getByRole('dialog', { name: '“Old” is no longer there' });
      await expect(dialog).toBeVisible();
      // The folder in the window's own words, not a raw path.
      await expect(dialog.getByTestId('missing-folders')).toHaveText('Home / Old');
      await expect(dialog.getByTestId('missing-in-trash')).toContainText('“Old” itself is in the trash');
      await expect(dialog).toContainText('makes the folder again');
      await screenshot(page, `${kind}-missing-folder-light`);

      // Cancel changes nothing on the server.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      expect(account.live('')).not.toContain('Old');

      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      if (kind === 'nextcloud') {
        // The folder comes back from the trash (not made again, empty), and the item goes back inside it.
        await dialog.getByRole('button', { name: 'Restore with “Old”' }).click();
        await waitForOperation(page);
        await expect(latestOperation(page)).toContainText('2 restored');
        expect(account.trash()).not.toContain('Old');
      } else {
        await dialog.getByRole('button', { name: 'Make the folder again and restore' }).click();
        await waitForOperation(page);
        await expect(latestOperation(page)).toContainText('1 restored');
        expect(account.trash()).toContain('Old');
      }
      expect(account.live('Old')).toContain('letter.txt');
    });
  });
}
