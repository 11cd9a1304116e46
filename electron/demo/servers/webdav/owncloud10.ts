import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TreeNode, TreeUser } from '../tree';
import { isPreviewableImage, previewPng } from '../png';
import { sendPageNotFound } from './common';
import { KindFrontEnd } from './kindFrontEnd';
import { OC_STATUS, OcsApi } from './ocs';
import { OwnCloud10Trash } from './owncloud10Trash';
import { NS_DAV, NS_OC, NS_SABRE, SABRE, sendEmpty, sendJson, sendSabreError } from './sabre';
import { findTrashFile } from './trash';

/**
 * ownCloud 10.15's DAV header on 207 answers: files/ and trash-bin/ differ (real server, differential check;
 * recordings).
 */
const OC10_FILES_DAV_HEADER = '1, 3, extended-mkcol, 2';
const OC10_TRASH_DAV_HEADER = '1, 3, extended-mkcol, 2, access-control, calendarserver-principal-property-search';

/** ownCloud 10.15's NotAuthenticated messages (recordings 06-auth; real server, differential check). */
export const OC10_401_WRONG_CREDENTIALS =
  'No public access to this resource., Username or password was incorrect, Username or password was incorrect';
export const OC10_401_NO_CREDENTIALS =
  "No public access to this resource., No 'Authorization: Basic' header found. Either the client didn't send one, or the server is misconfigured, No 'Authorization: Basic' header found. Either the client didn't send one, or the server is misconfigured";

/**
 * ownCloud 10 over the shared file tree: the files tree, status.php, OCS, Basic auth, the activity
 * app's feed, its own trash (owncloud10Trash.ts), and the Deleted files app's preview and listing.
 */
export class OwnCloud10FrontEnd extends KindFrontEnd {
  readonly kind = 'owncloud10';
  readonly namespaces = [NS_DAV, NS_SABRE, NS_OC];
  readonly davHeaders = { DAV: OC10_FILES_DAV_HEADER };
  protected readonly status = OC_STATUS;
  private readonly ocs = new OcsApi(this);
  private readonly trash = new OwnCloud10Trash(this);

  /** ownCloud 10's trash-bin/ answers announce more than its files/ answers. */
  override get trashDavHeaders(): Record<string, string> {
    return { DAV: OC10_TRASH_DAV_HEADER };
  }

  protected override notAuthenticatedMessage(credentialsSent: boolean): string {
    return credentialsSent ? OC10_401_WRONG_CREDENTIALS : OC10_401_NO_CREDENTIALS;
  }

