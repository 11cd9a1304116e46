import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../demo/servers/docspace/index';
import { startWebDavServer, type WebDavServer } from '../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import type { AccountKind, TrashItem } from '../../shared/model';
import { createMemoryServices } from './index';

/**
 * Hostile names and paths: every odd name goes out encoded right and comes back as itself, and
 * an original location a malicious server invents can never make a restore land outside the
 * account's own tree.
 */
// No backslash: Nextcloud and ownCloud refuse it in names (and Salvage refuses it in original
// locations, where a server could mean it as a separator).
const NAMES = [
  'two  spaces .txt',
  'caf\u00e9 NFC.txt',
  'cafe\u0301 NFD.txt',
  '🦊 emoji.txt',
  '100% sure.txt',
  '#hash.txt',
  'what?.txt',
  'a+b=c.txt',
  `quote's "double".txt`,
  'a.d1795952414',
  `${'long-'.repeat(40)}name.txt`,
  '..hidden..txt',
  '[brackets] & {braces}.txt',
];

interface Server {
  kind: AccountKind;
  url: string;
  user: string;
  secret: string;
  /** Trashes one file per name, deleted from the folder "Odd". */
  trashOdd(names: string[]): void;
  /** Live names in "Odd". */
  odd(): string[];
  /** Adds a trash entry whose original location a malicious server made up; returns its name. */
  forge?(location: string): string;
  /** Every live path of the user, and of the other user. */
  everything(): { mine: string[]; others: string[] };
  close(): Promise<void>;
}

async function webdav(kind: 'nextcloud' | 'owncloud10' | 'ocis'): Promise<Server> {
  const server: WebDavServer = await startWebDavServer({ kind });
  const { tree } = server;
  return {
    kind,
    url: server.url,
    user: 'alice',
    secret: WEBDAV_USERS.alice.appPassword,
    trashOdd(names) {
      tree.mkdirs('alice', 'Odd');
      for (const n of names) tree.trash(tree.writeFile('alice', `Odd/${n}`, n.length).id);
      tree.trash(tree.resolve('alice', 'Odd')!.id); // the folder goes too; restores recreate it
    },
    odd: () => tree.children(tree.resolve('alice', 'Odd')!.id).map((n) => n.name),
    forge(location) {
      const name = `forged-${Math.random().toString(36).slice(2, 8)}.txt`;
      const entry = tree.trash(tree.writeFile('alice', name, 3).id);
      entry.originalPath = location;
      return name;
    },
    everything: () => ({ mine: tree.snapshot('alice').files, others: tree.snapshot('bob').files }),
    close: () => server.close(),
  };
}

async function docspace(): Promise<Server> {
  const server: DocSpaceServer = await startDocSpaceServer({ opItemMs: 1 });
  const { state } = server;
  const my = () => state.myRoot('alice');
  let odd = 0;
  return {
    kind: 'docspace',
    url: server.url,
    user: '',
    secret: TEST_KEYS.alice,
    trashOdd(names) {
      odd = state.addFolder(my(), 'Odd', { by: 'alice' }).id;
      for (const n of names) state.addTrashed('alice', odd, n, 'file', n.length, state.tree.now());
    },
    odd: () => state.childrenOf(odd).map((n) => state.title(n)),
    everything: () => ({ mine: state.childrenOf(my()).map((n) => state.title(n)), others: [] }),
    close: () => server.close(),
  };
}

for (const start of [() => webdav('nextcloud'), () => webdav('owncloud10'), () => webdav('ocis'), docspace]) {
  describe('hostile names and paths', () => {
    let server: Server;
    let services: ReturnType<typeof createMemoryServices>;
    let accountId: string;
    beforeAll(async () => {
      server = await start();
      services = createMemoryServices();
      accountId = (
        await services.handlers['accounts:add']({
          serverUrl: server.url,
          kind: server.kind,
          user: server.user,
          secret: server.secret,
        })
      ).id;
    });
    afterAll(() => server.close());
    const trash = () => services.trash.readAll(accountId, null);

    it('lists every odd name as itself and restores each to where it was', async () => {
      server.trashOdd(NAMES);
      const listed = (await trash()).filter((i: TrashItem) => NAMES.includes(i.name));
      expect(listed.map((i) => i.name).sort()).toEqual([...NAMES].sort());
      const op = await services.ops.restore({
        items: listed.map((i) => ({ accountId, id: i.id })),
        destination: { kind: 'original' },
        resolutions: {},
        recreateMissingFolders: true,
      });
      const done = await services.runner.wait(op.id);
      expect(done.results.filter((r) => r.outcome !== 'restored')).toEqual([]);
      expect(server.odd().sort()).toEqual([...NAMES].sort());
    });

    it('never restores outside the account when the server invents the original location', async () => {
      if (!server.forge) return; // DocSpace gives origins as folder ids the server resolves, not paths
      const before = server.everything();
      const names = [
        '../../bob/files/pwned.txt',
        '../pwned.txt',
        'a/../../pwned.txt',
        '/Documents/../../pwned.txt',
      ].map((l) => server.forge!(l));
      const items = (await trash()).filter((i) => names.includes(i.name));
      expect(items).toHaveLength(names.length);
      // Nothing claims a place it cannot have: unusable origins are shown as the root, with no id to restore to.
      for (const i of items) expect(i.originalFolderId).toBeNull();
      const op = await services.ops.restore({
        items: items.map((i) => ({ accountId, id: i.id })),
        destination: { kind: 'original' },
        resolutions: {},
        recreateMissingFolders: true,
      });
      const done = await services.runner.wait(op.id);
      expect(done.results.map((r) => r.outcome)).toEqual(names.map(() => 'failed'));
      expect(done.results[0]!.error?.message).toMatch(/restore it into a folder instead/);
      const after = server.everything();
      expect(after.others).toEqual(before.others);
      expect(after.mine.filter((p) => p.includes('pwned'))).toEqual([]);
    });
  });
}
