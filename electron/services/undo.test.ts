import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../demo/servers/docspace/index';
import { startWebDavServer, type WebDavServer } from '../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import type { AccountKind, OperationView, Resolution, TrashItem } from '../../shared/model';
import { createMemoryServices } from './index';
import { useBuiltTrashWorker } from '../../e2e/faults/builtWorker';

// Many tests sign a new account in, and each account gets its own listing worker: the built one
// starts ~6x faster than one compiling the source.
let restoreWorker = () => {};
beforeAll(async () => void (restoreWorker = await useBuiltTrashWorker()));
afterAll(() => restoreWorker());

/**
 * The undo sequences of the "never act on the wrong file" issue, through the real services and
 * providers against each kind of test server: an undo runs once, a later batch that touches a
 * restored file takes the earlier undo away, and undo of Replace puts the replaced file back.
 */

interface Kind {
  kind: AccountKind;
  start(): Promise<void>;
  stop(): Promise<void>;
  reset(): void;
  url(): string;
  user: string;
  secret: string;
  /** Two trashed files that go back to the same folder without conflicts. */
  pair: [string, string];
  /** Adds a trashed file with this name that came from another folder; answers nothing. */
  trashAnother(name: string, size: number): void;
  /** Makes sure both files of `pair` are in the trash. */
  seedPair(): void;
  /** Someone saves new content over the live file (same file, new ETag / version). */
  saveOver(name: string, size: number): void;
  /** The live file with this name in the folder `pair` came from: its id and size, or null. */
  live(name: string): { id: number; size: number } | null;
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
    trashAnother(name, size) {
      server.tree.trash(server.tree.writeFile(alice.id, `Shared/${name}`, size).id);
    },
    seedPair() {},
    saveOver: (name, size) => void server.tree.writeFile(alice.id, name, size),
    live(name) {
      const node = server.tree.resolve(alice.id, name);
      return node ? { id: node.id, size: node.size } : null;
    },
  };
}

function docspace(): Kind {
  let server: DocSpaceServer;
  const reports = () => server.state.childByTitle(server.state.myRoot('alice'), 'Reports', 'folder')!;
  const photos = () => server.state.childByTitle(server.state.myRoot('alice'), 'Photos', 'folder')!;
  return {
    kind: 'docspace',
    start: async () => void (server = await startDocSpaceServer({ opItemMs: 1 })),
    stop: () => server.close(),
    reset: () => server.control.reset(),
    url: () => server.url,
    user: '',
    secret: TEST_KEYS.alice,
    pair: ['Q3 report.docx', 'Weekly.docx'],
    trashAnother(name, size) {
      server.state.addTrashed('alice', photos().id, name, 'file', size, server.state.tree.now());
    },
    saveOver(name, size) {
      server.state.saveVersion(server.state.childByTitle(reports().id, name, 'file')!, size, 'alice', 'Edited');
    },
    // The test portal has one file from Reports in the trash: add a second.
    seedPair: () =>
      void server.state.addTrashed('alice', reports().id, 'Weekly.docx', 'file', 700, server.state.tree.now()),
    live(name) {
      const node = server.state.childByTitle(reports().id, name, 'file');
      return node ? { id: node.id, size: node.size } : null;
    },
  };
}

const kinds: Kind[] = [webdav('nextcloud'), webdav('owncloud10'), webdav('ocis'), docspace()];

