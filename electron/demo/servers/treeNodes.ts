import { createHash, randomUUID } from 'node:crypto';

/**
 * The test servers' file tree below its trash operations: its types (nodes, trash entries, users,
 * changes, project spaces), the name and path rules, and NodeTree, the users, spaces and nodes.
 * tree.ts's FileTree is what the servers use; it re-exports all of this.
 */

export type NodeKind = 'file' | 'folder';

export interface TreeNode {
  readonly id: number;
  name: string;
  kind: NodeKind;
  /** Bytes for files; folders report the recursive sum through sizeOf(). */
  size: number;
  /** Last modification, ms since the epoch. */
  mtime: number;
  contentType: string;
  /** null for a user's root and for the top node of a trash entry. */
  parent: number | null;
  /** The user whose files tree (or trash) holds the node. */
  owner: string;
  /** Folders only: child name → child id. */
  children: Map<string, number> | null;
  /** Set while the node is in a trash entry (the entry's id). */
  trashEntry: number | null;
  /** A changing tag, as servers expose in ETag. */
  etag: string;
  /**
   * Files written with their bytes (PUT, or a seed that gives them): what GET answers. Else GET answers `size` filler
   * bytes.
   */
  content?: Buffer;
}

export interface TrashEntry {
  /** Equals the top node's id (the ownCloud trash id). */
  readonly id: number;
  readonly nodeId: number;
  readonly owner: string;
  /** ms since the epoch. */
  deletedAt: number;
  /** Path of the item when it was deleted, below the owner's files root, including its name, no leading slash. */
  originalPath: string;
  deletedBy: string;
  deletedByName: string;
  /**
   * Servers that name a trash file `<name>.d<unix seconds>` (Nextcloud, ownCloud 10) keep one trash
   * file for the same name deleted twice within one second, but a database row per original
   * location: those rows' original paths, oldest first (absent when there was no such collision).
   * See FileTree.sameSecondCollisions.
   */
  rows?: string[];
}

export interface TreeUser {
  readonly id: string;
  displayName: string;
  email: string | null;
  /** The login password (accepted by Basic auth on every front end). */
  password: string;
  /** App passwords / tokens: any of them is accepted like the password. */
  appPasswords: string[];
  /** Bytes; null for unlimited. Restores over quota fail with 507. */
  quota: number | null;
  rootId: number;
  /** Trash entries, in deletion order (oldest first); a Set, so restoring one of 100,000 costs no scan. */
  trash: Set<number>;
}

/** One change to the tree, as FileTree.onChange hears of it. `path`: below the owner's root, no leading slash. */
export interface TreeChange {
  type: 'created' | 'changed' | 'moved' | 'deleted' | 'restored' | 'reset';
  owner: string;
  nodeId: number;
  path: string;
  /** Who did it (the owner unless the server says otherwise). */
  by: string;
  /** ms since the epoch. */
  at: number;
}

