import type { RunningServer } from './control';
import { startServer, startWebDavServer, type ServerKind } from './index';
import { seedOcisSpaces, seedTestState, WEBDAV_USERS } from './webdav/seed';

/**
 * `npm run servers`: starts every test server and prints its URL and test accounts.
 * Ports: SALVAGE_PORT_BASE (default 0 = free ports), in the order below.
 */
const kinds: ServerKind[] = ['owncloud10', 'nextcloud', 'ocis', 'docspace'];
const base = Number(process.env.SALVAGE_PORT_BASE ?? 0);

const running: RunningServer[] = [];
for (const [i, kind] of kinds.entries()) {
  const port = base ? base + i : 0;
  // oCIS also gets alice's project spaces (manager of Marketing, editor of Engineering, viewer of Board).
  const server =
    kind === 'ocis'
      ? await startWebDavServer({ kind, port, seed: (tree) => (seedTestState(tree), seedOcisSpaces(tree)) })
      : await startServer({ kind, port });
  running.push(server);
  const who =
    kind === 'docspace'
      ? 'see electron/demo/servers/docspace/seed.ts for keys'
      : `user ${WEBDAV_USERS.alice.id} / app password ${WEBDAV_USERS.alice.appPassword}`;
  process.stdout.write(`${kind.padEnd(11)} ${server.url}   (${who}; control API under ${server.url}/__control/)\n`);
}
process.stdout.write('Press Ctrl+C to stop.\n');
const stop = () => {
  void Promise.all(running.map((s) => s.close())).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
