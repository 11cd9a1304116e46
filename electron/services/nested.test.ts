import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../demo/servers/docspace/index';
import { startWebDavServer, type WebDavServer } from '../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import type { AccountKind, ItemRef, OperationView, TrashItem } from '../../shared/model';
import { createMemoryServices } from './index';

/**
 * Items inside a trashed folder can be restored and deleted on their own, from a fresh process
 * (the command line) that has never listed that folder: the services find them by the folder
 * their id names (WebDAV) or the --parent the caller gives (DocSpace).
 */
interface Server {
  kind: AccountKind;
  url: string;
  user: string;
  secret: string;
  /** The trashed folder with plan.md inside, and a live folder to restore into. */
  folderName: string;
  targetFolderId(): string;
  /** Names of the live entries in the restore target. */
  liveInTarget(): string[];
  close(): Promise<void>;
}

async function webdav(kind: 'nextcloud' | 'owncloud10' | 'ocis'): Promise<Server> {
  const server: WebDavServer = await startWebDavServer({ kind });
  const alice = WEBDAV_USERS.alice;
  return {
    kind,
    url: server.url,
    user: alice.id,
    secret: alice.appPassword,
    folderName: 'Projects',
    targetFolderId: () => '/Documents',
    liveInTarget: () => server.tree.children(server.tree.resolve(alice.id, 'Documents')!.id).map((n) => n.name),
    close: () => server.close(),
  };
}

async function docspace(): Promise<Server> {
  const server: DocSpaceServer = await startDocSpaceServer({ opItemMs: 1 });
  const reports = () => server.state.childByTitle(server.state.myRoot('alice'), 'Reports', 'folder')!;
  return {
    kind: 'docspace',
    url: server.url,
    user: '',
    secret: TEST_KEYS.alice,
    folderName: 'Old project',
    targetFolderId: () => String(reports().id),
    liveInTarget: () => server.state.childrenOf(reports().id).map((n) => server.state.title(n)),
    close: () => server.close(),
  };
}

const starters = [() => webdav('nextcloud'), () => webdav('owncloud10'), () => webdav('ocis'), docspace];

for (const start of starters) {
  describe('items inside a trashed folder', () => {
    let server: Server;
    beforeAll(async () => void (server = await start()));
    afterAll(() => server.close());

    /** A fresh set of services, as a new command-line process has. */
    const fresh = async () => {
      const services = createMemoryServices();
      const account = await services.handlers['accounts:add']({
        serverUrl: server.url,
        kind: server.kind,
        user: server.user,
        secret: server.secret,
      });
      return { services, accountId: account.id };
    };
    const run = async (services: ReturnType<typeof createMemoryServices>, op: Promise<OperationView>) =>
      services.runner.wait((await op).id);

    it('restores and deletes single items from inside a trashed folder, from a process that never listed it', async () => {
      const lister = await fresh();
      const top = await lister.services.trash.readAll(lister.accountId, null);
      const folder = top.find((i: TrashItem) => i.name === server.folderName && i.kind === 'folder')!;
      expect(folder, `${server.kind}: ${server.folderName} in the trash`).toBeDefined();
      const inside = await lister.services.trash.readAll(lister.accountId, folder.id);
      const plan = inside.find((i) => i.name === 'plan.md')!;
      const other = inside.find((i) => i.name !== 'plan.md')!;
      const ref = (item: TrashItem): ItemRef => ({
        accountId: '',
        id: item.id,
        ...(server.kind === 'docspace' ? { parentId: folder.id } : {}),
      });

      const { services, accountId } = await fresh();
      const restored = await run(
        services,
        services.ops.restore({
          items: [{ ...ref(plan), accountId }],
          destination: { kind: 'folder', accountId, folderId: server.targetFolderId() },
          resolutions: {},
        }),
      );
      expect(restored.results).toEqual([
        expect.objectContaining({ name: 'plan.md', outcome: 'restored', error: null }),
      ]);
      // The batch names the folder it restored into, not its id (a number on DocSpace).
      expect(restored.title).toMatch(/^Restore plan\.md to “[^”0-9/][^”]*”$/);
      expect(server.liveInTarget()).toContain('plan.md');

      const deleted = await run(services, services.ops.remove([{ ...ref(other), accountId }]));
      expect(deleted.results).toEqual([expect.objectContaining({ name: other.name, outcome: 'deleted', error: null })]);
      const left = await services.trash.readAll(accountId, folder.id);
      expect(left.map((i) => i.name)).not.toContain(other.name);
      expect(left.map((i) => i.name)).not.toContain('plan.md');
    });
  });
}