export class TreeError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'EXISTS' | 'PARENT_MISSING' | 'NOT_A_FOLDER' | 'INVALID' | 'QUOTA' | 'NO_USER',
    message: string,
  ) {
    super(message);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  heic: 'image/heic',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  zip: 'application/zip',
  csv: 'text/csv',
  json: 'application/json',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

/** The MIME type servers derive from a file name. */
export function contentTypeFor(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

/** Splits "a/b/c" (leading/trailing slashes ignored) into segments; rejects "." and ".." segments. */
export function splitPath(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  for (const p of parts) if (p === '.' || p === '..') throw new TreeError('INVALID', `Invalid path segment "${p}"`);
  return parts;
}

/** oCIS: what a member may do in a project space (reva's space manager / editor / viewer roles). */
export type SpaceRole = 'manager' | 'editor' | 'viewer';

/**
 * oCIS: a project space. Its files and trash belong to a tree user whose id is the space id
 * ("<storage id>$<space uuid>"), which no one signs in as.
 */
export interface ProjectSpace {
  readonly id: string;
  name: string;
  /** Tree user id → role. */
  members: Record<string, SpaceRole>;
  /** A disabled space (oCIS: root.deleted.state "trashed"): listed to its members, not usable. */
  disabled: boolean;
}

/**
 * The users, oCIS project spaces and nodes of the test servers' file tree (tree.ts's FileTree adds
 * the trash operations on top): live files and folders, and the nodes inside trash entries, which
 * keep their ids and move with their entry. `entries` holds the trash entries; trashing, restoring
 * and purging are FileTree's.
 */
export class NodeTree {
  private nextId = 1;
  /** oCIS project spaces by id. */
  readonly spaces = new Map<string, ProjectSpace>();
  readonly nodes = new Map<number, TreeNode>();
  readonly users = new Map<string, TreeUser>();
  readonly entries = new Map<number, TrashEntry>();
  /**
   * Entry ids by owner, deletion second and top node name, oldest first: how "<name>.d<seconds>"
   * servers (Nextcloud, ownCloud 10) find an entry, without scanning a trash of 100,000 per request.
   */
  private readonly byTrashName = new Map<string, number[]>();
  /** Each entry's key in byTrashName (its top node may be renamed by the time the entry goes). */
  private readonly trashNameOf = new Map<number, string>();
  /** A clock the seeds and tests can move; ms since the epoch. */
  now: () => number = () => Date.now();
  /**
   * Told of every change after it happened (the test servers' activity feeds and space ETags,
   * webdav/activity.ts); null when nobody listens.
   */
  onChange: ((change: TreeChange) => void) | null = null;

  /**
   * Runs `fn` with the clock stopped at `at` (ms since the epoch), then puts the clock back: seeds
   * run under it, so every time they do not give (a folder made on the way, a file's mtime) is
   * that fixed reading too, never the time the test happens to run.
   */
  at<T>(at: number, fn: () => T): T {
    const saved = this.now;
    this.now = () => at;
    try {
      return fn();
    } finally {
      this.now = saved;
    }
  }

  /** Forgets everything. */
  reset(): void {
    this.nodes.clear();
    this.users.clear();
    this.entries.clear();
    this.byTrashName.clear();
    this.trashNameOf.clear();
    this.spaces.clear();
    this.nextId = 1;
    this.onChange?.({ type: 'reset', owner: '', nodeId: 0, path: '', by: '', at: this.now() });
  }

  /** oCIS: a project space whose files and trash live under a tree user with the space's id. */
  addSpace(
    id: string,
    name: string,
    members: Record<string, SpaceRole>,
    options: { disabled?: boolean } = {},
  ): ProjectSpace {
    this.addUser(id, { displayName: name, password: randomUUID() });
    const space: ProjectSpace = { id, name, members: { ...members }, disabled: options.disabled ?? false };
    this.spaces.set(id, space);
    return space;
  }

  /** Reserves ids so numbering can start where a real server would (fileids are rarely 1). */
  bumpIds(to: number): void {
    this.nextId = Math.max(this.nextId, to);
  }

  addUser(
    id: string,
    options: { displayName?: string; password: string; appPasswords?: string[]; email?: string; quota?: number | null },
  ): TreeUser {
    if (this.users.has(id)) throw new TreeError('EXISTS', `User ${id} exists`);
    const root = this.newNode({ name: '', kind: 'folder', size: 0, parent: null, owner: id });
    const user: TreeUser = {
      id,
      displayName: options.displayName ?? id,
      email: options.email ?? null,
      password: options.password,
      appPasswords: [...(options.appPasswords ?? [])],
      quota: options.quota ?? null,
      rootId: root.id,
      trash: new Set(),
    };
    this.users.set(id, user);
    return user;
  }

  user(id: string): TreeUser {
    const user = this.users.get(id);
    if (!user) throw new TreeError('NO_USER', `No user ${id}`);
    return user;
  }

  /** Finds the user a Basic-auth login (name + password or app password) belongs to. */
  authenticate(login: string, secret: string): TreeUser | null {
    const user = this.users.get(login) ?? [...this.users.values()].find((u) => u.email !== null && u.email === login);
    if (!user) return null;
    return user.password === secret || user.appPasswords.includes(secret) ? user : null;
  }

  node(id: number): TreeNode {
    const node = this.nodes.get(id);
    if (!node) throw new TreeError('NOT_FOUND', `No node ${id}`);
    return node;
  }

  children(folderId: number): TreeNode[] {
    const folder = this.node(folderId);
    if (!folder.children) return [];
    return [...folder.children.values()].map((id) => this.node(id));
  }

  child(folderId: number, name: string): TreeNode | null {
    const id = this.node(folderId).children?.get(name);
    return id === undefined ? null : this.node(id);
  }

  /** The live node at a path below the user's files root ("" or "/" for the root), or null. */
  resolve(userId: string, path: string): TreeNode | null {
    let node = this.node(this.user(userId).rootId);
    for (const part of splitPath(path)) {
      const next = node.children?.get(part);
      if (next === undefined) return null;
      node = this.node(next);
    }
    return node;
  }

  /** Path of a live node below its owner's root, without a leading slash ("" for the root). */
  pathOf(nodeId: number): string {
    const parts: string[] = [];
    let node = this.node(nodeId);
    while (node.parent !== null) {
      parts.push(node.name);
      node = this.node(node.parent);
    }
    return parts.reverse().join('/');
  }

  /** Recursive size (folders sum their files). */
  sizeOf(nodeId: number): number {
    const node = this.node(nodeId);
    if (node.kind === 'file') return node.size;
    let sum = 0;
    for (const id of node.children?.values() ?? []) sum += this.sizeOf(id);
    return sum;
  }

  /** Bytes a user's live files take. */
  usage(userId: string): number {
    return this.sizeOf(this.user(userId).rootId);
  }

  mkdir(userId: string, path: string, options: { mtime?: number } = {}): TreeNode {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) throw new TreeError('EXISTS', 'The root exists');
    const parent = this.resolve(userId, parts.join('/'));
    if (!parent) throw new TreeError('PARENT_MISSING', `No folder /${parts.join('/')}`);
    return this.createIn(parent.id, name, 'folder', 0, options.mtime);
  }

  /** Creates every missing folder on the way; answers the last one. */
  mkdirs(userId: string, path: string): TreeNode {
    let node = this.node(this.user(userId).rootId);
    for (const part of splitPath(path)) {
      const existing = this.child(node.id, part);
      if (existing) {
        if (existing.kind !== 'folder') throw new TreeError('NOT_A_FOLDER', `${part} is a file`);
        node = existing;
      } else {
        node = this.createIn(node.id, part, 'folder', 0);
      }
    }
    return node;
  }

  /** Writes a file (its parents must exist unless `parents` is set); an existing file is updated in place. */
  writeFile(
    userId: string,
    path: string,
    size: number,
    options: { mtime?: number; contentType?: string; parents?: boolean; content?: Buffer | string } = {},
  ): TreeNode {
    const content =
      options.content === undefined
        ? undefined
        : Buffer.isBuffer(options.content)
          ? options.content
          : Buffer.from(options.content);
    if (content) size = content.length;
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) throw new TreeError('INVALID', 'A file needs a name');
    const parent = options.parents ? this.mkdirs(userId, parts.join('/')) : this.resolve(userId, parts.join('/'));
    if (!parent) throw new TreeError('PARENT_MISSING', `No folder /${parts.join('/')}`);
    if (parent.kind !== 'folder') throw new TreeError('NOT_A_FOLDER', `/${parts.join('/')} is a file`);
    const existing = this.child(parent.id, name);
    if (existing) {
      if (existing.kind !== 'file') throw new TreeError('EXISTS', `${name} is a folder`);
      return this.updateFile(existing.id, size, options.mtime, content);
    }
    const node = this.createIn(parent.id, name, 'file', size, options.mtime);
    if (options.contentType) node.contentType = options.contentType;
    if (content) node.content = content;
    return node;
  }

  /** New content for a file, as saving over it does: same id, new size, mtime and ETag. */
  updateFile(nodeId: number, size: number, mtime?: number, content?: Buffer): TreeNode {
    const node = this.node(nodeId);
    if (node.kind !== 'file') throw new TreeError('EXISTS', `${node.name} is a folder`);
    node.size = content ? content.length : size;
    if (content) node.content = content;
    else delete node.content;
    node.mtime = mtime ?? this.now();
    node.etag = etag();
    if (node.trashEntry === null) this.changed('changed', node, node.owner);
    return node;
  }

  /** What GET of a file answers: its bytes when written with them, else `size` filler bytes. */
  bytesOf(nodeId: number): Buffer {
    const node = this.node(nodeId);
    return node.content ?? Buffer.alloc(node.size, 0x61);
  }

  /** Creates a node inside a live or trashed folder. */
  createIn(parentId: number, name: string, kind: NodeKind, size: number, mtime?: number): TreeNode {
    const parent = this.node(parentId);
    if (!parent.children) throw new TreeError('NOT_A_FOLDER', `${parent.name} is a file`);
    if (!validName(name)) throw new TreeError('INVALID', `Invalid name "${name}"`);
    if (parent.children.has(name)) throw new TreeError('EXISTS', `${name} exists`);
    const node = this.newNode({
      name,
      kind,
      size,
      parent: parentId,
      owner: parent.owner,
      mtime,
      trashEntry: parent.trashEntry,
    });
    parent.children.set(name, node.id);
    if (node.trashEntry === null) this.changed('created', node, node.owner);
    return node;
  }

  /** Moves a node (live or trashed) under another folder with a name; the target name must be free. */
  move(nodeId: number, newParentId: number, newName: string = this.node(nodeId).name): TreeNode {
    const node = this.node(nodeId);
    const target = this.node(newParentId);
    if (!target.children) throw new TreeError('NOT_A_FOLDER', `${target.name} is a file`);
    if (!validName(newName)) throw new TreeError('INVALID', `Invalid name "${newName}"`);
    for (let p: number | null = target.id; p !== null; p = this.node(p).parent) {
      if (p === nodeId) throw new TreeError('INVALID', 'Cannot move a folder into itself');
    }
    const existing = target.children.get(newName);
    if (existing !== undefined && existing !== nodeId) throw new TreeError('EXISTS', `${newName} exists`);
    this.detach(node);
    // A file's type follows its name, as servers derive it (a restore as renamed.md is text/markdown).
    if (node.kind === 'file' && newName !== node.name) node.contentType = contentTypeFor(newName);
    node.name = newName;
    node.parent = target.id;
    target.children.set(newName, node.id);
    const wasLive = node.trashEntry === null;
    this.setEntry(node, target.trashEntry, target.owner);
    node.etag = etag(node.kind);
    if (wasLive && node.trashEntry === null) this.changed('moved', node, node.owner);
    return node;
  }

  /** Copies a subtree (new ids) under another folder. */
  copy(nodeId: number, newParentId: number, newName: string = this.node(nodeId).name): TreeNode {
    const src = this.node(nodeId);
    const copy = this.createIn(newParentId, newName, src.kind, src.size, src.mtime);
    copy.contentType = src.contentType;
    if (src.content) copy.content = src.content;
    for (const child of this.children(src.id)) this.copy(child.id, copy.id);
    return copy;
  }

  /** Deletes a node and everything below it for good. */
  destroy(nodeId: number): void {
    const node = this.node(nodeId);
    this.detach(node);
    const drop = (n: TreeNode) => {
      for (const id of n.children?.values() ?? []) drop(this.node(id));
      this.nodes.delete(n.id);
    };
    drop(node);
    if (node.trashEntry === node.id) this.dropEntry(node.id);
  }

  /** A free name in a folder: "name (suffix).ext", then "name (suffix 2).ext", ... */
  freeName(folderId: number, name: string, suffix = 'restored'): string {
    if (!this.child(folderId, name)) return name;
    const dot = name.lastIndexOf('.');
    const isFile = dot > 0;
    const base = isFile ? name.slice(0, dot) : name;
    const ext = isFile ? name.slice(dot) : '';
    for (let i = 1; ; i++) {
      const candidate = `${base} (${suffix}${i === 1 ? '' : ` ${i}`})${ext}`;
      if (!this.child(folderId, candidate)) return candidate;
    }
  }

  protected changed(type: TreeChange['type'], node: TreeNode, owner: string): void {
    if (this.onChange)
      this.onChange({ type, owner, nodeId: node.id, path: this.pathOf(node.id), by: owner, at: this.now() });
  }

  protected newNode(init: {
    name: string;
    kind: NodeKind;
    size: number;
    parent: number | null;
    owner: string;
    mtime?: number | undefined;
    trashEntry?: number | null;
  }): TreeNode {
    const node: TreeNode = {
      id: this.nextId++,
      name: init.name,
      kind: init.kind,
      size: init.kind === 'file' ? init.size : 0,
      mtime: init.mtime ?? this.now(),
      contentType: init.kind === 'folder' ? 'httpd/unix-directory' : contentTypeFor(init.name),
      parent: init.parent,
      owner: init.owner,
      children: init.kind === 'folder' ? new Map() : null,
      trashEntry: init.trashEntry ?? null,
      etag: etag(init.kind),
    };
    this.nodes.set(node.id, node);
    return node;
  }

  protected detach(node: TreeNode): void {
    if (node.parent === null) return;
    const parent = this.nodes.get(node.parent);
    if (parent?.children?.get(node.name) === node.id) parent.children.delete(node.name);
  }

  protected setEntry(node: TreeNode, entryId: number | null, owner: string): void {
    node.trashEntry = entryId;
    node.owner = owner;
    for (const id of node.children?.values() ?? []) this.setEntry(this.node(id), entryId, owner);
  }

  /** Puts an entry in its owner's trash (its top node named `name`), last. */
  protected addEntry(entry: TrashEntry, name: string): void {
    this.entries.set(entry.id, entry);
    this.user(entry.owner).trash.add(entry.id);
    const key = trashNameKey(entry.owner, Math.floor(entry.deletedAt / 1000), name);
    this.trashNameOf.set(entry.id, key);
    const ids = this.byTrashName.get(key);
    if (ids) ids.push(entry.id);
    else this.byTrashName.set(key, [entry.id]);
  }

  protected dropEntry(entryId: number): void {
    const entry = this.entries.get(entryId);
    if (!entry) return;
    this.entries.delete(entryId);
    this.users.get(entry.owner)?.trash.delete(entryId);
    const key = this.trashNameOf.get(entryId);
    this.trashNameOf.delete(entryId);
    const ids = key === undefined ? undefined : this.byTrashName.get(key);
    if (key === undefined || !ids) return;
    const rest = ids.filter((id) => id !== entryId);
    if (rest.length) this.byTrashName.set(key, rest);
    else this.byTrashName.delete(key);
  }

  /** The oldest entry of a user's trash deleted in that second whose top node is so named, or null. */
  trashEntryNamed(userId: string, seconds: number, name: string): TrashEntry | null {
    const id = this.byTrashName.get(trashNameKey(userId, seconds, name))?.[0];
    return id === undefined ? null : (this.entries.get(id) ?? null);
  }
}

const trashNameKey = (owner: string, seconds: number, name: string) => `${owner}\u0000${seconds}\u0000${name}`;

let etagCounter = 0;
/**
 * ETags as Nextcloud and ownCloud 10 make them (real servers, differential check): a file's is 32
 * hex digits (an md5, as little compressible as theirs), a folder's 13 (PHP's uniqid(): seconds
 * and microseconds in hex). New on every change.
 */
const etag = (kind: NodeKind = 'file') => {
  const n = etagCounter++;
  if (kind === 'folder') {
    const now = Date.now();
    return `${Math.floor(now / 1000)
      .toString(16)
      .padStart(8, '0')}${(((now % 1000) * 1000 + n) % 0x100000).toString(16).padStart(5, '0')}`;
  }
  return createHash('md5').update(`${process.pid}:${Date.now()}:${n}`).digest('hex');
};

/** Names servers accept: non-empty, no slash, no NUL, not "." or "..". */
export function validName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0');
}
