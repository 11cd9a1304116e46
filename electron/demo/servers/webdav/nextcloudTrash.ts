import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileTree, TrashEntry, TreeNode, TreeUser } from '../tree';
import { collectionEntry, DAV, destination, multistatusHead, NC, OC } from './common';
import type { KindFrontEnd } from './kindFrontEnd';
import {
  COLLECTION,
  depthOf,
  EMPTY,
  httpDate,
  multistatus,
  overwriteOf,
  parsePropfind,
  responseXml,
  SABRE,
  sabreEncode,
  sendEmpty,
  sendMultistatus,
  sendSabreError,
  streamMultistatus,
  text,
  type DavEntry,
  type PropRequest,
  type PropValue,
} from './sabre';
import { findTrashFile, trashFileName } from './trash';

/**
 * Nextcloud's trash: remote.php/dav/trashbin/<user>/trash/<name>.d<unix-time>, restore by MOVE to
 * trashbin/<user>/restore/<anything>, auto-rename "(restored)", root when the folder is gone,
 * Overwrite: F on that MOVE → 412, newest first, nc:* properties. Matches the recordings in
 * /work/shared/recordings/nextcloud-32.0.1.
 */
export class NextcloudTrash {
  /** Admin setting: deleting from the trash allowed (Nextcloud files.delete_from_trash). */
  deleteFromTrash: boolean;
  private readonly paginate = new Map<string, number[]>();

  constructor(
    private readonly front: KindFrontEnd,
    deleteFromTrash: boolean,
  ) {
    this.deleteFromTrash = deleteFromTrash;
  }

  private get tree(): FileTree {
    return this.front.tree;
  }

  private head(): string {
    return multistatusHead(this.front.namespaces);
  }

  private entries(user: TreeUser): TrashEntry[] {
    // Newest first; within one second, in the order they were deleted.
    const list = this.tree.trashOf(user.id).map((e, i) => ({ e, i }));
    list.sort((a, b) => Math.floor(b.e.deletedAt / 1000) - Math.floor(a.e.deletedAt / 1000) || a.i - b.i);
    return list.map((x) => x.e);
  }

