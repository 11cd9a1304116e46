import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileTree, TreeUser } from '../tree';
import { isPreviewableImage, previewPng } from '../png';
import type { ActivityLog } from './activity';
import { sendPageNotFound } from './common';
import { KindFrontEnd } from './kindFrontEnd';
import { LoginFlow } from './loginFlow';
import { NextcloudTrash } from './nextcloudTrash';
import { OcsApi } from './ocs';
import {
  gzipIfAccepted,
  multistatus,
  NS_DAV,
  NS_NC,
  NS_OC,
  NS_SABRE,
  parsePropfind,
  SABRE,
  sendJson,
  sendMultistatus,
  sendSabreError,
  type DavEntry,
} from './sabre';

const NC_DAV_HEADER =
  '1, 3, extended-mkcol, access-control, calendarserver-principal-property-search, nc-paginate, nextcloud-checksum-update, nc-calendar-search, nc-enable-birthday-calendar';

const NC_STATUS = {
  installed: true,
  maintenance: false,
  needsDbUpgrade: false,
  version: '32.0.1.2',
  versionstring: '32.0.1',
  edition: '',
  productname: 'Nextcloud',
  extendedSupport: false,
};

/**
 * Nextcloud over the shared file tree: the files tree, status.php, OCS (with the activity app's
 * feed), Basic auth, Login Flow v2, DAV SEARCH by file id, and its own trash (nextcloudTrash.ts)
 * with the files_trashbin preview.
 */
export class NextcloudFrontEnd extends KindFrontEnd {
  readonly kind = 'nextcloud';
  readonly namespaces = [NS_DAV, NS_SABRE, NS_OC, NS_NC];
  readonly davHeaders = { DAV: NC_DAV_HEADER };
  override readonly realm = 'Nextcloud';
  protected readonly status = NC_STATUS;
  readonly trash: NextcloudTrash;
  private readonly ocs = new OcsApi(this, (authenticated) => this.capabilities(authenticated));
  private readonly loginFlow: LoginFlow;

  constructor(tree: FileTree, activity: ActivityLog, deleteFromTrash: boolean) {
    super(tree, activity);
    this.trash = new NextcloudTrash(this, deleteFromTrash);
    this.loginFlow = new LoginFlow(tree);
  }

  protected route(req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: Buffer): void {
    const rawPath = url.pathname;
    // Nextcloud compresses its multistatus and OCS answers for clients that accept gzip.
    const ocs = /^\/ocs\/v[12]\.php\//.test(rawPath);
    const dav = rawPath === '/remote.php/dav' || rawPath.startsWith('/remote.php/dav/');
    if (ocs || dav) gzipIfAccepted(req, res);
    if (ocs) return this.ocs.serve(req, res, url, method);
    if (rawPath.startsWith('/index.php/login/v2')) return this.loginFlow.serve(req, res, url, method, body);
    if (dav) return this.dav(req, res, rawPath, method, body);
    if (rawPath === '/index.php/apps/files_trashbin/preview' && method === 'GET')
      return this.trashPreview(req, res, url);
    sendPageNotFound(res);
  }

  private capabilities(authenticated: boolean): Record<string, unknown> {
    const version = { major: 32, minor: 0, micro: 1, string: '32.0.1', edition: '', extendedSupport: false };
    if (!authenticated)
      return {
        version,
        capabilities: {
          bruteforce: { delay: 0, 'allow-listed': false },
          theming: { name: 'Nextcloud', productName: 'Nextcloud' },
        },
      };
    return {
      version,
      capabilities: {
        core: { pollinterval: 60, 'webdav-root': 'remote.php/webdav' },
        files: {
          bigfilechunking: true,
          comments: true,
          undelete: true,
          delete_from_trash: this.trash.deleteFromTrash,
          versioning: true,
        },
        dav: { chunking: '1.0', bulkupload: '1.0' },
      },
    };
  }

