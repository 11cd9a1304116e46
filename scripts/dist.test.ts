/**
 * The packaging configuration ("build" in package.json), validated with electron-builder's own
 * schema and checked for what Salvage needs on each OS; the icons generated from build/icon.svg;
 * `npm run dist` failing in plain words when Electron cannot be downloaded; and, when a local
 * Electron is provided through ELECTRON_OVERRIDE_DIST_PATH, an unpacked `--dir` build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS build script
import { ICNS_TYPES, ICO_SIZES, LINUX_SIZES, renderPng } from './icons.js';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const build = pkg.build;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(data: Buffer): { width: number; height: number } {
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(build, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and ships only the built output', () => {
    expect(build.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/);
    expect(build.productName).toBe('Salvage');
    expect(pkg.main).toMatch(/^out\//);
    expect(build.files).toContain('out/**/*');
    expect(build.directories).toEqual({ output: 'dist', buildResources: 'build' });
    expect(build.asar).toBe(true);
  });

  it('leaves the renderer-only libraries (already bundled by Vite) out of the app, but nothing main imports', () => {
    const excluded = (build.files as string[])
      .filter((f) => f.startsWith('!node_modules/{'))
      .flatMap((f) => f.slice('!node_modules/{'.length, f.indexOf('}')).split(','));
    expect(excluded).toEqual(expect.arrayContaining(['react', 'react-dom', 'react-aria-components', '@tanstack']));
    const sources = (readdirSync(join(root, 'electron'), { recursive: true }) as string[]).filter(
      (f) => /\.ts$/.test(f) && !/\.test\.ts$/.test(f),
    );
    const imported = new Set<string>();
    for (const file of sources) {
      for (const m of readFileSync(join(root, 'electron', file), 'utf8').matchAll(
        /from '((?:@[^/']+\/)?[^./'][^/']*)/g,
      ))
        imported.add(m[1]!);
    }
    for (const name of imported) {
      if (name.startsWith('node:') || name === 'electron') continue;
      const scope = name.startsWith('@') ? name.split('/')[0]! : name;
      expect(excluded, `main imports ${name}`).not.toContain(name);
      expect(excluded, `main imports ${name}`).not.toContain(scope);
    }
  });

  it('turns off the Electron fuses an attacker could use (run as Node, NODE_OPTIONS, inspect)', () => {
    expect(build.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('builds a Linux AppImage and deb with a desktop entry in the menu', () => {
    expect(build.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(build.linux.category).toBe('Utility');
    expect(build.linux.executableName).toBe('salvage');
    const entry = build.linux.desktop.entry;
    expect(entry.Name).toBe('Salvage');
    expect(entry.Comment).toBeTruthy();
    expect(entry.Categories.split(';')).toContain('Utility');
    expect(entry.Terminal).toBe('false');
    expect(existsSync(join(root, build.linux.icon))).toBe(true);
  });

  it('builds a Windows nsis installer with shortcuts', () => {
    expect(build.win.target).toEqual(['nsis']);
    expect(build.nsis).toMatchObject({
      createDesktopShortcut: true,
      createStartMenuShortcut: true,
      shortcutName: 'Salvage',
    });
    expect(existsSync(join(root, build.win.icon))).toBe(true);
  });

  it('builds a macOS dmg in the Utilities category', () => {
    expect(build.mac.target).toEqual(['dmg']);
    expect(build.mac.category).toBe('public.app-category.utilities');
    expect(existsSync(join(root, build.mac.icon))).toBe(true);
  });

  it('has the dist and audit:electron scripts', () => {
    expect(pkg.scripts.dist).toBe('node scripts/dist.js');
    expect(pkg.scripts['audit:electron']).toBe('node scripts/audit-electron.js');
  });
});

describe('icons generated from build/icon.svg', () => {
  const buildDir = join(root, 'build');

  it('has the Linux icon set in every size', () => {
    for (const size of LINUX_SIZES as number[]) {
      expect(pngSize(readFileSync(join(buildDir, 'icons', `${size}x${size}.png`)))).toEqual({
        width: size,
        height: size,
      });
    }
    expect(pngSize(readFileSync(join(buildDir, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
  });

  it('has a Windows .ico with PNG entries up to 256', () => {
    const ico = readFileSync(join(buildDir, 'icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    expect(count).toBe((ICO_SIZES as number[]).length);
    for (let i = 0; i < count; i++) {
      const at = 6 + 16 * i;
      const size = ico.readUInt8(at) || 256;
      const length = ico.readUInt32LE(at + 8);
      const offset = ico.readUInt32LE(at + 12);
      expect(pngSize(ico.subarray(offset, offset + length))).toEqual({ width: size, height: size });
    }
  });

  it('has a macOS .icns with PNG entries up to 1024', () => {
    const icns = readFileSync(join(buildDir, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length;) {
      const type = icns.subarray(at, at + 4).toString('ascii');
      const length = icns.readUInt32BE(at + 4);
      pngSize(icns.subarray(at + 8, at + length));
      types.push(type);
      at += length;
    }
    expect(types).toEqual((ICNS_TYPES as [string, number][]).map(([t]) => t));
  });

  it('is up to date with the source image (run `node scripts/icons.js` after editing icon.svg)', () => {
    const svg = readFileSync(join(buildDir, 'icon.svg'));
    expect(renderPng(svg, 64).equals(readFileSync(join(buildDir, 'icons', '64x64.png')))).toBe(true);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('npm run dist', () => {
  it('fails with a clear message, not a stack trace, when Electron cannot be downloaded', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'salvage-electron-cache-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ELECTRON_CACHE: cache,
      ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
    };
    delete env.ELECTRON_OVERRIDE_DIST_PATH;
    delete env.SALVAGE_ELECTRON_ZIP_DIR;
    const run = spawnSync(process.execPath, [join(root, 'scripts/dist.js')], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot package Salvage: electron-builder needs electron-v[\d.]+-\w+-\w+\.zip/);
    expect(run.stderr).toMatch(/cannot be downloaded from this machine/);
    expect(run.stderr).toMatch(/ELECTRON_OVERRIDE_DIST_PATH/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at\s/m);
  });

  const electronDist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  it.skipIf(!electronDist)(
    `packs an unpacked app with --dir from a local Electron${electronDist ? '' : ' (skipped: set ELECTRON_OVERRIDE_DIST_PATH to a local Electron 45 folder; none can be downloaded here)'}`,
    () => {
      const run = spawnSync(process.execPath, [join(root, 'scripts/dist.js'), '--dir'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 540_000,
      });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      const unpacked = readdirSync(join(root, 'dist')).find((d) => d.endsWith('-unpacked') || d.startsWith('mac'));
      expect(unpacked).toBeTruthy();
      const resources =
        process.platform === 'darwin'
          ? join(root, 'dist', unpacked!, 'Salvage.app', 'Contents', 'Resources')
          : join(root, 'dist', unpacked!, 'resources');
      expect(existsSync(join(resources, 'app.asar'))).toBe(true);
    },
    600_000,
  );
});
