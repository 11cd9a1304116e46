import { randomUUID } from 'node:crypto';
import type { FileTree, TreeNode } from '../tree';

/**
 * DocSpace's view of the shared in-memory tree. The shared FileTree holds the nodes (ids survive
 * moves, trashing and restoring); this module adds what DocSpace has and WebDAV servers do not:
 * rooms (a "__rooms__" tree user whose root is the Rooms section), API keys with scopes, the
 * folder an item was deleted from (origin, by id), titles that may repeat inside one folder (a
 * "Duplicate" move keeps the title; the tree's unique child name is then made internal), file
 * versions, auto-cleanup settings, and background file operations.
 */

export const ROOMS_USER = '__rooms__';

/** FolderType values (ASC.Files.Core FolderType). */
export const FolderType = {
  DEFAULT: 0,
  TRASH: 3,
  USER: 5,
  VirtualRooms: 14,
  FillingFormsRoom: 15,
  EditingRoom: 16,
  CustomRoom: 19,
  PublicRoom: 22,
} as const;
/** RoomType values (ASC.Files.Core.ApiModels RoomType). */
export const RoomType = {
  FillingFormsRoom: 1,
  EditingRoom: 2,
  CustomRoom: 5,
  PublicRoom: 6,
  VirtualDataRoom: 8,
} as const;

export interface DsUser {
  /** The tree's user id (also the control API's `user`). */
  id: string;
  guid: string;
  displayName: string;
  firstName: string;
  lastName: string;
  email: string;
  isAdmin: boolean;
  /** The Trash section's folder id for this user (not a tree node). */
  trashId: number;
  autoCleanup: { isAutoCleanUp: boolean; gap: number };
}

export interface ApiKey {
  key: string;
  user: string;
  /** e.g. ["*:write"], ["files:read", "accounts.self:read"]. */
  scopes: string[];
  expired?: boolean;
}

/**
 * One row of a file's version history (DocSpace keeps a files row per version: version,
 * version_group, content_length, modified_on/by, comment; create_on is the file's).
 */
export interface FileVersion {
  version: number;
  versionGroup: number;
  /** Bytes of that version's content. */
  size: number;
  /** ms since the epoch. */
  modifiedOn: number;
  /** Tree user id of who saved it (undefined: the file's creator). */
  modifiedBy?: string | undefined;
  /** "Overwritten", "Edited", "Restored from the revision of …"; absent for the first version here. */
  comment?: string | undefined;
}

interface Meta {
  /** Set when the title differs from the tree's (internal, unique) name. */
  title?: string;
  created?: number;
  createdBy?: string;
  modifiedBy?: string;
  version?: number;
  /**
   * Files: every version, oldest first, once the file has more than one. The last one is the
   * current version; its size and modification time are the tree node's (read them through
   * versionsOf, which fills them in).
   */
  versions?: FileVersion[];
  /** Folder id the entry was deleted from (top-level trash entries). */
  origin?: number;
  room?: { roomType: number; canWrite: boolean };
}

export interface Operation {
  id: string;
  user: string;
  /** FileOperationType: 0 Move, 2 Delete. */
  type: 0 | 2;
  queue: { kind: 'file' | 'folder'; id: number }[];
  total: number;
  processed: number;
  progress: number;
  error: string | null;
  finished: boolean;
  hold: boolean;
  /** DistributedTaskStatus: 0 Created, 1 Running, 2 Completed, 3 Canceled, 4 Failted. */
  status: number;
  /** "file_12", "folder_7": what the operation produced (move results). */
  result: string[];
  dest?: number;
  resolve?: 0 | 1 | 2;
  immediately?: boolean;
  timer: NodeJS.Timeout | null;
}

const INTERNAL_SEP = '\u2063';

export class DocSpaceState {
  readonly users = new Map<string, DsUser>();
  readonly keys = new Map<string, ApiKey>();
  readonly meta = new Map<number, Meta>();
  readonly ops = new Map<string, Operation>();
  roomsRootId = 0;
  /** Bumped on every change; listing caches key on it. */
  version = 0;
  /** Time one operation step (one top-level item) takes. */
  opItemMs = 15;
  private nextTrashId = 900;

  constructor(readonly tree: FileTree) {}

  /** Forgets DocSpace's own state (the tree is reset by the control API). */
  clear(): void {
    for (const op of this.ops.values()) if (op.timer) clearTimeout(op.timer);
    this.users.clear();
    this.keys.clear();
    this.meta.clear();
    this.ops.clear();
    this.roomsRootId = 0;
    this.version++;
    this.nextTrashId = 900;
  }

  init(): void {
    this.tree.bumpIds(1000);
    const rooms = this.tree.addUser(ROOMS_USER, { password: randomUUID(), displayName: 'Rooms' });
    this.roomsRootId = rooms.rootId;
  }

