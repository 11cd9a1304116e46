import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../../demo/servers/docspace/index';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../demo/servers/webdav/seed';
import type { PastStep } from '../../demo/servers/control';
import type { FileTree } from '../../demo/servers/tree';
import type { AccountKind } from '../../../shared/model';
import { PassThrough } from 'node:stream';
import { main, Out } from './main';
import { jsonLines, runMain as runCli } from './run-cli';

/**
 * An incident on every server kind: 300 files in 20 nested folders under /Projects/Client X, some
 * folders trashed whole and some files one by one (also files trashed from a folder that was then
 * trashed itself), among 200 older deletions. `events` finds it; `restore --deleted-from/--deleted-to`
 * brings back exactly its items at their original paths, leaves the older deletions in the trash,
 * and recreates no folder that could be restored: every folder comes back as the very node it was.
 * The past is seeded through the control API (POST /__control/history).
 */

const DAY = 86_400_000;
const ROOT = 'Projects/Client X';
const folders: string[] = [];
const files: string[] = [];
for (let b = 0; b < 5; b++) {
  let path = `${ROOT}/B${b}`;
  for (let level = 0; level < 4; level++) {
    if (level > 0) path = `${path}/L${level}`;
    folders.push(path);
    for (let i = 0; i < 15; i++) files.push(`${path}/f${b}-${level}-${i}.txt`);
  }
}
const filesIn = (folder: string) => files.filter((f) => f.slice(0, f.lastIndexOf('/')) === folder);
const dir = (b: number, level: number) => folders[b * 4 + level]!;

/** What is trashed in the incident, in order: all 300 files in 171 trash entries. */
function incidentTrash(): string[] {
  return [
    // B0: the files of L3 and L2 one by one, then B0 whole (with its own and L1's files, L2 and L3 empty).
    ...filesIn(dir(0, 3)),
    ...filesIn(dir(0, 2)),
    dir(0, 0),
    // B1: L3 whole, then L2's files one by one, then B1 whole.
    dir(1, 3),
    ...filesIn(dir(1, 2)),
    dir(1, 0),
    // B2: whole, with everything below it.
    dir(2, 0),
    // B3: L3's files, then L3 (empty), then L2's files, then L2, then the files of L1 and B3; B3 and L1 stay.
    ...filesIn(dir(3, 3)),
    dir(3, 3),
    ...filesIn(dir(3, 2)),
    dir(3, 2),
    ...filesIn(dir(3, 1)),
    ...filesIn(dir(3, 0)),
    // B4: every file one by one; the folders stay.
    ...[0, 1, 2, 3].flatMap((level) => filesIn(dir(4, level))),
  ];
}

interface Target {
  kind: AccountKind;
  url: string;
  args: string[];
  env: Record<string, string>;
  tree: FileTree;
  history(steps: PastStep[]): Promise<void>;
  close(): Promise<void>;
}

const post = async (url: string, body: unknown) => {
  const res = await fetch(`${url}/__control/history`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`history: ${res.status} ${await res.text()}`);
};

async function webdav(kind: 'nextcloud' | 'owncloud10' | 'ocis'): Promise<Target> {
  const server: WebDavServer = await startWebDavServer({ kind });
  return {
    kind,
    url: server.url,
    args: ['--server', server.url, '--user', 'alice', '--kind', kind],
    env: { SALVAGE_PASSWORD: WEBDAV_USERS.alice.appPassword },
    tree: server.tree,
    history: (steps) => post(server.url, { user: 'alice', steps }),
    close: () => server.close(),
  };
}

async function docspace(): Promise<Target> {
  const server: DocSpaceServer = await startDocSpaceServer({ opItemMs: 1 });
  return {
    kind: 'docspace',
    url: server.url,
    args: ['--server', server.url, '--kind', 'docspace'],
    env: { SALVAGE_TOKEN: TEST_KEYS.alice },
    tree: server.state.tree,
    history: (steps) => post(server.url, { user: 'alice', steps }),
    close: () => server.close(),
  };
}

