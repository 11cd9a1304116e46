import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main, Out } from './main';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A data folder of its own for each test file (batch journals), never the user's. */
let scratch: string | null = null;
export const testDataDir = () => (scratch ??= mkdtempSync(join(tmpdir(), 'salvage-cli-test-')));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * For tests: runs the command line in this process (main() with its output captured), as a
 * spawned process would run it but without paying for a new Node and TypeScript each time. Only
 * the given environment is seen (no secrets from the test's own).
 */
export async function runMain(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const capture = () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (d: Buffer) => chunks.push(d));
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  };
  const out = capture();
  const err = capture();
  const code = await main(args, { SALVAGE_DATA_DIR: testDataDir(), ...env }, new Out(out.stream), new Out(err.stream));
  return { code, stdout: out.text(), stderr: err.text() };
}

/**
 * For tests: runs the command line the way `npm run cli` does (tsx over the sources) in a
 * process of its own — for what only a process shows: exit codes after process.exit, signals,
 * pipes, crashes. Output through pipes, secrets only from the given environment. `node` adds
 * arguments for node itself (e.g. another --import).
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  onSpawn?: (child: ChildProcess) => void,
  node: string[] = [],
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...node, 'electron/hosts/cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, SALVAGE_PASSWORD: '', SALVAGE_TOKEN: '', SALVAGE_DATA_DIR: testDataDir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
  });
}

/** The --json output: one object per line. */
export const jsonLines = (s: string) =>
  s
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
