import { expect, type Locator, type Page } from '@playwright/test';
import { screenshot, type HostHandle } from '../fixtures';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { seedDemoIncident, seedOcisSpaces, seedTestState, WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';

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
  await expect(row(page, name).first()).toBeVisible();
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
  await row(page, last)
    .locator('.cell-name')
    .click({ modifiers: ['Shift'] });
}

/** Saves a screenshot light and dark (e2e/artifacts/<name>-light.png, -dark.png) and goes back to light. */
export async function shots(page: Page, name: string) {
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** How many rows of the trash list lie wholly inside its scrolling area (what the user sees of the list). */
export async function rowsInView(page: Page): Promise<number> {
  return page.getByTestId('trash-scroll').evaluate((scroller) => {
    const box = scroller.getBoundingClientRect();
    return [...scroller.querySelectorAll('.trash-row')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.height > 0 && b.top >= box.top - 1 && b.bottom <= box.bottom + 1;
    }).length;
  });
}

/**
 * A WebDAV test server (Nextcloud unless said) holding the test state and the demo's incident — 184
 * items from Projects/Client X three days before the seed's fixed clock (SEED_TIME), Specs/Old first
 * losing ten files and then itself — among `older` ordinary deletions, added to the host as an account.
 */
export async function startIncident(
  host: HostHandle,
  options: { kind?: 'nextcloud' | 'owncloud10' | 'ocis'; label?: string; older?: number } = {},
) {
  const kind = options.kind ?? 'nextcloud';
  const server = await startWebDavServer({
    kind,
    seed: (tree) => {
      seedTestState(tree);
      seedDemoIncident(tree, 'alice', options.older ?? 40);
    },
  });
  const alice = WEBDAV_USERS.alice;
  const { id } = await host.invoke<{ id: string }>('accounts:add', {
    serverUrl: server.url,
    kind,
    user: alice.id,
    secret: alice.appPassword,
    label: options.label ?? 'Nextcloud (work)',
  });
  const tree = server.tree;
  return {
    server,
    id,
    /** Names of the live entries of a folder (empty when it does not exist). */
    live: (path: string) => {
      const f = tree.resolve('alice', path);
      return f
        ? tree
            .children(f.id)
            .map((n) => n.name)
            .sort()
        : [];
    },
    /** Names of the top-level trash entries, as the server keeps them. */
    trash: () => tree.trashOf('alice').map((e) => tree.node(e.nodeId).name),
  };
}
