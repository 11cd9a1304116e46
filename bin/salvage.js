#!/usr/bin/env node
// The `salvage` command: runs the built command line (out/main/cli.js, made by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(
    'salvage: the command line is not built yet; run `npm run build` (or use `npm run cli -- <command>`).\n',
  );
  process.exit(2);
}
process.env.SALVAGE_CLI_ENTRY = '1';
await import(pathToFileURL(cli).href);
