import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileTree, TreeNode, TreeUser } from '../tree';
import { TreeError } from '../tree';
import { DAV, destination, OC, type WebDavServerKind } from './common';
import { ocisSpaceId, sabreFileId } from './ids';
import {
  COLLECTION,
  depthOf,
  EMPTY,
  httpDate,
  multistatus,
  overwriteOf,
  parsePropfind,
  SABRE,
  sabreEncode,
  sabrePreconditions,
  sendEmpty,
  sendMultistatus,
  sendSabreError,
  text,
  type DavEntry,
  type PropValue,
} from './sabre';

/** What the files tree needs of the front end serving it. */
export interface FilesHost {
  readonly tree: FileTree;
  readonly kind: WebDavServerKind;
  readonly namespaces: string[];
  readonly davHeaders: Record<string, string>;
}

/**
 * The files tree every kind serves (remote.php/dav/files/<user>, oCIS's remote.php/dav/spaces/<space
 * id>): PROPFIND, MKCOL, PUT, GET, DELETE, MOVE and COPY, with each kind's small differences.
 *
 * Conditional requests on the files tree: Nextcloud and ownCloud 10 run Sabre's checkPreconditions
 * (sabrePreconditions; read in sabre/dav Server.php 3.2–4.7.1 — ownCloud's composer.lock pins
 * 4.7.1 — plus both servers' Connector\Sabre\Server, which keep Sabre's exception rendering, and
 * Node::getETag, which quotes the ETag; File is an IFile, Directory is not). oCIS (reva edge,
 * internal/http/services/owncloud/ocdav delete.go, move.go, put.go, and the storage provider's
 * InitiateFileUpload) ignores them except If-Match on PUT. Not confirmed against a live server: the
 * other headers Nextcloud/ownCloud add to a 412; that checkPreconditions also runs on trash-bin
 * paths (not modelled there); oCIS's answer to PUT on a folder; oCIS writes its own error XML
 * (xmlns:d="DAV", an s:errorcode element) where this front end uses Sabre's; and oCIS's
 * oc:fileid/OC-FileId are resource ids ("<storage>$<space>!<node>"), numeric here.
 */
export class FilesTree {
  constructor(private readonly host: FilesHost) {}

  private get tree(): FileTree {
    return this.host.tree;
  }

  private get kind(): WebDavServerKind {
    return this.host.kind;
  }

  private get ocis(): boolean {
    return this.kind === 'ocis';
  }

  private get oc10(): boolean {
    return this.kind === 'owncloud10';
  }

  private filesHref(user: string, node: TreeNode): string {
    const p = this.tree.pathOf(node.id);
    const base = this.ocis ? `/remote.php/dav/spaces/${ocisSpaceId(user)}` : `/remote.php/dav/files/${user}`;
    return sabreEncode(`${base}${p ? `/${p}` : ''}${node.kind === 'folder' ? '/' : ''}`);
  }

  fileEntry(user: string, node: TreeNode): DavEntry {
    const isFolder = node.kind === 'folder';
    const props = (name: string): PropValue | undefined => {
      switch (name) {
        case DAV('resourcetype'):
          return isFolder ? COLLECTION : EMPTY;
        case DAV('getcontentlength'):
          return isFolder ? undefined : text(node.size);
        case DAV('getlastmodified'):
          return text(httpDate(node.mtime));
        case DAV('getetag'):
          return text(`"${node.etag}"`);
        case DAV('getcontenttype'):
          return isFolder ? undefined : text(node.contentType);
        case DAV('displayname'):
          return text(node.name);
        case OC('fileid'):
          return text(node.id);
        case OC('id'):
          return text(this.ocis ? node.id : sabreFileId(node.id));
        case OC('size'):
          return text(this.tree.sizeOf(node.id));
        case OC('permissions'):
          // ownCloud 10 has no G (share) permission letter; Nextcloud and oCIS do.
          return text(this.oc10 ? (isFolder ? 'RDNVCK' : 'RDNVW') : isFolder ? 'RGDNVCK' : 'RGDNVW');
        default:
          return undefined;
      }
    };
    const allprop = isFolder
      ? [DAV('getlastmodified'), DAV('resourcetype'), DAV('getetag')]
      : [DAV('getlastmodified'), DAV('getcontentlength'), DAV('resourcetype'), DAV('getetag'), DAV('getcontenttype')];
    return { href: this.filesHref(user, node), props, allprop };
  }

