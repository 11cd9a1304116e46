import type { HistoryOps } from '../control';
import type { DocSpaceState } from './state';
import type { TreeNode } from '../tree';

/**
 * The control API's history() on DocSpace: items are made below the user's My documents by title,
 * and trashed the way DocSpace moves an entry to the trash (origin kept, ModifiedOn — the DTO's
 * `updated` — stamped with the deletion time, as FileDao.MoveFileAsync does when the target is the
 * trash folder).
 */
export function docSpaceHistory(state: DocSpaceState): HistoryOps {
  const parts = (path: string) => path.split('/').filter(Boolean);
  const folderFor = (user: string, segments: string[], at: number, create: boolean): TreeNode | null => {
    let node = state.tree.node(state.myRoot(user));
    for (const title of segments) {
      const next =
        state.childByTitle(node.id, title, 'folder') ??
        (create ? state.addFolder(node.id, title, { by: user, at }) : null);
      if (!next) return null;
      node = next;
    }
    return node;
  };
  return {
    create(user, path, kind, size, at) {
      const segments = parts(path);
      const title = segments.pop();
      if (!title) throw new Error('A path is needed');
      const parent = folderFor(user, segments, at, true)!;
      if (state.childByTitle(parent.id, title, kind)) return;
      if (kind === 'folder') state.addFolder(parent.id, title, { by: user, at });
      else state.addFile(parent.id, title, size, { by: user, at });
    },
    trash(user, path, at) {
      const segments = parts(path);
      const title = segments.pop();
      const parent = title ? folderFor(user, segments, at, false) : null;
      const node = parent
        ? (state.childByTitle(parent.id, title!, 'file') ?? state.childByTitle(parent.id, title!, 'folder'))
        : null;
      if (!node) throw new Error(`Nothing to trash at ${path}`);
      state.trashNode(user, node.id, at);
    },
  };
}
