import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The WebDAV listing worker as the build ships it (one ESM file, no TypeScript loader), for test
 * files that sign a new account in for every case: the app gives each account its own worker, and
 * a worker started from the TypeScript source (tsx registering and compiling inside the new
 * thread) takes 0.5–0.9 s to answer on a 2-core machine, the built one about 0.1 s. The worker's
 * code is the same; the start from source is tested in electron/providers/webdav/trashStream.test.ts.
 *
 * Builds it into a temporary folder and points SALVAGE_TRASH_WORKER at it (findWorker reads it when
 * the app's parse host starts its first worker, so call this in a beforeAll, before any listing).
 * The function it answers puts the variable back and removes the folder (call it in afterAll).
 */
export async function useBuiltTrashWorker(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'salvage-worker-'));
  const outfile = await buildTrashWorker(dir);
  const saved = process.env.SALVAGE_TRASH_WORKER;
  process.env.SALVAGE_TRASH_WORKER = outfile;
  return () => {
    if (saved === undefined) delete process.env.SALVAGE_TRASH_WORKER;
    else process.env.SALVAGE_TRASH_WORKER = saved;
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Bundles the listing worker as the build ships it into `dir`; answers the file's path. */
export async function buildTrashWorker(dir: string): Promise<string> {
  const outfile = join(dir, 'trash-worker.js');
  await build({
    entryPoints: [new URL('../../electron/providers/webdav/trashWorker.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    // CommonJS dependencies (undici, saxes) inside an ESM bundle need a require.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}
