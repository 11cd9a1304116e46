import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileTree, TrashEntry, TreeNode, TreeUser } from '../tree';
import { collectionEntry, DAV, destination, multistatusHead } from './common';
import type { KindFrontEnd } from './kindFrontEnd';
import {
  COLLECTION,
  depthOf,
  EMPTY,
  httpDate,
  overwriteOf,
  parsePropfind,
  responseXml,
  SABRE,
  sabreEncode,
  sabrePreconditions,
  sendEmpty,
  sendMultistatus,
  sendSabreError,
  streamMultistatus,
  text,
  type DavEntry,
  type PropValue,
} from './sabre';
import { ownCloudTrashProps } from './trash';

/**
 * ownCloud 10's trash: remote.php/dav/trash-bin/<user>/<fileid>, restore by MOVE to
 * files/<user>/<path> with Overwrite, oc:trashbin-* properties, Depth infinity refused with 412.
 */
export class OwnCloud10Trash {
  constructor(private readonly front: KindFrontEnd) {}

  private get tree(): FileTree {
    return this.front.tree;
  }

  private head(): string {
    return multistatusHead(this.front.namespaces);
  }

  /** Finds a trash node by its file id anywhere in the user's trash (ownCloud's getItemByFileId). */
  private byFileId(user: TreeUser, id: string): { entry: TrashEntry; node: TreeNode } | null {
    if (!/^\d+$/.test(id)) return null;
    const node = this.tree.nodes.get(Number(id));
    if (!node || node.trashEntry === null || node.owner !== user.id) return null;
    const entry = this.tree.entry(user.id, node.trashEntry);
    return entry ? { entry, node } : null;
  }

  /**
   * ownCloud 10 does not check parent segments: any id of the user's trash resolves below any
   * trashed folder, and the href echoes the path asked for; only a file used as a parent fails
   * (notable behaviour 2). `lastFileParent` tells that case apart from an unknown id.
   */
  private resolve(user: TreeUser, rest: string[]): { entry: TrashEntry; node: TreeNode; path: string[] } | null {
    const [first, ...more] = rest;
    if (!first) return null;
    let found = this.byFileId(user, first);
    if (!found) return null;
    for (const id of more) {
      if (found.node.kind !== 'folder') return null;
      const next = this.byFileId(user, id);
      if (!next) return null;
      found = next;
    }
    return { ...found, path: rest };
  }

  /**
   * Whether a trash path fails because a file id stands where a folder should (ownCloud's "Could not find node at
   * path").
   */
  private fileAsParent(user: TreeUser, rest: string[]): boolean {
    for (const id of rest.slice(0, -1)) {
      const n = this.byFileId(user, id);
      if (n && n.node.kind === 'file') return true;
    }
    return false;
  }

  private davEntry(user: TreeUser, entry: TrashEntry, node: TreeNode, idPath: string[]): DavEntry {
    const isFolder = node.kind === 'folder';
    const href = sabreEncode(`/remote.php/dav/trash-bin/${user.id}/${idPath.join('/')}${isFolder ? '/' : ''}`);
    const trashProp = ownCloudTrashProps(node, entry, this.tree.pathInEntry(node.id), httpDate);
    const props = (name: string): PropValue | undefined => {
      switch (name) {
        case DAV('getcontentlength'):
          return isFolder ? undefined : text(node.size);
        case DAV('resourcetype'):
          return isFolder ? COLLECTION : EMPTY;
        case DAV('getlastmodified'):
          return text(httpDate(node.mtime));
        case DAV('getcontenttype'):
          // Folders have none; a top-level file's stored name ends in .d<seconds>, so its type is unknown.
          return isFolder
            ? undefined
            : text(node.trashEntry === node.id ? 'application/octet-stream' : node.contentType);
        case DAV('getetag'):
          return isFolder ? undefined : text(`"${node.etag}"`);
        default:
          return trashProp(name);
      }
    };
    const allprop = isFolder
      ? [DAV('getlastmodified'), DAV('resourcetype')]
      : [DAV('getlastmodified'), DAV('getcontentlength'), DAV('resourcetype'), DAV('getetag'), DAV('getcontenttype')];
    return { href, props, allprop };
  }

