// Finds the Electron binary without require('electron'), which on electron@45 tries to download
// it on first use (and fails on machines without internet).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The path of a runnable Electron binary, or null with the reason. */
export function findElectronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const dir = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const name =
      process.platform === 'win32'
        ? 'electron.exe'
        : process.platform === 'darwin'
          ? 'Electron.app/Contents/MacOS/Electron'
          : 'electron';
    const path = join(dir, name);
    return existsSync(path)
      ? { path, reason: null }
      : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${name}` };
  }
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile))
    return {
      path: null,
      reason: 'the Electron binary has not been downloaded (no internet access to its release host here)',
    };
  const path = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(path)
    ? { path, reason: null }
    : { path: null, reason: `the Electron binary is missing at ${path}` };
}
