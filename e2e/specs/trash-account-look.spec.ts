import type { Locator, Page } from '@playwright/test';
import { expect, test, type HostHandle } from '../fixtures';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { seedTestState, WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { grid, latestOperation, openTrash, row, shots, waitForOperation } from './trash-helpers';

/**
 * Issue 22, item 2: where items of several accounts meet — the conflict dialog, batch cards, result
 * lists, the undo toast, rows of a narrow window — each shows its account's colour and short name,
 * and an account's colour is the same everywhere (sidebar, rows, timeline), in All accounts and alone.
 */

const alice = WEBDAV_USERS.alice;
const BUDGET = 'Budget 2026.xlsx';

/** Three accounts holding the same file in the trash, and a live one of that name where it goes back. */
async function threeAccounts(host: HostHandle) {
  const servers = [];
  for (const [kind, label] of [
    ['nextcloud', 'Nextcloud (work)'],
    ['owncloud10', 'ownCloud (home)'],
    ['ocis', 'Infinite Scale (club)'],
  ] as const) {
    const server = await startWebDavServer({
      kind,
      seed: (tree) => {
        seedTestState(tree);
        tree.trash(tree.writeFile('alice', `Documents/${BUDGET}`, 4000, { parents: true }).id);
        tree.writeFile('alice', `Documents/${BUDGET}`, 77);
      },
    });
    await host.invoke('accounts:add', {
      serverUrl: server.url,
      kind,
      user: alice.id,
      secret: alice.appPassword,
      label,
    });
    servers.push(server);
  }
  return servers;
}

/** The colour a swatch is painted in. */
const colourOf = (swatch: Locator) => swatch.evaluate((el) => getComputedStyle(el).backgroundColor);
const sidebarEntry = (page: Page, label: string) =>
  page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: new RegExp(`^${label.replace(/[()]/g, '\\$&')}`) });

test('several accounts: the conflict dialog, the batch card, its results and the toast say whose each item is', async ({
  page,
  host,
}) => {
  const servers = await threeAccounts(host);
  try {
    await page.setViewportSize({ width: 1400, height: 900 });
    await openTrash(page, host, BUDGET);
    await page.getByRole('searchbox', { name: 'Search the trash' }).fill(BUDGET);
    await expect(grid(page).getByRole('row').filter({ hasText: BUDGET })).toHaveCount(3);
    await page.getByTestId('trash-grid').focus();
    await page.keyboard.press('Control+A');
    await page.getByRole('button', { name: 'Restore', exact: true }).click();

    const dialog = page.getByRole('dialog', { name: '3 items already exist at the destination' });
    const rows = dialog.getByTestId(`conflict ${BUDGET}`);
    await expect(rows).toHaveCount(3);
    const badges = await rows.getByTestId('account-badge').allTextContents();
    expect(badges.map((b) => b.replace(/ \(.*\)$/, '')).sort()).toEqual(['Infinite Scale', 'Nextcloud', 'ownCloud']);
    await shots(page, 'accounts-conflicts');
    await dialog.getByRole('button', { name: 'Restore 3 items' }).click();

    await waitForOperation(page);
    const card = latestOperation(page);
    await expect(card.getByTestId('account-badge')).toHaveCount(3);
    await card.getByRole('button', { name: 'Details' }).click();
    const lines = card.getByRole('list', { name: /^Results of/ }).getByRole('listitem');
    await expect(lines).toHaveCount(3);
    await expect(lines.getByTestId('account-badge')).toHaveCount(3);
    await expect(page.getByTestId('undo-toast').getByTestId('account-badge')).toHaveCount(3);
    await shots(page, 'accounts-batch');
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('an account keeps one colour: sidebar, rows and timeline, in All accounts and alone; narrow rows carry the account', async ({
  page,
  host,
}) => {
  const servers = await threeAccounts(host);
  try {
    await page.setViewportSize({ width: 800, height: 560 });
    await openTrash(page, host, BUDGET);
    // No room for the Account column: each row shows its account's badge instead.
    await expect(grid(page).getByRole('columnheader', { name: 'Account' })).toHaveCount(0);
    const own = row(page, BUDGET).filter({ hasText: 'ownCloud' });
    await expect(own.getByTestId('account-badge')).toHaveText(/^ownCloud/);
    const sidebarColour = await colourOf(sidebarEntry(page, 'ownCloud (home)').locator('.swatch'));
    expect(await colourOf(own.getByTestId('account-badge').locator('.swatch'))).toBe(sidebarColour);
    await shots(page, 'accounts-narrow-rows');

    // The timeline paints each account in that same colour, with every account shown and with it alone.
    await page.setViewportSize({ width: 1400, height: 900 });
    const timelineColours = async () =>
      Object.fromEntries(
        (await page.getByTestId('deletion-timeline').getAttribute('data-colours'))!
          .split('|')
          .map((p) => p.split('=') as [string, string]),
      );
    await page
      .getByRole('button', { name: /Timeline/ })
      .first()
      .click();
    const all = await timelineColours();
    await sidebarEntry(page, 'ownCloud (home)').click();
    await expect(page.getByRole('heading', { name: 'ownCloud (home)' })).toBeVisible();
    const alone = await timelineColours();
    expect(Object.keys(alone)).toHaveLength(1);
    const [id] = Object.keys(alone);
    expect(alone[id!]).toBe(all[id!]);
    expect(await colourOf(sidebarEntry(page, 'ownCloud (home)').locator('.swatch'))).toBe(
      await page.evaluate((c) => {
        const el = document.createElement('span');
        el.style.background = c;
        document.body.append(el);
        const rgb = getComputedStyle(el).backgroundColor;
        el.remove();
        return rgb;
      }, alone[id!]!),
    );
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});
