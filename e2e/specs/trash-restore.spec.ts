import { expect, screenshot, SERVER_KINDS, TARGET_FOLDER, test } from '../fixtures';
import {
  grid,
  latestOperation,
  marquee,
  openTrash,
  row,
  selectRange,
  selectedNames,
  waitForOperation,
} from './trash-helpers';

for (const kind of SERVER_KINDS) {
  test.describe(kind, () => {
    test.use({ serverKind: kind });
    test('marquee-select rows, restore: they leave the list and are back at their original paths on the server', async ({
      page,
      host,
      account,
    }) => {
      await openTrash(page, host);
      await expect(page.getByTestId('view-count')).toContainText(`${account.trash().length} items`);
      await screenshot(page, `${kind}-trash-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-trash-dark`);
      await page.emulateMedia({ colorScheme: 'light' });

      await marquee(page, row(page, 'Batch 03.txt'), row(page, 'Batch 06.txt'));
      expect(await selectedNames(page)).toEqual(['Batch 03.txt', 'Batch 04.txt', 'Batch 05.txt', 'Batch 06.txt']);
      await expect(page.getByTestId('selection-count')).toHaveText('4 selected · 18 KB');
      await screenshot(page, `${kind}-trash-selection-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-trash-selection-dark`);
      await page.emulateMedia({ colorScheme: 'light' });

      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await waitForOperation(page);
      for (const name of ['Batch 03.txt', 'Batch 04.txt', 'Batch 05.txt', 'Batch 06.txt'])
        await expect(row(page, name)).toHaveCount(0);
      await expect(row(page, 'Batch 02.txt')).toHaveCount(1);
      await expect(latestOperation(page)).toContainText('4 restored');
      await screenshot(page, `${kind}-operations-done-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-operations-done-dark`);

      const live = account.live('Reports/2024');
      expect(live).toEqual(expect.arrayContaining(['Batch 03.txt', 'Batch 04.txt', 'Batch 05.txt', 'Batch 06.txt']));
      expect(account.trash()).not.toContain('Batch 04.txt');
      expect(account.trash()).toContain('Batch 02.txt');
    });

    test('keyboard: arrows with shift select a range, Ctrl+Shift+R restores, Escape clears', async ({
      page,
      host,
      account,
    }) => {
      await openTrash(page, host);
      await row(page, 'Batch 01.txt').locator('.cell-name').click();
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      expect(await selectedNames(page)).toEqual(['Batch 01.txt', 'Batch 02.txt', 'Batch 03.txt']);
      await page.keyboard.press('Escape');
      expect(await selectedNames(page)).toEqual([]);
      await page.keyboard.press('ControlOrMeta+a');
      expect(await selectedNames(page)).toHaveLength(await grid(page).locator('[role="row"][aria-selected]').count());
      await row(page, 'Batch 12.txt').locator('.cell-name').click();
      await row(page, 'Batch 10.txt')
        .locator('.cell-name')
        .click({ modifiers: ['ControlOrMeta'] });
      expect(await selectedNames(page)).toEqual(['Batch 10.txt', 'Batch 12.txt']);
      await page.keyboard.press('Control+Shift+R'); // Enter does not restore (restore-safety.spec.ts)
      await waitForOperation(page);
      expect(account.live('Reports/2024')).toEqual(expect.arrayContaining(['Batch 10.txt', 'Batch 12.txt']));
      expect(account.trash()).not.toContain('Batch 10.txt');
    });

    test('Restore to… a folder chosen in the dialog', async ({ page, host, account }) => {
      await openTrash(page, host);
      await selectRange(page, 'Batch 01.txt', 'Batch 02.txt');
      await page.getByRole('button', { name: 'Restore to…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Restore to a folder' });
      if (kind === 'docspace') await dialog.getByRole('treeitem', { name: 'My documents' }).click();
      await dialog.getByRole('treeitem', { name: 'Clients' }).click();
      await dialog.getByRole('treeitem', { name: 'Clients' }).getByRole('treeitem', { name: '2024' }).click();
      await expect(dialog.getByTestId('restore-summary')).toHaveText(/^Restore 2 items \(3 KB\) to .*Clients.*2024$/);
      await screenshot(page, `${kind}-restore-to-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-restore-to-dark`);
      await dialog.getByRole('button', { name: 'Restore 2 items here' }).click();
      await waitForOperation(page);
      await expect(row(page, 'Batch 01.txt')).toHaveCount(0);
      expect(account.live(TARGET_FOLDER)).toEqual(['Batch 01.txt', 'Batch 02.txt']);
      expect(account.live('Reports/2024')).not.toContain('Batch 01.txt');
    });

    test('restore by dragging the selection onto a folder in the sidebar', async ({ page, host, account }) => {
      await openTrash(page, host);
      await page
        .getByRole('navigation', { name: 'Accounts' })
        .getByRole('button', { name: new RegExp(`^${account.label}`) })
        .click();
      const tree = page.getByTestId('sidebar-tree');
      if (kind === 'docspace') await tree.getByRole('treeitem', { name: 'My documents' }).click();
      await tree.getByRole('treeitem', { name: 'Clients' }).click();
      const target = tree.getByRole('treeitem', { name: 'Clients' }).getByRole('treeitem', { name: '2024' });
      await expect(target).toBeVisible();
      await selectRange(page, 'Batch 05.txt', 'Batch 07.txt');
      await row(page, 'Batch 06.txt').locator('.cell-name').dragTo(target.locator('.tree-row').first());
      const dialog = page.getByRole('dialog', { name: 'Restore to a folder' });
      await expect(dialog.getByTestId('restore-summary')).toHaveText(/^Restore 3 items \(18 KB\) to .*Clients.*2024$/);
      await dialog.getByRole('button', { name: 'Restore 3 items here' }).click();
      await waitForOperation(page);
      expect(account.live(TARGET_FOLDER)).toEqual(['Batch 05.txt', 'Batch 06.txt', 'Batch 07.txt']);
      expect(account.trash()).not.toContain('Batch 06.txt');
    });

    test('Undo after a restore moves the items back to the trash', async ({ page, host, account }) => {
      await openTrash(page, host);
      await row(page, 'Batch 09.txt').locator('.cell-name').click();
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      const toast = page.getByTestId('undo-toast');
      await expect(toast).toContainText('Restored Batch 09.txt');
      await expect(row(page, 'Batch 09.txt')).toHaveCount(0);
      expect(account.live('Reports/2024')).toContain('Batch 09.txt');
      await screenshot(page, `${kind}-undo-toast-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-undo-toast-dark`);
      await toast.getByRole('button', { name: 'Undo' }).click();
      await expect(latestOperation(page)).toContainText('Undo');
      await expect(latestOperation(page).getByTestId('operation-state')).toContainText('Done —');
      await expect(row(page, 'Batch 09.txt')).toHaveCount(1);
      expect(account.live('Reports/2024')).not.toContain('Batch 09.txt');
      expect(account.trash()).toContain('Batch 09.txt');
    });

    test('cancel mid-batch: the server has exactly the items the summary says were restored', async ({
      page,
      host,
      account,
    }) => {
      // More items than a restore runs at once (WebDAV restores run many in parallel), so Cancel lands mid-batch.
      const TOTAL = 52;
      for (let i = 13; i <= TOTAL; i++) account.trashFile('Reports/2024', `Batch ${i}.txt`, 100);
      account.slowDown(kind === 'docspace' ? 300 : 1_000);
      await host.open(page);
      await page.getByPlaceholder(/^Search/).fill('Batch ');
      await expect(page.getByTestId('view-count')).toContainText(`${TOTAL} items`);
      await row(page, 'Batch ').first().locator('.cell-name').click();
      await page.keyboard.press('ControlOrMeta+a');
      await expect(page.getByTestId('selection-count')).toContainText(`${TOTAL} selected`);
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      const op = latestOperation(page);
      await expect(op.getByRole('button', { name: 'Cancel' })).toBeVisible();
      // Wait (for server state, not for time) until a few have landed, then cancel.
      await expect
        .poll(() => account.live('Reports/2024').filter((n) => n.startsWith('Batch')).length)
        .toBeGreaterThanOrEqual(2);
      await screenshot(page, `${kind}-operation-running-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${kind}-operation-running-dark`);
      await op.getByRole('button', { name: 'Cancel' }).click();
      await waitForOperation(page, 'Cancelled');
      await op.getByRole('button', { name: 'Details' }).click();
      const results = await op
        .getByRole('list', { name: /Results of/ })
        .getByRole('listitem')
        .allTextContents();
      const restored = results
        .filter((r) => / — restored/.test(r))
        .map((r) => r.split(' — ')[0]!)
        .sort();
      const notDone = results
        .filter((r) => /not done|failed/.test(r))
        .map((r) => r.split(' — ')[0]!)
        .sort();
      expect(restored.length).toBeGreaterThanOrEqual(2);
      expect(restored.length + notDone.length).toBe(TOTAL);
      expect(notDone.length).toBeGreaterThan(0);
      const onServer = account
        .live('Reports/2024')
        .filter((n) => n.startsWith('Batch'))
        .sort();
      expect(onServer).toEqual(restored);
      for (const name of notDone) expect(account.trash()).toContain(name);
    });
  });
}

