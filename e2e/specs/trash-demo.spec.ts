import { expect, screenshot, test } from '../fixtures';
import { grid, marquee } from './trash-helpers';

test('Open the demo from the first screen: every demo account, one list with an account column', async ({
  page,
  host,
}) => {
  await host.open(page);
  await page.getByRole('button', { name: 'Open the demo' }).click();
  const accounts = page.getByRole('navigation', { name: 'Accounts' });
  await expect(accounts.getByRole('button', { name: /^DocSpace demo/ })).toBeVisible();
  await expect(accounts.getByRole('button', { name: /^Nextcloud \(demo\)/ })).toBeVisible();
  await expect(accounts.getByRole('button', { name: /^ownCloud \(demo\)/ })).toBeVisible();
  await expect(accounts.getByRole('button', { name: /^Infinite Scale \(demo\)/ })).toBeVisible(); // the demo's fourth account, added last
  const listed = await host.invoke<{ id: string; demo: boolean }[]>('accounts:list');
  expect(listed.length).toBeGreaterThanOrEqual(3);
  expect(listed.every((a) => a.demo)).toBe(true);
  // Wait until every demo account has answered: only then is the "All accounts" count the sum.
  // (Before that the status bar says "293 items so far · still loading 2 of 3 accounts…".)
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-complete', 'true', { timeout: 30_000 });
  await expect(grid(page).getByRole('columnheader', { name: 'Account' })).toBeVisible();
  const total = await page.getByTestId('view-count').textContent();
  expect(total).toMatch(/^[\d,]+ items · /);
  expect(Number(total!.split(' ')[0]!.replace(/,/g, ''))).toBeGreaterThan(800);
  await screenshot(page, 'demo-all-accounts-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'demo-all-accounts-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  // Empty trash here asks which accounts, with none ticked; DocSpace gives no folder sizes.
  await page.getByRole('button', { name: 'Empty trash' }).click();
  const empty = page.getByRole('alertdialog', { name: 'Empty the trash of which accounts?' });
  await expect(empty.getByRole('checkbox')).toHaveCount(listed.length);
  await expect(empty.getByRole('checkbox', { checked: true })).toHaveCount(0);
  await expect(empty.getByRole('button', { name: 'Choose accounts to empty' })).toBeDisabled();
  await empty.getByTestId('empty-account').filter({ hasText: 'DocSpace demo' }).click();
  await expect(empty.getByTestId('empty-account').filter({ hasText: 'DocSpace demo' })).toContainText(
    'of unknown size',
  );
  await expect(empty.getByRole('button', { name: /^Delete [\d,]+ items from 1 account$/ })).toBeEnabled();
  await screenshot(page, 'demo-empty-dialog-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'demo-empty-dialog-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await empty.getByRole('button', { name: 'Cancel' }).click();
  await expect(empty).toHaveCount(0);
  // A selection drawn with the mouse, as in the README picture.
  const rows = grid(page).locator('[role="row"][data-index]');
  await marquee(page, rows.nth(3), rows.nth(7));
  await expect(page.getByTestId('selection-count')).toContainText('5 selected');
  await page.mouse.move(700, 20);
  await screenshot(page, 'demo-selection-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'demo-selection-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Escape');

  // One account: its folders appear in the sidebar as drop targets.
  await accounts.getByRole('button', { name: /^Nextcloud \(demo\)/ }).click();
  await expect(page.getByTestId('sidebar-tree').getByRole('treeitem').first()).toBeVisible();
  await expect(grid(page).getByRole('columnheader', { name: 'Account' })).toHaveCount(0);
  await screenshot(page, 'demo-one-account-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'demo-one-account-dark');
});

test('the README picture: the demo at 1400×900 with an image chosen and its preview in the details pane (light and dark), and at 800×560', async ({
  page,
  host,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await host.open(page);
  await page.getByRole('button', { name: 'Open the demo' }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-complete', 'true', { timeout: 30_000 });
  const photo = grid(page).getByRole('row').filter({ hasText: 'IMG_' }).filter({ hasText: 'Nextcloud (demo)' }).first();
  await photo.locator('.cell-name').click();
  await page.getByRole('button', { name: 'Details', exact: true }).click();
  const preview = page.getByRole('complementary', { name: 'Details' }).getByTestId('details-preview');
  await expect(preview).toBeVisible();
  expect(await preview.evaluate((el: HTMLImageElement) => el.naturalWidth > 0)).toBe(true);
  await page.mouse.move(700, 20);
  await screenshot(page, 'readme-window-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'readme-window-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 800, height: 560 });
  await expect(preview).toBeVisible();
  await screenshot(page, 'readme-window-800-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'readme-window-800-dark');
});
