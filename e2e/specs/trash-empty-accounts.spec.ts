import type { Page } from '@playwright/test';
import { expect, screenshot, seedTrashWindowTree, test, type HostHandle } from '../fixtures';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { waitForOperation } from './trash-helpers';

// Three accounts in one window: DocSpace and Nextcloud from the fixtures, ownCloud 10 started here.
test.use({ serverKind: 'nextcloud' });

async function addOwnCloud(host: HostHandle) {
  const server = await startWebDavServer({ kind: 'owncloud10', seed: seedTrashWindowTree });
  const user = WEBDAV_USERS.alice;
  const label = 'alice@owncloud10.test';
  await host.invoke('accounts:add', {
    serverUrl: server.url,
    kind: 'owncloud10',
    user: user.id,
    secret: user.appPassword,
    label,
  });
  const trash = () => server.tree.trashOf('alice').map((e) => server.tree.node(e.nodeId).name);
  return { server, label, trash };
}

const statusBar = (page: Page) => page.getByTestId('status-bar');
const count = (n: number) => `${n.toLocaleString('en-US')} item${n === 1 ? '' : 's'}`;

async function shoot(page: Page, name: string) {
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the status bar says the total is still growing until every account has answered', async ({
  page,
  host,
  docspace,
  account,
}) => {
  const owncloud = await addOwnCloud(host);
  try {
    const slowCount = owncloud.trash().length;
    const total = docspace.trash().length + account.trash().length + slowCount;
    owncloud.server.control.setLatency(4000);
    await host.open(page);
    // Two accounts have answered, the slow one has not: the count is marked as partial.
    await expect(page.getByTestId('view-count')).toHaveText(
      `${count(docspace.trash().length + account.trash().length)} so far · still loading 1 of 3 accounts…`,
    );
    await expect(statusBar(page)).toHaveAttribute('data-complete', 'false');
    await shoot(page, 'status-bar-loading');

    // The Empty dialog meanwhile says that account is not loaded yet, and ticks nothing.
    await page.getByRole('button', { name: 'Empty trash' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Empty the trash of which accounts?' });
    const slow = dialog.getByRole('checkbox', { name: new RegExp(owncloud.label) });
    await expect(slow).toHaveAccessibleName(`${owncloud.label} (ownCloud 10): count unknown, not loaded yet`);
    await expect(
      dialog.getByTestId('empty-account').filter({ hasText: owncloud.label }).getByTestId('empty-account-detail'),
    ).toHaveText('not loaded yet');
    await expect(slow).not.toBeChecked();
    await dialog.getByTestId('empty-account').filter({ hasText: owncloud.label }).click();
    await expect(dialog.getByRole('button', { name: 'Delete everything in the trash of 1 account' })).toBeEnabled();
    await shoot(page, 'empty-dialog-loading');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    expect(owncloud.trash()).toHaveLength(slowCount);

    // Once the last account answers, the final count, and only then.
    await expect(statusBar(page)).toHaveAttribute('data-complete', 'true', { timeout: 30_000 });
    await expect(page.getByTestId('view-count')).toHaveText(
      new RegExp(`^${count(total)} · \\d[\\d.,]* [KMG]?B( \\+ \\d+ folders? of unknown size)?$`),
    );
    await shoot(page, 'status-bar-complete');
  } finally {
    await owncloud.server.close();
  }
});

test('an account that fails counts as answered: the total is final and says what is missing', async ({
  page,
  host,
  docspace,
  account,
}) => {
  account.control.fault({ status: 500, times: Infinity, path: 'trashbin' });
  await host.open(page);
  await expect(statusBar(page)).toHaveAttribute('data-complete', 'true');
  await expect(page.getByTestId('view-count')).toContainText(`${count(docspace.trash().length)} · `);
  await expect(statusBar(page)).toContainText('1 account could not be loaded');
});

test('Empty trash in All accounts: one line per account, none ticked, empties only the ticked account', async ({
  page,
  host,
  docspace,
  account,
}) => {
  const owncloud = await addOwnCloud(host);
  try {
    const before = { docspace: docspace.trash(), nextcloud: account.trash(), owncloud: owncloud.trash() };
    await host.open(page);
    await expect(statusBar(page)).toHaveAttribute('data-complete', 'true');
    await page.getByRole('button', { name: 'Empty trash' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Empty the trash of which accounts?' });
    const line = (a: { label: string }) => dialog.getByTestId('empty-account').filter({ hasText: a.label });
    const box = (a: { label: string }) => dialog.getByRole('checkbox', { name: new RegExp(a.label) });

    await expect(dialog.getByTestId('empty-account')).toHaveCount(3);
    const kinds = {
      [docspace.label]: 'ONLYOFFICE DocSpace',
      [account.label]: 'Nextcloud',
      [owncloud.label]: 'ownCloud 10',
    };
    for (const [a, n] of [
      [docspace, before.docspace.length],
      [account, before.nextcloud.length],
      [owncloud, before.owncloud.length],
    ] as const) {
      await expect(line(a)).toContainText(kinds[a.label]!);
      await expect(line(a).getByTestId('empty-account-count')).toHaveText(count(n));
      await expect(line(a).getByTestId('empty-account-detail')).toHaveText(
        /^\d[\d.,]* [KMG]?B( \+ \d+ folders? of unknown size)?$/,
      );
      await expect(box(a)).toHaveAccessibleName(
        new RegExp(`^${a.label.replace('.', '\\.')} \\(${kinds[a.label]}\\): ${count(n)}, `),
      );
    }
    for (const a of [docspace, account, owncloud]) await expect(box(a)).not.toBeChecked();
    const confirm = dialog.getByRole('button', { name: /^(Delete|Choose)/ });
    await expect(confirm).toHaveText('Choose accounts to empty');
    await expect(confirm).toBeDisabled();
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await shoot(page, 'empty-dialog-none-ticked');

    // The button follows the boxes.
    await line(account).click();
    await expect(confirm).toHaveText(`Delete ${count(before.nextcloud.length)} from 1 account`);
    await line(docspace).click();
    await expect(box(docspace)).toBeChecked();
    await expect(confirm).toHaveText(
      `Delete ${count(before.nextcloud.length + before.docspace.length)} from 2 accounts`,
    );
    await expect(dialog.getByTestId('delete-message')).toContainText(`from ${docspace.label} and ${account.label}`);
    await shoot(page, 'empty-dialog-two-ticked');
    await line(docspace).click();
    await expect(box(docspace)).not.toBeChecked();
    await expect(confirm).toHaveText(`Delete ${count(before.nextcloud.length)} from 1 account`);
    await expect(dialog.getByTestId('delete-message')).toHaveText(
      new RegExp(
        `^Permanently deletes ${count(before.nextcloud.length)} \\(.+\\) from ${account.label.replace('.', '\\.')}\\. This cannot be undone\\.$`,
      ),
    );

    await confirm.click();
    await expect(dialog).toHaveCount(0);
    await waitForOperation(page);
    // Only Nextcloud's trash is gone, on the servers and in the window.
    await expect.poll(() => account.trash()).toEqual([]);
    expect(docspace.trash()).toEqual(before.docspace);
    expect(owncloud.trash().sort()).toEqual(before.owncloud.sort());
    await expect(statusBar(page)).toHaveAttribute('data-complete', 'true');
    await expect(page.getByTestId('view-count')).toContainText(
      `${count(before.docspace.length + before.owncloud.length)} · `,
    );
    const sidebar = page.getByRole('navigation', { name: 'Accounts' });
    await expect(sidebar.getByRole('button', { name: new RegExp(`^${docspace.label}`) })).toContainText(
      String(before.docspace.length),
    );

    // One account in view: a one-account confirmation that names it and its count.
    await sidebar.getByRole('button', { name: new RegExp(`^${owncloud.label}`) }).click();
    await expect(page.getByTestId('view-count')).toContainText(`${count(before.owncloud.length)} · `);
    await page.getByRole('button', { name: 'Empty trash' }).click();
    const one = page.getByRole('alertdialog', { name: `Empty the trash of ${owncloud.label}?` });
    await expect(one.getByTestId('delete-message')).toHaveText(
      new RegExp(
        `^Permanently delete ${count(before.owncloud.length)} \\(.+\\) from ${owncloud.label.replace('.', '\\.')}\\? This cannot be undone\\.$`,
      ),
    );
    await one.getByRole('button', { name: 'Cancel' }).click();
    expect(owncloud.trash()).toHaveLength(before.owncloud.length);
  } finally {
    await owncloud.server.close();
  }
});