  private davEntry(user: TreeUser, entry: TrashEntry, node: TreeNode): DavEntry {
    const isFolder = node.kind === 'folder';
    const inner = this.tree.pathInEntry(node.id);
    const top = trashFileName(this.tree, entry);
    const href = sabreEncode(
      `/remote.php/dav/trashbin/${user.id}/trash/${top}${inner ? `/${inner}` : ''}${isFolder ? '/' : ''}`,
    );
    const location = inner ? `${entry.originalPath}/${inner}` : entry.originalPath;
    const seconds = Math.floor(entry.deletedAt / 1000);
    const by = this.tree.users.get(entry.deletedBy);
    const props = (name: string): PropValue | undefined => {
      switch (name) {
        case NC('trashbin-filename'):
        case DAV('displayname'):
          return text(node.name);
        case NC('trashbin-title'):
          // Nextcloud's title is the original location (the path, not the name).
          return text(location);
        case NC('trashbin-original-location'):
          return text(location);
        case NC('trashbin-deletion-time'):
          return text(seconds);
        case NC('trashbin-deleted-by-id'):
          return text(by ? by.id : '');
        case NC('trashbin-deleted-by-display-name'):
          return text(by ? by.displayName : '');
        case OC('fileid'):
        case OC('id'):
          return text(node.id);
        case OC('size'):
          return text(this.tree.sizeOf(node.id));
        case OC('permissions'):
          return text('GD');
        case NC('has-preview'):
          return text(String(!isFolder && /^image\//.test(node.contentType)));
        case NC('mount-type'):
          return { emptyPair: true };
        case DAV('getcontentlength'):
          return isFolder ? undefined : text(node.size);
        case DAV('resourcetype'):
          return isFolder ? COLLECTION : EMPTY;
        case DAV('getlastmodified'):
          return text(httpDate(seconds * 1000));
        case DAV('getcontenttype'):
          return isFolder ? undefined : text(node.contentType);
        case DAV('getetag'):
          return text(String(seconds));
        default:
          return undefined;
      }
    };
    const allprop = isFolder
      ? [DAV('getlastmodified'), DAV('resourcetype'), DAV('getetag')]
      : [DAV('getlastmodified'), DAV('getcontentlength'), DAV('resourcetype'), DAV('getetag'), DAV('getcontenttype')];
    return { href, props, allprop };
  }

  /** Resolves trash/<top>/<inner...> to an entry and node. */
  private resolve(user: TreeUser, rest: string[]): { entry: TrashEntry; node: TreeNode } | null {
    const [top, ...inner] = rest;
    if (!top) return null;
    const entry = findTrashFile(this.tree, user, top);
    if (!entry) return null;
    const node = this.tree.resolveInEntry(entry, inner.join('/'));
    return node ? { entry, node } : null;
  }

  serve(req: IncomingMessage, res: ServerResponse, user: TreeUser, rest: string[], method: string, body: Buffer): void {
    const [section, ...below] = rest;
    const base = `/remote.php/dav/trashbin/${user.id}`;
    if (method === 'PROPFIND') {
      const request = parsePropfind(body);
      if (!request) return sendSabreError(res, 400, SABRE.BadRequest, 'The request body could not be read');
      const depth = depthOf(req);
      if (section === undefined) {
        const entries = [collectionEntry(`${base}/`)];
        if (depth !== '0') entries.push(collectionEntry(`${base}/restore/`), collectionEntry(`${base}/trash/`));
        return sendMultistatus(res, multistatus(entries, request, this.front.namespaces), this.front.davHeaders);
      }
      if (section === 'restore' && below.length === 0) {
        return sendMultistatus(
          res,
          multistatus([collectionEntry(`${base}/restore/`)], request, this.front.namespaces),
          this.front.davHeaders,
        );
      }
      if (section !== 'trash')
        return sendSabreError(res, 404, SABRE.NotFound, `File with name ${section} could not be located`);
      if (below.length === 0) return this.listRoot(req, res, user, request, depth);
      const found = this.resolve(user, below);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      const rows: string[] = [];
      const walk = (n: TreeNode, level: number) => {
        rows.push(responseXml(this.davEntry(user, found.entry, n), request));
        if (n.kind === 'folder' && (depth === 'infinity' || level < Number(depth)))
          for (const c of this.tree.children(n.id)) walk(c, level + 1);
      };
      walk(found.node, 0);
      return sendMultistatus(res, this.head() + rows.join('') + '</d:multistatus>\n', this.front.davHeaders);
    }
    if (method === 'MOVE') {
      if (section !== 'trash' || below.length === 0) return sendSabreError(res, 403, SABRE.Forbidden, '');
      const found = this.resolve(user, below);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      const dest = destination(req, res);
      if (!dest) return;
      if (dest.area === 'trashbin' && dest.owner === user.id && dest.rest[0] === 'restore') {
        if (dest.rest.length < 2) return sendSabreError(res, 403, SABRE.Forbidden, '');
        // Sabre sees restore/<name> as existing, so "Overwrite: F" fails even when the original place is free.
        if (overwriteOf(req) === false) {
          return sendSabreError(
            res,
            412,
            SABRE.PreconditionFailed,
            'The destination node already exists, and the overwrite header is set to false',
          );
        }
        return this.restore(res, user, found.entry, found.node);
      }
      if (dest.area === 'files' && dest.owner === user.id) {
        // A trashed folder cannot be moved straight into files/; a file is copied (new id) and its trash record stays.
        if (found.node.kind === 'folder') return sendSabreError(res, 400, SABRE.BadRequest, 'Incompatible node types');
        return this.front.files.placeInFiles(req, res, user, found.node, dest.rest, 'copy');
      }
      return sendSabreError(res, 403, SABRE.Forbidden, '');
    }
    if (method === 'COPY') {
      if (section !== 'trash' || below.length === 0) return sendSabreError(res, 403, SABRE.Forbidden, '');
      const found = this.resolve(user, below);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      const dest = destination(req, res);
      if (!dest) return;
      if (dest.area !== 'files' || dest.owner !== user.id) return sendSabreError(res, 403, SABRE.Forbidden, '');
      return this.front.files.placeInFiles(req, res, user, found.node, dest.rest, 'copy');
    }
    if (method === 'DELETE') {
      if (section === 'trash' && below.length === 0) {
        if (!this.deleteFromTrash) return sendSabreError(res, 403, SABRE.Forbidden, '');
        this.tree.emptyTrash(user.id);
        return sendEmpty(res, 204);
      }
      if (section !== 'trash') return sendSabreError(res, 403, SABRE.Forbidden, '');
      const found = this.resolve(user, below);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      if (!this.deleteFromTrash) return sendSabreError(res, 403, SABRE.Forbidden, '');
      this.tree.destroy(found.node.id);
      return sendEmpty(res, 204);
    }
    if (method === 'GET' || method === 'HEAD') {
      const found = section === 'trash' ? this.resolve(user, below) : null;
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      if (found.node.kind === 'folder')
        return sendSabreError(
          res,
          501,
          'Sabre\\DAV\\Exception\\NotImplemented',
          'GET is only implemented on File objects',
        );
      res.writeHead(200, { 'Content-Type': found.node.contentType, 'Content-Length': String(found.node.size) });
      return void res.end(method === 'HEAD' ? undefined : this.tree.bytesOf(found.node.id));
    }
    return sendSabreError(res, 403, SABRE.Forbidden, '');
  }

  /** The trash root listing; streamed, newest first; X-NC-Paginate honoured. */
  private listRoot(
    req: IncomingMessage,
    res: ServerResponse,
    user: TreeUser,
    request: PropRequest,
    depth: '0' | '1' | 'infinity',
  ): void {
    const rootRow = responseXml(collectionEntry(`/remote.php/dav/trashbin/${user.id}/trash/`), request);
    if (depth === '0') return sendMultistatus(res, this.head() + rootRow + '</d:multistatus>\n', this.front.davHeaders);
    let entries = this.entries(user);
    const headers: Record<string, string> = { ...this.front.davHeaders };
    if (String(req.headers['x-nc-paginate'] ?? '') === 'true') {
      const count = Number(req.headers['x-nc-paginate-count'] ?? 100);
      const offset = Number(req.headers['x-nc-paginate-offset'] ?? 0);
      const token = String(req.headers['x-nc-paginate-token'] ?? '');
      let ids = this.paginate.get(token);
      let nextToken = token;
      if (!ids) {
        ids = entries.map((e) => e.id);
        nextToken = randomBytes(24).toString('base64');
        this.paginate.set(nextToken, ids);
      }
      const byId = new Map(entries.map((e) => [e.id, e]));
      headers['X-NC-Paginate'] = 'true';
      headers['X-NC-Paginate-Token'] = nextToken;
      headers['X-NC-Paginate-Total'] = String(ids.length);
      entries = ids.slice(offset, offset + count).flatMap((id) => byId.get(id) ?? []);
    }
    const tree = this.tree;
    const row = (entry: TrashEntry, n: TreeNode) => responseXml(this.davEntry(user, entry, n), request);
    function* rows(): Generator<string> {
      yield rootRow;
      for (const entry of entries) {
        const walk = function* (n: TreeNode): Generator<string> {
          yield row(entry, n);
          if (n.kind === 'folder' && depth === 'infinity') for (const c of tree.children(n.id)) yield* walk(c);
        };
        yield* walk(tree.node(entry.nodeId));
      }
    }
    return streamMultistatus(res, this.head(), rows(), headers);
  }

  /**
   * Nextcloud's restore: back to the original location; "name (restored).ext" when taken; the
   * user's root when the original folder is gone; 507 over quota.
   */
  private restore(res: ServerResponse, user: TreeUser, entry: TrashEntry, node: TreeNode): void {
    if (!this.front.files.fitsQuota(user, this.tree.sizeOf(node.id)))
      return sendSabreError(res, 507, SABRE.InsufficientStorage, 'Insufficient space in /');
    const inner = this.tree.pathInEntry(node.id);
    // With several rows for one trash file (same name, same second), Nextcloud's restore reads the
    // location of the first row it finds (the oldest) and deletes them all.
    const where = entry.rows?.[0] ?? entry.originalPath;
    const location = (inner ? `${where}/${inner}` : where).replace(/^\/+/, '');
    const segments = location.split('/').filter((p) => p !== '');
    const folder = segments.slice(0, -1).join('/');
    let parent = this.tree.resolve(user.id, folder);
    if (!parent || parent.kind !== 'folder') parent = this.tree.node(user.rootId);
    const name = this.tree.freeName(parent.id, node.name);
    this.tree.untrash(node.id, parent.id, name);
    return sendEmpty(res, 201);
  }
}
