import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../demo/servers/control';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../../demo/servers/docspace/index';
import { seedTestPortal } from '../../demo/servers/docspace/seed';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../demo/servers/webdav/seed';
import { listBatchJournals, readBatchJournal } from '../../operations/journal';
import { jsonLines, runCli, runMain } from './run-cli';

/**
 * A command line killed in the middle of a restore (SIGKILL: no handler runs, nothing is
 * flushed) leaves a journal written ahead of the work, and `salvage resume` finishes exactly what
 * was left: every item back once at its place, none twice, no "(restored)" copy, and each item
 * accounted for (done before the kill and found there, or done by the resume). The kill points are
 * chosen by a counter on the server (the nth MOVE is held, before or after the server acted on
 * it), never by time. A crash (an error nothing caught, as undici's assertion) is reported with
 * what is left and resumed the same way.
 */

const COUNT = 40;
const names = Array.from({ length: COUNT }, (_, i) => `many-${i}.txt`);

/** Runs the CLI in its own process and kills it (SIGKILL, or another signal) once `ready()` says so. */
async function killWhen(
  args: string[],
  env: Record<string, string>,
  ready: () => boolean,
  signal: NodeJS.Signals = 'SIGKILL',
  node: string[] = [],
) {
  let timer: NodeJS.Timeout | null = null;
  const run = await runCli(
    args,
    env,
    (child: ChildProcess) => {
      timer = setInterval(() => {
        if (!ready()) return;
        clearInterval(timer!);
        child.kill(signal);
      }, 20);
      child.on('exit', () => clearInterval(timer!));
    },
    node,
  );
  return run;
}

for (const kind of ['nextcloud', 'owncloud10'] as const) {
  describe(`salvage resume after a command line was killed mid-restore (${kind})`, () => {
    let server: WebDavServer;
    let dataDir: string;
    const base = () => ['--server', server.url, '--user', 'alice', '--kind', kind];
    const env = () => ({ SALVAGE_PASSWORD: WEBDAV_USERS.alice.appPassword, SALVAGE_DATA_DIR: dataDir });
    const idOf = (name: string) => {
      const e = server.tree.trashOf('alice').find((x) => server.tree.node(x.nodeId).name === name)!;
      return kind === 'nextcloud' ? `${name}.d${Math.floor(e.deletedAt / 1000)}` : String(e.id);
    };
    const live = () => server.tree.snapshot('alice').files.filter((f) => f.startsWith('/Batch/') && f !== '/Batch/');

    beforeAll(async () => void (server = await startWebDavServer({ kind })));
    afterAll(() => server.close());
    beforeEach(() => {
      server.control.reset();
      server.tree.mkdirs('alice', 'Batch');
      server.control.seed('alice', COUNT, { prefix: 'many-', folder: 'Batch' });
      dataDir = mkdtempSync(join(tmpdir(), 'salvage-resume-'));
    });

    // The nth MOVE is held: before the server acts on it, or after (the server did it, the answer never comes).
    const points: [string, Pick<Fault, 'nth' | 'after'>][] = [
      ['the first MOVE, not acted on', { nth: 1, after: false }],
      ['the 10th MOVE, acted on', { nth: 10, after: true }],
      ['the 33rd MOVE, acted on', { nth: 33, after: true }],
    ];
    for (const [point, fault] of points) {
      it(`killed at ${point}: resume finishes exactly what was left`, { timeout: 90_000 }, async () => {
        const ids = names.map(idOf);
        server.control.setLatency(20);
        server.control.fault({ kind: 'hang', method: 'MOVE', ...fault });
        const killed = await killWhen(
          ['restore', ...ids, ...base(), '--json'],
          env(),
          () => server.control.hungCount > 0,
        );
        server.control.clearFaults();
        server.control.setLatency(0);
        expect(killed.code).toBe(128); // killed by a signal: nothing printed, nothing flushed
        // The MOVEs the killed run had in flight still reach the server and are acted on: read its state after them.
        await server.control.settled();
        const before = live();

        // The journal was written ahead: every item, sent before the kill, with the results that landed.
        const [journal] = listBatchJournals(join(dataDir, 'batches'));
        expect(journal!.end).toBeNull();
        expect(journal!.sent.size).toBe(COUNT);
        const settled = [...journal!.results.values()].filter((r) => r.outcome === 'restored').length;
        expect(settled).toBeLessThanOrEqual(before.length);

        // `salvage resume` lists it, with what is left.
        const listed = await runMain(['resume', '--json'], env());
        expect(listed.code).toBe(0);
        expect(jsonLines(listed.stdout)).toEqual([
          expect.objectContaining({
            id: journal!.id,
            command: 'restore',
            total: COUNT,
            done: settled,
            left: COUNT - settled,
            stopped: 'killed',
            server: server.url,
            user: 'alice',
          }),
        ]);

        const resumed = await runMain(['resume', journal!.id.slice(0, 8), '--json'], env());
        expect(resumed.code, resumed.stderr).toBe(0);
        const results = jsonLines(resumed.stdout);
        // Every item accounted for once: settled before the kill, or in the resume's report.
        expect(results).toHaveLength(COUNT - settled);
        expect(results.filter((r) => r.outcome !== 'restored')).toEqual([]);
        // Those the server had done before the kill are found there, not sent again.
        const foundThere = results.filter((r) => r.note === 'restored before the interruption');
        expect(foundThere.length).toBe(before.length - settled);

        // The server: all 40 back once, at their place; nothing left in the trash; no "(restored)" copy.
        expect(live().sort()).toEqual(names.map((n) => `/Batch/${n}`).sort());
        expect(server.tree.trashOf('alice').filter((e) => server.tree.node(e.nodeId).name.startsWith('many-'))).toEqual(
          [],
        );
        // Nothing left to resume; the killed batch says who took it over.
        expect(jsonLines((await runMain(['resume', '--json'], env())).stdout)).toEqual([]);
        expect(readBatchJournal(journal!.file)!.resumedBy).not.toBeNull();
        const again = await runMain(['resume', journal!.id.slice(0, 8)], env());
        expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('Nothing is left to do') });
      });
    }

    it(
      "an error nothing caught (as undici's assertion) is reported with what is left, marked interrupted, and resumed",
      { timeout: 90_000 },
      async () => {
        const ids = names.map(idOf);
        server.control.setLatency(20);
        server.control.fault({ kind: 'hang', method: 'MOVE', nth: 12, after: true });
        // A preload that throws from outside any promise chain when told (SIGUSR2), as a socket's 'end' handler would.
        const crash = `data:text/javascript,process.on('SIGUSR2',()=>setImmediate(()=>{const e=new Error('assert(!this.paused)');e.name='AssertionError';e.code='ERR_ASSERTION';throw e;}))`;
        const crashed = await killWhen(
          ['restore', ...ids, ...base()],
          env(),
          () => server.control.hungCount > 0,
          'SIGUSR2',
          ['--import', crash],
        );
        server.control.clearFaults();
        server.control.setLatency(0);
        expect(crashed.code).toBe(1);
        expect(crashed.stderr).toContain(
          'salvage: Salvage stopped on an unexpected error: AssertionError [ERR_ASSERTION]: assert(!this.paused)',
        );
        expect(crashed.stderr).not.toMatch(/\n\s+at /); // no stack trace
        const notDone = crashed.stdout.split('\n').find((l) => l.startsWith('Not done: '))!;
        expect(notDone).toMatch(/To finish, run the same command with just these ids: salvage restore /);
        const resumeLine = crashed.stdout.split('\n').find((l) => l.startsWith('Or finish exactly what is left: '))!;
        expect(resumeLine).toMatch(/salvage resume [0-9a-f]{8}$/);
        const [journal] = listBatchJournals(join(dataDir, 'batches'));
        expect(journal!.end).toMatchObject({ state: 'interrupted', error: { code: 'INTERRUPTED' } });
        const listed = jsonLines((await runMain(['resume', '--json'], env())).stdout);
        expect(listed).toEqual([
          expect.objectContaining({ stopped: 'interrupted', reason: expect.objectContaining({ code: 'INTERRUPTED' }) }),
        ]);

        const resumed = await runMain(['resume', resumeLine.slice(-8)], env());
        expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
        expect(live().sort()).toEqual(names.map((n) => `/Batch/${n}`).sort());
      },
    );
  });
}

