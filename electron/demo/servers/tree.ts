import { NodeTree, splitPath, TreeError, type TrashEntry, type TreeNode } from './treeNodes';

/**
 * One in-memory file tree shared by every test server front end (ownCloud 10, Nextcloud, oCIS,
 * DocSpace). It knows users, live files and folders, and a per-user trash; it knows nothing about
 * HTTP. Front ends translate their protocol onto these operations and decide the protocol's
 * semantics (auto-rename, Overwrite, error statuses) on top of the plain primitives here.
 *
 * Nodes have stable numeric ids (fileids) that survive moves, trashing and restoring.
 */

export { contentTypeFor, splitPath, TreeError, validName } from './treeNodes';
export type { NodeKind, ProjectSpace, SpaceRole, TrashEntry, TreeChange, TreeNode, TreeUser } from './treeNodes';

/** The file tree the servers share: NodeTree (treeNodes.ts) and, here, each user's trash. */
export class FileTree extends NodeTree {
  /**
   * Nextcloud and ownCloud 10 keep a trashed item as the file `files_trashbin/files/<name>.d<unix
   * seconds>`: the same name trashed again within the same second (from another folder, say)
   * overwrites that file, so only the last one's content survives, under the last one's file id,
   * while the database keeps a row per deletion (checked on both real servers; ownCloud recordings,
   * notable behaviour 17). With this set, trash() does the same: the earlier entry's node is gone
   * and the new entry carries every row's original path in `rows`. What each server then shows and
   * does with the rows is the front end's (Nextcloud lists the last row's location and restores to
   * the first's; ownCloud 10 lists the first's).
   */
  sameSecondCollisions = false;

  /** Path of a node inside a trash entry, relative to the entry's top node ("" for the top). */
  pathInEntry(nodeId: number): string {
    return this.pathOf(nodeId);
  }

  /** Moves a live node into its owner's trash. */
  trash(nodeId: number, options: { deletedBy?: string; at?: number } = {}): TrashEntry {
    const node = this.node(nodeId);
    if (node.parent === null || node.trashEntry !== null)
      throw new TreeError('INVALID', 'Only live, non-root nodes can be trashed');
    const user = this.user(node.owner);
    const originalPath = this.pathOf(node.id);
    const by = this.users.get(options.deletedBy ?? node.owner) ?? user;
    const deletedAt = options.at ?? this.now();
    let rows: string[] | undefined;
    if (this.sameSecondCollisions) {
      const second = Math.floor(deletedAt / 1000);
      const clash = this.trashEntryNamed(user.id, second, node.name);
      if (clash) {
        rows = [...(clash.rows ?? [clash.originalPath]), originalPath];
        this.destroy(clash.nodeId);
      }
    }
    this.detach(node);
    node.parent = null;
    const entry: TrashEntry = {
      id: node.id,
      nodeId: node.id,
      owner: user.id,
      deletedAt,
      originalPath,
      deletedBy: by.id,
      deletedByName: by.displayName,
      ...(rows ? { rows } : {}),
    };
    this.addEntry(entry, node.name);
    this.setEntry(node, entry.id, user.id);
    this.onChange?.({
      type: 'deleted',
      owner: user.id,
      nodeId: node.id,
      path: originalPath,
      by: by.id,
      at: entry.deletedAt,
    });
    return entry;
  }

  /** Trash entries of a user, oldest first. */
  trashOf(userId: string): TrashEntry[] {
    return [...this.user(userId).trash].map((id) => this.entries.get(id)!);
  }

  entry(userId: string, entryId: number): TrashEntry | null {
    const entry = this.entries.get(entryId);
    return entry && entry.owner === userId ? entry : null;
  }

  /**
   * Takes a node out of the trash into a live folder under a given name (free). For the top node of
   * an entry, the entry disappears; for a node inside a trashed folder, it leaves that folder.
   */
  untrash(nodeId: number, targetParentId: number, name: string): TreeNode {
    const node = this.node(nodeId);
    if (node.trashEntry === null) throw new TreeError('INVALID', 'Not in the trash');
    const wasTop = node.trashEntry === node.id;
    const target = this.node(targetParentId);
    if (target.trashEntry !== null) throw new TreeError('INVALID', 'Target is in the trash');
    // A restored file or folder keeps its id, ETag and mtime (both real servers; ownCloud notable behaviour 1).
    const kept = node.etag;
    const moved = this.move(node.id, targetParentId, name);
    moved.etag = kept;
    if (wasTop) this.dropEntry(node.id);
    moved.mtime = moved.mtime || this.now();
    this.changed('restored', moved, moved.owner);
    return moved;
  }

  /** Deletes one trash entry for good. */
  purge(userId: string, entryId: number): void {
    const entry = this.entry(userId, entryId);
    if (!entry) throw new TreeError('NOT_FOUND', `No trash entry ${entryId}`);
    this.destroy(entry.nodeId);
  }

  /** Empties a user's trash; answers how many entries went. */
  emptyTrash(userId: string): number {
    const ids = [...this.user(userId).trash];
    for (const id of ids) {
      if (this.nodes.has(id)) this.destroy(id);
      this.dropEntry(id);
    }
    return ids.length;
  }

  /** Finds the node at a path inside a trash entry ("" for the top). */
  resolveInEntry(entry: TrashEntry, path: string): TreeNode | null {
    let node = this.node(entry.nodeId);
    for (const part of splitPath(path)) {
      const next = node.children?.get(part);
      if (next === undefined) return null;
      node = this.node(next);
    }
    return node;
  }

  /**
   * Fast seeding for big trash bins: creates `count` files directly in the trash of a user, named
   * `${prefix}${i}.txt`, deleted one second apart ending now (or at `endAt`).
   */
  seedTrash(
    userId: string,
    count: number,
    options: { prefix?: string; folder?: string; endAt?: number; size?: number } = {},
  ): void {
    const user = this.user(userId);
    const end = options.endAt ?? this.now();
    const prefix = options.prefix ?? 'file-';
    const folder = (options.folder ?? '').replace(/^\/+|\/+$/g, '');
    for (let i = 0; i < count; i++) {
      const name = `${prefix}${i}.txt`;
      const at = end - (count - i) * 1000;
      const node = this.newNode({
        name,
        kind: 'file',
        size: options.size ?? 1000 + (i % 5000),
        parent: null,
        owner: userId,
        mtime: at,
      });
      node.trashEntry = node.id;
      const entry: TrashEntry = {
        id: node.id,
        nodeId: node.id,
        owner: userId,
        deletedAt: at,
        originalPath: folder ? `${folder}/${name}` : name,
        deletedBy: userId,
        deletedByName: user.displayName,
      };
      this.addEntry(entry, name);
      this.onChange?.({ type: 'deleted', owner: userId, nodeId: node.id, path: entry.originalPath, by: userId, at });
    }
  }

  /** A JSON-able picture of a user's files and trash, for assertions. */
  snapshot(userId: string): { files: string[]; trash: { id: number; name: string; originalPath: string }[] } {
    const files: string[] = [];
    const walk = (id: number, prefix: string) => {
      for (const child of this.children(id)) {
        const p = `${prefix}/${child.name}`;
        files.push(child.kind === 'folder' ? `${p}/` : p);
        if (child.kind === 'folder') walk(child.id, p);
      }
    };
    walk(this.user(userId).rootId, '');
    return {
      files: files.sort(),
      trash: this.trashOf(userId).map((e) => ({
        id: e.id,
        name: this.node(e.nodeId).name,
        originalPath: e.originalPath,
      })),
    };
  }
}