  protected davAreas(
    req: IncomingMessage,
    res: ServerResponse,
    user: TreeUser,
    parts: string[],
    method: string,
    body: Buffer,
  ): void {
    if (method === 'SEARCH' && parts.length === 0) return this.searchByFileId(res, user, body);
    const [area, owner] = parts;
    if (area === 'trashbin' && owner !== undefined && method === 'MOVE' && !this.tree.users.has(owner)) {
      return sendSabreError(res, 409, SABRE.Conflict, 'The destination node is not found');
    }
    return this.userAreas(req, res, user, parts, method, body, 'trashbin', (rest) =>
      this.trash.serve(req, res, user, rest, method, body),
    );
  }

  /**
   * Nextcloud's DAV SEARCH (FileSearchBackend), only as far as Salvage uses it: items of the
   * user's files found by oc:fileid (one <d:eq>, or several in a <d:or>), with the selected
   * properties; more than 100 operators is refused with a 500, as the real server does.
   */
  private searchByFileId(res: ServerResponse, user: TreeUser, body: Buffer): void {
    const xml = body.toString('utf8');
    const ids = [...xml.matchAll(/<d:literal>\s*(\d+)\s*<\/d:literal>/g)].map((m) => Number(m[1]));
    const operators = (xml.match(/<d:eq>/g) ?? []).length;
    if (operators > 100) {
      return sendSabreError(
        res,
        500,
        'InvalidArgumentException',
        `Invalid search query, maximum operator limit of 100 exceeded, got ${operators} operators`,
      );
    }
    const scope = /<d:href>([^<]*)<\/d:href>/.exec(xml)?.[1];
    if (scope !== `/files/${user.id}` || !/<oc:fileid\s*\/>/.test(xml.slice(xml.indexOf('<d:where>')))) {
      return sendSabreError(
        res,
        400,
        SABRE.BadRequest,
        "Only searches by oc:fileid in the user's files are modelled here",
      );
    }
    const select = /<d:select>([\s\S]*?)<\/d:select>/.exec(xml)?.[1] ?? '';
    const request = parsePropfind(
      Buffer.from(
        `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">${select}</d:propfind>`,
      ),
    );
    const entries: DavEntry[] = [];
    for (const id of new Set(ids)) {
      const node = this.tree.nodes.get(id);
      if (!node || node.owner !== user.id || node.trashEntry !== null || node.parent === null) continue;
      entries.push(this.files.fileEntry(user.id, node));
    }
    return sendMultistatus(res, multistatus(entries, request ?? { kind: 'allprop' }, this.namespaces), this.davHeaders);
  }

  /**
   * Nextcloud's files_trashbin PreviewController: GET index.php/apps/files_trashbin/preview with
   * fileId (default -1), x and y (default 32) and a. A missing fileId or a 0 edge is 400, an id
   * not in the user's trash 404, a folder 400, a file the preview manager cannot render 404 (its
   * NotFoundException), each with DataResponse([]) as JSON; otherwise the image, cached for 24 h.
   * Not signed in: the security middleware's JSON 401 (the client asks for images, not HTML).
   */
  private trashPreview(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const user = this.authenticate(req);
    if (!user) return sendJson(res, 401, { message: 'Current user is not logged in' });
    const int = (name: string, fallback: number) => {
      const v = url.searchParams.get(name);
      return v === null ? fallback : Number.parseInt(v, 10) || 0;
    };
    const fileId = int('fileId', -1);
    if (fileId === -1 || int('x', 32) === 0 || int('y', 32) === 0) return sendJson(res, 400, []);
    const node = this.tree.nodes.get(fileId);
    if (!node || node.trashEntry === null || node.owner !== user.id) return sendJson(res, 404, []);
    if (node.kind === 'folder') return sendJson(res, 400, []);
    if (!isPreviewableImage(node.contentType)) return sendJson(res, 404, []);
    const png = previewPng(node.id);
    res.writeHead(200, {
      'Content-Type': 'image/png',
      'Content-Length': png.length,
      'Cache-Control': 'max-age=86400, private',
    });
    res.end(png);
  }
}