  serve(req: IncomingMessage, res: ServerResponse, user: TreeUser, rest: string[], method: string, body: Buffer): void {
    // ownCloud 10 normalises paths to NFC (an NFD PUT overwrites the NFC file; recordings 09); its
    // messages keep the name as sent.
    const asSent = rest;
    if (this.oc10) rest = rest.map((p) => p.normalize('NFC'));
    const node = this.tree.resolve(user.id, rest.join('/'));
    // "File with name <parent path>/<name>": Nextcloud's parent path starts with a slash ("//a.txt" at
    // the root, "/x/a.txt" below), ownCloud 10's does not ("a.txt", "x/a.txt"): recordings and real servers.
    const where = this.oc10 ? asSent.join('/') : `/${rest.slice(0, -1).join('/')}/${rest[rest.length - 1] ?? ''}`;
    const notFound = () => sendSabreError(res, 404, SABRE.NotFound, `File with name ${where} could not be located`);
    if (this.ocis) {
      // reva's ocdav (cs3org/reva edge, oCIS 7) reads no conditional header on DELETE, MOVE, COPY,
      // PROPFIND or GET: delete.go and move.go only look at the If: lock token, so If-Match and
      // If-None-Match are ignored there and the item is deleted or moved whatever its ETag.
      // Only PUT passes If-Match on (put.go → InitiateFileUpload), see ocisPutPrecondition.
      if (method === 'PUT' && !this.ocisPutPrecondition(req, node, body)) return sendEmpty409(res);
    } else {
      const outcome = sabrePreconditions(
        req,
        method,
        node ? { etag: node.kind === 'file' ? `"${node.etag}"` : null, mtime: node.mtime } : null,
      );
      if (outcome?.status === 412) {
        // ownCloud 10 sends no ETag with a failed If-None-Match (recordings 10).
        const etag: Record<string, string> =
          outcome.etag && !(this.oc10 && outcome.header === 'If-None-Match') ? { ETag: outcome.etag } : {};
        return sendSabreError(res, 412, SABRE.PreconditionFailed, outcome.message, etag, outcome.header);
      }
      if (outcome?.status === 304) {
        res.writeHead(304, 'Not Modified', {
          ...(outcome.etag ? { ETag: outcome.etag } : {}),
          ...(outcome.lastModified ? { 'Last-Modified': outcome.lastModified } : {}),
        });
        return void res.end();
      }
      if (outcome?.status === 404) return notFound();
    }
    switch (method) {
      case 'PROPFIND': {
        if (!node) return notFound();
        const request = parsePropfind(body);
        if (!request) return sendSabreError(res, 400, SABRE.BadRequest, 'The request body could not be read');
        const depth = depthOf(req);
        // ownCloud 10 refuses Depth infinity on files/ as on trash-bin/ (capabilities: depth_infinity false).
        if (depth === 'infinity' && this.oc10)
          return sendSabreError(res, 412, SABRE.PreconditionFailed, 'Depth infinity not supported');
        const entries: DavEntry[] = [];
        const walk = (n: TreeNode, level: number) => {
          entries.push(this.fileEntry(user.id, n));
          if (n.kind === 'folder' && (depth === 'infinity' || level < Number(depth))) {
            for (const c of [...this.tree.children(n.id)].sort((a, b) =>
              a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
            ))
              walk(c, level + 1);
          }
        };
        walk(node, 0);
        return sendMultistatus(res, multistatus(entries, request, this.host.namespaces), this.host.davHeaders);
      }
      case 'MKCOL': {
        if (node)
          return sendSabreError(res, 405, SABRE.MethodNotAllowed, 'The resource you tried to create already exists');
        const parent = this.tree.resolve(user.id, rest.slice(0, -1).join('/'));
        if (!parent || parent.kind !== 'folder')
          return sendSabreError(res, 409, SABRE.Conflict, 'Parent node does not exist');
        try {
          const made = this.tree.createIn(parent.id, rest[rest.length - 1]!, 'folder', 0);
          return sendEmpty(res, 201, { 'OC-FileId': this.ocFileIdHeader(made) });
        } catch (e) {
          return sendSabreError(res, 400, SABRE.BadRequest, e instanceof Error ? e.message : 'Invalid name');
        }
      }
      case 'PUT': {
        if (this.refusedName(res, rest)) return;
        const parent = this.tree.resolve(user.id, rest.slice(0, -1).join('/'));
        if (!parent || parent.kind !== 'folder')
          return sendSabreError(res, 409, SABRE.Conflict, 'Files cannot be created in non-existent collections');
        // Sabre's CorePlugin::httpPut refuses a collection (oCIS's answer here is not confirmed; modelled the same).
        if (node?.kind === 'folder')
          return sendSabreError(res, 409, SABRE.Conflict, 'PUT is not allowed on non-files.');
        const existed = node !== null;
        // X-OC-Mtime (seconds) sets the modification time; the answer says "accepted".
        const mtimeHeader = Number(req.headers['x-oc-mtime']);
        const mtime =
          req.headers['x-oc-mtime'] !== undefined && Number.isFinite(mtimeHeader) && mtimeHeader > 0
            ? Math.floor(mtimeHeader * 1000)
            : undefined;
        // Saving over a file keeps its id and gives it a new ETag, size and mtime (writeFile updates in place).
        const written = this.tree.writeFile(user.id, rest.join('/'), body.length, {
          content: body,
          ...(mtime === undefined ? {} : { mtime }),
        });
        const etag = `"${written.etag}"`;
        return sendEmpty(res, existed ? 204 : 201, {
          'OC-FileId': this.ocFileIdHeader(written),
          ETag: etag,
          'OC-ETag': etag,
          ...(this.ocis ? { 'Last-Modified': httpDate(written.mtime) } : {}),
          ...(mtime !== undefined ? { 'X-OC-MTime': 'accepted' } : {}),
        });
      }
      case 'GET':
      case 'HEAD': {
        if (!node) return notFound();
        if (node.kind === 'folder')
          return sendSabreError(
            res,
            501,
            'Sabre\\DAV\\Exception\\NotImplemented',
            'GET is only implemented on File objects',
          );
        // ownCloud 10 writes the type with a charset and repeats the ETag as OC-ETag (recordings 03).
        res.writeHead(200, {
          'Content-Type': this.oc10 ? `${node.contentType};charset=UTF-8` : node.contentType,
          'Content-Length': String(node.size),
          ETag: `"${node.etag}"`,
          ...(this.oc10 ? { 'OC-ETag': `"${node.etag}"` } : {}),
          'Last-Modified': httpDate(node.mtime),
        });
        return void res.end(method === 'HEAD' ? undefined : this.tree.bytesOf(node.id));
      }
      case 'DELETE': {
        if (!node || node.parent === null) return notFound();
        // ownCloud 10: a name too long for its trash file (<name>.d<seconds> over 255 bytes) answers
        // 403, and the item is gone all the same, neither in files/ nor in the trash (notable behaviour 18).
        if (this.oc10 && Buffer.byteLength(`${node.name}.d${Math.floor(this.tree.now() / 1000)}`) > 255) {
          this.tree.destroy(node.id);
          return sendSabreError(res, 403, SABRE.Forbidden, '');
        }
        this.tree.trash(node.id, { deletedBy: user.id });
        return sendEmpty(res, 204);
      }
      case 'MOVE':
      case 'COPY': {
        if (!node || node.parent === null) return notFound();
        const dest = destination(req, res);
        if (!dest) return;
        const ownFiles = this.ocis
          ? dest.area === 'spaces' && dest.owner === ocisSpaceId(user.id)
          : dest.area === 'files' && dest.owner === user.id;
        if (!ownFiles && this.oc10 && dest.area === 'trash-bin' && method === 'MOVE') {
          return sendSabreError(
            res,
            403,
            SABRE.Forbidden,
            `Permission denied to create file (filename ${dest.rest[dest.rest.length - 1] ?? ''})`,
          );
        }
        if (!ownFiles) return sendSabreError(res, 403, SABRE.Forbidden, '');
        return this.placeInFiles(req, res, user, node, dest.rest, method === 'COPY' ? 'copy' : 'move');
      }
      default:
        return sendSabreError(res, 405, SABRE.MethodNotAllowed, `${method} is not allowed here`);
    }
  }

