import { expect, screenshot, test } from '../fixtures';
import { grid, openTrash, row } from './trash-helpers';

interface Item {
  id: string;
  name: string;
}

test('Ten finished batches fold into one line: the list keeps at least 70 % of the window, a failed batch keeps Retry and Details, Clear finished clears them', async ({
  page,
  host,
  docspace,
}) => {
  await openTrash(page, host);
  const { items } = await host.invoke<{ items: Item[] }>('trash:list', {
    accountId: docspace.id,
    parentId: null,
    cursor: null,
  });
  const batches = items.filter((i) => i.name.startsWith('Batch ')).slice(0, 9);
  expect(batches).toHaveLength(9);
  // One batch that fails (an item the server does not have), then nine that work.
  await host.invoke('ops:delete', { items: [{ accountId: docspace.id, id: '999999' }] });
  for (const item of batches) {
    await host.invoke('ops:delete', { items: [{ accountId: docspace.id, id: item.id }] });
  }
  const line = page.getByTestId('finished-line');
  await expect(line).toContainText('9 more batches finished · 1 with failures', { timeout: 20_000 });
  // The newest one stays as a card; the rest are one line.
  await expect(page.getByTestId('operation')).toHaveCount(1);
  const viewport = page.viewportSize()!;
  const gridBox = (await grid(page).boundingBox())!;
  expect(gridBox.height).toBeGreaterThanOrEqual(0.7 * viewport.height);
  await screenshot(page, 'activity-folded-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'activity-folded-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Show opens the earlier ones; the failed one has Retry and Details, and its bar shows the failure.
  await line.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByTestId('operation')).toHaveCount(10);
  const failed = page.getByTestId('operation').filter({ has: page.getByTestId('progress-failed') });
  await expect(failed).toHaveCount(1);
  await expect(failed.getByRole('button', { name: 'Retry failed' })).toBeVisible();
  await failed.getByRole('button', { name: 'Details' }).click();
  await expect(failed.getByRole('list', { name: /^Results of/ })).toContainText('failed');
  await screenshot(page, 'activity-open-light');
  await line.getByRole('button', { name: 'Hide' }).click();
  await expect(page.getByTestId('operation')).toHaveCount(1);

  await line.getByRole('button', { name: 'Clear finished' }).click();
  await expect(page.getByTestId('operation')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Operations' })).toHaveCount(0);
});

test('The undo toast lies over the list and does not move it', async ({ page, host, docspace }) => {
  void docspace;
  await openTrash(page, host);
  const before = (await page.getByTestId('trash-scroll').boundingBox())!;
  await row(page, 'Batch 03.txt').locator('.cell-name').click();
  await page.getByRole('button', { name: 'Restore', exact: true }).click();
  const toast = page.getByTestId('undo-toast');
  await expect(toast).toBeVisible();
  // The operations panel takes its row; the toast takes none.
  const panel = (await page.getByRole('region', { name: 'Operations' }).boundingBox())!;
  const after = (await page.getByTestId('trash-scroll').boundingBox())!;
  expect(after.y).toBe(before.y);
  const t = (await toast.boundingBox())!;
  expect(t.y + t.height).toBeLessThanOrEqual(panel.y);
  expect(t.y).toBeGreaterThan(after.y);
});
