import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EventBus } from '../electron/base/events';
import { OperationsRunner } from '../electron/operations/runner';
import { WebDavProvider } from '../electron/providers/webdav/provider';
import { createParseHost } from '../electron/providers/webdav/trashStream';
import type { BatchContext } from '../electron/providers/types';
import { record, type Bench, type BenchRow } from './harness';

/**
 * Requests to empty a 100,000-item Nextcloud trash, counted by the test server's request log, from
 * "Empty trash" to every item reported. Salvage reads the trash first so that every item gets its
 * own result; the count includes that read. DocSpace is not measured here: its test server takes
 * 15 ms per item for the emptying operation (25 minutes for 100k).
 */
const COUNT = Number(process.env.SALVAGE_BENCH_ITEMS ?? 100_000);

async function child(script: string, args: string[]): Promise<{ url: string; stop: () => void }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
    });
    proc.once('exit', (code) => reject(new Error(`test server exited (${code})`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, stop: () => proc.kill('SIGTERM') };
}

async function runEmpty(work: (ctx: BatchContext) => Promise<void>): Promise<number> {
  const runner = new OperationsRunner(new EventBus());
  const view = runner.start({ kind: 'empty', title: 'bench', accountIds: ['bench'], items: [], work });
  const done = await runner.wait(view.id);
  if (done.state !== 'done') throw new Error(`empty bench: ${done.state} ${JSON.stringify(done.error)}`);
  return done.results.filter((r) => r.outcome === 'deleted').length;
}

const bench: Bench = async () => {
  const rows: BenchRow[] = [];
  // WebDAV (Nextcloud): the server's own request log.
  {
    const server = await child('../electron/demo/servers/webdav/serve.ts', ['--kind', 'nextcloud', '--seed', String(COUNT)]);
    try {
      const provider = new WebDavProvider(
        'nextcloud',
        { id: 'bench', kind: 'nextcloud', label: '', serverUrl: server.url, user: 'alice', userId: 'alice', userName: 'alice', demo: false },
        { user: 'alice', secret: 'alice-app-password-0001' },
        { parseHost: createParseHost(), http: { timeoutMs: 300_000 } },
      );
      const seenBefore = ((await (await fetch(`${server.url}/__control/requests`)).json()) as unknown[]).length;
      const deleted = await runEmpty((ctx) => provider.empty(ctx));
      const seen = ((await (await fetch(`${server.url}/__control/requests`)).json()) as { method: string; path: string }[]).slice(seenBefore);
      const requests = seen.filter((r) => !r.path.startsWith('/__control/')).length;
      process.stderr.write(`empty nextcloud: ${deleted} deleted with ${requests} requests (${seen.map((r) => r.method).join(', ')})\n`);
      record('empty_trash_requests', 'nextcloud', requests, 'requests', false, 'including the read of the trash that gives every item its result');
      rows.push({ bench: `empty ${COUNT / 1000}k nextcloud`, measure: 'requests', unit: 'req', baseline: COUNT, baselineLabel: 'one DELETE per item', candidate: requests, candidateLabel: 'salvage', target: 1 });
    } finally {
      server.stop();
    }
  }
  return rows;
};

export default bench;
