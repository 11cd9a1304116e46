import { expect, screenshot, test } from '../fixtures';

test('the first screen shows the empty state and app info that came from main', async ({ page, host }) => {
  await host.open(page);
  await expect(page.getByRole('heading', { name: /No accounts yet/ })).toBeVisible();
  const info = await host.invoke<{ version: string; host: string; platform: string }>('app:info');
  expect(info.host).toBe('browser');
  const footer = page.getByTestId('app-info');
  await expect(footer).toContainText(`Salvage ${info.version}`);
  await expect(footer).toContainText(info.platform);
  await expect(footer).toContainText('browser host');
  // The token was taken out of the address bar once read.
  expect(page.url()).not.toContain('token=');
  await screenshot(page, 'first-screen-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'first-screen-dark');
});

test('a page without the token cannot call main', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('alert')).toContainText('no valid access token');
});
