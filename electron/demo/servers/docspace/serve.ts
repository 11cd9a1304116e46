/**
 * Runs one DocSpace test server in its own process (benchmarks keep the server's CPU apart from the
 * client's): `node --import tsx electron/demo/servers/docspace/serve.ts [--latency ms] [--seed n] [--demo] [--cache]
 * [--op-item-ms ms]`.
 * --op-item-ms: how long a long operation (delete, empty, restore) takes per item (the server's default otherwise).
 * Prints one JSON line {url, key} when ready; stops on SIGTERM.
 */
import { DEMO_KEY, seedDemoPortal, TEST_KEYS } from './seed';
import { startDocSpaceServer } from './server';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const demo = process.argv.includes('--demo');
const server = await startDocSpaceServer({
  latencyMs: Number(arg('latency') ?? 0),
  port: Number(arg('port') ?? 0),
  ...(demo ? { seed: seedDemoPortal } : {}),
  ...(process.argv.includes('--cache') ? { cacheResponses: true } : {}),
  ...(arg('op-item-ms') !== undefined ? { opItemMs: Number(arg('op-item-ms')) } : {}),
});
const seed = Number(arg('seed') ?? 0);
if (seed > 0 && !demo) server.control.seed('alice', seed);
process.stdout.write(`${JSON.stringify({ url: server.url, key: demo ? DEMO_KEY : TEST_KEYS.alice })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