for (const k of kinds) {
  describe(`undo sequences on ${k.kind}`, () => {
    beforeAll(() => k.start());
    afterAll(() => k.stop());

    let services: ReturnType<typeof createMemoryServices>;
    let accountId: string;
    beforeEach(async () => {
      k.reset();
      services = createMemoryServices();
      const account = await services.handlers['accounts:add']({
        serverUrl: k.url(),
        kind: k.kind,
        user: k.user,
        secret: k.secret,
      });
      accountId = account.id;
      k.seedPair();
    });

    const trash = async () => {
      services.trash.forgetAccount(accountId);
      const items: TrashItem[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: TrashItem[]; cursor: string | null } = await services.handlers['trash:list']({
          accountId,
          parentId: null,
          cursor,
        });
        items.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      return items;
    };
    const named = (items: TrashItem[], name: string) => items.filter((i) => i.name === name);
    const run = async (op: Promise<OperationView> | OperationView) => services.runner.wait((await op).id);
    const restore = (items: TrashItem[], options: { to?: string; resolutions?: Record<string, Resolution> } = {}) =>
      run(
        services.handlers['ops:restore']({
          items: items.map((i) => ({ accountId, id: i.id })),
          destination:
            options.to === undefined ? { kind: 'original' } : { kind: 'folder', accountId, folderId: options.to },
          resolutions: options.resolutions ?? {},
        }),
      );

    it('an undo runs once: the old card cannot undo a later restore of the same file', async () => {
      const [a, b] = k.pair;
      const items = await trash();
      const first = await restore([...named(items, a), ...named(items, b)]);
      expect(first.results.map((r) => r.outcome)).toEqual(['restored', 'restored']);
      expect(first.undoable).toBe(true);

      const undone = await run(services.handlers['ops:undo']({ operationId: first.id }));
      expect(undone.results.map((r) => r.outcome)).toEqual(['trashed', 'trashed']);
      expect(services.runner.get(first.id)).toMatchObject({ undoable: false, undoNote: 'Already undone.' });
      expect(k.live(a)).toBeNull();

      const again = await restore(named(await trash(), a));
      expect(again.results[0]?.outcome).toBe('restored');
      const restoredAgain = k.live(a);
      expect(restoredAgain).not.toBeNull();

      await expect(services.handlers['ops:undo']({ operationId: first.id })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: 'Already undone.',
      });
      expect(k.live(a)).toEqual(restoredAgain);
      expect(services.runner.get(again.id).undoable).toBe(true);
    });

    it('undo after someone saved over the restored file leaves that file alone and says so', async () => {
      const [a] = k.pair;
      const first = await restore(named(await trash(), a));
      k.saveOver(a, 4321);
      const undone = await run(services.handlers['ops:undo']({ operationId: first.id }));
      expect(undone.results).toEqual([
        expect.objectContaining({
          outcome: 'kept',
          error: expect.objectContaining({ message: `${a} was changed since it was restored; left in place.` }),
        }),
      ]);
      expect(k.live(a)?.size).toBe(4321);
      expect(named(await trash(), a)).toEqual([]);
    });

    it('a later Replace of a restored file takes the earlier undo away, and its own undo puts that file back', async () => {
      const [a] = k.pair;
      const first = await restore(named(await trash(), a));
      const landed = k.live(a)!;
      expect(first.undoable).toBe(true);

      // Another file of the same name, deleted elsewhere, restored into the same folder over it.
      k.trashAnother(a, 777);
      const other = (await trash()).find((i) => i.name === a && i.size === 777)!;
      const folder = named(await trash(), k.pair[1])[0]!.originalFolderId!;
      const second = await restore([other], { to: folder, resolutions: { [other.key]: 'replace' } });
      expect(second.results[0]).toMatchObject({ outcome: 'replaced' });
      expect(k.live(a)?.size).toBe(777);

      const earlier = services.runner.get(first.id);
      expect(earlier.undoable).toBe(false);
      expect(earlier.undoNote).toContain(`${a} was changed by a later batch`);
      await expect(services.handlers['ops:undo']({ operationId: first.id })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });

      const undone = await run(services.handlers['ops:undo']({ operationId: second.id }));
      expect(undone.results).toEqual([expect.objectContaining({ outcome: 'reverted' })]);
      // The file that was replaced is back where the user saw it, with its content (size) and id.
      expect(k.live(a)).toEqual({ id: landed.id, size: landed.size });
    });
  });
}
