import { expect, screenshot, test } from '../fixtures';
import { grid, openTrash, row } from './trash-helpers';

test.use({ serverKind: 'nextcloud' });

test('small things: no 404s on load, "unknown" where the server gives no expiry, a new sort shows the top of the list', async ({
  page,
  host,
  account,
}) => {
  void account;
  const missing: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 404) missing.push(r.url());
  });
  await page.setViewportSize({ width: 800, height: 560 });
  await openTrash(page, host);
  expect(missing).toEqual([]);

  // Nextcloud's trash gives no expiry date per item: the cell says so rather than a bare dash.
  await page.setViewportSize({ width: 1400, height: 560 });
  await expect(grid(page).getByRole('columnheader', { name: 'Deleted for good' })).toBeVisible();
  await expect(row(page, 'Batch 01.txt').getByRole('gridcell').last()).toHaveText('unknown');
  await page.setViewportSize({ width: 800, height: 560 });

  // Focus a row at the top (newest first), then sort by size: Batch 01 (1 KB) moves to the end,
  // but the list shows the top of the new order.
  await row(page, 'Batch 01.txt').locator('.cell-name').click();
  await grid(page).getByRole('button', { name: 'Size' }).click();
  await expect(grid(page).getByRole('columnheader', { name: /Size/ })).toHaveAttribute('aria-sort', 'descending');
  await page.waitForTimeout(200); // let the virtualizer settle after the sort (a scroll would have happened by now)
  expect(await page.getByTestId('trash-scroll').evaluate((el) => el.scrollTop)).toBe(0);
  await expect(grid(page).locator('[role="row"][data-index="0"]')).toBeInViewport();
});

test('details pane: Show details from the context menu gives the full original path, account and dates', async ({
  page,
  host,
  account,
}) => {
  void account;
  await openTrash(page, host);
  await row(page, 'Batch 02.txt').getByRole('gridcell').nth(3).click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Show details' }).click();
  const pane = page.getByRole('complementary', { name: 'Details' });
  await expect(pane).toBeVisible();
  await expect(pane.getByTestId('details-path')).toHaveText('Home / Reports / 2024 / Batch 02.txt');
  await expect(pane).toContainText('alice@nextcloud.test (Nextcloud)');
  await expect(pane).toContainText('2,000 bytes');
  // Nextcloud gives no date and tells nobody its policy: say so, with what its default means.
  await expect(pane.getByTestId('details-expiry')).toContainText(
    'Unknown: Nextcloud does not say. By default ("auto") kept until at least',
  );
  await screenshot(page, 'details-pane-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'details-pane-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  // It follows the selection; the toolbar's Details button closes it.
  await row(page, 'Batch 03.txt').locator('.cell-name').click();
  await expect(pane.getByTestId('details-path')).toHaveText(/Batch 03\.txt$/);
  await page.getByRole('button', { name: 'Details', exact: true }).click();
  await expect(pane).toHaveCount(0);
});

for (const kind of ['nextcloud', 'owncloud10', 'docspace'] as const) {
  test.describe(`previews on ${kind}`, () => {
    test.use({ serverKind: kind });
    test("the details pane shows an image item's preview, handed over as data; other files say why there is none", async ({
      page,
      host,
      account,
    }) => {
      account.trashFile(kind === 'docspace' ? '' : 'Photos', 'Beach.png', 5_000);
      const requests: string[] = [];
      page.on('request', (r) => void requests.push(r.url()));
      await openTrash(page, host, 'Beach.png');
      await row(page, 'Beach.png').locator('.cell-name').click();
      await page.getByRole('button', { name: 'Details', exact: true }).click();
      const pane = page.getByRole('complementary', { name: 'Details' });
      const img = pane.getByTestId('details-preview');
      await expect(img).toBeVisible();
      await expect(img).toHaveAttribute('src', /^data:image\/png;base64,/);
      // A real image the browser decoded (the test servers make small PNGs).
      expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
      await screenshot(page, `details-preview-${kind}-light`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `details-preview-${kind}-dark`);
      await page.emulateMedia({ colorScheme: 'light' });
      // A text file: no request for a preview, and the pane says why.
      await row(page, 'Batch 02.txt').locator('.cell-name').click();
      await expect(pane.getByTestId('details-no-preview')).toHaveText('Previews are shown for images.');
      // The page itself never talked to the server: main fetched the preview; the page asked only its own host.
      const own = new URL(page.url()).origin;
      expect(requests.filter((u) => !u.startsWith(own) && !u.startsWith('data:'))).toEqual([]);
    });
  });
}

test.describe('a sign-in refused from the start', () => {
  test.use({ serverKind: 'docspace' });
  test("the table area says to sign in again (not Retry), and the account's Empty trash waits for it", async ({
    page,
    host,
    account,
  }) => {
    account.control.fault({
      status: 401,
      times: Infinity,
      body: '{"error":{"message":"Unauthorized"}}',
      headers: { 'Content-Type': 'application/json' },
    });
    await host.open(page);
    await expect(page.getByTestId('no-listing')).toContainText('Sign in again (above) to see this trash.');
    await expect(page.getByTestId('auth-banner')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Empty trash' })).toBeDisabled();
    await screenshot(page, 'auth-refused-empty-light');
  });
});

test.describe('a server that fails', () => {
  test.use({ serverKind: 'docspace' });
  test('its sidebar entry says so, its rows are marked possibly out of date, and an empty table says why', async ({
    page,
    host,
    account,
  }) => {
    await openTrash(page, host);
    account.control.fault({ status: 500, times: Infinity, path: 'trash' });
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect(
      page.getByRole('alert').filter({ hasText: `Could not load the trash of ${account.label}` }),
    ).toBeVisible();
    const entry = page
      .getByRole('navigation', { name: 'Accounts' })
      .getByRole('button', { name: new RegExp(`^${account.label}`) });
    await expect(entry.getByTestId('account-problem')).toHaveText('could not load');
    await expect(row(page, 'Batch 01.txt')).toHaveClass(/stale/);
    // Empty trash cannot work while the trash cannot be read: disabled, and why is written beside it.
    await expect(page.getByRole('button', { name: 'Empty trash' })).toBeDisabled();
    await expect(page.getByTestId('empty-blocked')).toHaveText('Empty trash: the trash could not be read');
    // The account's own menu says so too.
    await page.getByRole('button', { name: `Actions for ${account.label}` }).click();
    await expect(page.getByRole('menuitem', { name: 'Empty trash (its trash could not be read)' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    await page.keyboard.press('Escape');
    await screenshot(page, 'stale-rows-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'stale-rows-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // A fresh start with the server failing: the table area says why instead of staying blank.
    await page.reload();
    await expect(page.getByTestId('no-listing')).toContainText('could not be read');
    account.control.clearFaults();
    await page.getByRole('alert').getByRole('button', { name: 'Retry' }).click();
    await expect(row(page, 'Batch 01.txt')).not.toHaveClass(/stale/);
    await expect(entry.getByTestId('account-problem')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Empty trash' })).toBeEnabled();
    await expect(page.getByTestId('empty-blocked')).toHaveCount(0);
  });
});
