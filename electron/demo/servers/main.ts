import type { RunningServer } from './control';
import { startServer, type ServerKind } from './index';
import { WEBDAV_USERS } from './webdav/seed';

/**
 * `npm run servers`: starts every test server and prints its URL and test accounts.
 * Ports: SALVAGE_PORT_BASE (default 0 = free ports), in the order below.
 */
const kinds: ServerKind[] = ['owncloud10', 'nextcloud', 'ocis', 'docspace'];
const base = Number(process.env.SALVAGE_PORT_BASE ?? 0);

const running: RunningServer[] = [];
for (const [i, kind] of kinds.entries()) {
  const server = await startServer({ kind, port: base ? base + i : 0 });
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
