import { expect, screenshot, test } from '../fixtures';
import { latestOperation, openTrash, row, waitForOperation } from './trash-helpers';

// The test seed deletes Old/letter.txt, then the folder Old itself: letter.txt's original folder is gone.
for (const kind of ['nextcloud', 'owncloud10', 'ocis'] as const) {
  test.describe(kind, () => {
    test.use({ serverKind: kind });
    test('restoring into a folder that no longer exists says so first, then recreates it', async ({ page, host, account }) => {
      expect(account.live('')).not.toContain('Old');
      await openTrash(page, host);
      await row(page, 'letter.txt').locator('.cell-name').click();
      await page.getByRole('button', { name: 'Restore', exact: true }).click();

      const dialog = page.getByRole('dialog', { name: 'The original folder is gone' });
      await expect(dialog).toBeVisible();
      await expect(dialog.getByTestId('missing-folders')).toHaveText('/Old');
      await expect(dialog).toContainText('create it again');
      await screenshot(page, `${kind}-missing-folder-light`);

      // Cancel changes nothing on the server.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      expect(account.live('')).not.toContain('Old');

      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await page.getByRole('dialog', { name: 'The original folder is gone' }).getByRole('button', { name: 'Recreate and restore' }).click();
      await waitForOperation(page);
      await expect(latestOperation(page)).toContainText('1 restored');
      expect(account.live('Old')).toContain('letter.txt');
    });
  });
}
