import { expect, screenshot, TARGET_FOLDER, test } from '../fixtures';
import { grid, openTrash, row, waitForOperation } from './trash-helpers';

const FOLDERS = {
  docspace: { folder: 'Old project', inside: ['assets', 'notes.txt', 'plan.md'] },
  nextcloud: { folder: 'Projects', inside: ['drafts', 'plan.md'] },
  ocis: { folder: 'Projects', inside: ['drafts', 'plan.md'] },
} as const;

for (const kind of ['docspace', 'nextcloud', 'ocis'] as const) {
  test.describe(kind, () => {
    test.use({ serverKind: kind });
    test('open a trashed folder (double-click, Enter), restore one item from inside it, and go back by the breadcrumb', async ({
      page,
      host,
      account,
    }) => {
      const { folder, inside } = FOLDERS[kind];
      await openTrash(page, host);
      // Select it first: a click scrolls a half-hidden row fully into view, so the double-click lands on it.
      await row(page, folder).locator('.cell-name').click();
      await row(page, folder).locator('.cell-name').dblclick();
      const crumbs = page.getByRole('navigation', { name: 'Where in the trash' });
      await expect(crumbs).toContainText(folder);
      await expect(row(page, 'plan.md')).toBeVisible();
      expect((await grid(page).locator('[role="row"][data-index] .name-text').allTextContents()).sort()).toEqual([
        ...inside,
      ]);
      await screenshot(page, `${kind}-browse-folder-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-browse-folder-dark`);
      await page.emulateMedia({ colorScheme: 'light' });

      // Restore plan.md alone into a live folder.
      await row(page, 'plan.md').locator('.cell-name').click();
      await page.getByRole('button', { name: 'Restore to…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Restore to a folder' });
      if (kind === 'docspace') await dialog.getByRole('treeitem', { name: 'My documents' }).click();
      await dialog.getByRole('treeitem', { name: 'Clients' }).click();
      await dialog.getByRole('treeitem', { name: 'Clients' }).getByRole('treeitem', { name: '2024' }).click();
      await dialog.getByRole('button', { name: /^Restore .* here$/ }).click();
      await waitForOperation(page);
      await expect(row(page, 'plan.md')).toHaveCount(0);
      expect(account.live(TARGET_FOLDER)).toContain('plan.md');

      // Back to the trash by the breadcrumb; the folder is still there, and Enter opens it too.
      await crumbs.getByRole('button', { name: 'Trash' }).click();
      await expect(crumbs).toHaveCount(0);
      await row(page, folder).locator('.cell-name').click();
      await grid(page).press('Enter');
      await expect(crumbs).toContainText(folder);
      await expect(row(page, 'plan.md')).toHaveCount(0);
      await expect(grid(page).locator('[role="row"][data-index]')).toHaveCount(inside.length - 1);
    });
  });
}