test.describe('nextcloud', () => {
  test.use({ serverKind: 'nextcloud' });

  test('a failed item is reported with its reason, and Retry failed restores it', async ({ page, host, account }) => {
    account.control.fault({ method: 'MOVE', path: 'Batch%2002', status: 507, times: 1 });
    await openTrash(page, host);
    await selectRange(page, 'Batch 01.txt', 'Batch 03.txt');
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    const op = latestOperation(page);
    await expect(op.getByTestId('operation-state')).toContainText('Done — 1 failed, 2 restored');
    await op.getByRole('button', { name: 'Details' }).click();
    await expect(op.getByRole('list', { name: /Results of/ })).toContainText(
      'Batch 02.txt — failed: The account is out of storage space.',
    );
    await expect(row(page, 'Batch 02.txt')).toHaveCount(1);
    expect(account.live('Reports/2024')).not.toContain('Batch 02.txt');
    await screenshot(page, 'nextcloud-operation-failed-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'nextcloud-operation-failed-dark');
    await op.getByRole('button', { name: 'Retry failed' }).click();
    await expect(latestOperation(page)).toContainText('Restore Batch 02.txt to where it was');
    await waitForOperation(page);
    await expect(latestOperation(page)).toContainText('1 restored');
    await expect(row(page, 'Batch 02.txt')).toHaveCount(0);
    expect(account.live('Reports/2024')).toEqual(
      expect.arrayContaining(['Batch 01.txt', 'Batch 02.txt', 'Batch 03.txt']),
    );
  });
});

test('a marquee can start in the empty space below the rows and add to the selection with Ctrl', async ({
  page,
  host,
  account,
}) => {
  await openTrash(page, host);
  await page.getByRole('searchbox', { name: 'Search the trash' }).fill('Batch');
  await expect(page.getByTestId('view-count')).toContainText('12 items');
  // The twelve deletions a minute apart are a burst, so the timeline opened above the list: fold it
  // to leave empty space below the rows.
  const timeline = page.getByRole('button', { name: 'Timeline' });
  await expect(timeline).toHaveAttribute('aria-expanded', 'true');
  await timeline.click();
  await expect(timeline).toHaveAttribute('aria-expanded', 'false');
  await row(page, 'Batch 01.txt').locator('.cell-name').click();
  const last = (await row(page, 'Batch 12.txt').boundingBox())!;
  const target = (await row(page, 'Batch 10.txt').boundingBox())!;
  await page.keyboard.down('Control');
  await page.mouse.move(last.x + 300, last.y + last.height + 60);
  await page.mouse.down();
  await page.mouse.move(last.x + 320, last.y + 10, { steps: 4 });
  await page.mouse.move(last.x + 340, target.y + target.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Control');
  expect(await selectedNames(page)).toEqual(['Batch 01.txt', 'Batch 10.txt', 'Batch 11.txt', 'Batch 12.txt']);
  expect(account.trash()).toContain('Batch 10.txt');
});

test('group by original folder keeps each folder together, sorted within', async ({ page, host, account }) => {
  expect(account.kind).toBe('docspace');
  await openTrash(page, host);
  await page.getByRole('checkbox', { name: 'Group by folder' }).check();
  const rows = grid(page).locator('[role="row"][data-index]');
  // Folders by full path: My documents (Old project), … / Photos, … / Reports, … / Reports / 2024 (the batch), Rooms /
  // Marketing.
  await expect(rows.nth(0)).toHaveClass(/group-start/);
  await expect(rows.nth(0)).toContainText('Old project');
  await expect(rows.nth(3)).toHaveClass(/group-start/);
  await expect(rows.nth(3)).toContainText('Batch 01.txt');
  await expect(rows.nth(3)).toContainText('My documents / Reports / 2024');
  await expect(rows.nth(14)).toContainText('Batch 12.txt');
  await expect(rows.nth(14)).not.toHaveClass(/group-start/);
  await expect(rows.nth(15)).toHaveClass(/group-start/);
  await expect(rows.nth(15)).toContainText('Campaign brief.pdf');
  await screenshot(page, 'grouped-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'grouped-dark');
});
