import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../demo/servers/webdav/seed';
import { parseArgs, UsageError } from './main';
import { jsonLines, runCli, runMain } from './run-cli';

/** In this process (main() itself); runCli spawns a process where only a process can show it. */
const cli = runMain;

describe('argument parsing', () => {
  it('refuses secrets on the command line and unknown options', () => {
    expect(() => parseArgs(['list', '--password', 'x'])).toThrow(UsageError);
    expect(() => parseArgs(['list', '--token=x'])).toThrow(/command line/);
    expect(() => parseArgs(['list', '--bogus'])).toThrow(/Unknown option/);
    expect(parseArgs(['restore', 'a', 'b', '--to', '/X', '--on-conflict=keep-both', '--json'])).toMatchObject({
      command: 'restore',
      positional: ['a', 'b'],
    });
  });
});

for (const kind of ['nextcloud', 'owncloud10'] as const) {
  describe(`salvage command line against the ${kind} test server`, () => {
    let server: WebDavServer;
    const base = () => ['--server', server.url, '--user', 'alice'];
    const env = { SALVAGE_PASSWORD: WEBDAV_USERS.alice.appPassword };
    const listJson = async () => {
      const r = await cli(['list', '--json', ...base()], env);
      expect(r.code).toBe(0);
      return jsonLines(r.stdout);
    };

    /** The item's trash id as the server names it (saves a `list` run per test). */
    const idOf = (name: string) => {
      const e = server.tree.trashOf('alice').find((x) => server.tree.node(x.nodeId).name === name)!;
      return kind === 'nextcloud' ? `${name}.d${Math.floor(e.deletedAt / 1000)}` : String(e.id);
    };

    beforeAll(async () => {
      server = await startWebDavServer({ kind });
    });
    afterAll(async () => {
      await server.close();
    });
    beforeEach(() => server.control.reset());

    it('detects the server kind', async () => {
      const r = await cli(['detect', server.url, '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        kind,
        serverUrl: server.url,
        insecureHttp: true,
        trashSupported: true,
      });
    });

    it('lists the trash, one JSON object per item (kind detected)', async () => {
      const items = await listJson();
      expect(items).toHaveLength(9);
      expect(items.map((i) => i.name)).toContain('weird #?%+ & ü [1].txt');
      expect(items.find((i) => i.name === '2024.10')).toMatchObject({ name: '2024.10', originalFolder: '/' });
    });

    it('restores with --on-conflict keep-both and reports each item', async () => {
      const r = await cli(
        [
          'restore',
          idOf('report.pdf'),
          idOf('notes.txt'),
          '--on-conflict',
          'keep-both',
          '--json',
          ...base(),
          '--kind',
          kind,
        ],
        env,
      );
      expect(r.code).toBe(0);
      const results = jsonLines(r.stdout);
      expect(results.map((x) => [x.name, x.outcome, x.finalPath])).toEqual(
        expect.arrayContaining([
          ['report.pdf', 'renamed', '/Documents/report (restored).pdf'],
          ['notes.txt', 'restored', '/notes.txt'],
        ]),
      );
    });

    it('skips conflicts by default and restores into a folder with --to', async () => {
      const report = { id: idOf('report.pdf') };
      const skip = await cli(['restore', String(report.id), '--json', ...base()], env);
      expect(skip.code).toBe(0);
      expect(jsonLines(skip.stdout)[0]).toMatchObject({ outcome: 'skipped' });
      const moved = await cli(['restore', String(report.id), '--to', '/Photos', '--json', ...base()], env);
      expect(moved.code).toBe(0);
      expect(jsonLines(moved.stdout)[0]).toMatchObject({ outcome: 'restored', finalPath: '/Photos/report.pdf' });
    });

    it('exits 1 when some items fail, and prints the failure', async () => {
      const r = await cli(['restore', idOf('letter.txt'), 'no-such-item', '--json', ...base()], env);
      expect(r.code).toBe(1);
      const results = jsonLines(r.stdout);
      expect(results.map((x) => (x.error as { code: string } | null)?.code).sort()).toEqual([
        'DEST_MISSING',
        'NOT_FOUND',
      ]);
    });

    it('deletes an item (a second time fails with exit 1)', async () => {
      const notes = { id: idOf('notes.txt') };
      const first = await cli(['delete', String(notes.id), '--json', ...base()], env);
      expect(first.code).toBe(0);
      expect(jsonLines(first.stdout)[0]).toMatchObject({ outcome: 'deleted' });
      const second = await cli(['delete', String(notes.id), '--json', ...base()], env);
      expect(second.code).toBe(1);
    });

    it('empties only with --yes', async () => {
      expect((await cli(['empty', ...base()], env)).code).toBe(2);
      const r = await cli(['empty', '--yes', '--json', ...base()], env);
      expect(r.code).toBe(0);
      expect(jsonLines(r.stdout)).toHaveLength(9);
      expect(server.tree.trashOf('alice')).toHaveLength(0);
    });

    it('lists folders', async () => {
      const r = await cli(['folders', '/', '--json', ...base()], env);
      expect(r.code).toBe(0);
      expect(jsonLines(r.stdout).map((f) => f.id)).toEqual(['/Documents', '/Photos', '/Shared']);
    });

    it('points the right way: a wrong --kind names the real one; a missing folder names --recreate-folders; skips say how to restore them', async () => {
      const wrongKind = await cli(['list', ...base(), '--kind', 'docspace'], env);
      expect(wrongKind.code).toBe(2);
      expect(wrongKind.stderr).toContain(`(--kind ${kind}), not docspace. Leave out --kind`);

      const letter = await cli(['restore', idOf('letter.txt'), ...base()], env);
      expect(letter.code).toBe(1);
      expect(letter.stdout).toContain('--recreate-folders');
      const recreated = await cli(['restore', idOf('letter.txt'), '--recreate-folders', ...base()], env);
      expect(recreated.code).toBe(0);
      expect(server.tree.resolve('alice', 'Old/letter.txt')).not.toBeNull();

      const skipped = await cli(['restore', idOf('report.pdf'), ...base()], env);
      expect(skipped.stdout).toMatch(
        /: 1 skipped\.\nSkipped items are still in the trash; --on-conflict replace or keep-both/,
      );
    });

    it('restores and deletes items inside a trashed folder by the ids list --parent prints', async () => {
      const folder = (await listJson()).find((i) => i.name === 'Projects')!;
      const inside = await cli(['list', '--json', '--parent', String(folder.id), ...base()], env);
      const items = jsonLines(inside.stdout);
      const plan = items.find((i) => i.name === 'plan.md')!;
      const drafts = items.find((i) => i.name === 'drafts')!;
      const restored = await cli(['restore', String(plan.id), '--to', '/Documents', ...base()], env);
      expect(restored.code).toBe(0);
      expect(restored.stdout).toContain('restored plan.md → /Documents/plan.md');
      const deleted = await cli(['delete', String(drafts.id), ...base()], env);
      expect(deleted.code).toBe(0);
      expect(deleted.stdout).toMatch(/^deleted +drafts/m);
    });

    it('Ctrl+C stops after the items in flight and says which ids are left; running those finishes the job', async () => {
      // More items than a restore runs at once (24), so some are still waiting when it stops.
      server.control.seed('alice', 40, { prefix: 'many-' });
      const names = Array.from({ length: 40 }, (_, i) => `many-${i}.txt`);
      const ids = names.map(idOf);
      server.control.setLatency(400);
      const stopped = await runCli(['restore', ...ids, ...base()], env, (child) => {
        // Interrupt once the first item is back.
        const timer = setInterval(() => {
          if (server.tree.resolve('alice', names[0]!)) {
            clearInterval(timer);
            child.kill('SIGINT');
          }
        }, 50);
        child.on('exit', () => clearInterval(timer));
      });
      server.control.setLatency(0);
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toContain('stopping after the items in progress');
      const line = stopped.stdout.split('\n').find((l) => l.startsWith('Not done: '))!;
      expect(line, stopped.stdout).toMatch(/To finish, run the same command with just these ids: salvage restore /);
      const left = line
        .slice(line.indexOf('salvage restore ') + 'salvage restore '.length)
        .replace(/ …$/, '')
        .split(' ');
      expect(left.length).toBeGreaterThan(0);
      expect(left).not.toContain(ids[0]);
      const finished = await cli(['restore', ...left, ...base()], env);
      expect(finished.code).toBe(0);
      for (const name of names) expect(server.tree.resolve('alice', name)).not.toBeNull();
    });

    it('exits 2 for a wrong password and for usage errors', async () => {
      // A real process: the exit code is the one the shell sees.
      const bad = await runCli(['list', ...base()], { SALVAGE_PASSWORD: 'wrong' });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/AUTH_FAILED/);
      expect((await cli(['list', '--user', 'alice'], env)).code).toBe(2);
      expect((await cli(['list', ...base()])).code).toBe(2);
      expect((await cli(['frobnicate'], env)).code).toBe(2);
      expect((await cli(['list', '--password', 'x', ...base()])).code).toBe(2);
    });
  });
}

