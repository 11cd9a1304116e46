// `npm run dist`: builds Salvage and packages it with electron-builder (config: "build" in
// package.json; icons in build/). Arguments go to electron-builder, e.g.
//   npm run dist                 installers for this OS (Linux: AppImage + deb)
//   npm run dist -- --dir        an unpacked app folder only (no installer tools needed)
//   npm run dist -- --win nsis   another target
// electron-builder needs the Electron release for the target platform. It comes from, in order:
//   ELECTRON_OVERRIDE_DIST_PATH  a local Electron folder (e.g. an unpacked electron-v45 zip)
//   SALVAGE_ELECTRON_ZIP_DIR     a folder holding electron-v<version>-<platform>-<arch>.zip
//   the Electron cache           ~/.cache/electron (or ELECTRON_CACHE), as @electron/get fills it
//   a download                   from ELECTRON_MIRROR or the Electron release host
// When none of them is possible, this script says so in plain words and exits 1, before
// building anything. Installer targets (AppImage, deb, nsis, dmg) also download their tools on
// first use; on a machine without that access, use --dir with a local Electron.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const builderArgs = args.filter((a) => a !== '--check');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;

function fail(lines) {
  console.error(`\nnpm run dist: ${lines.join('\n  ')}\n`);
  process.exit(1);
}

function electronCacheDir() {
  if (process.env.ELECTRON_CACHE) return process.env.ELECTRON_CACHE;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  if (process.platform === 'win32')
    return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron');
}

/** The zip in the Electron cache: at its top, or in @electron/get's hashed per-URL sub-folders. */
function findInCache(zipName) {
  const dir = electronCacheDir();
  if (existsSync(join(dir, zipName))) return join(dir, zipName);
  try {
    for (const sub of readdirSync(dir, { withFileTypes: true })) {
      if (sub.isDirectory() && existsSync(join(dir, sub.name, zipName))) return join(dir, sub.name, zipName);
    }
  } catch {
    /* no cache yet */
  }
  return null;
}

/** The platform whose Electron is needed: the first --linux/--win/--mac flag, else this one. */
function targetPlatform() {
  if (builderArgs.some((a) => /^(--win|-w|--windows)$/.test(a))) return 'win32';
  if (builderArgs.some((a) => /^(--mac|-m|--macos|-o)$/.test(a))) return 'darwin';
  if (builderArgs.some((a) => /^(--linux|-l)$/.test(a))) return 'linux';
  return process.platform;
}

async function canDownload(zipName) {
  const mirror = process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/';
  const url = `${mirror.replace(/\/?$/, '/')}v${electronVersion}/${zipName}`;
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(8000) });
    return res.ok ? { ok: true, url } : { ok: false, url, why: `HTTP ${res.status}` };
  } catch (e) {
    const cause = e?.cause;
    return {
      ok: false,
      url,
      why: cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? e?.message ?? 'unreachable',
    };
  }
}

/** Where electron-builder will get Electron from: extra -c options, or a failure message. */
async function resolveElectron() {
  const zipName = `electron-v${electronVersion}-${targetPlatform()}-${process.arch}.zip`;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    if (!existsSync(override))
      return { error: [`ELECTRON_OVERRIDE_DIST_PATH is set to ${override}, which does not exist.`] };
    return { how: `local Electron folder ${override}`, options: [`-c.electronDist=${override}`] };
  }
  const zipDir = process.env.SALVAGE_ELECTRON_ZIP_DIR;
  if (zipDir) {
    if (!existsSync(join(zipDir, zipName)))
      return { error: [`SALVAGE_ELECTRON_ZIP_DIR (${zipDir}) has no ${zipName}.`] };
    return { how: `${join(zipDir, zipName)}`, options: [`-c.electronDist=${zipDir}`] };
  }
  const cached = findInCache(zipName);
  if (cached) return { how: `cached ${cached}`, options: [] };
  const probe = await canDownload(zipName);
  if (probe.ok) return { how: `download of ${zipName}`, options: [] };
  return {
    error: [
      `cannot package Salvage: electron-builder needs ${zipName} (Electron ${electronVersion}),`,
      `and it cannot be downloaded from this machine (${probe.url}: ${probe.why}).`,
      'Do one of these and run it again:',
      `  - set ELECTRON_OVERRIDE_DIST_PATH to a local Electron ${electronVersion} folder (then: npm run dist -- --dir),`,
      `  - put ${zipName} in a folder and set SALVAGE_ELECTRON_ZIP_DIR to it,`,
      `  - copy it into the Electron cache (${electronCacheDir()}), or set ELECTRON_MIRROR to a reachable mirror.`,
      'Without packaging, `npm start` still runs Salvage (the browser host when no Electron binary is here).',
    ],
  };
}

const electron = await resolveElectron();
if (electron.error) fail(electron.error);
console.log(`Electron ${electronVersion} for packaging: ${electron.how}.`);
if (checkOnly) process.exit(0);

console.log('Building Salvage…');
const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) fail(['the build failed; see the errors above.']);

console.log(`Packaging with electron-builder ${builderArgs.join(' ')}`.trim());
const child = spawn(
  process.execPath,
  [join(root, 'node_modules/electron-builder/cli.js'), ...electron.options, ...builderArgs],
  {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  },
);
let output = '';
const relay = (stream, out) =>
  stream.on('data', (chunk) => {
    const text = chunk.toString();
    output += text;
    // Pass electron-builder's progress through, without stack frames.
    const kept = text
      .split('\n')
      .filter((line) => !/^\s+at\s/.test(line))
      .join('\n');
    if (kept.trim()) out.write(kept.endsWith('\n') ? kept : `${kept}\n`);
  });
relay(child.stdout, process.stdout);
relay(child.stderr, process.stderr);
child.on('exit', (code) => {
  if (code === 0) {
    console.log(`\nDone: the packages are in ${join(root, 'dist')}.`);
    process.exit(0);
  }
  const network =
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|unable to download|cannot download|download.*fail|dial tcp|no such host/i.test(
      output,
    );
  fail(
    network
      ? [
          'electron-builder could not download something it needs (an installer tool such as appimagetool, fpm or NSIS, or Electron itself).',
          'This machine cannot reach that host. `npm run dist -- --dir` with ELECTRON_OVERRIDE_DIST_PATH builds the unpacked app without those tools.',
        ]
      : [`electron-builder failed (exit code ${code}); its messages are above.`],
  );
});
