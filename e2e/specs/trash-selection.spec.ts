import { expect, screenshot, test } from '../fixtures';
import { grid, openTrash, row, selectedNames } from './trash-helpers';

test.beforeEach(async ({ docspace }) => {
  void docspace; // the rows come from one DocSpace account with Batch 01…12
});

test('rubber band from a date cell selects the rows it crosses', async ({ page, host }) => {
  await openTrash(page, host);
  const from = (await row(page, 'Batch 02.txt').getByRole('gridcell').nth(3).boundingBox())!;
  const to = (await row(page, 'Batch 05.txt').getByRole('gridcell').nth(3).boundingBox())!;
  await page.mouse.move(from.x + 10, from.y + from.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++)
    await page.mouse.move(from.x + 10 + 4 * i, from.y + from.height / 2 + ((to.y - from.y) * i) / 8);
  await page.mouse.up();
  expect(await selectedNames(page)).toEqual(['Batch 02.txt', 'Batch 03.txt', 'Batch 04.txt', 'Batch 05.txt']);
  await expect(page.getByTestId('selection-count')).toContainText('4 selected');
});

test('the header checkbox selects all, shows a partial selection, and clears', async ({ page, host }) => {
  await openTrash(page, host);
  const box = page.getByRole('checkbox', { name: 'Select all' });
  const count = await grid(page).locator('[role="row"][data-index]').count();
  await expect(box).not.toBeChecked();
  await box.click();
  await expect(box).toBeChecked();
  await expect(page.getByTestId('selection-count')).toContainText(`${count} selected`);
  await row(page, 'Batch 03.txt').locator('.cell-name').click();
  await expect(page.getByTestId('selection-count')).toContainText('1 selected');
  expect(await box.evaluate((el: HTMLInputElement) => el.indeterminate)).toBe(true);
  await screenshot(page, 'selection-partial-light');
  await box.click();
  await expect(box).toBeChecked();
  await expect(page.getByTestId('selection-count')).toContainText(`${count} selected`);
  await box.click();
  await expect(box).not.toBeChecked();
  await expect(page.getByTestId('selection-count')).toHaveText('Nothing selected');
});

test('keyboard: the first Tab is a skip link to the list, and the focused list shows a focus ring', async ({
  page,
  host,
}) => {
  await openTrash(page, host);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the trash list' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(grid(page)).toBeFocused();
  const ring = await grid(page).evaluate((el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: s.outlineWidth };
  });
  expect(ring.style).toBe('solid');
  expect(ring.width).toBe('2px');
  // Arrow keys move from there; the focused row is marked too.
  await page.keyboard.press('ArrowDown');
  const focusedRow = grid(page).locator('.trash-row.focused');
  await expect(focusedRow).toHaveCount(1);
  expect(await focusedRow.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  await screenshot(page, 'keyboard-focus-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'keyboard-focus-dark');
});

for (const size of [
  { width: 800, height: 560 },
  { width: 1400, height: 900 },
]) {
  test(`keyboard at ${size.width}×${size.height}: plain Tab reaches the list in at most 6 presses, and the list shows it has the focus`, async ({
    page,
    host,
  }) => {
    await page.setViewportSize(size);
    await openTrash(page, host);
    // Stops on the way: the skip link, the toolbar (one stop: Left/Right move inside), search, the
    // filters (one stop) or the Filters button, the timeline's toggle when folded, then the list.
    const stops: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      stops.push(
        await page.evaluate(
          () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? '',
        ),
      );
      if (await grid(page).evaluate((el) => el === document.activeElement)) break;
    }
    await expect(grid(page), `Tab stops: ${stops.join(' → ')}`).toBeFocused();
    expect(stops.length).toBeLessThanOrEqual(6);
    const ring = await grid(page).evaluate((el) => {
      const s = getComputedStyle(el);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    // The toolbar is one stop whose buttons Left/Right reach; Shift+Tab walks back the same way.
    await page.keyboard.press('Shift+Tab');
    await expect(grid(page)).not.toBeFocused();
    await page
      .getByRole('toolbar', { name: 'Actions on the selection' })
      .getByRole('button', { name: 'Reload' })
      .focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('button', { name: 'Empty trash' })).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('button', { name: 'Details', exact: true })).toBeFocused();
    if (size.width >= 1400) {
      // The filters are one stop too: Left/Right move between them without changing a select's value.
      const type = page.getByRole('combobox', { name: 'Type' });
      await type.focus();
      await page.keyboard.press('ArrowRight');
      await expect(page.getByTestId('date-range')).toBeFocused();
      await page.keyboard.press('ArrowRight');
      await expect(page.getByRole('combobox', { name: 'Original folder' })).toBeFocused();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await expect(type).toBeFocused();
      await expect(type).toHaveValue('');
      expect(await type.getAttribute('tabindex')).toBe('0');
      expect(await page.getByRole('combobox', { name: 'Original folder' }).getAttribute('tabindex')).toBe('-1');
    }
    await screenshot(page, `keyboard-tab-${size.width}-light`);
  });
}

test('context menu: right click on a row restores it; the menu key opens it for the focused row', async ({
  page,
  host,
  docspace,
}) => {
  await openTrash(page, host);
  await row(page, 'Batch 04.txt').getByRole('gridcell').nth(2).click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions on the selected item' });
  await expect(menu).toBeVisible();
  expect(await selectedNames(page)).toEqual(['Batch 04.txt']);
  await expect(menu.getByRole('menuitem', { name: 'Restore to…' })).toBeVisible();
  await screenshot(page, 'context-menu-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'context-menu-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await menu.getByRole('menuitem', { name: 'Restore', exact: true }).click();
  await expect(page.getByTestId('undo-toast')).toContainText('Restored Batch 04.txt');
  await expect(row(page, 'Batch 04.txt')).toHaveCount(0);
  expect(docspace.live('Reports/2024')).toContain('Batch 04.txt');

  // Keyboard only: focus the list, move to a row, press the menu key.
  await grid(page).focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ContextMenu');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(grid(page)).toBeFocused();
  await page.keyboard.press('Shift+F10');
  await menu.getByRole('menuitem', { name: 'Delete permanently' }).click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
});
