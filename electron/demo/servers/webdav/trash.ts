import type { FileTree, TrashEntry, TreeNode, TreeUser } from '../tree';
import { OC } from './common';
import { text, type PropValue } from './sabre';

/** What the trash of more than one server kind shares. */

/** "name.d1795634743" for an entry: the name Nextcloud and ownCloud 10 store a trashed item under. */
export function trashFileName(tree: FileTree, entry: TrashEntry): string {
  return `${tree.node(entry.nodeId).name}.d${Math.floor(entry.deletedAt / 1000)}`;
}

/** The entry stored as "<name>.d<seconds>" (Nextcloud's trash paths, ownCloud 10's files_trashbin app). */
export function findTrashFile(tree: FileTree, user: TreeUser, name: string): TrashEntry | null {
  const m = /^(.*)\.d(\d+)$/.exec(name);
  if (!m) return null;
  const [, base, ts] = m;
  return tree.trashEntryNamed(user.id, Number(ts), base!);
}

/**
 * The oc:trashbin-* properties ownCloud 10 and oCIS share; they differ only in how the deletion
 * datetime is written. `inner` is the path below the trashed top-level entry, if any.
 */
export function ownCloudTrashProps(
  node: TreeNode,
  entry: TrashEntry,
  inner: string,
  formatDatetime: (ms: number) => string,
) {
  // ownCloud 10 shows the first row's location for a trash file several deletions share (the last one's content).
  const where = entry.rows?.[0] ?? entry.originalPath;
  const location = inner ? `${where}/${inner}` : where;
  const seconds = Math.floor(entry.deletedAt / 1000);
  return (name: string): PropValue | undefined => {
    switch (name) {
      case OC('trashbin-original-filename'):
        return text(node.name);
      case OC('trashbin-original-location'):
        return text(location);
      case OC('trashbin-delete-timestamp'):
        return text(seconds);
      case OC('trashbin-delete-datetime'):
        return text(formatDatetime(seconds * 1000));
      default:
        return undefined;
    }
  };
}
