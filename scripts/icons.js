// Renders the app icon in every size and format the installers need, from the one source image
// build/icon.svg:  node scripts/icons.js
//   build/icon.png            1024×1024 (electron-builder's default, macOS/Linux fallback)
//   build/icons/NxN.png       16…1024, the Linux icon set (hicolor sizes for the desktop entry)
//   build/icon.ico            Windows: 16, 24, 32, 48, 64, 128, 256 (PNG-compressed entries)
//   build/icon.icns           macOS: 16…1024 including @2x (PNG entries)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS entry types holding PNG data, with their pixel sizes. */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

export function renderPng(svg, size) {
  return Buffer.from(
    new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng(),
  );
}

/** ICO with PNG-compressed images (Windows Vista and later). */
export function buildIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2);
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

/** ICNS with PNG entries (macOS 10.7 and later). */
export function buildIcns(entries) {
  const chunks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

export function generateIcons(buildDir) {
  const svg = readFileSync(join(buildDir, 'icon.svg'));
  const cache = new Map();
  const png = (size) => {
    if (!cache.has(size)) cache.set(size, renderPng(svg, size));
    return cache.get(size);
  };
  mkdirSync(join(buildDir, 'icons'), { recursive: true });
  for (const size of LINUX_SIZES) writeFileSync(join(buildDir, 'icons', `${size}x${size}.png`), png(size));
  writeFileSync(join(buildDir, 'icon.png'), png(1024));
  writeFileSync(join(buildDir, 'icon.ico'), buildIco(ICO_SIZES.map((size) => ({ size, png: png(size) }))));
  writeFileSync(join(buildDir, 'icon.icns'), buildIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: png(size) }))));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
  generateIcons(buildDir);
  console.log(`Icons written to ${buildDir} (icon.png, icon.ico, icon.icns, icons/*.png).`);
}