  /**
   * ownCloud 10 refuses a backslash (InvalidPath) and a name too long for the part file it writes
   * first (about 227 bytes: FileNameTooLong), both 400 (recordings 09). False when the name is fine.
   */
  private refusedName(res: ServerResponse, rest: string[]): boolean {
    if (!this.oc10) return false;
    const name = rest[rest.length - 1] ?? '';
    if (name.includes('\\')) {
      sendSabreError(
        res,
        400,
        'OCA\\DAV\\Connector\\Sabre\\Exception\\InvalidPath',
        'File name contains at least one invalid character',
      );
      return true;
    }
    if (Buffer.byteLength(name) > 227) {
      sendSabreError(res, 400, 'OCA\\DAV\\Connector\\Sabre\\Exception\\FileNameTooLong', 'File name is too long.');
      return true;
    }
    return false;
  }

  /** The OC-FileId header of PUT and MKCOL: Nextcloud/ownCloud write the padded id with the instance id. */
  private ocFileIdHeader(node: TreeNode): string {
    return this.ocis ? String(node.id) : sabreFileId(node.id);
  }

  /**
   * oCIS PUT with If-Match: ocdav put.go hands the header to the storage provider's
   * InitiateFileUpload, which compares it with the current ETag as one exact string (no list, no
   * "*", no trimming; a missing file has no ETag, so it fails too) and answers FAILED_PRECONDITION,
   * which put.go turns into a bodiless 409 — not 412. An empty body on a missing file is created by
   * TouchFile before that check, so the header is not looked at then. False when the PUT must fail.
   */
  private ocisPutPrecondition(req: IncomingMessage, node: TreeNode | null, body: Buffer): boolean {
    const raw = req.headers['if-match'];
    const ifMatch = Array.isArray(raw) ? raw.join(', ') : raw;
    if (!ifMatch) return true;
    if (!node && body.length === 0) return true;
    return node !== null && node.kind === 'file' && ifMatch === `"${node.etag}"`;
  }

