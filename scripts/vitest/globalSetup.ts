import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildTrashWorker } from '../../e2e/faults/builtWorker';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The listing worker as the build ships it (one ESM file), built once for the whole run. */
    trashWorker: string;
  }
}

/**
 * Once per `vitest run`: bundles the WebDAV listing worker from the current sources, as the build
 * ships it, and hands its path to every test file (scripts/vitest/setup.ts). The app gives each account
 * its own worker; one started from the TypeScript sources (tsx registering and compiling inside the
 * new thread) takes 0.5–0.9 s to answer on a 2-core machine, the built one about 0.1 s, and the
 * suites sign in hundreds of accounts. The start from source is tested in trashStream.test.ts.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'salvage-vitest-worker-'));
  project.provide('trashWorker', await buildTrashWorker(dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
