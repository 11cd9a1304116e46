// `npm run cli -- <command>`: runs the built command line (out/main/cli.js, via bin/salvage.js)
// instead of compiling TypeScript on every call. Builds first when the bundle is missing or older
// than a source file under electron/ or shared/ (a fresh clone, or after an edit).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'out/main/cli.js');

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

/** The newest modification time of a source file (not a test) under dir. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|tsx|js|mjs|cjs|json)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
      newest = Math.max(newest, mtime(path));
  }
  return newest;
}

const built = mtime(bundle);
if (built < 0 || newestSource(join(root, 'electron')) > built || newestSource(join(root, 'shared')) > built) {
  process.stderr.write(
    built < 0
      ? 'salvage: building the command line (first run)…\n'
      : 'salvage: sources changed; building the command line…\n',
  );
  const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    process.stderr.write('salvage: the build failed; see the errors above.\n');
    process.exit(build.status ?? 2);
  }
}
await import('../bin/salvage.js');
