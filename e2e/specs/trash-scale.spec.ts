import { expect, screenshot, test } from '../fixtures';
import { grid, row, selectedNames } from './trash-helpers';

test.use({ serverKind: 'nextcloud' });

test('100k items: the first rows show while the rest streams in; select all, sort, and a marquee that auto-scrolls', async ({
  page,
  host,
  account,
}) => {
  test.setTimeout(240_000);
  account.control.seed('alice', 100_000, { folder: 'Bulk', prefix: 'bulk-' });
  const total = account.trash().length;
  // Asks for what the server lost in one second (each reads the server's records, on Nextcloud the whole trash too).
  let sameSecondAsks = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.postData()?.includes('"channel":"trash:sameSecond"')) sameSecondAsks += 1;
  });
  const t0 = Date.now();
  await host.open(page);
  await expect(grid(page).getByRole('row').nth(1)).toBeVisible({ timeout: 60_000 });
  const firstRows = Date.now() - t0;
  await expect(page.getByTestId('view-count')).toContainText(`${total.toLocaleString('en-US')} items`, {
    timeout: 180_000,
  });
  const allRows = Date.now() - t0;
  // Asked once the listing is complete (the newest event), not again at every page as it streamed in.
  await expect.poll(() => sameSecondAsks).toBeGreaterThan(0);
  await page.waitForTimeout(500);
  expect(sameSecondAsks).toBe(1);
  // Only the rows on screen are in the DOM.
  expect(await grid(page).getByRole('row').count()).toBeLessThan(80);
  await screenshot(page, 'scale-100k-light');

  let t = Date.now();
  await grid(page).getByRole('row').nth(1).locator('.cell-name').click();
  await page.keyboard.press('ControlOrMeta+a');
  await expect(page.getByTestId('selection-count')).toContainText(`${total.toLocaleString('en-US')} selected`);
  const selectAll = Date.now() - t;

  t = Date.now();
  await grid(page).getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
  await expect(grid(page).getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');
  // A new order shows its top (not wherever the focused row went); Home moves the focus there too.
  await expect.poll(() => page.getByTestId('trash-scroll').evaluate((el) => el.scrollTop)).toBe(0);
  await expect(grid(page).getByRole('row').nth(1)).toContainText('1e3.txt');
  const sortByName = Date.now() - t;
  await page.keyboard.press('Home');
  await expect(grid(page).getByRole('row').nth(1)).toContainText('1e3.txt');
  await page.keyboard.press('Escape');

  // Marquee from the first row's gutter down to the bottom edge: the list scrolls by itself and
  // the rows passed on the way are selected too, although they were never on screen at the start.
  const scroller = page.getByTestId('trash-scroll');
  const box = (await scroller.boundingBox())!;
  const first = (await grid(page).getByRole('row').nth(1).locator('.gutter').boundingBox())!;
  await page.mouse.move(first.x + first.width / 2, first.y + first.height / 2);
  await page.mouse.down();
  await page.mouse.move(first.x + 60, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(first.x + 60, box.y + box.height - 6, { steps: 5 });
  // viselect starts scrolling on the next move within the edge margin (a hand is never perfectly still).
  await page.mouse.move(first.x + 62, box.y + box.height - 4);
  await expect.poll(() => scroller.evaluate((el) => el.scrollTop), { timeout: 30_000 }).toBeGreaterThan(1000);
  await page.mouse.up();
  const scrolled = await scroller.evaluate((el) => el.scrollTop);
  const selectedCount = async () =>
    Number((await page.getByTestId('selection-count').textContent())!.split(' ')[0]!.replace(/,/g, ''));
  // Every row from the first to the bottom of the scrolled view: the ones scrolled past included.
  const expected = Math.floor((scrolled + box.height - 4) / 36) + 1;
  await expect.poll(selectedCount).toBeGreaterThanOrEqual(expected - 1);
  const count = await selectedCount();
  expect(count).toBeLessThanOrEqual(expected + 1);
  expect(await grid(page).getByRole('row').filter({ hasText: 'bulk-' }).first().getAttribute('aria-selected')).toBe(
    'true',
  );
  const names = await selectedNames(page);
  expect(names.length).toBeGreaterThan(0);
  await expect(row(page, '1e3.txt')).toHaveCount(0); // scrolled away from the top
  console.log(
    `[scale] ${total} items: first rows ${firstRows} ms, all rows ${allRows} ms, select all ${selectAll} ms, sort by name ${sortByName} ms, marquee auto-scroll selected ${count}`,
  );
});