  addUser(
    id: string,
    options: { displayName: string; email?: string; isAdmin?: boolean; keys?: { key: string; scopes: string[] }[] },
  ): DsUser {
    this.tree.addUser(id, { password: randomUUID(), displayName: options.displayName });
    const [firstName = options.displayName, ...rest] = options.displayName.split(' ');
    const user: DsUser = {
      id,
      guid: randomUUID(),
      displayName: options.displayName,
      firstName,
      lastName: rest.join(' '),
      email: options.email ?? `${id}@example.com`,
      isAdmin: options.isAdmin ?? false,
      trashId: this.nextTrashId++,
      autoCleanup: { isAutoCleanUp: true, gap: 4 },
    };
    this.users.set(id, user);
    for (const k of options.keys ?? []) this.keys.set(k.key, { key: k.key, user: id, scopes: k.scopes });
    this.touch();
    return user;
  }

  user(id: string): DsUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`No DocSpace user ${id}`);
    return user;
  }

  myRoot(user: string): number {
    return this.tree.user(user).rootId;
  }

  touch(): void {
    this.version++;
  }

  m(id: number): Meta {
    let meta = this.meta.get(id);
    if (!meta) this.meta.set(id, (meta = {}));
    return meta;
  }

  title(node: TreeNode): string {
    return this.meta.get(node.id)?.title ?? node.name;
  }

  node(id: number): TreeNode | null {
    return this.tree.nodes.get(id) ?? null;
  }

  // ——— building state (seeds and tests) ———

  addRoom(title: string, options: { roomType?: number; canWrite?: boolean; by?: string } = {}): TreeNode {
    const node = this.place(this.roomsRootId, title, 'folder', 0, options.by);
    this.m(node.id).room = { roomType: options.roomType ?? RoomType.CustomRoom, canWrite: options.canWrite ?? true };
    return node;
  }

  addFolder(parentId: number, title: string, options: { by?: string; at?: number } = {}): TreeNode {
    return this.place(parentId, title, 'folder', 0, options.by, options.at);
  }

  addFile(parentId: number, title: string, size: number, options: { by?: string; at?: number } = {}): TreeNode {
    return this.place(parentId, title, 'file', size, options.by, options.at);
  }

  /** A folder below a user's My documents by path ("Reports/2024"). */
  folderAt(user: string, path: string): TreeNode | null {
    let node = this.tree.node(this.myRoot(user));
    for (const part of path.split('/').filter(Boolean)) {
      const next = this.childByTitle(node.id, part, 'folder');
      if (!next) return null;
      node = next;
    }
    return node;
  }

  room(title: string): TreeNode | null {
    return this.childByTitle(this.roomsRootId, title, 'folder');
  }

  childrenOf(folderId: number): TreeNode[] {
    return this.tree.children(folderId);
  }

  childByTitle(folderId: number, title: string, kind: 'file' | 'folder'): TreeNode | null {
    for (const c of this.tree.children(folderId)) if (c.kind === kind && this.title(c) === title) return c;
    return null;
  }

  /** Moves a live node into `user`'s trash, as DocSpace does: origin recorded, ModifiedOn stamped. */
  trashNode(user: string, nodeId: number, at?: number): void {
    const node = this.tree.node(nodeId);
    if (node.parent === null) throw new Error('Cannot trash a root');
    const meta = this.m(node.id);
    meta.origin = node.parent;
    meta.modifiedBy = user;
    const when = at ?? this.tree.now();
    node.mtime = when;
    node.owner = user;
    this.tree.trash(node.id, { deletedBy: user, at: when });
    this.touch();
  }

  /** Creates a node and puts it straight into the trash, deleted from `originId` at `at`. */
  addTrashed(
    user: string,
    originId: number,
    title: string,
    kind: 'file' | 'folder',
    size: number,
    at: number,
  ): TreeNode {
    const node = this.place(originId, title, kind, size, user, at - 86_400_000);
    this.trashNode(user, node.id, at);
    return node;
  }

  // ——— where things are ———

  /** "trash" (in some user's trash), "my" (below a user's root) or "rooms"; and that root. */
  locate(node: TreeNode): { area: 'trash' | 'my' | 'rooms'; top: TreeNode } {
    let n = node;
    while (n.parent !== null) n = this.tree.node(n.parent);
    if (node.trashEntry !== null) return { area: 'trash', top: n };
    return { area: n.id === this.roomsRootId ? 'rooms' : 'my', top: n };
  }

  /** The room a node sits in (the folder directly below the Rooms root), if any. */
  roomOf(node: TreeNode): TreeNode | null {
    let n: TreeNode | null = node;
    while (n && n.parent !== null) {
      if (n.parent === this.roomsRootId) return n;
      n = this.tree.node(n.parent);
    }
    return null;
  }

  /** Whether items may be created in / moved into a live folder. */
  canWriteInto(folder: TreeNode): boolean {
    if (folder.kind !== 'folder' || folder.trashEntry !== null) return false;
    if (folder.id === this.roomsRootId) return false;
    const room = this.roomOf(folder);
    if (room) return this.meta.get(room.id)?.room?.canWrite ?? true;
    return true;
  }

  /** The origin folder id of a top-level trash entry (seeded entries: resolved from their path). */
  originOf(node: TreeNode, user: string): number {
    const origin = this.meta.get(node.id)?.origin;
    if (origin !== undefined) return origin;
    const entry = this.tree.entries.get(node.id);
    const parentPath = entry ? entry.originalPath.split('/').slice(0, -1).join('/') : '';
    return (parentPath && this.folderAt(user, parentPath)?.id) || this.myRoot(user);
  }

  /** Changes whenever DocSpace's state or the shared tree (e.g. a control-API seed) changes. */
  stamp(): string {
    return `${this.version}/${this.tree.nodes.size}/${this.tree.entries.size}`;
  }

  private trashCache = new Map<string, { stamp: string; nodes: TreeNode[] }>();

  /** Top-level trash nodes of a user (cached until the next change: 100k entries are common). */
  trashOf(user: string): TreeNode[] {
    const stamp = this.stamp();
    const cached = this.trashCache.get(user);
    if (cached && cached.stamp === stamp) return cached.nodes;
    const nodes = this.tree.trashOf(user).map((e) => this.tree.node(e.nodeId));
    this.trashCache.set(user, { stamp, nodes });
    return nodes;
  }

  // ——— changes the API makes ———

  /** Puts a node (new or moved) into a folder under its title; a taken name gets an internal twin name. */
  private place(
    parentId: number,
    title: string,
    kind: 'file' | 'folder',
    size: number,
    by?: string,
    at?: number,
  ): TreeNode {
    const node = this.tree.createIn(parentId, this.freeTreeName(parentId, title), kind, size, at);
    const meta = this.m(node.id);
    if (node.name !== title) meta.title = title;
    meta.created = at ?? this.tree.now();
    if (by) meta.createdBy = meta.modifiedBy = by;
    meta.version = 1;
    this.touch();
    return node;
  }

  private freeTreeName(parentId: number, title: string): string {
    if (!this.tree.child(parentId, title)) return title;
    for (let i = 1; ; i++) {
      const candidate = `${title}${INTERNAL_SEP}${i}`;
      if (!this.tree.child(parentId, candidate)) return candidate;
    }
  }

  /** Moves a node (from the trash or live) into a live folder, keeping its title. */
  moveInto(node: TreeNode, destId: number): void {
    const title = this.title(node);
    const taken = this.tree.child(destId, title);
    const name = !taken || taken.id === node.id ? title : this.freeTreeName(destId, title);
    if (node.trashEntry !== null) this.tree.untrash(node.id, destId, name);
    else this.tree.move(node.id, destId, name);
    const meta = this.m(node.id);
    if (name !== title) meta.title = title;
    else delete meta.title;
    delete meta.origin;
    this.touch();
  }

  // ——— file versions ———

  /** A file's versions, oldest first; the last is the current one (size and time from the node). */
  versionsOf(node: TreeNode): FileVersion[] {
    const meta = this.meta.get(node.id);
    const recorded = meta?.versions;
    if (!recorded?.length) {
      const v = meta?.version ?? 1;
      return [
        {
          version: v,
          versionGroup: v,
          size: node.size,
          modifiedOn: node.mtime,
          modifiedBy: meta?.modifiedBy ?? meta?.createdBy,
        },
      ];
    }
    const past = recorded.slice(0, -1);
    const current = recorded[recorded.length - 1]!;
    return [...past, { ...current, size: node.size, modifiedOn: node.mtime }];
  }

  currentVersion(node: TreeNode): FileVersion {
    const all = this.versionsOf(node);
    return all[all.length - 1]!;
  }

  /**
   * Saves new content over a file as a new version (DocSpace's FileDao.SaveFileAsync after an
   * Overwrite move, a saveediting or a version restore): version and version group go up by one,
   * the earlier versions with their sizes stay, the new one is modified now by `by`.
   */
  saveVersion(node: TreeNode, size: number, by: string, comment: string): FileVersion {
    const meta = this.m(node.id);
    const history = this.versionsOf(node);
    const current = history[history.length - 1]!;
    const now = this.tree.now();
    const next: FileVersion = {
      version: current.version + 1,
      versionGroup: current.versionGroup + 1,
      size,
      modifiedOn: now,
      modifiedBy: by,
      comment,
    };
    meta.versions = [...history, next];
    meta.version = next.version;
    meta.modifiedBy = by;
    // The tree node carries the current content: same id, new size, time and ETag.
    this.tree.updateFile(node.id, size, now);
    this.touch();
    return next;
  }

  destroy(node: TreeNode): void {
    const drop = (n: TreeNode) => {
      for (const c of this.tree.children(n.id)) drop(c);
      this.meta.delete(n.id);
    };
    drop(node);
    this.tree.destroy(node.id);
    this.touch();
  }
}
