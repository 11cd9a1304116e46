import type { Page } from '@playwright/test';
import { expect, screenshot, test } from '../fixtures';
import { grid } from './trash-helpers';

const SIZES = [
  { width: 800, height: 560 },
  { width: 1400, height: 900 },
];

async function openDemo(page: Page) {
  await page.getByRole('button', { name: 'Open the demo' }).click();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-complete', 'true', { timeout: 30_000 });
}

/** The element lies wholly inside the window. */
async function expectInWindow(page: Page, name: string) {
  const button = page
    .getByRole('toolbar', { name: 'Actions on the selection' })
    .getByRole('button', { name, exact: true });
  await expect(button).toBeVisible();
  const box = await button.boundingBox();
  const size = page.viewportSize()!;
  expect(box, name).not.toBeNull();
  expect(box!.x, name).toBeGreaterThanOrEqual(0);
  expect(box!.y, name).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, name).toBeLessThanOrEqual(size.width);
  expect(box!.y + box!.height, name).toBeLessThanOrEqual(size.height);
  return button;
}

for (const size of SIZES) {
  test(`At ${size.width}×${size.height} every toolbar action is in the window and works`, async ({ page, host }) => {
    await page.setViewportSize(size);
    await host.open(page);
    await openDemo(page);
    const narrow = size.width < 1000;
    // Columns hide by priority: Account and "Deleted for good" first.
    await expect(grid(page).getByRole('columnheader', { name: 'Account' })).toHaveCount(narrow ? 0 : 1);
    await expect(grid(page).getByRole('columnheader', { name: 'Deleted for good' })).toHaveCount(narrow ? 0 : 1);
    await expect(grid(page).getByRole('columnheader', { name: 'Original location' })).toBeVisible();
    // The filters fold behind one button when narrow.
    const type = page.getByRole('combobox', { name: 'Type' });
    if (narrow) {
      await expect(type).toHaveCount(0);
      await page.getByRole('button', { name: 'Filters' }).click();
      await expect(type).toBeVisible();
      await page.getByRole('button', { name: 'Filters' }).click();
      await expect(type).toHaveCount(0);
    } else {
      await expect(type).toBeVisible();
      await expect(page.getByRole('button', { name: 'Filters' })).toHaveCount(0);
    }

    await screenshot(page, `layout-${size.width}-light`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `layout-${size.width}-dark`);
    await page.emulateMedia({ colorScheme: 'light' });

    // One row selected: every action of the toolbar is enabled and lies inside the window.
    await grid(page).locator('[role="row"][data-index="0"] .cell-name').click();
    await expect(page.getByTestId('selection-count')).toContainText('1 selected');
    for (const name of ['Restore', 'Restore to…', 'Delete permanently', 'Details', 'Reload', 'Empty trash']) {
      const button = await expectInWindow(page, name);
      await expect(button).toBeEnabled();
      await button.click({ trial: true });
    }
    await screenshot(page, `layout-${size.width}-selected-light`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `layout-${size.width}-selected-dark`);
    await page.emulateMedia({ colorScheme: 'light' });

    // Restore to… cannot take items of two accounts, and says so beside it (not only in a tooltip).
    await expect(page.getByTestId('restore-to-reason')).toHaveCount(0);
    await grid(page)
      .locator('[role="row"][data-index="1"] .cell-name')
      .click({ modifiers: ['ControlOrMeta'] });
    await expect(page.getByTestId('selection-count')).toContainText('2 selected');
    await expect(page.getByRole('button', { name: 'Restore to…' })).toBeDisabled();
    await expect(page.getByTestId('restore-to-reason')).toBeVisible();
    await grid(page).locator('[role="row"][data-index="0"] .cell-name').click();
    await expect(page.getByTestId('restore-to-reason')).toHaveCount(0);

    // And they open what they should.
    await (await expectInWindow(page, 'Restore to…')).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await (await expectInWindow(page, 'Delete permanently')).click();
    await expect(page.getByRole('alertdialog')).toBeVisible();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    await (await expectInWindow(page, 'Empty trash')).click();
    await expect(page.getByRole('alertdialog', { name: 'Empty the trash of which accounts?' })).toBeVisible();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    await (await expectInWindow(page, 'Reload')).click();
    await expect(page.getByTestId('status-bar')).toHaveAttribute('data-complete', 'true', { timeout: 30_000 });

    // The details pane fits too (over the list's edge when narrow); the README's picture is the wide one.
    await grid(page).locator('[role="row"][data-index="2"] .cell-name').click();
    await (await expectInWindow(page, 'Details')).click();
    await expect(page.getByRole('complementary', { name: 'Details' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Close details' })).toBeInViewport();
    await page.mouse.move(size.width - 5, 5);
    await screenshot(page, `layout-${size.width}-details-light`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `layout-${size.width}-details-dark`);
    await page.emulateMedia({ colorScheme: 'light' });
  });
}
