import { expect, screenshot, test } from '../fixtures';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { OCIS_SPACES, seedTestState, WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import {
  latestOperation,
  openAddAccount,
  openTrash,
  row,
  startOcisWithSpaces,
  waitForOperation,
} from './trash-helpers';

const alice = WEBDAV_USERS.alice;

/**
 * Infinite Scale from the add-account dialog with the browser sign-in (OpenID Connect): the
 * dialog offers the sign-in page, the test server's IdP asks for the user name and password in
 * that page, the browser lands on Salvage's loopback page, and the account is there — then an item
 * of a project space is restored. The browser host hands the page over as a link (a click opens
 * it; the desktop app opens it in the system browser itself).
 */
test('oCIS: sign in through the browser from the add-account dialog, then restore from a project space', async ({
  page,
  host,
}) => {
  const server = await startOcisWithSpaces();
  server.frontEnd.oidcLoginPage = true;
  try {
    const dialog = await openAddAccount(page, host, server.url);
    await expect(dialog.getByTestId('detected-server')).toContainText('Infinite Scale');
    await dialog.getByRole('button', { name: 'Sign in with your browser' }).click();
    await expect(dialog.getByTestId('browser-sign-in-waiting')).toContainText('Open the sign-in page');
    await screenshot(page, 'ocis-sign-in-waiting-light');
    // The smallest window: the dialog still fits, its actions reachable.
    await page.setViewportSize({ width: 800, height: 560 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(dialog.getByRole('link', { name: 'Open sign-in page' })).toBeInViewport();
    await screenshot(page, 'ocis-sign-in-waiting-800-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1400, height: 900 });

    const popup = page.waitForEvent('popup');
    await dialog.getByRole('link', { name: 'Open sign-in page' }).click();
    const idp = await popup;
    await expect(idp.getByRole('heading', { name: 'Sign in to Infinite Scale' })).toBeVisible();
    // A wrong password stays on the IdP's page; Salvage keeps waiting.
    await idp.getByLabel('Username').fill('alice');
    await idp.getByLabel('Password').fill('not-it');
    await idp.getByRole('button', { name: 'Log in' }).click();
    await expect(idp.getByRole('alert')).toContainText('Logon failed');
    await expect(dialog.getByTestId('browser-sign-in-waiting')).toBeVisible();
    await idp.getByLabel('Username').fill('alice');
    await idp.getByLabel('Password').fill(alice.password);
    await idp.getByRole('button', { name: 'Log in' }).click();
    await expect(idp.locator('body')).toContainText('Signed in. You can close this tab');
    await idp.close();

    await expect(dialog).toHaveCount(0);
    const accounts =
      await host.invoke<{ kind: string; userName: string; browserSignIn?: boolean; status: string }[]>('accounts:list');
    expect(accounts).toEqual([expect.objectContaining({ kind: 'ocis', userName: 'Alice Adams', browserSignIn: true })]);

    await expect(row(page, 'plan.pdf')).toContainText('Marketing / Campaigns / 2025');
    await row(page, 'plan.pdf').locator('.cell-name').click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await waitForOperation(page);
    await expect(latestOperation(page)).toContainText('1 restored');
    expect(server.tree.resolve(OCIS_SPACES.marketing.id, 'Campaigns/2025/plan.pdf')).not.toBeNull();
  } finally {
    await server.close();
  }
});

test('oCIS: a browser sign-in that ended runs again from "Sign in again"', async ({ page, host }) => {
  const server = await startWebDavServer({ kind: 'ocis', seed: seedTestState });
  try {
    // Signed in through the browser by the API, as the dialog does.
    const start = await host.invoke<{ flowId: string; authorizeUrl: string }>('accounts:oidcStart', {
      serverUrl: server.url,
      label: 'alice@ocis.test',
    });
    const authorize = await fetch(start.authorizeUrl, { redirect: 'manual' });
    await fetch(authorize.headers.get('location')!);
    await expect
      .poll(
        async () =>
          (await host.invoke<{ account: unknown }>('accounts:oidcPoll', { flowId: start.flowId })).account !== null,
      )
      .toBe(true);
    await openTrash(page, host, 'notes.txt');

    server.frontEnd.revokeRefreshTokens();
    server.frontEnd.expireAccessTokens();
    await page.getByRole('button', { name: 'Reload' }).click();
    const banner = page.getByTestId('auth-banner');
    await banner.getByRole('button', { name: 'Sign in again' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in to alice@ocis.test again' });
    await expect(dialog.getByLabel(/app token|password/i)).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Sign in with your browser' }).click();
    const popup = page.waitForEvent('popup');
    await dialog.getByRole('link', { name: 'Open sign-in page' }).click();
    const idp = await popup;
    await expect(idp.locator('body')).toContainText('Signed in');
    await expect(dialog).toHaveCount(0);
    await expect(banner).toHaveCount(0);
    const accounts = await host.invoke<{ status: string }[]>('accounts:list');
    expect(accounts.map((a) => a.status)).toEqual(['ok']);
  } finally {
    await server.close();
  }
});

test('oCIS: a browser sign-in declined in the browser says so in the dialog, and Try again starts over', async ({
  page,
  host,
}) => {
  const server = await startWebDavServer({ kind: 'ocis', seed: seedTestState });
  try {
    const dialog = await openAddAccount(page, host, server.url);
    await dialog.getByRole('button', { name: 'Sign in with your browser' }).click();
    const authorize = new URL((await dialog.getByRole('link', { name: 'Open sign-in page' }).getAttribute('href'))!);
    // The identity provider sends the browser back with an error instead of a code (the user declined).
    await fetch(
      `${authorize.searchParams.get('redirect_uri')}?error=access_denied&state=${authorize.searchParams.get('state')}`,
    );
    await expect(dialog.getByTestId('browser-sign-in-error')).toContainText(
      'The sign-in in the browser did not complete',
    );
    await expect(dialog.getByTestId('browser-sign-in-error')).not.toContainText('app password');
    await dialog.getByRole('button', { name: 'Try again' }).click();
    await expect(dialog.getByRole('button', { name: 'Sign in with your browser' })).toBeVisible();
    expect(await host.invoke<unknown[]>('accounts:list')).toEqual([]);
  } finally {
    await server.close();
  }
});
