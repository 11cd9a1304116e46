import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectEvents } from '../../shared/events';
import type { AccountKind, OperationView, Resolution, TrashItem } from '../../shared/model';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../demo/servers/docspace/index';
import { startWebDavServer, type WebDavServer } from '../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import { jsonLines, runCli } from '../hosts/cli/run-cli';
import { FileAccountStore } from '../persistence/account-store';
import { FileLedgerStore } from '../persistence/ledger-store';
import { createMemoryServices } from './index';
import { MemorySecretStore } from './stores';
import { useBuiltTrashWorker } from '../../e2e/faults/builtWorker';

// Many tests sign a new account in, and each account gets its own listing worker: the built one
// starts ~6x faster than one compiling the source.
let restoreWorker = () => {};
beforeAll(async () => void (restoreWorker = await useBuiltTrashWorker()));
afterAll(() => restoreWorker());

/**
 * Salvage's ledger of its own moves, through the real services and providers against each kind of
 * test server: what an Undo puts back into the trash reads as it did before the restore (name,
 * place, deletion time), a file a Replace moved is marked and is no deletion event, nobody else's
 * deletion is taken for one of Salvage's, and the ledger survives a restart.
 */

interface Kind {
  kind: AccountKind;
  start(): Promise<void>;
  stop(): Promise<void>;
  reset(): void;
  url(): string;
  user: string;
  secret: string;
  /** Two trashed files deleted from the same folder. */
  pair: [string, string];
  seedPair(): void;
  /** A live file of this name in the pair's folder (takes the name). */
  addLive(name: string, size: number): void;
  /** Someone deletes a file of this name from the pair's folder (a deletion of their own). */
  deleteLive(name: string, size: number): void;
  /** A trashed file of this name deleted from another folder. */
  trashAnother(name: string, size: number): void;
  /** Another live folder to restore into: its id as Restore to… names it. */
  otherFolder(): string;
  /** Names of the live items in that folder. */
  liveIn(folderId: string): string[];
}

