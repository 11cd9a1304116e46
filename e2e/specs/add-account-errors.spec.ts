import { createServer } from 'node:net';
import { expect, screenshot, test } from '../fixtures';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { seedTestState, WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { openAddAccount } from './trash-helpers';

/** A port nothing listens on (taken, then freed). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * Issue 14 point 9: add-account errors are shown once, under the field they concern, with the
 * hint that fits — a refused password under the password (and no talk of signing in "again"), a
 * plain-HTTP host:port typed without a scheme says to put http:// in front, and a refused
 * connection does not read like an unknown host.
 */
test('add account: each error once, on its field, with its hint', async ({ page, host }) => {
  const server = await startWebDavServer({ kind: 'nextcloud', seed: seedTestState });
  try {
    const dialog = await openAddAccount(page, host);
    const address = dialog.getByRole('textbox', { name: 'Server address' });
    const addressError = dialog.getByTestId('address-error');

    // host:port of a plain-HTTP server, without a scheme: Salvage tries https and says to try http://.
    await address.fill(server.url.replace('http://', ''));
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(addressError).toContainText('put http:// in front of the address');
    await expect(addressError).not.toContainText('certificate');
    await expect(address).toHaveAttribute('aria-invalid', 'true');

    // Nothing listening vs no such host.
    const port = await freePort();
    await address.fill(`http://127.0.0.1:${port}`);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(addressError).toContainText('connection was refused');
    await address.fill('https://no-such-host.invalid');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(addressError).toContainText('No server named no-such-host.invalid');
    await expect(addressError).not.toContainText('refused');

    // The right address, a wrong password: one message, under the password, no "sign in again".
    await address.fill(server.url);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(dialog.getByTestId('detected-server')).toContainText('Nextcloud');
    await expect(addressError).toHaveCount(0);
    await dialog.getByRole('textbox', { name: 'User name' }).fill('alice');
    const password = dialog.getByLabel('App password');
    await password.fill('wrong');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const secretError = dialog.getByTestId('secret-error');
    await expect(secretError).toContainText('did not accept this user name and app password');
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(secretError).toHaveCount(1);
    await expect(dialog.getByRole('alert')).toHaveCount(1);
    await expect(dialog).not.toContainText(/sign in again/i);
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await screenshot(page, 'add-account-error-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'add-account-error-dark');

    // Typing clears it; the right password adds the account.
    await password.fill(WEBDAV_USERS.alice.appPassword);
    await expect(secretError).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(dialog).toHaveCount(0);
  } finally {
    await server.close();
  }
});