  serve(req: IncomingMessage, res: ServerResponse, user: TreeUser, rest: string[], method: string, body: Buffer): void {
    const base = `/remote.php/dav/trash-bin/${user.id}`;
    if (method === 'PROPFIND') {
      const request = parsePropfind(body);
      if (!request) return sendSabreError(res, 400, SABRE.BadRequest, 'The request body could not be read');
      const depth = depthOf(req);
      if (depth === 'infinity')
        return sendSabreError(res, 412, SABRE.PreconditionFailed, 'Depth infinity not supported');
      if (rest.length === 0) {
        const rootRow = responseXml(collectionEntry(`${base}/`), request);
        if (depth === '0')
          return sendMultistatus(res, this.head() + rootRow + '</d:multistatus>\n', this.front.trashDavHeaders);
        const entries = [...this.tree.trashOf(user.id)].sort((a, b) => a.id - b.id);
        const asked = request;
        const row = (e: TrashEntry) =>
          responseXml(this.davEntry(user, e, this.tree.node(e.nodeId), [String(e.nodeId)]), asked);
        function* rows(): Generator<string> {
          yield rootRow;
          for (const e of entries) yield row(e);
        }
        return streamMultistatus(res, this.head(), rows(), this.front.trashDavHeaders);
      }
      const found = this.resolve(user, rest);
      if (!found)
        return sendSabreError(
          res,
          404,
          SABRE.NotFound,
          this.fileAsParent(user, rest) ? `Could not find node at path: trash-bin/${user.id}/${rest.join('/')}` : '',
        );
      const rows = [responseXml(this.davEntry(user, found.entry, found.node, found.path), request)];
      if (depth === '1' && found.node.kind === 'folder') {
        for (const c of this.tree.children(found.node.id))
          rows.push(responseXml(this.davEntry(user, found.entry, c, [...found.path, String(c.id)]), request));
      }
      return sendMultistatus(res, this.head() + rows.join('') + '</d:multistatus>\n', this.front.trashDavHeaders);
    }
    // If-Match on trash items (MOVE and DELETE) against the ETag the file had; an item that is gone fails it too
    // (notable 10).
    const precondition = (found: { node: TreeNode } | null): boolean => {
      const outcome = sabrePreconditions(
        req,
        method,
        found ? { etag: found.node.kind === 'file' ? `"${found.node.etag}"` : null, mtime: found.node.mtime } : null,
      );
      if (outcome?.status === 412) {
        sendSabreError(
          res,
          412,
          SABRE.PreconditionFailed,
          outcome.message,
          outcome.etag ? { ETag: outcome.etag } : {},
          outcome.header,
        );
        return false;
      }
      return true;
    };
    if (method === 'MOVE') {
      // Sabre looks at the Destination before the source: a bad or taken destination is said even
      // for an item that is already gone (recordings 04).
      const dest = destination(req, res);
      if (!dest) return;
      if (dest.area !== 'files' || dest.owner !== user.id) {
        if (dest.area === 'files') return sendSabreError(res, 403, SABRE.Forbidden, '');
        return sendSabreError(
          res,
          403,
          SABRE.Forbidden,
          dest.rest.length > 1 ? 'Permission denied to read this file' : 'Permission denied to rename this resource',
        );
      }
      const parent = this.tree.resolve(user.id, dest.rest.slice(0, -1).join('/'));
      const taken =
        parent?.kind === 'folder' ? this.tree.child(parent.id, dest.rest[dest.rest.length - 1] ?? '') : null;
      if (taken && overwriteOf(req) === false) {
        return sendSabreError(
          res,
          412,
          SABRE.PreconditionFailed,
          'The destination node already exists, and the overwrite header is set to false',
        );
      }
      const found = this.resolve(user, rest);
      if (!precondition(found)) return;
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      return this.front.files.placeInFiles(req, res, user, found.node, dest.rest, 'restore');
    }
    if (method === 'DELETE') {
      if (rest.length === 0) {
        this.tree.emptyTrash(user.id);
        return sendEmpty(res, 204);
      }
      const found = this.resolve(user, rest);
      if (!precondition(found)) return;
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      this.tree.destroy(found.node.id);
      return sendEmpty(res, 204);
    }
    if (method === 'GET' || method === 'HEAD') {
      // No downloads from ownCloud 10's trash; the collection itself answers Sabre's HTML note (recordings 02).
      if (rest.length === 0) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
        return void res.end(
          method === 'HEAD'
            ? undefined
            : 'This is the WebDAV interface. It can only be accessed by WebDAV clients such as the ownCloud desktop sync client.',
        );
      }
      const found = this.resolve(user, rest);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      return sendSabreError(res, 403, SABRE.Forbidden, 'Permission denied to read this file');
    }
    if (method === 'PUT')
      return sendSabreError(
        res,
        403,
        SABRE.Forbidden,
        `Permission denied to create file (filename ${rest[rest.length - 1] ?? ''})`,
      );
    if (method === 'PROPPATCH') {
      // Trash items take no properties: every one asked for comes back 403 (recordings 02).
      const found = this.resolve(user, rest);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      const asked = [...body.toString('utf8').matchAll(/<(?:[\w-]+:)?prop>([\s\S]*?)<\/(?:[\w-]+:)?prop>/g)]
        .flatMap((m) => [...m[1]!.matchAll(/<([\w-]+:)?([\w-]+)[\s/>]/g)].map((x) => `<${x[1] ?? 'd:'}${x[2]}/>`))
        .join('');
      const href = sabreEncode(
        `/remote.php/dav/trash-bin/${user.id}/${rest.join('/')}${found.node.kind === 'folder' ? '/' : ''}`,
      );
      return sendMultistatus(
        res,
        `${this.head()}<d:response><d:href>${href}</d:href><d:propstat><d:prop>${asked}</d:prop><d:status>HTTP/1.1 403 Forbidden</d:status></d:propstat></d:response></d:multistatus>`,
        this.front.trashDavHeaders,
      );
    }
    if (method === 'COPY') return sendSabreError(res, 403, SABRE.Forbidden, 'Permission denied to read this file');
    return sendSabreError(res, 403, SABRE.Forbidden, 'Permission denied');
  }
}
