// `npm start`: builds the app, then opens the desktop window when the Electron binary is here,
// and otherwise starts the browser host (same services, loopback bridge) and opens your browser.
// `npm run host` (or `npm start -- --host`) always uses the browser host.
import { spawn, spawnSync } from 'node:child_process';
import { findElectronBinary } from './electron-binary.js';

const args = process.argv.slice(2);
const forceHost = args.includes('--host');
const passThrough = args.filter((a) => a !== '--host');

console.log('Building Salvage…');
const build = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) {
  console.error('The build failed; see the errors above.');
  process.exit(build.status ?? 1);
}

const electron = forceHost ? { path: null, reason: 'the browser host was asked for' } : findElectronBinary();
let child;
if (electron.path) {
  console.log('Starting the Salvage desktop app (Electron).');
  child = spawn(electron.path, ['.', ...passThrough], { stdio: 'inherit' });
} else {
  console.log(`Starting Salvage in your browser instead of a desktop window: ${electron.reason}.`);
  child = spawn(process.execPath, ['out/main/host.js', ...passThrough], { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
