import { expect, screenshot, test } from '../fixtures';
import { startDocSpaceServer, TEST_KEYS } from '../../electron/demo/servers/docspace';
import { seedTrashWindowPortal, seedTrashWindowTree } from '../fixtures';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { openAddAccount, openTrash, row, selectRange, selectedNames } from './trash-helpers';

test('Add account: address, detected server, the right credential field, Test connection, Add', async ({
  page,
  host,
}) => {
  const server = await startDocSpaceServer({ seed: seedTrashWindowPortal });
  try {
    const dialog = await openAddAccount(page, host, server.url);
    await expect(dialog.getByTestId('detected-server')).toContainText('DocSpace');
    // DocSpace asks for an API key, and no user name.
    await expect(dialog.getByRole('textbox', { name: 'User name' })).toHaveCount(0);
    const key = dialog.getByLabel('API key');
    await key.fill('sk-wrong-key');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByTestId('secret-error')).toContainText('did not accept this API key');
    await key.fill(TEST_KEYS.alice);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByTestId('test-result')).toContainText('Connected as Alice Carter');
    await dialog.getByRole('textbox', { name: 'Name in Salvage (optional)' }).fill('Work DocSpace');
    await screenshot(page, 'add-account-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'add-account-dark');
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(
      page.getByRole('navigation', { name: 'Accounts' }).getByRole('button', { name: /^Work DocSpace/ }),
    ).toBeVisible();
    await expect(row(page, 'Batch 01.txt')).toBeVisible();
    const accounts = await host.invoke<{ label: string; kind: string }[]>('accounts:list');
    expect(accounts.map((a) => [a.label, a.kind])).toEqual([['Work DocSpace', 'docspace']]);
  } finally {
    await server.close();
  }
});

test('credentials expired: the list and the selection stay, Sign in again reloads', async ({
  page,
  host,
  docspace,
}) => {
  await openTrash(page, host);
  await selectRange(page, 'Batch 02.txt', 'Batch 04.txt');
  docspace.control.fault({
    status: 401,
    times: Infinity,
    body: '{"error":{"message":"Unauthorized"}}',
    headers: { 'Content-Type': 'application/json' },
  });
  await page.getByRole('button', { name: 'Reload' }).click();
  const banner = page.getByTestId('auth-banner');
  await expect(banner).toContainText('alice@docspace.test no longer accepts its saved password or key');
  expect(await selectedNames(page)).toEqual(['Batch 02.txt', 'Batch 03.txt', 'Batch 04.txt']);
  await screenshot(page, 'auth-expired-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'auth-expired-dark');
  docspace.control.clearFaults();
  await banner.getByRole('button', { name: 'Sign in again' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in to alice@docspace.test again' });
  await dialog.getByLabel('New API key').fill(TEST_KEYS.alice);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(banner).toHaveCount(0);
  expect(await selectedNames(page)).toEqual(['Batch 02.txt', 'Batch 03.txt', 'Batch 04.txt']);
  const accounts = await host.invoke<{ status: string }[]>('accounts:list');
  expect(accounts[0]!.status).toBe('ok');
});

test('a server error says what happened and Retry recovers', async ({ page, host, docspace }) => {
  docspace.control.fault({ status: 500, times: Infinity, path: 'trash' });
  await host.open(page);
  const banner = page.getByRole('alert').filter({ hasText: 'Could not load the trash of alice@docspace.test' });
  await expect(banner).toContainText('The server had an internal error');
  await screenshot(page, 'server-error-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'server-error-dark');
  docspace.control.clearFaults();
  await banner.getByRole('button', { name: 'Retry' }).click();
  await expect(row(page, 'Batch 01.txt')).toBeVisible();
  await expect(banner).toHaveCount(0);
});

test('loading skeleton while the first page is on its way', async ({ page, host, docspace }) => {
  docspace.control.setLatency(1500);
  await host.open(page);
  await expect(page.getByRole('status', { name: 'Loading the trash' })).toBeVisible();
  await screenshot(page, 'loading-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'loading-dark');
  docspace.control.setLatency(0);
  await expect(row(page, 'Batch 01.txt')).toBeVisible({ timeout: 30_000 });
});

test('Nextcloud: sign in through the browser (Login Flow v2) instead of typing an app password', async ({
  page,
  host,
}) => {
  const server = await startWebDavServer({ kind: 'nextcloud', seed: seedTrashWindowTree });
  try {
    const dialog = await openAddAccount(page, host, server.url);
    await expect(dialog.getByTestId('detected-server')).toContainText('Nextcloud');
    await expect(dialog.getByRole('textbox', { name: 'User name' })).toBeVisible();
    const popup = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Sign in with the browser instead' }).click();
    await expect(dialog.getByTestId('login-flow')).toContainText('Waiting for your approval');
    // The user approves in the browser (the test server's stand-in for its login page).
    const loginUrl = (await popup).url();
    const approved = await fetch(`${loginUrl}?user=alice`);
    expect(approved.status).toBe(200);
    await expect(dialog).toHaveCount(0);
    await expect(row(page, 'Batch 01.txt')).toBeVisible();
    const accounts = await host.invoke<{ kind: string; userName: string }[]>('accounts:list');
    expect(accounts.map((a) => a.kind)).toEqual(['nextcloud']);
  } finally {
    await server.close();
  }
});

test('rename and remove an account from its menu; offline is said plainly', async ({ page, host, docspace }) => {
  await openTrash(page, host);
  const sidebar = page.getByRole('navigation', { name: 'Accounts' });
  await sidebar.getByRole('button', { name: `Actions for ${docspace.label}` }).click();
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename account' });
  await rename.getByRole('textbox', { name: 'Name' }).fill('Team space');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(sidebar.getByRole('button', { name: /^Team space/ })).toBeVisible();
  expect((await host.invoke<{ label: string }[]>('accounts:list')).map((a) => a.label)).toEqual(['Team space']);

  await page.context().setOffline(true);
  await expect(page.getByRole('alert').filter({ hasText: 'You are offline' })).toBeVisible();
  await screenshot(page, 'offline-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'offline-dark');
  await page.context().setOffline(false);
  await expect(page.getByRole('alert').filter({ hasText: 'You are offline' })).toHaveCount(0);

  await sidebar.getByRole('button', { name: 'Actions for Team space' }).click();
  await page.getByRole('menuitem', { name: 'Remove account…' }).click();
  const remove = page.getByRole('alertdialog', { name: 'Remove account?' });
  await expect(remove.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await remove.getByRole('button', { name: 'Remove account' }).click();
  await expect(page.getByRole('heading', { name: /No accounts yet/ })).toBeVisible();
  expect(await host.invoke('accounts:list')).toEqual([]);
  // Nothing changed on the server.
  expect(docspace.trash()).toContain('Batch 01.txt');
});
