import { expect, type Locator, type Page } from '@playwright/test';
import type { HostHandle } from '../fixtures';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { seedOcisSpaces, seedTestState } from '../../electron/demo/servers/webdav/seed';

/** An Infinite Scale test server holding the usual test state plus a personal and project spaces. */
export const startOcisWithSpaces = () =>
  startWebDavServer({
    kind: 'ocis',
    seed: (tree) => {
      seedTestState(tree);
      seedOcisSpaces(tree);
    },
  });

/** Opens the app and waits until the trash table shows `name`. */
export async function openTrash(page: Page, host: HostHandle, name = 'Batch 01.txt') {
  await host.open(page);
  await expect(row(page, name)).toBeVisible();
}

/** Opens the app and its add-account dialog; with `serverUrl`, types it and continues to the sign-in step. */
export async function openAddAccount(page: Page, host: HostHandle, serverUrl?: string): Promise<Locator> {
  await host.open(page);
  await page.getByRole('button', { name: 'Add account' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add an account' });
  if (serverUrl !== undefined) {
    await dialog.getByRole('textbox', { name: 'Server address' }).fill(serverUrl);
    await dialog.getByRole('button', { name: 'Continue' }).click();
  }
  return dialog;
}

export const grid = (page: Page) => page.getByRole('grid');
export const row = (page: Page, name: string) => grid(page).getByRole('row').filter({ hasText: name });

/** Names of the rows the table marks as selected, in display order. */
export async function selectedNames(page: Page): Promise<string[]> {
  const rows = grid(page).locator('[role="row"][aria-selected="true"] .name-text');
  return rows.allTextContents();
}

/** Drags a rubber band with the mouse from one row's gutter to another's. */
export async function marquee(page: Page, from: Locator, to: Locator) {
  const a = await from.locator('.gutter').boundingBox();
  const b = await to.locator('.gutter').boundingBox();
  if (!a || !b) throw new Error('rows not on screen');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  const steps = 8;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(a.x + a.width / 2 + 40 * (i / steps), a.y + a.height / 2 + ((b.y - a.y) * i) / steps);
  }
  await page.mouse.up();
}

/** The newest operation card in the operations panel. */
export const latestOperation = (page: Page) => page.getByTestId('operation').first();

/** Opens the batches folded into the "N more batches finished" line (only the newest finished one is a card). */
export async function showEarlierBatches(page: Page) {
  const show = page.getByTestId('finished-line').getByRole('button', { name: 'Show' });
  if (await show.count()) await show.click();
}

export async function waitForOperation(page: Page, state: 'Done' | 'Cancelled' = 'Done') {
  await expect(latestOperation(page).getByTestId('operation-state')).toContainText(`${state} —`);
}

/** Clicks one row, then shift-clicks another: a contiguous range. */
export async function selectRange(page: Page, first: string, last: string) {
  await row(page, first).locator('.cell-name').click();
  await row(page, last).locator('.cell-name').click({ modifiers: ['Shift'] });
}