function webdav(kind: 'nextcloud' | 'owncloud10' | 'ocis'): Kind {
  let server: WebDavServer;
  const alice = WEBDAV_USERS.alice;
  return {
    kind,
    start: async () => void (server = await startWebDavServer({ kind })),
    stop: () => server.close(),
    reset: () => server.control.reset(),
    url: () => server.url,
    user: alice.id,
    secret: alice.appPassword,
    pair: ['notes.txt', '1e3.txt'],
    seedPair() {},
    addLive: (name, size) => void server.tree.writeFile(alice.id, name, size),
    deleteLive: (name, size) => void server.tree.trash(server.tree.writeFile(alice.id, name, size).id),
    trashAnother: (name, size) => void server.tree.trash(server.tree.writeFile(alice.id, `Shared/${name}`, size).id),
    otherFolder: () => '/Photos',
    liveIn: (folderId) =>
      server.tree.children(server.tree.resolve(alice.id, folderId.replace(/^\//, ''))!.id).map((n) => n.name),
  };
}

function docspace(): Kind {
  let server: DocSpaceServer;
  const folder = (title: string) => server.state.childByTitle(server.state.myRoot('alice'), title, 'folder')!;
  return {
    kind: 'docspace',
    start: async () => void (server = await startDocSpaceServer({ opItemMs: 1 })),
    stop: () => server.close(),
    reset: () => server.control.reset(),
    url: () => server.url,
    user: '',
    secret: TEST_KEYS.alice,
    pair: ['Q3 report.docx', 'Weekly.docx'],
    seedPair: () =>
      void server.state.addTrashed(
        'alice',
        folder('Reports').id,
        'Weekly.docx',
        'file',
        700,
        server.state.tree.now() - 3_600_000,
      ),
    addLive: (name, size) => void server.state.addFile(folder('Reports').id, name, size, { by: 'alice' }),
    deleteLive: (name, size) =>
      void server.state.trashNode('alice', server.state.addFile(folder('Reports').id, name, size, { by: 'alice' }).id),
    trashAnother: (name, size) =>
      void server.state.addTrashed('alice', folder('Photos').id, name, 'file', size, server.state.tree.now()),
    otherFolder: () => String(folder('Photos').id),
    liveIn: (folderId) => server.state.childrenOf(Number(folderId)).map((n) => server.state.title(n)),
  };
}

/**
 * Waits into the next second of the clock. Nextcloud and ownCloud 10 keep one trash file for the
 * same name trashed twice within a second (the test servers do as the real ones): these tests are
 * about the ledger, not that loss, so a second deletion of a name waits for the next second.
 */
const nextSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));

const kinds: Kind[] = [webdav('nextcloud'), webdav('owncloud10'), webdav('ocis'), docspace()];

for (const k of kinds) {
  describe(`Salvage's own moves on ${k.kind}`, () => {
    beforeAll(() => k.start());
    afterAll(() => k.stop());

    let services: ReturnType<typeof createMemoryServices>;
    let accountId: string;
    beforeEach(async () => {
      k.reset();
      services = createMemoryServices();
      accountId = (
        await services.handlers['accounts:add']({ serverUrl: k.url(), kind: k.kind, user: k.user, secret: k.secret })
      ).id;
      k.seedPair();
    });

    const trash = async (s = services, account = accountId) => {
      const items: TrashItem[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: TrashItem[]; cursor: string | null } = await s.handlers['trash:list']({
          accountId: account,
          parentId: null,
          cursor,
        });
        items.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      return items;
    };
    const named = (items: TrashItem[], name: string) => items.filter((i) => i.name === name);
    const run = async (op: Promise<OperationView> | OperationView, s = services) => s.runner.wait((await op).id);
    const restore = (
      items: TrashItem[],
      options: { to?: string; resolutions?: Record<string, Resolution> } = {},
      s = services,
    ) =>
      run(
        s.handlers['ops:restore']({
          items: items.map((i) => ({ accountId: i.accountId, id: i.id })),
          destination:
            options.to === undefined
              ? { kind: 'original' }
              : { kind: 'folder', accountId: items[0]!.accountId, folderId: options.to },
          resolutions: options.resolutions ?? {},
        }),
        s,
      );
    /** What a listing says about an item that matters to the user. */
    const seen = (i: TrashItem) => ({
      name: i.name,
      originalFolder: i.originalFolder,
      deletedAt: i.deletedAt,
      size: i.size,
    });

    it('Undo gives the trash back as it was: the same items, names, places and deletion times, marked as moved back by Salvage, in no new event', async () => {
      const [a, b] = k.pair;
      const before = await trash();
      const pair = [...named(before, a), ...named(before, b)];
      expect(pair).toHaveLength(2);
      const restored = await restore(pair);
      expect(restored.results.map((r) => r.outcome)).toEqual(['restored', 'restored']);
      const undone = await run(services.handlers['ops:undo']({ operationId: restored.id }));
      expect(undone.results.map((r) => r.outcome)).toEqual(['trashed', 'trashed']);

      const after = await trash();
      expect(after).toHaveLength(before.length);
      for (const old of pair) {
        const now = named(after, old.name);
        expect(now.map(seen)).toEqual([seen(old)]);
        expect(now[0]!.movedBySalvage).toMatchObject({ why: 'undo', trashedAs: null });
      }
      // Nothing in the trash reads as deleted after the restore began.
      const since = Date.parse(restored.startedAt) - 1000;
      expect(after.filter((i) => i.deletedAt && Date.parse(i.deletedAt) >= since)).toEqual([]);
      expect(detectEvents(after).map((e) => e.count)).toEqual(detectEvents(before).map((e) => e.count));
    });

    it('Undo of Keep both leaves no "(restored)" copy behind: the entry reads, and restores, as the original name and place', async () => {
      const [a] = k.pair;
      k.addLive(a, 4321);
      const before = named(await trash(), a)[0]!;
      const kept = await restore([before], { resolutions: { [before.key]: 'keep-both' } });
      // DocSpace keeps both under the same name; the others give the restored one a "(restored)" name.
      expect(kept.results[0]).toMatchObject({ outcome: k.kind === 'docspace' ? 'restored' : 'renamed' });
      await run(services.handlers['ops:undo']({ operationId: kept.id }));

      const after = await trash();
      const back = after.filter((i) => i.movedBySalvage);
      expect(back).toHaveLength(1);
      expect(back[0]!.deletedAt).toBe(before.deletedAt);
      expect(back[0]!.movedBySalvage?.why).toBe('undo');
      if (k.kind === 'docspace') return; // no other name to give back
      expect(seen(back[0]!)).toEqual(seen(before));
      expect(after.some((i) => i.name.includes('(restored)'))).toBe(false);
      expect(back[0]!.movedBySalvage?.trashedAs?.name).toMatch(/\(restored\)/);

      // Restored into another folder, it lands under its own name.
      const again = await restore([back[0]!], { to: k.otherFolder() });
      expect(again.results[0]).toMatchObject({ outcome: 'restored' });
      expect(k.liveIn(k.otherFolder())).toContain(a);
      expect(k.liveIn(k.otherFolder()).some((n) => n.includes('(restored)'))).toBe(false);
    });

    it('a file a Replace moved to the trash is marked with what replaced it and is no deletion event', async () => {
      const [a] = k.pair;
      // A trashed file named like a live one in the pair's folder, restored there with Replace.
      const first = await restore(named(await trash(), a));
      expect(first.results[0]?.outcome).toBe('restored');
      k.trashAnother(a, 777);
      await nextSecond();
      const other = (await trash()).find((i) => i.name === a && i.size === 777)!;
      const folder = named(await trash(), k.pair[1])[0]!.originalFolderId!;
      const replaced = await restore([other], { to: folder, resolutions: { [other.key]: 'replace' } });
      expect(replaced.results[0]?.outcome).toBe('replaced');
      if (k.kind === 'docspace') return; // DocSpace keeps the replaced content as a version, not in the trash
      const moved = (await trash()).filter((i) => i.movedBySalvage);
      expect(moved).toEqual([
        expect.objectContaining({ name: a, movedBySalvage: expect.objectContaining({ why: 'replace', by: a }) }),
      ]);
    });

    it('a deletion by someone else right after an Undo is never taken for Salvage’s: it keeps its own time and no mark', async () => {
      const [a] = k.pair;
      const before = named(await trash(), a)[0]!;
      const restored = await restore([before]);
      await run(services.handlers['ops:undo']({ operationId: restored.id }));
      // Someone makes a new file of the same name in the same folder and deletes it, moments later.
      await nextSecond();
      k.deleteLive(a, 999);
      const after = named(await trash(), a);
      const theirs = after.filter((i) => i.size === 999);
      expect(theirs).toHaveLength(1);
      expect(theirs[0]!.movedBySalvage ?? null).toBeNull();
      expect(Date.parse(theirs[0]!.deletedAt!)).toBeGreaterThanOrEqual(Date.parse(restored.startedAt) - 1000);
      // Where the server gives file ids, Salvage's own is still told apart.
      if (k.kind !== 'ocis')
        expect(after.filter((i) => i.size !== 999).map((i) => i.movedBySalvage?.why)).toEqual(['undo']);
    });
  });
}

describe('the ledger survives a restart (kept with the account data)', () => {
  const k = webdav('nextcloud');
  let dir = '';
  beforeAll(() => k.start());
  afterAll(() => k.stop());
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an item an Undo moved back still reads with its old deletion time after Salvage is started again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'salvage-moves-'));
    const secrets = new MemorySecretStore();
    const start = () =>
      createMemoryServices({
        accounts: new FileAccountStore(join(dir, 'accounts.json')),
        secrets,
        ledger: new FileLedgerStore(join(dir, 'moves.json')),
      });
    const first = start();
    const { id: accountId } = await first.handlers['accounts:add']({
      serverUrl: k.url(),
      kind: k.kind,
      user: k.user,
      secret: k.secret,
    });
    const list = async (s: ReturnType<typeof start>) =>
      (await s.trash.readAll(accountId, null)).filter((i) => i.name === k.pair[0]);
    const [before] = await list(first);
    const op = await first.runner.wait(
      (
        await first.handlers['ops:restore']({
          items: [{ accountId, id: before!.id }],
          destination: { kind: 'original' },
          resolutions: {},
        })
      ).id,
    );
    await first.runner.wait((await first.handlers['ops:undo']({ operationId: op.id })).id);

    const second = start();
    const [after] = await list(second);
    expect(after).toMatchObject({ deletedAt: before!.deletedAt, movedBySalvage: { why: 'undo' } });

    // The command line, given the same data folder, lists it the same way (old time, marked).
    const cli = await runCli(['list', '--json', '--server', k.url(), '--user', k.user, '--data-dir', dir], {
      SALVAGE_PASSWORD: k.secret,
    });
    expect(cli.code).toBe(0);
    const listed = jsonLines(cli.stdout).filter((i) => i.name === k.pair[0]);
    expect(listed).toEqual([
      expect.objectContaining({
        deletedAt: before!.deletedAt,
        movedBySalvage: expect.objectContaining({ why: 'undo' }),
      }),
    ]);
    const human = await runCli(['list', '--server', k.url(), '--user', k.user, '--data-dir', dir], {
      SALVAGE_PASSWORD: k.secret,
    });
    expect(human.stdout.split('\n').find((l) => l.includes(k.pair[0]))).toMatch(/\(moved back by Salvage /);
  }, 60_000);
});
