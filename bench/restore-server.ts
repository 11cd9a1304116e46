import { startWebDavServer } from '../electron/demo/servers/webdav/server';
import { seedTestState } from '../electron/demo/servers/webdav/seed';
import type { FileTree } from '../electron/demo/servers/tree';

/**
 * The restore bench's server, in its own process: the test state, plus a folder /Bulk that holds
 * `--existing` files and `--trashed` files in the trash that were deleted from /Bulk (no name
 * clashes). POST /__control/reset puts it back. Prints {"url": …} on one line.
 *   tsx bench/restore-server.ts --kind nextcloud --existing 1000 --trashed 1000
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const raw = arg('kind', 'nextcloud');
const kind = raw === 'owncloud10' || raw === 'ocis' ? raw : 'nextcloud';
const existing = Number(arg('existing', '1000'));
const trashed = Number(arg('trashed', '1000'));

const seed = (tree: FileTree) => {
  seedTestState(tree);
  tree.mkdir('alice', 'Bulk');
  for (let i = 0; i < existing; i++) tree.writeFile('alice', `Bulk/existing ${i}.txt`, 100 + i);
  tree.seedTrash('alice', trashed, { folder: 'Bulk', prefix: 'restored ' });
};
const server = await startWebDavServer({ kind, seed });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
