import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { get, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The browser host as a process, from source: an error thrown from a callback nobody awaits (here
 * planted with --import, on SIGUSR2) must not end it. The page hears 'app:problem' and the host
 * keeps answering.
 */
const TOKEN = 'test-token-safety-net';
let child: ChildProcess | null = null;
afterAll(() => {
  child?.kill();
});

function start(): Promise<{ url: string; output: () => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'salvage-host-'));
  const planted = join(dir, 'throw-on-signal.mjs');
  writeFileSync(
    planted,
    "process.on('SIGUSR2', () => setTimeout(() => { throw new Error('escaped on purpose'); }, 0));\n",
  );
  const main = new URL('./main.ts', import.meta.url).pathname;
  let output = '';
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', pathToFileURL(planted).href, main, '--no-open', '--no-demo'],
    {
      env: { ...process.env, SALVAGE_BRIDGE_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child = proc;
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /SALVAGE_BRIDGE_URL=(\S+)/.exec(output);
      if (m) resolve({ url: m[1]!, output: () => output });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    proc.once('exit', (code) => reject(new Error(`the host exited (${code}): ${output}`)));
  });
}

function invoke(url: string, channel: string): Promise<{ ok: boolean }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ channel, payload: {} });
    const req = request(
      `${url}/api/invoke`,
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Salvage-Token': TOKEN } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(JSON.parse(text) as { ok: boolean }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the browser host’s safety net', () => {
  it('survives an error that escapes, tells the page, and keeps answering', { timeout: 60_000 }, async () => {
    const { url, output } = await start();
    const problem = new Promise<{ message: string; interrupted: number }>((resolve, reject) => {
      get(`${url}/api/events?token=${TOKEN}`, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
          const m = /data: (\{"name":"app:problem".*)\n/.exec(text);
          if (m) resolve((JSON.parse(m[1]!) as { payload: { message: string; interrupted: number } }).payload);
        });
        // Connected: plant the error.
        child!.kill('SIGUSR2');
      }).on('error', reject);
    });
    const payload = await problem;
    expect(payload).toEqual({ message: expect.stringContaining('escaped on purpose'), interrupted: 0 });
    expect(await invoke(url, 'app:info')).toMatchObject({ ok: true });
    expect(child!.exitCode).toBeNull();
    expect(output()).toContain('[salvage] unexpected error: Error: escaped on purpose');
  });
});