describe('restore by deletion time: usage', () => {
  const run = async (argv: string[]) => {
    const sink = new PassThrough();
    let text = '';
    sink.on('data', (d: Buffer) => (text += d.toString()));
    const code = await main(argv, { SALVAGE_PASSWORD: 'x' }, new Out(new PassThrough()), new Out(sink));
    return { code, text };
  };
  it('refuses bad or contradictory ranges before signing in', async () => {
    const server = ['--server', 'http://127.0.0.1:9', '--user', 'a'];
    expect(await run(['restore', '--deleted-from', 'yesterday', ...server])).toMatchObject({
      code: 2,
      text: expect.stringMatching(/--deleted-from must be a date/),
    });
    expect(
      await run([
        'restore',
        '--deleted-from',
        '2026-11-25T00:00:00Z',
        '--deleted-to',
        '2026-11-24T00:00:00Z',
        ...server,
      ]),
    ).toMatchObject({ code: 2, text: expect.stringMatching(/after --deleted-to/) });
    expect(await run(['restore', 'a.txt.d1', '--deleted-from', '2026-11-24T00:00:00Z', ...server])).toMatchObject({
      code: 2,
      text: expect.stringMatching(/not both/),
    });
    expect(await run(['restore', 'a.txt.d1', '--folder', '/P', ...server])).toMatchObject({
      code: 2,
      text: expect.stringMatching(/--folder goes with/),
    });
  });
});

describe('restoring one event: never anything outside it (issue 20)', () => {
  let t: Target;
  beforeAll(async () => void (t = await webdav('nextcloud')));
  afterAll(() => t?.close());

  it('restore --event restores exactly the burst, not the ordinary deletions 13 s before it', async () => {
    // 40 ordinary deletions from /Misc about half a second apart, 13 s of nothing, then 300 files of
    // 20 folders within 10 s (each name once: the test server keeps same-second twins apart).
    const at = Math.floor((Date.now() - 12 * DAY) / 1000) * 1000;
    const ordinary = Array.from({ length: 40 }, (_, i) => `Misc/o${i}.txt`);
    const burst = Array.from({ length: 300 }, (_, i) => `Work/F${String(i % 20).padStart(2, '0')}/x${i}.txt`);
    await t.history([...ordinary, ...burst].map((path): PastStep => ({ op: 'create', path, size: 10, at: at - DAY })));
    const burstAt = at + 39 * 550 + 13_000;
    await t.history([
      ...ordinary.map((path, i): PastStep => ({ op: 'trash', path, at: at + i * 550 })),
      ...burst.map((path, i): PastStep => ({ op: 'trash', path, at: burstAt + Math.floor((i * 10_000) / 300) })),
    ]);
    const events = jsonLines((await runCli(['events', '--json', ...t.args], t.env)).stdout);
    const big = events.find((e) => Number(e.count) >= 300);
    expect(big, JSON.stringify(events)).toMatchObject({ count: 300, topFolder: '/Work' });
    // The human listing names each event's id, for --event.
    expect((await runCli(['events', ...t.args], t.env)).stdout).toContain(String(big!.id));

    const r = await runCli(['restore', '--json', '--event', String(big!.id), ...t.args], t.env);
    expect(r.code, r.stderr).toBe(0);
    const results = jsonLines(r.stdout);
    expect(results).toHaveLength(300);
    expect(results.every((x) => x.outcome === 'restored' && String(x.finalPath).startsWith('/Work/F'))).toBe(true);
    for (const path of ordinary) expect(t.tree.resolve('alice', path), path).toBeNull();
    for (const path of burst) expect(t.tree.resolve('alice', path), path).not.toBeNull();

    // Restoring by its times takes nothing else either; the event, now gone, is not guessed at.
    const again = await runCli(
      ['restore', '--json', '--deleted-from', String(big!.from), '--deleted-to', String(big!.to), ...t.args],
      t.env,
    );
    expect(again.stdout).not.toContain('o1.txt');
    const gone = await runCli(['restore', '--event', String(big!.id), ...t.args], t.env);
    expect(gone).toMatchObject({ code: 2, stderr: expect.stringContaining('Run `salvage events` again') });
  }, 120_000);

  it('refuses --event with anything else that picks items', async () => {
    const r = await runCli(['restore', '--event', 'ev-1', 'a.txt.d1', ...t.args], t.env);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('--event goes alone') });
  });
});

const starters = [() => webdav('nextcloud'), () => webdav('owncloud10'), () => webdav('ocis'), docspace];