  protected route(req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: Buffer): void {
    const rawPath = url.pathname;
    if (/^\/ocs\/v[12]\.php\//.test(rawPath)) return this.ocs.serve(req, res, url, method);
    if (this.activity.enabled && method === 'GET' && rawPath.startsWith('/index.php/apps/activity/api/v2/activity')) {
      return this.activity.serveOwnCloud(req, res, url, this.authenticate(req));
    }
    if (rawPath === '/remote.php/dav' || rawPath.startsWith('/remote.php/dav/'))
      return this.dav(req, res, rawPath, method, body);
    if (rawPath === '/index.php/apps/files_trashbin/ajax/preview.php' && method === 'GET')
      return this.trashPreview(req, res, url);
    if (rawPath === '/index.php/apps/files_trashbin/ajax/list.php' && method === 'GET')
      return this.trashList(req, res, url);
    if (rawPath === '/index.php/login' && method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
      return void res.end(
        '<!DOCTYPE html><html><body><form method="post"><input name="user"><input name="password" type="password"></form></body></html>',
      );
    }
    sendPageNotFound(res);
  }

  protected davAreas(
    req: IncomingMessage,
    res: ServerResponse,
    user: TreeUser,
    parts: string[],
    method: string,
    body: Buffer,
  ): void {
    if (parts[0] === 'trash-bin' && parts[1] === undefined && method === 'PROPFIND') {
      return sendSabreError(res, 405, SABRE.MethodNotAllowed, 'Listing members of this collection is disabled', {
        DAV: OC10_TRASH_DAV_HEADER,
        Allow: 'OPTIONS, GET, HEAD, DELETE, PROPFIND, PUT, PROPPATCH, COPY, MOVE, REPORT, LOCK, UNLOCK',
        Vary: 'Brief,Prefer',
      });
    }
    return this.userAreas(req, res, user, parts, method, body, 'trash-bin', (rest) =>
      this.trash.serve(req, res, user, rest, method, body),
    );
  }

  /**
   * ownCloud 10's apps/files_trashbin/ajax/preview.php: `file` is the path in files_trashbin/files
   * ("/name.d<seconds>[/inside]"), x and y default 44. No file or a 0 edge: 400 with no body. A path
   * it does not know throws in OC\Preview and the script answers 500. A file it cannot render (or a
   * folder) gets its type icon as the image, with 200. Not signed in: checkLoggedIn redirects to the
   * login page.
   */
  private trashPreview(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const user = this.authenticate(req);
    if (!user) {
      res.writeHead(302, {
        Location: `/index.php/login?redirect_url=${encodeURIComponent(url.pathname + url.search)}`,
        'Content-Length': '0',
      });
      return void res.end();
    }
    const file = url.searchParams.get('file') ?? '';
    const edge = (name: string) =>
      url.searchParams.has(name) ? Number.parseInt(url.searchParams.get(name)!, 10) || 0 : 44;
    if (file === '' || edge('x') === 0 || edge('y') === 0) return sendEmpty(res, 400);
    const [top = '', ...inner] = file.replace(/^\/+/, '').split('/');
    const entry = findTrashFile(this.tree, user, top);
    const node = entry ? this.tree.resolveInEntry(entry, inner.join('/')) : null;
    if (!node) return sendEmpty(res, 500);
    // The type icon stands in for a preview it cannot make (OC\Preview::getMimeIcon).
    const png =
      node.kind === 'file' && isPreviewableImage(node.contentType) ? previewPng(node.id) : previewPng(0, 32, 32);
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, 'Cache-Control': 'max-age=86400' });
    res.end(png);
  }

  /**
   * ownCloud 10's Deleted files app listing, apps/files_trashbin/ajax/list.php (Helper::getTrashFiles),
   * as the 10.15.2 kit answers it: `dir` '/' (or none) lists the trash files, one per
   * "<name>.d<seconds>", each with `extraData` the location of the LAST database row of that name and
   * second ("./name" in the root), where WebDAV shows the first row's; `dir=/<name>.d<seconds>[/…]`
   * lists inside a trashed folder (no extraData). `id` is the position in the answer; mtime and
   * etag the deletion second in ms. Sorted folders first, then by name (sort=mtime|size, and
   * sortdirection=desc, as asked). A folder it does not have: 404 with no body. Not signed in: 401
   * with the app's JSON error.
   */
  private trashList(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const user = this.authenticate(req);
    if (!user)
      return sendJson(res, 401, {
        data: { message: 'Authentication error', error: 'authentication_error' },
        status: 'error',
      });
    const dir = url.searchParams.get('dir') ?? '';
    const parts = dir.split('/').filter(Boolean);
    interface Row {
      node: TreeNode;
      seconds: number;
      extraData?: string;
    }
    let rows: Row[];
    if (parts.length === 0) {
      rows = this.tree.trashOf(user.id).map((e) => {
        const last = e.rows?.[e.rows.length - 1] ?? e.originalPath;
        return {
          node: this.tree.node(e.nodeId),
          seconds: Math.floor(e.deletedAt / 1000),
          extraData: last.includes('/') ? last : `./${last}`,
        };
      });
    } else {
      const entry = findTrashFile(this.tree, user, parts[0]!);
      const folder = entry ? this.tree.resolveInEntry(entry, parts.slice(1).join('/')) : null;
      if (!entry || !folder || folder.kind !== 'folder') {
        res.writeHead(404, { 'Content-Type': 'text/html; charset=UTF-8', 'Content-Length': '0' });
        return void res.end();
      }
      rows = this.tree.children(folder.id).map((node) => ({ node, seconds: Math.floor(entry.deletedAt / 1000) }));
    }
    const sort = url.searchParams.get('sort') ?? 'name';
    const byName = (a: Row, b: Row) =>
      a.node.kind === b.node.kind
        ? a.node.name.localeCompare(b.node.name, 'en', { numeric: true })
        : a.node.kind === 'folder'
          ? -1
          : 1;
    rows.sort(
      sort === 'mtime'
        ? (a, b) => a.seconds - b.seconds
        : sort === 'size'
          ? (a, b) => this.tree.sizeOf(a.node.id) - this.tree.sizeOf(b.node.id)
          : byName,
    );
    if (url.searchParams.get('sortdirection') === 'desc') rows.reverse();
    const files = rows.map((r, id) => ({
      id,
      parentId: null,
      mtime: r.seconds * 1000,
      name: r.node.name,
      permissions: 1,
      mimetype: r.node.kind === 'folder' ? 'httpd/unix-directory' : r.node.contentType,
      size: this.tree.sizeOf(r.node.id),
      type: r.node.kind === 'folder' ? 'dir' : 'file',
      etag: r.seconds * 1000,
      ...(r.extraData !== undefined ? { extraData: r.extraData } : {}),
    }));
    sendJson(res, 200, { data: { permissions: 0, directory: dir, files }, status: 'success' });
  }
}
