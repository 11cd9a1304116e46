import type { Control, Fault } from '../../electron/demo/servers/control';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceState } from '../../electron/demo/servers/docspace/index';
import { seedTestPortal } from '../../electron/demo/servers/docspace/seed';
import type { FileTree } from '../../electron/demo/servers/tree';
import { ocisKey } from '../../electron/demo/servers/webdav/ids';
import { startWebDavServer } from '../../electron/demo/servers/webdav/server';
import { seedTestState, WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import type { AccountKind } from '../../shared/model';

/**
 * One server of each kind for the fault matrix, all with the same small story: alpha.txt and
 * beta.txt deleted from /Docs, a folder Box (inner.txt inside) in the trash, a live folder /Dest
 * for "restore to", and the server's own small test seed around them. Each knows which request
 * an operation's fault should hit, and how to read the truth back from the server's own state.
 */
export type Op =
  'list' | 'list inside a trashed folder' | 'restore' | 'restore to a folder' | 'delete' | 'empty' | 'undo';
export const OPS: Op[] = [
  'list',
  'list inside a trashed folder',
  'restore',
  'restore to a folder',
  'delete',
  'empty',
  'undo',
];
export const NAMES = ['alpha.txt', 'beta.txt'] as const;

export interface FaultServer {
  kind: AccountKind;
  url: string;
  user: string;
  secret: string;
  control: Control;
  /** Where "restore to a folder" goes: the provider's folder id of /Dest. */
  destId(): string;
  /** The request an operation's fault hits. */
  target(op: Op): Pick<Fault, 'method' | 'path'>;
  /** Names at the top of the trash. */
  trash(): string[];
  /** Names inside the trashed folder Box (null when Box is not in the trash). */
  insideBox(): string[] | null;
  /** Live names in a folder ('Docs' or 'Dest'). */
  live(folder: 'Docs' | 'Dest'): string[];
  close(): Promise<void>;
}

function seedWebDav(tree: FileTree): void {
  seedTestState(tree);
  tree.mkdirs('alice', 'Docs');
  tree.mkdirs('alice', 'Dest');
  tree.writeFile('alice', 'Docs/keep.txt', 11); // a live neighbour that nothing may touch
  for (const [i, name] of NAMES.entries()) tree.trash(tree.writeFile('alice', `Docs/${name}`, 100 + i).id);
  tree.writeFile('alice', 'Box/inner.txt', 7, { parents: true });
  tree.trash(tree.resolve('alice', 'Box')!.id);
}

function seedDocSpace(state: DocSpaceState): void {
  seedTestPortal(state);
  const my = state.myRoot('alice');
  const docs = state.addFolder(my, 'Docs', { by: 'alice' });
  state.addFolder(my, 'Dest', { by: 'alice' });
  state.addFile(docs.id, 'keep.txt', 11, { by: 'alice' });
  const now = state.tree.now();
  for (const [i, name] of NAMES.entries())
    state.addTrashed('alice', docs.id, name, 'file', 100 + i, now - 60_000 * (i + 1));
  const box = state.addFolder(my, 'Box', { by: 'alice' });
  state.addFile(box.id, 'inner.txt', 7, { by: 'alice' });
  state.trashNode('alice', box.id, now);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function startFaultServer(kind: AccountKind): Promise<FaultServer> {
  if (kind === 'docspace') {
    const server = await startDocSpaceServer({ seed: seedDocSpace, opItemMs: 1 });
    const { state } = server;
    const folder = (name: string) => state.childByTitle(state.myRoot('alice'), name, 'folder');
    const titles = (ids: number) =>
      state
        .childrenOf(ids)
        .map((n) => state.title(n))
        .sort();
    const box = () => state.trashOf('alice').find((n) => state.title(n) === 'Box' && n.kind === 'folder') ?? null;
    return {
      kind,
      url: server.url,
      user: '',
      secret: TEST_KEYS.alice,
      control: server.control,
      destId: () => String(folder('Dest')!.id),
      target(op) {
        switch (op) {
          case 'list':
            return { method: 'GET', path: /\/api\/2\.0\/files\/@trash(\?|$)/ };
          case 'list inside a trashed folder':
            return { method: 'GET', path: new RegExp(`/api/2\\.0/files/${box()?.id ?? 0}(\\?|$)`) };
          case 'restore':
          case 'restore to a folder':
            return { method: 'PUT', path: '/api/2.0/files/fileops/move' };
          case 'delete':
          case 'undo':
            return { method: 'PUT', path: '/api/2.0/files/fileops/delete' };
          case 'empty':
            return { method: 'PUT', path: '/api/2.0/files/fileops/emptytrash' };
        }
      },
      trash: () =>
        state
          .trashOf('alice')
          .map((n) => state.title(n))
          .sort(),
      insideBox: () => {
        const b = box();
        return b ? titles(b.id) : null;
      },
      live: (name) => titles(folder(name)!.id),
      close: () => server.close(),
    };
  }
  const server = await startWebDavServer({ kind, seed: seedWebDav });
  const { tree } = server;
  const alice = WEBDAV_USERS.alice;
  const trashRoot =
    kind === 'nextcloud'
      ? '/remote.php/dav/trashbin/alice/trash'
      : kind === 'owncloud10'
        ? '/remote.php/dav/trash-bin/alice'
        : '/remote.php/dav/spaces/trash-bin/';
  const trashRootRe = kind === 'ocis' ? '/remote.php/dav/spaces/trash-bin/[^/]+' : escape(trashRoot);
  const boxEntry = () => tree.trashOf(alice.id).find((e) => tree.node(e.nodeId).name === 'Box') ?? null;
  const boxKey = () => {
    const e = boxEntry();
    if (!e) return 'none';
    return kind === 'nextcloud'
      ? `Box.d${Math.floor(e.deletedAt / 1000)}`
      : kind === 'ocis'
        ? ocisKey(e.nodeId)
        : String(e.id);
  };
  const names = (id: number) =>
    tree
      .children(id)
      .map((n) => n.name)
      .sort();
  return {
    kind,
    url: server.url,
    user: alice.id,
    secret: alice.appPassword,
    control: server.control,
    destId: () => '/Dest',
    target(op) {
      switch (op) {
        case 'list':
          return { method: 'PROPFIND', path: new RegExp(`${trashRootRe}/?$`) };
        case 'list inside a trashed folder':
          return { method: 'PROPFIND', path: new RegExp(`${trashRootRe}/${escape(encodeURIComponent(boxKey()))}/?$`) };
        case 'restore':
        case 'restore to a folder':
          return { method: 'MOVE', path: new RegExp(`${trashRootRe}/`) };
        case 'delete':
          return { method: 'DELETE', path: new RegExp(`${trashRootRe}/.+`) };
        case 'empty':
          return { method: 'DELETE', path: new RegExp(`${trashRootRe}/?$`) };
        case 'undo':
          return {
            method: 'DELETE',
            path: kind === 'ocis' ? /\/remote\.php\/dav\/spaces\/(?!trash-bin)/ : '/remote.php/dav/files/',
          };
      }
    },
    trash: () =>
      tree
        .trashOf(alice.id)
        .map((e) => tree.node(e.nodeId).name)
        .sort(),
    insideBox: () => {
      const e = boxEntry();
      return e ? names(e.nodeId) : null;
    },
    live: (name) => names(tree.resolve(alice.id, name)!.id),
    close: () => server.close(),
  };
}
