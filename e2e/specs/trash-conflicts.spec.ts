import type { Page } from '@playwright/test';
import { expect, screenshot, SERVER_KINDS, test } from '../fixtures';
import { latestOperation, openTrash, row, selectRange, waitForOperation } from './trash-helpers';

const conflictRow = (page: Page, name: string) => page.getByTestId(`conflict ${name}`);

for (const kind of SERVER_KINDS) {
  test.describe(kind, () => {
    test.use({ serverKind: kind });
    test('conflicts before the batch: Replace, Keep both and Skip per item', async ({ page, host, account }) => {
      for (const name of ['Batch 01.txt', 'Batch 02.txt', 'Batch 03.txt']) account.addFile('Reports/2024', name, 77);
      await openTrash(page, host);
      await selectRange(page, 'Batch 01.txt', 'Batch 04.txt');
      await page.getByRole('button', { name: 'Restore', exact: true }).click();

      const dialog = page.getByRole('dialog', { name: '3 items already exist at the destination' });
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText('The other item can be restored as it is.');
      // Both sides: the trashed file (1 KB, deleted …) and the existing one (77 bytes, modified …).
      await expect(conflictRow(page, 'Batch 01.txt')).toContainText('1 KB');
      await expect(conflictRow(page, 'Batch 01.txt')).toContainText('77 bytes');
      await conflictRow(page, 'Batch 01.txt').getByRole('radio', { name: 'Replace' }).check();
      await conflictRow(page, 'Batch 02.txt').getByRole('radio', { name: 'Keep both' }).check();
      await conflictRow(page, 'Batch 03.txt').getByRole('radio', { name: 'Skip' }).check();
      await screenshot(page, `${kind}-conflicts-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-conflicts-dark`);
      await dialog.getByRole('button', { name: 'Restore' }).click();

      await waitForOperation(page);
      const op = latestOperation(page);
      await expect(op).toContainText('1 replaced');
      await expect(op).toContainText('1 skipped');

      const live = account.live('Reports/2024');
      // Replace: one Batch 01, and it is the restored one (1,000 bytes, not 77).
      expect(live.filter((n) => n === 'Batch 01.txt')).toHaveLength(1);
      expect(account.sizes('Reports/2024', 'Batch 01.txt')).toEqual([1000]);
      // Keep both: the existing one (77 bytes) and the restored one (2,000 bytes) side by side. WebDAV
      // servers give the restored one a free name; DocSpace keeps the title for both (as the real one does).
      expect(account.sizes('Reports/2024', 'Batch 02')).toEqual([77, 2000]);
      const newName = live.filter((n) => n.startsWith('Batch 02')).find((n) => n !== 'Batch 02.txt');
      if (kind !== 'docspace') expect(newName).toBe('Batch 02 (restored).txt');
      await op.getByRole('button', { name: 'Details' }).click();
      const results = op.getByRole('list', { name: /Results of/ });
      if (newName) {
        expect(newName).toMatch(/^Batch 02 ?\(.+\)\.txt$/);
        await expect(results).toContainText(
          new RegExp(`Batch 02\\.txt — restored under a new name as .*${newName.replace(/[()]/g, '\\$&')}`),
        );
      } else {
        await expect(results).toContainText('Batch 02.txt — restored');
      }
      // Skip: still in the trash, still listed; the existing file untouched.
      expect(account.trash()).toContain('Batch 03.txt');
      await expect(row(page, 'Batch 03.txt')).toHaveCount(1);
      expect(account.sizes('Reports/2024', 'Batch 03.txt')).toEqual([77]);
      // No conflict: restored as it was.
      expect(live).toContain('Batch 04.txt');
    });

    test('Apply to all over a batch with several conflicts', async ({ page, host, account }) => {
      const names = ['Batch 05.txt', 'Batch 06.txt', 'Batch 07.txt', 'Batch 08.txt'];
      for (const name of names) account.addFile('Reports/2024', name, 5);
      await openTrash(page, host);
      await selectRange(page, 'Batch 05.txt', 'Batch 08.txt');
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: '4 items already exist at the destination' });
      await dialog.getByRole('button', { name: 'Replace all' }).click();
      for (const name of names)
        await expect(conflictRow(page, name).getByRole('radio', { name: 'Replace' })).toBeChecked();
      await expect(dialog).toContainText('4 replaced');
      await dialog.getByRole('button', { name: 'Restore' }).click();
      await waitForOperation(page);
      await expect(latestOperation(page)).toContainText('4 replaced');
      for (const [i, name] of names.entries()) expect(account.sizes('Reports/2024', name)).toEqual([1000 * (i + 5)]);
      // (What the trash holds now depends on the server: WebDAV servers keep the replaced versions there.)
    });

    test('a conflict that appears mid-batch pauses that item and asks', async ({ page, host, account }) => {
      await openTrash(page, host);
      // The name gets taken after the pre-check found nothing, just as the batch starts.
      await page.route('**/api/invoke', async (route) => {
        const body = route.request().postDataJSON() as { channel: string };
        if (body.channel === 'ops:restore') account.addFile('Reports/2024', 'Batch 11.txt', 3);
        await route.continue();
      });
      await selectRange(page, 'Batch 10.txt', 'Batch 11.txt');
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      const question = page.getByRole('dialog', { name: '“Batch 11.txt” already exists' });
      await expect(question).toBeVisible();
      await expect(latestOperation(page)).toContainText('Waiting for your answer');
      await screenshot(page, `${kind}-conflict-midbatch-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-conflict-midbatch-dark`);
      await question.getByRole('button', { name: 'Keep both' }).click();
      await waitForOperation(page);
      await expect(latestOperation(page)).toContainText('Done — ');
      const live = account.live('Reports/2024');
      expect(live).toContain('Batch 10.txt');
      // Both: the one that appeared (3 bytes) and the restored one (11,000 bytes).
      expect(account.sizes('Reports/2024', 'Batch 11')).toEqual([3, 11000]);
      expect(account.trash()).not.toContain('Batch 11.txt');
    });
  });
}
