import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../demo/servers/webdav/seed';
import { parseSince } from './watch';
import { jsonLines, runCli, runMain } from './run-cli';

/**
 * `salvage events --since … --fail-on-event` (cron, monitoring) and `salvage watch` (a process that
 * keeps watching: JSON lines or a command per event, stopped by SIGINT/SIGTERM) against the
 * Nextcloud test server. The watch runs in a process of its own, with a 1-second interval; the test
 * waits for what it prints, never for a time.
 */

const alice = WEBDAV_USERS.alice;
let server: WebDavServer;
let args: string[];
const env = { SALVAGE_PASSWORD: alice.appPassword };

beforeAll(async () => {
  server = await startWebDavServer({ kind: 'nextcloud' });
  args = ['--server', server.url, '--user', alice.id, '--kind', 'nextcloud'];
});
afterAll(() => server?.close());

const trashMany = (folder: string, n: number, at: (i: number) => number) => {
  for (let i = 0; i < n; i++)
    server.tree.trash(server.tree.writeFile(alice.id, `${folder}/f${i}.txt`, 100, { parents: true }).id, { at: at(i) });
};

describe('salvage events --since / --fail-on-event', () => {
  it('finds an event that went on since a time, exits 3 with --fail-on-event, 0 when there is none', async () => {
    const incident = Date.parse('2026-10-02T08:00:00Z');
    trashMany('Lost', 40, (i) => incident + i * 1000);
    const all = await runMain(['events', '--json', ...args], env);
    expect(all.code, all.stderr).toBe(0);
    const found = jsonLines(all.stdout).filter((e) => e.from === new Date(incident).toISOString());
    expect(found).toHaveLength(1);

    const since = await runMain(
      ['events', '--json', '--since', '2026-10-02T07:00:00Z', '--fail-on-event', ...args],
      env,
    );
    expect(since.code).toBe(3);
    expect(jsonLines(since.stdout).map((e) => e.id)).toContain(found[0]!.id);

    const after = await runMain(['events', '--since', '2026-10-02T09:00:00Z', '--fail-on-event', ...args], env);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/^No bursts of deletions since 2026-10-02T09:00:00\.000Z in \d+ items\.\n$/);

    // Without --fail-on-event an event found is no failure.
    expect((await runMain(['events', '--since', '2026-10-02T07:00:00Z', ...args], env)).code).toBe(0);
    expect(await runMain(['events', '--since', 'yesterday', ...args], env)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--since must be/),
    });
  });

  it('reads --since as a time or a duration back from now', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(parseSince('30m', now)).toBe(now - 30 * 60_000);
    expect(parseSince('2h', now)).toBe(now - 2 * 3_600_000);
    expect(parseSince('1d', now)).toBe(now - 86_400_000);
    expect(parseSince('2026-12-07T11:00:00Z', now)).toBe(Date.parse('2026-12-07T11:00:00Z'));
    expect(() => parseSince('-5m', now)).toThrow(/--since/);
  });
});

/** Resolves when the child's output matches, with what it printed so far. */
function waitFor(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${String(pattern)} on ${stream} in 90 s; got: ${text}`)),
      90_000,
    );
    child[stream]!.on('data', (d: Buffer) => {
      text += d.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

describe('salvage watch', () => {
  it('prints one JSON line for a burst among ordinary work, and stops cleanly on SIGTERM', async () => {
    let child: ChildProcess | null = null;
    const run = runCli(['watch', '--interval', '1', ...args], env, (c) => (child = c));
    await waitFor(child!, 'stderr', /watching Nextcloud, Alice Adams .* every 1 s by activity feed/);
    const event = waitFor(child!, 'stdout', /\n/);
    server.tree.writeFile(alice.id, 'Notes/ordinary.txt', 10, { parents: true });
    const start = Math.ceil(Date.now() / 1000) * 1000; // Nextcloud stamps whole seconds
    trashMany('Projects/Gone', 50, (i) => start + i * 200);
    const [line] = jsonLines(await event);
    expect(line).toMatchObject({
      kind: 'deletion',
      count: 50,
      topFolder: '/Projects/Gone',
      folder: 'Home / Projects / Gone',
      summary: '50 files deleted from Home / Projects / Gone within a minute — Nextcloud, Alice Adams',
      server: server.url,
      user: alice.id,
      from: new Date(start).toISOString(),
    });
    // The same id as `events` gives it, so a script can go on with restore --deleted-from/--deleted-to.
    const listed = jsonLines((await runMain(['events', '--json', ...args], env)).stdout);
    expect(listed.map((e) => e.id)).toContain(line!.id);
    child!.kill('SIGTERM');
    const done = await run;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toMatch(/stopped watching\.\n$/);
    expect(jsonLines(done.stdout)).toHaveLength(1);
  }, 120_000);

  it('--exec runs a command per event with the event on stdin and in the environment, never the password; Ctrl+C stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-watch-exec-'));
    const out = join(dir, 'event.txt');
    const script = join(dir, 'on-event.cjs');
    writeFileSync(
      script,
      `const fs = require('fs');\nfs.writeFileSync(${JSON.stringify(out)}, fs.readFileSync(0, 'utf8') + '|' + process.env.SALVAGE_EVENT_COUNT + '|' + process.env.SALVAGE_EVENT_FOLDER + '|' + (process.env.SALVAGE_PASSWORD === undefined ? 'no password' : 'PASSWORD LEAKED'));\nconsole.log('handled');\n`,
    );
    let child: ChildProcess | null = null;
    const run = runCli(
      ['watch', '--interval', '1', '--exec', `"${process.execPath}" "${script}"`, ...args],
      env,
      (c) => (child = c),
    );
    await waitFor(child!, 'stderr', /watching/);
    const handled = waitFor(child!, 'stdout', /handled\n/);
    // Clear of the burst of the test before (within two minutes it would be the same incident, already told).
    const start = Date.now() + 10 * 60_000;
    trashMany('Shared/Old', 30, (i) => start + i * 100);
    await handled;
    const [json, count, folder, secret] = readFileSync(out, 'utf8').split('|');
    expect(JSON.parse(json!)).toMatchObject({ kind: 'deletion', count: 30, folder: 'Home / Shared / Old' });
    expect([count, folder, secret]).toEqual(['30', 'Home / Shared / Old', 'no password']);
    child!.kill('SIGINT');
    const done = await run;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout.trim()).toBe('handled'); // the command's output; no JSON lines with --exec
  }, 120_000);
});