describe('salvage resume after a DocSpace restore was killed while the portal worked on it', () => {
  let server: DocSpaceServer;
  let dataDir: string;
  beforeAll(async () => {
    server = await startDocSpaceServer({
      // Slow enough that the portal is still at it when the resume starts.
      opItemMs: 400,
      seed: (state) => {
        seedTestPortal(state);
        const now = state.tree.now();
        // Six files deleted from My documents: one destination, so one move for all of them.
        for (let i = 0; i < 6; i++)
          state.addTrashed('alice', state.myRoot('alice'), `batch-${i}.txt`, 'file', 100 + i, now - 60_000 * (i + 1));
      },
    });
  });
  afterAll(() => server.close());

  it(
    "waits for the portal's own operation, then reports what it did without sending it again",
    { timeout: 90_000 },
    async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'salvage-resume-'));
      const env = { SALVAGE_TOKEN: TEST_KEYS.alice, SALVAGE_DATA_DIR: dataDir };
      const base = ['--server', server.url, '--kind', 'docspace'];
      const top = jsonLines((await runMain(['list', '--json', ...base], env)).stdout).filter((i) =>
        String(i.name).startsWith('batch-'),
      );
      expect(top).toHaveLength(6);
      // The second status poll of the move is held: the portal has started and goes on without the client.
      server.control.fault({ kind: 'hang', method: 'GET', path: '/api/2.0/files/fileops', nth: 2 });
      const killed = await killWhen(
        ['restore', ...top.map((i) => String(i.id)), ...base],
        env,
        () => server.control.hungCount > 0,
      );
      server.control.clearFaults();
      expect(killed.code).toBe(128);
      const moves = () =>
        server.control.seen.filter((r) => r.method === 'PUT' && r.path.startsWith('/api/2.0/files/fileops/move'))
          .length;
      const movesBefore = moves();
      const [journal] = listBatchJournals(join(dataDir, 'batches'));
      const resumed = await runMain(['resume', journal!.id, '--json'], env);
      expect(resumed.code, resumed.stderr).toBe(0);
      const results = jsonLines(resumed.stdout);
      expect(results.map((r) => r.outcome)).toEqual(top.map(() => 'restored'));
      // Nothing was sent again: the portal had done it all.
      expect(moves()).toBe(movesBefore);
      const trashNames = server.state.trashOf('alice').map((n) => server.state.title(n));
      for (const i of top) expect(trashNames).not.toContain(i.name);
    },
  );
});
