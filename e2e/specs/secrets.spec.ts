import { startDocSpaceServer, TEST_KEYS } from '../../electron/demo/servers/docspace/index';
import { WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { expect, seedTrashWindowPortal, test } from '../fixtures';
import { SecretWatch } from '../secret-watch';
import { row, selectedNames, waitForOperation } from './trash-helpers';

/**
 * Issue 7's "done when": during a full run — adding an account in the UI, listing, restoring,
 * failed sign-ins, re-authentication — no bridge response, no event and nothing left in the page
 * contains a test account's secret.
 */
test('secrets never appear in anything the renderer receives', async ({ page, host }) => {
  const server = await startDocSpaceServer({ seed: seedTrashWindowPortal, opItemMs: 5 });
  const watch = new SecretWatch([TEST_KEYS.alice, TEST_KEYS.aliceReadOnly, TEST_KEYS.bob], { users: ['alice', 'bob'] });
  try {
    await watch.attach(page, host);
    const invoke = watch.invoker(host);
    await host.open(page);

    // Add the account the way a person does: the key is typed into the page and sent to main.
    await page.getByRole('button', { name: 'Add account' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Server address').fill(server.url);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.locator('input[type="password"]').fill(TEST_KEYS.alice);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByTestId('test-result')).toContainText('Connected as');
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(dialog).toHaveCount(0);

    // List and restore through the UI.
    await expect(row(page, 'Batch 01.txt')).toBeVisible();
    await row(page, 'Batch 02.txt').locator('.cell-name').click();
    expect(await selectedNames(page)).toEqual(['Batch 02.txt']);
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await waitForOperation(page);
    await expect(row(page, 'Batch 02.txt')).toHaveCount(0);

    // The same channels, called directly, including the failures whose messages could echo input.
    const [account] = await invoke<{ id: string; secretStorage: string }[]>('accounts:list');
    expect(account?.secretStorage).toBe('session');
    await invoke('trash:list', { accountId: account!.id, parentId: null, cursor: null });
    await invoke('app:info');
    await invoke('ops:list');
    await expect(
      invoke('accounts:test', { serverUrl: server.url, kind: 'docspace', secret: `${TEST_KEYS.bob}-wrong` }),
    ).rejects.toThrow(/AUTH_FAILED/);
    await expect(
      invoke('accounts:reauth', { accountId: account!.id, secret: `${TEST_KEYS.aliceReadOnly}-wrong` }),
    ).rejects.toThrow();
    await invoke('accounts:reauth', { accountId: account!.id, secret: TEST_KEYS.alice });
    await invoke('accounts:add', { serverUrl: server.url, kind: 'docspace', secret: TEST_KEYS.bob, label: 'Bob' });
    await invoke('accounts:list');
    await expect(page.getByText('Bob').first()).toBeVisible();

    await watch.finish(page);
    // The watch was not blind: it read page responses, events and direct results.
    expect(watch.seen.responses).toBeGreaterThan(5);
    expect(watch.seen.events).toBeGreaterThan(2);
    expect(watch.seen.calls).toBeGreaterThan(5);
  } finally {
    await server.close();
  }
});

test('WebDAV (Nextcloud, ownCloud 10): app passwords and passwords never appear either', async ({ page, host }) => {
  const nextcloud = await startWebDavServer({ kind: 'nextcloud' });
  const owncloud = await startWebDavServer({ kind: 'owncloud10' });
  const { alice, bob } = WEBDAV_USERS;
  const watch = new SecretWatch([alice.appPassword, alice.password, bob.appPassword, bob.password], {
    users: ['alice', 'bob'],
  });
  try {
    await watch.attach(page, host);
    const invoke = watch.invoker(host);
    await host.open(page);

    // Nextcloud through the add-account dialog: user name and app password typed into the page.
    await page.getByRole('button', { name: 'Add account' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Server address').fill(nextcloud.url);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByLabel('User name').fill(alice.id);
    await dialog.locator('input[type="password"]').fill(alice.appPassword);
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(row(page, 'notes.txt')).toBeVisible();
    await row(page, 'notes.txt').locator('.cell-name').click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await waitForOperation(page);
    await expect(row(page, 'notes.txt')).toHaveCount(0);

    // ownCloud 10 directly, with the login password; then failures that could echo the input.
    const oc = await invoke<{ id: string }>('accounts:add', {
      serverUrl: owncloud.url,
      kind: 'owncloud10',
      user: alice.id,
      secret: alice.password,
    });
    await invoke('trash:list', { accountId: oc.id, parentId: null, cursor: null });
    await expect(
      invoke('accounts:test', {
        serverUrl: owncloud.url,
        kind: 'owncloud10',
        user: bob.id,
        secret: `${bob.password}-wrong`,
      }),
    ).rejects.toThrow(/AUTH_FAILED/);
    await expect(
      invoke('accounts:add', {
        serverUrl: nextcloud.url,
        kind: 'nextcloud',
        user: bob.id,
        secret: `${bob.appPassword}x`,
      }),
    ).rejects.toThrow();
    await invoke('accounts:reauth', { accountId: oc.id, secret: alice.appPassword });
    await invoke('accounts:list');

    await watch.finish(page);
    expect(watch.seen.responses).toBeGreaterThan(5);
    expect(watch.seen.events).toBeGreaterThan(2);
  } finally {
    await nextcloud.close();
    await owncloud.close();
  }
});

test('the watch itself catches a secret (it is not vacuous)', async () => {
  const watch = new SecretWatch([TEST_KEYS.alice], { users: ['alice'] });
  watch.check('sample', JSON.stringify({ note: `key ${TEST_KEYS.alice.slice(0, 14)}…` }));
  watch.check('sample', `Authorization: Basic ${Buffer.from(`alice:${TEST_KEYS.alice}`).toString('base64')}`);
  expect(watch.leaks.map((l) => l.form)).toEqual(expect.arrayContaining(['prefix', 'basic-auth(alice)']));
  expect(watch.leaks.every((l) => !l.excerpt.includes(TEST_KEYS.alice))).toBe(true);
});
