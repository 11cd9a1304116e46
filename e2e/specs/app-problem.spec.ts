import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { screenshot, startHost } from '../fixtures';

/**
 * An error that escapes inside main (here planted: thrown from a timer on SIGUSR2, which nothing
 * awaits) does not end the host: the safety net catches it and the window says what failed, keeps
 * working, and lets the user dismiss it.
 */
test('the window says when something failed inside Salvage, and keeps working', async ({ page }) => {
  test.skip(process.platform === 'win32', 'SIGUSR2 plants the error');
  const dir = mkdtempSync(join(tmpdir(), 'salvage-problem-'));
  const planted = join(dir, 'throw-on-signal.mjs');
  writeFileSync(
    planted,
    "process.on('SIGUSR2', () => setTimeout(() => { throw new Error('escaped on purpose'); }, 0));\n",
  );
  const { handle, child } = await startHost(['--no-demo'], ['--import', pathToFileURL(planted).href]);
  try {
    await page.setViewportSize({ width: 800, height: 560 });
    await handle.open(page);
    await expect(page.getByTestId('app-problem')).toHaveCount(0);
    // The page listens to main's events once the first screen is up; give the stream a moment to connect.
    await expect
      .poll(
        async () => {
          child.kill('SIGUSR2');
          return page.getByTestId('app-problem').count();
        },
        { timeout: 15_000, intervals: [500, 1000, 2000] },
      )
      .toBeGreaterThan(0);
    const banner = page.getByTestId('app-problem');
    await expect(banner).toHaveText('Salvage hit an unexpected error (escaped on purpose) and kept running.OK');
    await screenshot(page, 'app-problem-800');
    // The host is alive and the window still works.
    expect(child.exitCode).toBeNull();
    expect(await handle.invoke('app:info')).toBeTruthy();
    await banner.getByRole('button', { name: 'OK' }).click();
    await expect(banner).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Salvage', level: 1 })).toBeVisible();
  } finally {
    child.kill('SIGTERM');
  }
});