describe('messages that point the right way', () => {
  let server: WebDavServer;
  beforeAll(async () => void (server = await startWebDavServer({ kind: 'nextcloud' })));
  afterAll(() => server.close());

  it('says to try http:// when an address without a scheme is a plain-HTTP server', async () => {
    const r = await cli(['detect', server.url.replace('http://', '')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /does not speak HTTPS on this port\. If it is a plain-HTTP server, put http:\/\/ in front|closed the connection\. If it is a plain-HTTP server, put http:\/\//,
    );
  });

  it('tells a refused connection apart from an unknown host', async () => {
    // A port nothing listens on: take a free one and let it go.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const refused = await cli(['detect', `http://127.0.0.1:${port}`]);
    expect(refused.stderr).toContain('the connection was refused');
    const unknown = await cli(['detect', 'http://no-such-host.invalid']);
    expect(unknown.stderr).toContain('No server named no-such-host.invalid was found');
  });
});

describe('a server that never answers', () => {
  it('says it is still waiting, and gives up after --timeout without trying again', { timeout: 30_000 }, async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket)); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const r = await cli(
      ['list', '--server', `http://127.0.0.1:${port}`, '--kind', 'nextcloud', '--user', 'alice', '--timeout', '7'],
      {
        SALVAGE_PASSWORD: 'x',
      },
    );
    const tries = sockets.length;
    for (const s of sockets) s.destroy();
    silent.close();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Still waiting for 127.0.0.1:${port} (5 s of 7 s)`);
    expect(r.stderr).toContain('did not answer in time');
    // One time-out, not one per retry (it used to take three): one connection, one request.
    expect(tries).toBe(1);
    expect((await cli(['list', '--timeout', '1', '--server', 'x'])).stderr).toContain('between 5 and 600 seconds');
  });
});

describe('salvage list through a pipe', () => {
  let server: WebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'nextcloud' });
    server.control.seed('alice', 20_000, { folder: 'Bulk' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('delivers every line of a 20,000-item listing before exiting', async () => {
    const r = await runCli(['list', '--json', '--server', server.url, '--user', 'alice', '--kind', 'nextcloud'], {
      SALVAGE_PASSWORD: WEBDAV_USERS.alice.appPassword,
    });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l);
    expect(lines).toHaveLength(20_009);
    expect(JSON.parse(lines[lines.length - 1]!)).toHaveProperty('key');
    expect(r.stdout.endsWith('\n')).toBe(true);
  });
});

describe('salvage command line against the ocis test server with a bearer token', () => {
  let server: WebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'ocis' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('takes SALVAGE_TOKEN without --user as an access token', async () => {
    const r = await cli(['list', '--json', '--server', server.url], { SALVAGE_TOKEN: WEBDAV_USERS.alice.appPassword });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((i) => (i as { name: string }).name)).toContain('notes.txt');
  });

  it('calls a refused token an access token, not an app password', async () => {
    const r = await cli(['list', '--server', server.url, '--kind', 'ocis'], { SALVAGE_TOKEN: 'expired-token' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('access token');
    expect(r.stderr).not.toContain('app password');
  });

  it('still needs --user with SALVAGE_PASSWORD', async () => {
    const r = await cli(['list', '--server', server.url, '--kind', 'ocis'], {
      SALVAGE_PASSWORD: WEBDAV_USERS.alice.appPassword,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--user is required');
  });
});
