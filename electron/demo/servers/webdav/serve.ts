import { startWebDavServer } from './server';

/**
 * A WebDAV test server in its own process (benchmarks): prints {"url": …} on one line.
 *   tsx electron/demo/servers/webdav/serve.ts --kind nextcloud|owncloud10|ocis --seed 100000 [--latency 0]
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const asked = arg('kind', 'nextcloud');
const kind = asked === 'owncloud10' || asked === 'ocis' ? asked : 'nextcloud';
const server = await startWebDavServer({ kind, latencyMs: Number(arg('latency', '0')) });
const seed = Number(arg('seed', '0'));
if (seed > 0) server.control.seed('alice', seed, { folder: 'Bulk', prefix: 'bulk file ' });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
