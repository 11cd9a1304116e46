import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface CliListing {
  /** Lines on stdout: one JSON item per line with --json. */
  items: number;
  /** Process start → exit. */
  ms: number;
  /** Peak resident memory (VmHWM from /proc/<pid>/status, polled every 100 ms; 0 where there is no /proc). */
  peakMb: number;
  code: number | null;
  stderr: string;
}

/**
 * `salvage list --json` as a user runs it: the built command line (bin/salvage.js → out/main/cli.js)
 * in its own process, stdout read and its lines counted here, the secret from the environment.
 */
export async function cliList(
  account: { serverUrl: string; kind: string; user?: string; secret: string },
  timeoutS = 600,
): Promise<CliListing> {
  const dataDir = join(tmpdir(), `salvage-bench-cli-${process.pid}`);
  const args = [
    'bin/salvage.js',
    'list',
    '--server',
    account.serverUrl,
    '--kind',
    account.kind,
    '--json',
    '--timeout',
    String(timeoutS),
  ];
  if (account.user) args.push('--user', account.user);
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      SALVAGE_PASSWORD: account.kind === 'docspace' ? '' : account.secret,
      SALVAGE_TOKEN: account.kind === 'docspace' ? account.secret : '',
      SALVAGE_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let items = 0;
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) items++;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      /* gone, or no /proc */
    }
  }, 100);
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  clearInterval(poll);
  rmSync(dataDir, { recursive: true, force: true });
  return { items, ms: performance.now() - t0, peakMb: peakKb / 1024, code, stderr: stderr.slice(-500) };
}
