import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JS helper shared with npm start
import { findElectronBinary } from '../../scripts/electron-binary.js';

/**
 * The real desktop app, when an Electron binary is present (ELECTRON_OVERRIDE_DIST_PATH or a
 * downloaded one): the window's security settings as Electron reports them, the preload's one
 * object, the vault file. Skips with the reason otherwise (no binary can be downloaded here).
 */
const binary = findElectronBinary() as { path: string | null; reason: string | null };
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

test.skip(!binary.path, `no Electron binary: ${binary.reason}`);
test.skip(Boolean(binary.path) && noDisplay, 'Electron needs a display on Linux (run under xvfb-run)');

test('the desktop window is hardened and the renderer sees only window.salvage', async () => {
  const userData = mkdtempSync(join(tmpdir(), 'salvage-electron-'));
  const app = await electron.launch({
    executablePath: binary.path!,
    args: ['.'],
    env: { ...process.env, SALVAGE_USER_DATA: userData },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'Salvage', level: 1 })).toBeVisible();
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents;
      const p = (contents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
      return {
        contextIsolation: p.contextIsolation,
        sandbox: p.sandbox,
        nodeIntegration: p.nodeIntegration,
        webSecurity: p.webSecurity,
        url: contents.getURL(),
      };
    });
    expect(prefs).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      url: 'app://salvage/index.html',
    });
    const renderer = await page.evaluate(() => ({
      keys: Object.keys((window as unknown as { salvage: object }).salvage).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(renderer).toEqual({ keys: ['invoke', 'on'], require: 'undefined', process: 'undefined' });
    const info = await page.evaluate(() =>
      (
        window as unknown as {
          salvage: { invoke(c: string, p: unknown): Promise<{ value: { host: string; secretStorage: string } }> };
        }
      ).salvage.invoke('app:info', {}),
    );
    expect(info.value.host).toBe('electron');
    expect(['encrypted', 'weak-backend']).toContain(info.value.secretStorage);
  } finally {
    await app.close();
  }
  // When anything was saved, it is private to the user.
  for (const name of ['window-state.json', 'vault.json', 'accounts.json']) {
    try {
      if (process.platform !== 'win32') expect(statSync(join(userData, name)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(userData, name), 'utf8')).not.toMatch(/sk-|password/);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
});