  /**
   * Puts a node at a path in the files tree with Sabre's Overwrite semantics: 412 when the target
   * exists and Overwrite is F; with T the existing node goes to the trash first (204); 409 when the
   * parent is missing; 201 for a new name.
   */
  placeInFiles(
    req: IncomingMessage,
    res: ServerResponse,
    user: TreeUser,
    node: TreeNode,
    destRest: string[],
    how: 'move' | 'copy' | 'restore',
  ): void {
    const overwrite = overwriteOf(req);
    if (overwrite === null)
      return sendSabreError(res, 400, SABRE.BadRequest, 'The HTTP Overwrite header should be either T or F');
    const name = destRest[destRest.length - 1];
    if (!name) return sendSabreError(res, 403, SABRE.Forbidden, '');
    const parent = this.tree.resolve(user.id, destRest.slice(0, -1).join('/'));
    if (!parent || parent.kind !== 'folder')
      return sendSabreError(res, 409, SABRE.Conflict, 'The destination node is not found');
    const existing = this.tree.child(parent.id, name);
    if (existing && existing.id === node.id)
      return sendSabreError(res, 403, SABRE.Forbidden, 'Source and destination uri are identical.');
    if (existing && !overwrite) {
      return sendSabreError(
        res,
        412,
        SABRE.PreconditionFailed,
        'The destination node already exists, and the overwrite header is set to false',
      );
    }
    if (how !== 'move' && !this.fitsQuota(user, this.tree.sizeOf(node.id))) {
      return sendSabreError(res, 507, SABRE.InsufficientStorage, 'Insufficient space in /');
    }
    let source = node;
    // ownCloud 10.15.2 answers a MOVE that replaced a file (204) with the REPLACED file's OC-FileId
    // and ETag (Nextcloud 32.0.1 with the moved one's), both for restores and for moves in files/.
    const replacedHeaders = existing && this.oc10 ? this.movedHeaders(existing) : null;
    if (existing) {
      this.tree.trash(existing.id, { deletedBy: user.id });
      // A restore over a file of the same name in the same second the item was trashed: the replaced
      // file's trash copy overwrote the item's (one `<name>.d<seconds>`), and what comes back is
      // the replaced, current version; the trashed one is lost (ownCloud 10, notable behaviour 17).
      if (!this.tree.nodes.has(node.id) && how === 'restore') source = existing;
    }
    let placed: TreeNode;
    try {
      if (how === 'move') placed = this.tree.move(source.id, parent.id, name);
      else if (how === 'copy') placed = this.tree.copy(source.id, parent.id, name);
      else placed = this.tree.untrash(source.id, parent.id, name);
    } catch (e) {
      if (e instanceof TreeError && e.code === 'INVALID') return sendSabreError(res, 403, SABRE.Forbidden, e.message);
      throw e;
    }
    // ownCloud 10 and Nextcloud answer a MOVE (a restore too) with the item's OC-FileId and, for a
    // file, its ETag (recorded on ownCloud 10.15.2 and Nextcloud 32.0.1); oCIS's answer is not modelled.
    const headers: Record<string, string> =
      how === 'copy' || this.ocis ? {} : (replacedHeaders ?? this.movedHeaders(placed));
    return sendEmpty(res, existing ? 204 : 201, headers);
  }

  private movedHeaders(node: TreeNode): Record<string, string> {
    return {
      'OC-FileId': this.ocFileIdHeader(node),
      ...(node.kind === 'file' ? { ETag: `"${node.etag}"`, 'OC-ETag': `"${node.etag}"` } : {}),
    };
  }

  fitsQuota(user: TreeUser, bytes: number): boolean {
    return user.quota === null || this.tree.usage(user.id) + bytes <= user.quota;
  }
}

/** A bodiless 409, as oCIS's put.go writes it for FAILED_PRECONDITION. */
function sendEmpty409(res: ServerResponse): void {
  res.writeHead(409, { 'Content-Length': '0' });
  res.end();
}