for (const start of starters) {
  describe('restoring a deletion incident by time range', () => {
    let t: Target;
    beforeAll(async () => void (t = await start()));
    afterAll(() => t?.close());

    it('finds the incident and restores exactly it, rebuilding the tree from its own folders', async () => {
      // Ten days before the seed's earliest deletion, whatever the clock reads (the seeds are at a
      // fixed time on some servers and relative to the server's clock on others).
      const earliest = Math.min(...t.tree.trashOf('alice').map((e) => e.deletedAt));
      const incidentAt = Math.floor((earliest - 10 * DAY - 7 * 3600_000) / 1000) * 1000;
      // 200 older deletions over the months before, some from the same project.
      const older: PastStep[] = [];
      for (let i = 0; i < 200; i++) {
        const path = i % 10 === 0 ? `${ROOT}/B4/old-${i}.txt` : `Archive/Old ${i % 7}/old-${i}.txt`;
        const at = incidentAt - (i + 1) * 19 * 3600_000;
        older.push({ op: 'create', path, at: at - DAY }, { op: 'trash', path, at });
      }
      await t.history(older);
      await t.history([
        ...folders.map((path): PastStep => ({ op: 'create', path, kind: 'folder', at: incidentAt - 30 * DAY })),
        ...files.map((path, i): PastStep => ({ op: 'create', path, size: 1000 + i, at: incidentAt - 30 * DAY })),
      ]);
      const user = t.tree.user('alice');
      const folderIds = new Map(folders.map((f) => [f, t.tree.resolve('alice', f)!.id]));
      const fileIds = new Map(files.map((f) => [f, t.tree.resolve('alice', f)!.id]));
      const trashBefore = new Set(user.trash);
      const steps = incidentTrash();
      expect(steps).toHaveLength(171);
      await t.history(
        steps.map((path, i): PastStep => ({ op: 'trash', path, at: new Date(incidentAt + i * 1000).toISOString() })),
      );
      expect(user.trash.size).toBe(trashBefore.size + 171);
      for (const f of files) expect(t.tree.resolve('alice', f), f).toBeNull();

      // events: the incident is one event of 171 items, found among the older deletions.
      const ev = await runCli(['events', '--json', ...t.args], t.env);
      expect(ev.code, ev.stderr).toBe(0);
      const events = jsonLines(ev.stdout);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        count: 171,
        from: new Date(incidentAt).toISOString(),
        to: new Date(incidentAt + 170_000).toISOString(),
      });
      expect(Object.keys(events[0]!).sort()).toEqual([
        'accounts',
        'bytes',
        'count',
        'from',
        'id',
        'lostCopies',
        'to',
        'topFolder',
      ]);
      // The same event has the same id from one run to the next (the account by its label, not this run's id).
      const again = jsonLines((await runCli(['events', '--json', ...t.args], t.env)).stdout);
      expect(again).toEqual(events);
      expect(events[0]!.accounts).toEqual([expect.stringContaining(new URL(t.url).host)]);

      let first: number;
      {
        // --folder: only what was deleted from B4 or below (60 files one by one); nothing else moves.
        // The folder as the account shows original folders (DocSpace: "My documents / Projects / …").
        const folder = t.kind === 'docspace' ? `My documents / ${ROOT.replace('/', ' / ')} / B4` : `/${ROOT}/B4/`;
        const b4 = await runCli(
          [
            'restore',
            '--json',
            '--deleted-from',
            String(events[0]!.from),
            '--deleted-to',
            String(events[0]!.to),
            '--folder',
            folder,
            ...t.args,
          ],
          t.env,
        );
        expect(b4.code, b4.stderr).toBe(0);
        first = jsonLines(b4.stdout).length;
        expect(first).toBe(60);
        expect(user.trash.size).toBe(trashBefore.size + 171 - 60);
        for (const f of files) expect(t.tree.resolve('alice', f) !== null, f).toBe(f.startsWith(`${ROOT}/B4/`));
      }
      // --recreate-folders: allowed to make missing folders, it still makes none that the batch restores.
      const r = await runCli(
        [
          'restore',
          '--json',
          '--recreate-folders',
          '--deleted-from',
          String(events[0]!.from),
          '--deleted-to',
          String(events[0]!.to),
          ...t.args,
        ],
        t.env,
      );
      expect(r.code, r.stderr).toBe(0);
      const results = jsonLines(r.stdout);
      expect(results).toHaveLength(171 - first);
      expect(results.filter((x) => x.outcome !== 'restored')).toEqual([]);

      // Exactly the incident came back, every file and folder as the very node it was.
      for (const f of files) expect(t.tree.resolve('alice', f)?.id, `${t.kind}: ${f}`).toBe(fileIds.get(f));
      for (const f of folders) expect(t.tree.resolve('alice', f)?.id, `${t.kind}: folder ${f}`).toBe(folderIds.get(f));
      expect(new Set(user.trash)).toEqual(trashBefore);
      // Nothing else appeared in the project (no "(restored)" twins, no recreated copies).
      const walk = (id: number, prefix: string): string[] =>
        t.tree
          .children(id)
          .flatMap((n) =>
            n.kind === 'folder'
              ? [`${prefix}${n.name}/`, ...walk(n.id, `${prefix}${n.name}/`)]
              : [`${prefix}${n.name}`],
          );
      const project = walk(t.tree.resolve('alice', ROOT)!.id, `${ROOT}/`).filter((p) => !p.includes('/old-'));
      expect(project.sort()).toEqual([...files, ...folders.map((f) => `${f}/`)].sort());
    }, 120_000);
  });
}
