import type { TreeNode } from '../tree';
import { extOf, fileTypeOf, type Dtos } from './dto';
import { HttpError, NOT_FOUND_FOLDER, ValidationError, type Body } from './errors';
import type { DocSpaceState, DsUser } from './state';

/**
 * The DocSpace test server's folders: listings (the trash, My documents, Rooms, any folder; paged,
 * filtered and sorted as the portal does, the sorted entries cached until the state changes), a
 * folder's path and information, and creating a folder.
 */
export class Listings {
  private listCache = new Map<string, TreeNode[]>();
  private listCacheStamp = '';

  constructor(
    private readonly state: DocSpaceState,
    private readonly dto: Dtos,
  ) {}

  listing(user: DsUser, folder: TreeNode | null, q: URLSearchParams) {
    const count = q.has('count') ? Number(q.get('count')) : 100;
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      // [Range(1, ApiContext.MaxCount)] on `count`: model validation answers 400 inside the success envelope.
      throw new ValidationError({ Count: [`The field Count must be between 1 and 100.`] });
    }
    const startIndex = Math.max(0, Number(q.get('startIndex') ?? 0) || 0);
    const isTrash = folder === null;
    const sorted = this.sortedEntries(user, folder, q, isTrash);
    const page = sorted.slice(startIndex, startIndex + count);
    const current = isTrash ? this.dto.trashFolder(user) : this.dto.folder(folder, user);
    const pathParts = isTrash
      ? [{ id: user.trashId, title: 'Trash' }]
      : this.crumbs(user, folder).map((n) => ({ id: n.id, title: n.title }));
    return {
      files: page.filter((n) => n.kind === 'file').map((n) => this.dto.file(n, user)),
      folders: page.filter((n) => n.kind === 'folder').map((n) => this.dto.folder(n, user)),
      current,
      pathParts,
      startIndex,
      count: page.length,
      total: sorted.length,
      new: 0,
    };
  }

  private sortedEntries(user: DsUser, folder: TreeNode | null, q: URLSearchParams, isTrash: boolean): TreeNode[] {
    if (this.listCacheStamp !== this.state.stamp()) {
      this.listCache = new Map();
      this.listCacheStamp = this.state.stamp();
    }
    const filterType = Number(q.get('filterType') ?? 0) || 0;
    const filterValue = (q.get('filterValue') ?? '').trim().toLowerCase();
    const sortBy = (q.get('sortBy') ?? (isTrash ? 'DateAndTime' : 'AZ')).toLowerCase();
    const order = (q.get('sortOrder') ?? (isTrash ? 'descending' : 'ascending')).toLowerCase();
    const key = [user.id, folder?.id ?? 'trash', filterType, filterValue, sortBy, order].join('|');
    const cached = this.listCache.get(key);
    if (cached) return cached;
    let nodes = isTrash ? [...this.state.trashOf(user.id)] : this.state.childrenOf(folder!.id);
    const title = (n: TreeNode) => this.state.title(n);
    nodes = nodes.filter((n) => {
      if (filterValue && !title(n).toLowerCase().includes(filterValue)) return false;
      switch (filterType) {
        case 1:
          return n.kind === 'file';
        case 2:
          return n.kind === 'folder';
        case 3:
          return n.kind === 'file' && fileTypeOf(title(n)) === 7;
        case 4:
          return n.kind === 'file' && fileTypeOf(title(n)) === 6;
        case 5:
          return n.kind === 'file' && fileTypeOf(title(n)) === 5;
        case 7:
          return n.kind === 'file' && fileTypeOf(title(n)) === 4;
        case 22:
          return n.kind === 'file' && extOf(title(n)) === '.pdf';
        default:
          return true;
      }
    });
    const dir = order === 'descending' || order === '1' ? -1 : 1;
    const cmp: (a: TreeNode, b: TreeNode) => number =
      sortBy === 'size'
        ? (a, b) => a.size - b.size
        : sortBy === 'dateandtime'
          ? (a, b) => a.mtime - b.mtime
          : sortBy === 'type'
            ? (a, b) => extOf(title(a)).localeCompare(extOf(title(b)))
            : (a, b) => title(a).localeCompare(title(b));
    nodes.sort((a, b) => (a.kind !== b.kind ? (a.kind === 'folder' ? -1 : 1) : dir * cmp(a, b) || a.id - b.id));
    if (this.listCache.size > 32) this.listCache.clear();
    this.listCache.set(key, nodes);
    return nodes;
  }

  private crumbs(user: DsUser, node: TreeNode): { id: number; title: string; node: TreeNode | null }[] {
    const chain: TreeNode[] = [];
    for (let n: TreeNode | null = node; n; n = n.parent === null ? null : this.state.tree.node(n.parent))
      chain.unshift(n);
    const out: { id: number; title: string; node: TreeNode | null }[] = [];
    if (node.trashEntry !== null) out.push({ id: user.trashId, title: 'Trash', node: null });
    for (const n of chain) {
      const isMyRoot = n.parent === null && n.trashEntry === null && n.id !== this.state.roomsRootId;
      out.push({
        id: n.id,
        title: isMyRoot ? 'My documents' : n.id === this.state.roomsRootId ? 'Rooms' : this.state.title(n),
        node: n,
      });
    }
    return out;
  }

  path(user: DsUser, id: number) {
    const node = this.state.node(id);
    if (!node || node.kind !== 'folder')
      throw new HttpError(404, NOT_FOUND_FOLDER, 'ASC.Common.Web.ItemNotFoundException');
    return this.crumbs(user, node).map((c) => (c.node ? this.dto.folder(c.node, user) : this.dto.trashFolder(user)));
  }

  folderInfo(user: DsUser, id: number) {
    if (id === user.trashId) return this.dto.trashFolder(user);
    const node = this.state.node(id);
    if (!node || node.kind !== 'folder')
      throw new HttpError(404, 'Folder not found', 'ASC.Common.Web.ItemNotFoundException');
    return this.dto.folder(node, user);
  }

  createFolder(user: DsUser, parentId: number, body: Body) {
    const title = typeof body.title === 'string' ? body.title.trim() : '';
    if (!title) throw new HttpError(400, 'Title can not be empty', 'System.ArgumentException');
    const parent = this.state.node(parentId);
    if (!parent || parent.kind !== 'folder')
      throw new HttpError(404, NOT_FOUND_FOLDER, 'ASC.Common.Web.ItemNotFoundException');
    if (!this.state.canWriteInto(parent)) throw new HttpError(403, "You don't have enough permission to create");
    return this.dto.folder(this.state.addFolder(parent.id, title, { by: user.id }), user);
  }
}
