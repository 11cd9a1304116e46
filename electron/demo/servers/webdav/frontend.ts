import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindOf } from '../../../../shared/kinds';
import type { FileTree, SpaceRole, TrashEntry, TreeNode, TreeUser } from '../tree';
import { isPreviewableImage, previewPng } from '../png';
import { TreeError } from '../tree';
import { ActivityLog } from './activity';
import {
  basicAuth,
  clark,
  COLLECTION,
  decodePath,
  depthOf,
  EMPTY,
  gzipIfAccepted,
  httpDate,
  multistatus,
  NS_DAV,
  NS_NC,
  NS_OC,
  NS_SABRE,
  overwriteOf,
  parsePropfind,
  responseXml,
  revaErrorBody,
  SABRE,
  sabreEncode,
  sabrePreconditions,
  sendEmpty,
  sendJson,
  sendMultistatus,
  sendSabreError,
  streamMultistatus,
  text,
  type DavEntry,
  type PropRequest,
  type PropValue,
} from './sabre';

/**
 * ownCloud 10 and Nextcloud front ends over the shared file tree. They share the files tree
 * (remote.php/dav/files/<user>), status.php, OCS and Basic auth; they differ in the trash:
 *
 * - Nextcloud: remote.php/dav/trashbin/<user>/trash/<name>.d<unix-time>, restore by MOVE to
 *   trashbin/<user>/restore/<anything>, auto-rename "(restored)", root when the folder is gone,
 *   Overwrite: F on that MOVE → 412, newest first, nc:* properties. Matches the recordings in
 *   /work/shared/recordings/nextcloud-32.0.1.
 * - ownCloud 10: remote.php/dav/trash-bin/<user>/<fileid>, restore by MOVE to files/<user>/<path>
 *   with Overwrite, oc:trashbin-* properties, Depth infinity refused with 412.
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

/** The registry's WebDAV kinds (shared/kinds.ts). */
export type WebDavServerKind = KindOf<'webdav'>;

export interface FrontEndOptions {
  kind: WebDavServerKind;
  /** Admin setting: deleting from the trash allowed (Nextcloud files.delete_from_trash). */
  deleteFromTrash?: boolean;
}

const DAV = (l: string) => clark(NS_DAV, l);
const OC = (l: string) => clark(NS_OC, l);
const NC = (l: string) => clark(NS_NC, l);

const NC_DAV_HEADER =
  '1, 3, extended-mkcol, access-control, calendarserver-principal-property-search, nc-paginate, nextcloud-checksum-update, nc-calendar-search, nc-enable-birthday-calendar';
const OC_DAV_HEADER = '1, 3, extended-mkcol';
/** ownCloud 10.15's DAV header on 207 answers: files/ and trash-bin/ differ (real server, differential check; recordings). */
const OC10_FILES_DAV_HEADER = '1, 3, extended-mkcol, 2';
const OC10_TRASH_DAV_HEADER = '1, 3, extended-mkcol, 2, access-control, calendarserver-principal-property-search';

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

/** oCIS answers status.php for ownCloud clients, with its own product fields. */
const OCIS_STATUS = {
  installed: true,
  maintenance: false,
  needsDbUpgrade: false,
  version: '10.0.11.5',
  versionstring: '10.0.11',
  edition: 'Community',
  productname: 'Infinite Scale',
  product: 'Infinite Scale',
  productversion: '7.1.2',
};

/** The personal space id of a user: "<storage id>$<space uuid>", like oCIS. */
export function ocisSpaceId(userId: string): string {
  // A project space's files live under a tree user whose id is the space id itself.
  if (userId.includes('$')) return userId;
  const hex = Buffer.from(userId, 'utf8').toString('hex').padEnd(12, '0').slice(0, 12);
  return `storage-users-1$4c510ada-c86b-4815-8820-${hex}`;
}

/** oCIS trash item keys are node uuids; ours are derived from the node id. */
export const ocisKey = (nodeId: number) => `a0b1c2d3-0000-4000-8000-${nodeId.toString(16).padStart(12, '0')}`;

/**
 * The instance id Nextcloud and ownCloud append to a zero-padded file id in oc:id and the OC-FileId
 * header (Node::getFileId: sprintf('%08d', id) . instanceid; the recordings show
 * "00000009ocye4ob9rsb5").
 */
const INSTANCE_ID = 'ocs4lv4get5t';
export const sabreFileId = (id: number) => `${String(id).padStart(8, '0')}${INSTANCE_ID}`;

const OC_STATUS = {
  installed: true,
  maintenance: false,
  needsDbUpgrade: false,
  version: '10.15.0.2',
  versionstring: '10.15.0',
  edition: 'Community',
  productname: 'ownCloud',
  product: 'ownCloud',
};

/** The NotAuthenticated message Nextcloud and ownCloud 10 answer when Basic credentials were sent but are wrong (or revoked). */
export const SABRE_401_WRONG_CREDENTIALS =
  "No public access to this resource., This request is not for a federated calendar, Username or password was incorrect, No 'Authorization: Bearer' header found. Either the client didn't send one, or the server is mis-configured, Username or password was incorrect";
/** … and when no credentials were sent at all. */
export const SABRE_401_NO_CREDENTIALS =
  "No public access to this resource., This request is not for a federated calendar, No 'Authorization: Basic' header found. Either the client didn't send one, or the server is misconfigured, No 'Authorization: Bearer' header found. Either the client didn't send one, or the server is mis-configured, No 'Authorization: Basic' header found. Either the client didn't send one, or the server is misconfigured";

/** ownCloud 10.15's NotAuthenticated messages (recordings 06-auth; real server, differential check). */
export const OC10_401_WRONG_CREDENTIALS = 'No public access to this resource., Username or password was incorrect, Username or password was incorrect';
export const OC10_401_NO_CREDENTIALS =
  "No public access to this resource., No 'Authorization: Basic' header found. Either the client didn't send one, or the server is misconfigured, No 'Authorization: Basic' header found. Either the client didn't send one, or the server is misconfigured";

interface LoginFlowState {
  pollToken: string;
  approved: { loginName: string; appPassword: string } | null;
}

export class WebDavFrontEnd {
  readonly kind: WebDavServerKind;
  deleteFromTrash: boolean;
  private readonly flows = new Map<string, LoginFlowState>();
  private readonly paginate = new Map<string, number[]>();
  /**
   * oCIS: a minimal OpenID provider (like its built-in IdP, LibreGraph Connect): discovery,
   * authorize with PKCE (S256), token with refresh-token rotation, and oCIS's default clients
   * ("web" redirects only to the server itself; the desktop app's native client to loopback
   * addresses on any port). With `oidcLoginPage` off, authorize signs in `oidcLogin` at once (a
   * browser that already has a session); on, it sends the browser to a sign-in page first
   * (/signin/v1/identifier, as LibreGraph Connect does) that takes a user name and password.
   * That page is a plain HTML form posting to /signin/v1/identifier/_/logon and redirecting with
   * the code at once; the real one is a script page that posts JSON there (with a
   * Kopano-Konnect-XSRF header) and then continues to authorize — only the paths are LibreGraph
   * Connect's. Its token endpoint, like LibreGraph Connect's, does not check the client secret.
   * `oidcTokenSeconds` shortens access tokens for tests.
   */
  oidcLogin = 'alice';
  oidcLoginPage = false;
  oidcTokenSeconds = 300;
  private readonly oidcCodes = new Map<string, { user: string; challenge: string; redirectUri: string; clientId: string }>();
  private readonly oidcAccess = new Map<string, { user: string; expiresAt: number }>();
  private readonly oidcRefresh = new Map<string, string>();

  /** Every refresh token stops working (a sign-out elsewhere, an admin revoking sessions). */
  revokeRefreshTokens(): void {
    this.oidcRefresh.clear();
  }

  /** Every access token handed out so far expires now. */
  expireAccessTokens(): void {
    for (const t of this.oidcAccess.values()) t.expiresAt = 0;
  }

  /** The activity app's feed (Nextcloud, ownCloud 10) and the spaces' root ETags (oCIS): see activity.ts. */
  readonly activity: ActivityLog;

  constructor(
    private readonly tree: FileTree,
    options: FrontEndOptions,
  ) {
    this.activity = new ActivityLog(tree);
    this.kind = options.kind;
    this.deleteFromTrash = options.deleteFromTrash ?? true;
  }

  private get nc(): boolean {
    return this.kind === 'nextcloud';
  }

  private get ocis(): boolean {
    return this.kind === 'ocis';
  }

  private get namespaces(): string[] {
    return this.nc ? [NS_DAV, NS_SABRE, NS_OC, NS_NC] : [NS_DAV, NS_SABRE, NS_OC];
  }

  private get davHeaders(): Record<string, string> {
    return { DAV: this.nc ? NC_DAV_HEADER : this.kind === 'owncloud10' ? OC10_FILES_DAV_HEADER : OC_DAV_HEADER };
  }

  /** ownCloud 10's trash-bin/ answers announce more than its files/ answers. */
  private get trashDavHeaders(): Record<string, string> {
    return this.kind === 'owncloud10' ? { DAV: OC10_TRASH_DAV_HEADER } : this.davHeaders;
  }

  private origin(req: IncomingMessage): string {
    return `http://${req.headers.host ?? '127.0.0.1'}`;
  }

  handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rawPath = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();

    if (rawPath === '/status.php' && (method === 'GET' || method === 'HEAD')) {
      return sendJson(res, 200, this.nc ? NC_STATUS : this.ocis ? OCIS_STATUS : OC_STATUS, 'application/json', { 'Access-Control-Allow-Origin': '*' });
    }
    if (this.ocis && rawPath.startsWith('/graph/')) return this.graph(req, res, rawPath, method);
    if (this.ocis && (rawPath === '/.well-known/openid-configuration' || rawPath.startsWith('/signin/v1/identifier') || rawPath === '/konnect/v1/token')) {
      return this.openIdProvider(req, res, url, method, body);
    }
    // Nextcloud compresses its multistatus and OCS answers for clients that accept gzip.
    const ocs = /^\/ocs\/v[12]\.php\//.test(rawPath);
    const dav = rawPath === '/remote.php/dav' || rawPath.startsWith('/remote.php/dav/');
    if (this.nc && (ocs || dav)) gzipIfAccepted(req, res);
    if (ocs) return this.ocs(req, res, url, method);
    if (this.nc && rawPath.startsWith('/index.php/login/v2')) return this.loginFlow(req, res, url, method, body);
    if (this.kind === 'owncloud10' && this.activity.enabled && method === 'GET' && rawPath.startsWith('/index.php/apps/activity/api/v2/activity')) {
      return this.activity.serveOwnCloud(req, res, url, this.authenticate(req));
    }
    if (dav) return this.dav(req, res, rawPath, method, body);
    if (this.nc && rawPath === '/index.php/apps/files_trashbin/preview' && method === 'GET') return this.ncTrashPreview(req, res, url);
    if (this.kind === 'owncloud10' && rawPath === '/index.php/apps/files_trashbin/ajax/preview.php' && method === 'GET') return this.ocTrashPreview(req, res, url);
    if (this.kind === 'owncloud10' && rawPath === '/index.php/apps/files_trashbin/ajax/list.php' && method === 'GET') return this.ocTrashList(req, res, url);
    if (this.kind === 'owncloud10' && rawPath === '/index.php/login' && method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
      return void res.end('<!DOCTYPE html><html><body><form method="post"><input name="user"><input name="password" type="password"></form></body></html>');
    }
    res.writeHead(404, { 'Content-Type': 'text/html; charset=UTF-8' });
    res.end('<!DOCTYPE html><html><body>Page not found</body></html>');
  };

  // ------------------------------------------------------------------ auth

  private authenticate(req: IncomingMessage): TreeUser | null {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer && this.ocis) {
      const access = this.oidcAccess.get(bearer);
      if (access) return access.expiresAt > Date.now() ? (this.tree.users.get(access.user) ?? null) : null;
      return [...this.tree.users.values()].find((u) => u.appPasswords.includes(bearer)) ?? null;
    }
    const creds = basicAuth(req);
    return creds ? this.tree.authenticate(creds.user, creds.secret) : null;
  }

  private unauthorized(req: IncomingMessage, res: ServerResponse): void {
    const realm = this.nc ? 'Nextcloud' : 'ownCloud';
    const creds = basicAuth(req);
    const ajax = req.headers['x-requested-with'] === 'XMLHttpRequest';
    const message = ajax
      ? 'Cannot authenticate over ajax calls'
      : this.kind === 'owncloud10'
        ? creds
          ? OC10_401_WRONG_CREDENTIALS
          : OC10_401_NO_CREDENTIALS
        : creds
          ? SABRE_401_WRONG_CREDENTIALS
          : SABRE_401_NO_CREDENTIALS;
    sendSabreError(res, 401, SABRE.NotAuthenticated, message, {
      'WWW-Authenticate': ajax ? `DummyBasic realm="${realm}"` : `Basic realm="${realm}", charset="UTF-8"`,
    });
  }

  // ------------------------------------------------------------------ OCS

  private ocs(req: IncomingMessage, res: ServerResponse, url: URL, method: string): void {
    const v2 = url.pathname.startsWith('/ocs/v2.php/');
    const route = url.pathname.replace(/^\/ocs\/v[12]\.php/, '');
    if (this.nc && req.headers['ocs-apirequest'] !== 'true') {
      return sendJson(res, 412, { message: 'CSRF check failed' });
    }
    const user = this.authenticate(req);
    if (this.nc && this.activity.enabled && method === 'GET' && route.startsWith('/apps/activity/api/v2/activity')) return this.activity.serveNextcloud(req, res, url, user, v2);
    const meta = (ok: boolean, code: number, message: string) =>
      v2 ? { status: ok ? 'ok' : 'failure', statuscode: code, message } : { status: ok ? 'ok' : 'failure', statuscode: code, message, totalitems: '', itemsperpage: '' };
    // ownCloud 10 answers a caller it cannot sign in with 401 and statuscode 997, with no
    // WWW-Authenticate, on every OCS route, capabilities included (recordings 07, notable 14).
    if (this.kind === 'owncloud10' && !user && (req.headers.authorization || route === '/cloud/user')) {
      return sendJson(res, 401, { ocs: { meta: meta(false, 997, 'Unauthorised'), data: [] } });
    }
    if (this.kind === 'owncloud10' && !user && route === '/cloud/capabilities') {
      return sendJson(res, 401, { ocs: { meta: meta(false, 997, 'Unauthorised'), data: [] } });
    }
    if (method === 'GET' && route === '/cloud/capabilities') {
      return sendJson(res, 200, { ocs: { meta: meta(true, v2 ? 200 : 100, 'OK'), data: this.capabilities(user !== null) } });
    }
    if (method === 'GET' && route === '/cloud/user') {
      if (!user) {
        return sendJson(res, 401, { ocs: { meta: meta(false, 997, 'Current user is not logged in'), data: [] } }, 'application/json; charset=utf-8', {
          'WWW-Authenticate': `Basic realm="${this.nc ? 'Nextcloud' : 'ownCloud'}", charset="UTF-8"`,
        });
      }
      return sendJson(res, 200, {
        ocs: {
          meta: meta(true, v2 ? 200 : 100, 'OK'),
          data: { enabled: true, id: user.id, 'display-name': user.displayName, displayname: user.displayName, email: user.email, quota: { used: this.tree.usage(user.id) } },
        },
      });
    }
    sendJson(res, 404, { ocs: { meta: meta(false, 998, 'Invalid query, please check the syntax. API specifications are here: http://www.freedesktop.org/wiki/Specifications/open-collaboration-services.'), data: [] } });
  }

  private capabilities(authenticated: boolean): Record<string, unknown> {
    if (this.nc) {
      const version = { major: 32, minor: 0, micro: 1, string: '32.0.1', edition: '', extendedSupport: false };
      if (!authenticated) return { version, capabilities: { bruteforce: { delay: 0, 'allow-listed': false }, theming: { name: 'Nextcloud', productName: 'Nextcloud' } } };
      return {
        version,
        capabilities: {
          core: { pollinterval: 60, 'webdav-root': 'remote.php/webdav' },
          files: { bigfilechunking: true, comments: true, undelete: true, delete_from_trash: this.deleteFromTrash, versioning: true },
          dav: { chunking: '1.0', bulkupload: '1.0' },
        },
      };
    }
    return {
      version: { major: 10, minor: 15, micro: 0, string: '10.15.0', edition: 'Community', product: 'ownCloud' },
      capabilities: {
        core: { pollinterval: 60, 'webdav-root': 'remote.php/webdav', status: OC_STATUS },
        dav: { chunking: '1.0', reports: ['search-files'], trashbin: '1.0' },
        files: { bigfilechunking: true, undelete: true, versioning: true },
      },
    };
  }

  // ------------------------------------------------------------------ Login Flow v2 (Nextcloud)

  private loginFlow(req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: Buffer): void {
    const base = this.origin(req);
    if (method === 'POST' && url.pathname === '/index.php/login/v2') {
      const pollToken = randomBytes(32).toString('hex');
      const loginToken = randomBytes(32).toString('hex');
      this.flows.set(loginToken, { pollToken, approved: null });
      return sendJson(res, 200, {
        poll: { token: pollToken, endpoint: `${base}/index.php/login/v2/poll` },
        login: `${base}/index.php/login/v2/flow/${loginToken}`,
      });
    }
    if (method === 'POST' && url.pathname === '/index.php/login/v2/poll') {
      const token = new URLSearchParams(body.toString('utf8')).get('token');
      for (const [loginToken, flow] of this.flows) {
        if (flow.pollToken === token && flow.approved) {
          this.flows.delete(loginToken); // answered once only
          return sendJson(res, 200, { server: base, loginName: flow.approved.loginName, appPassword: flow.approved.appPassword });
        }
      }
      return sendJson(res, 404, []);
    }
    const m = /^\/index\.php\/login\/v2\/flow\/([0-9a-f]+)$/.exec(url.pathname);
    if (m && (method === 'GET' || method === 'POST')) {
      const flow = this.flows.get(m[1]!);
      if (!flow) {
        res.writeHead(403, { 'Content-Type': 'text/html; charset=UTF-8' });
        return void res.end('<!DOCTYPE html><html><body>Access forbidden: token invalid</body></html>');
      }
      // Test stand-in for the browser page: ?user=alice approves the flow as that user.
      const userId = url.searchParams.get('user');
      const user = userId ? this.tree.users.get(userId) : undefined;
      if (user) {
        const appPassword = randomBytes(36).toString('base64url').slice(0, 72);
        user.appPasswords.push(appPassword);
        flow.approved = { loginName: user.id, appPassword };
        res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
        return void res.end('<!DOCTYPE html><html><body>Account connected. You can close this window.</body></html>');
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
      return void res.end('<!DOCTYPE html><html><body>Connect to your account</body></html>');
    }
    res.writeHead(404, { 'Content-Type': 'text/html; charset=UTF-8' });
    res.end('');
  }

  // ------------------------------------------------------------------ DAV

  private dav(req: IncomingMessage, res: ServerResponse, rawPath: string, method: string, body: Buffer): void {
    const user = this.authenticate(req);
    if (!user) return this.unauthorized(req, res);
    // Nextcloud's Sabre announces DAV compliance on every authenticated PROPFIND answer, errors
    // included; ownCloud 10 only on its 207s (real servers, differential check).
    if (method === 'PROPFIND' && this.kind !== 'owncloud10') res.setHeader('DAV', this.davHeaders.DAV!);
    const path = decodePath(rawPath);
    if (path === null) return sendSabreError(res, 400, SABRE.BadRequest, 'Invalid URL encoding');
    const parts = path.split('/').filter((p) => p !== '').slice(2); // after remote.php/dav
    if (method === 'OPTIONS') {
      res.writeHead(200, {
        Allow: 'OPTIONS, GET, HEAD, DELETE, PROPFIND, PUT, PROPPATCH, COPY, MOVE, REPORT',
        ...(parts[0] === 'trash-bin' ? this.trashDavHeaders : this.davHeaders),
        'MS-Author-Via': 'DAV',
        'Accept-Ranges': 'bytes',
        'Content-Length': '0',
        'Content-type': 'text/html; charset=UTF-8',
      });
      return void res.end();
    }
    if (this.ocis) return this.ocisDav(req, res, user, parts, method, body);
    if (this.nc && method === 'SEARCH' && parts.length === 0) return this.ncSearchByFileId(res, user, body);
    const [area, owner, ...rest] = parts;
    const trashArea = this.nc ? 'trashbin' : 'trash-bin';
    if (this.kind === 'owncloud10' && area === trashArea && owner === undefined && method === 'PROPFIND') {
      return sendSabreError(res, 405, SABRE.MethodNotAllowed, 'Listing members of this collection is disabled', {
        DAV: OC10_TRASH_DAV_HEADER,
        Allow: 'OPTIONS, GET, HEAD, DELETE, PROPFIND, PUT, PROPPATCH, COPY, MOVE, REPORT, LOCK, UNLOCK',
        Vary: 'Brief,Prefer',
      });
    }
    if ((area === 'files' || area === trashArea) && owner !== undefined) {
      if (!this.tree.users.has(owner)) {
        if (area === trashArea && method === 'MOVE' && this.nc) return sendSabreError(res, 409, SABRE.Conflict, 'The destination node is not found');
        // checkPreconditions looks the path up first: its NotFound fails an If-Match before any handler runs.
        if (area === 'files' && req.headers['if-match']) {
          return sendSabreError(res, 412, SABRE.PreconditionFailed, 'An If-Match header was specified and the resource did not exist', {}, 'If-Match');
        }
        return sendSabreError(res, 404, SABRE.NotFound, `Principal with name ${owner} not found`);
      }
      if (owner !== user.id) return sendSabreError(res, 403, SABRE.Forbidden, '');
      if (area === 'files') return this.files(req, res, user, rest, method, body);
      return this.nc ? this.ncTrash(req, res, user, rest, method, body) : this.ocTrash(req, res, user, rest, method, body);
    }
    return sendSabreError(res, 404, SABRE.NotFound, `File with name ${parts.join('/')} could not be located`);
  }

  /** Where a Destination header points: area, owner and segments below it, or an error already sent. */
  private destination(req: IncomingMessage, res: ServerResponse): { area: string; owner: string; rest: string[] } | null {
    const raw = req.headers.destination;
    if (!raw || Array.isArray(raw)) {
      sendSabreError(res, 400, SABRE.BadRequest, 'The destination header was not supplied');
      return null;
    }
    let pathname: string;
    try {
      pathname = new URL(raw, 'http://x').pathname;
    } catch {
      sendSabreError(res, 400, SABRE.BadRequest, 'Invalid destination');
      return null;
    }
    if (!pathname.startsWith('/remote.php/dav/')) {
      sendSabreError(res, 403, SABRE.Forbidden, `Requested uri (${pathname}) is out of base uri (/remote.php/dav/)`);
      return null;
    }
    const decoded = decodePath(pathname);
    if (decoded === null) {
      sendSabreError(res, 400, SABRE.BadRequest, 'Invalid URL encoding');
      return null;
    }
    const parts = decoded.split('/').filter((p) => p !== '').slice(2);
    if (parts.some((p) => p === '..' || p === '.')) {
      sendSabreError(res, 403, SABRE.Forbidden, 'Invalid path');
      return null;
    }
    const [area = '', owner = '', ...rest] = parts;
    return { area, owner, rest };
  }

  /**
   * Nextcloud's DAV SEARCH (FileSearchBackend), only as far as Salvage uses it: items of the
   * user's files found by oc:fileid (one <d:eq>, or several in a <d:or>), with the selected
   * properties; more than 100 operators is refused with a 500, as the real server does.
   */
  private ncSearchByFileId(res: ServerResponse, user: TreeUser, body: Buffer): void {
    const xml = body.toString('utf8');
    const ids = [...xml.matchAll(/<d:literal>\s*(\d+)\s*<\/d:literal>/g)].map((m) => Number(m[1]));
    const operators = (xml.match(/<d:eq>/g) ?? []).length;
    if (operators > 100) {
      return sendSabreError(res, 500, 'InvalidArgumentException', `Invalid search query, maximum operator limit of 100 exceeded, got ${operators} operators`);
    }
    const scope = /<d:href>([^<]*)<\/d:href>/.exec(xml)?.[1];
    if (scope !== `/files/${user.id}` || !/<oc:fileid\s*\/>/.test(xml.slice(xml.indexOf('<d:where>')))) {
      return sendSabreError(res, 400, SABRE.BadRequest, 'Only searches by oc:fileid in the user\'s files are modelled here');
    }
    const select = /<d:select>([\s\S]*?)<\/d:select>/.exec(xml)?.[1] ?? '';
    const request = parsePropfind(Buffer.from(`<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">${select}</d:propfind>`));
    const entries: DavEntry[] = [];
    for (const id of new Set(ids)) {
      const node = this.tree.nodes.get(id);
      if (!node || node.owner !== user.id || node.trashEntry !== null || node.parent === null) continue;
      entries.push(this.fileEntry(user.id, node));
    }
    return sendMultistatus(res, multistatus(entries, request ?? { kind: 'allprop' }, this.namespaces), this.davHeaders);
  }

  // ------------------------------------------------------------------ files tree

  private filesHref(user: string, node: TreeNode): string {
    const p = this.tree.pathOf(node.id);
    const base = this.ocis ? `/remote.php/dav/spaces/${ocisSpaceId(user)}` : `/remote.php/dav/files/${user}`;
    return sabreEncode(`${base}${p ? `/${p}` : ''}${node.kind === 'folder' ? '/' : ''}`);
  }

  private fileEntry(user: string, node: TreeNode): DavEntry {
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
          return text(this.kind === 'owncloud10' ? (isFolder ? 'RDNVCK' : 'RDNVW') : isFolder ? 'RGDNVCK' : 'RGDNVW');
        default:
          return undefined;
      }
    };
    const allprop = isFolder
      ? [DAV('getlastmodified'), DAV('resourcetype'), DAV('getetag')]
      : [DAV('getlastmodified'), DAV('getcontentlength'), DAV('resourcetype'), DAV('getetag'), DAV('getcontenttype')];
    return { href: this.filesHref(user, node), props, allprop };
  }

  private files(req: IncomingMessage, res: ServerResponse, user: TreeUser, rest: string[], method: string, body: Buffer): void {
    // ownCloud 10 normalises paths to NFC (an NFD PUT overwrites the NFC file; recordings 09); its
    // messages keep the name as sent.
    const asSent = rest;
    if (this.kind === 'owncloud10') rest = rest.map((p) => p.normalize('NFC'));
    const node = this.tree.resolve(user.id, rest.join('/'));
    // "File with name <parent path>/<name>": Nextcloud's parent path starts with a slash ("//a.txt" at
    // the root, "/x/a.txt" below), ownCloud 10's does not ("a.txt", "x/a.txt"): recordings and real servers.
    const where = this.kind === 'owncloud10' ? asSent.join('/') : `/${rest.slice(0, -1).join('/')}/${rest[rest.length - 1] ?? ''}`;
    const notFound = () => sendSabreError(res, 404, SABRE.NotFound, `File with name ${where} could not be located`);
    if (this.ocis) {
      // reva's ocdav (cs3org/reva edge, oCIS 7) reads no conditional header on DELETE, MOVE, COPY,
      // PROPFIND or GET: delete.go and move.go only look at the If: lock token, so If-Match and
      // If-None-Match are ignored there and the item is deleted or moved whatever its ETag.
      // Only PUT passes If-Match on (put.go → InitiateFileUpload), see ocisPutPrecondition.
      if (method === 'PUT' && !this.ocisPutPrecondition(req, node, body)) return sendEmpty409(res);
    } else {
      const outcome = sabrePreconditions(req, method, node ? { etag: node.kind === 'file' ? `"${node.etag}"` : null, mtime: node.mtime } : null);
      if (outcome?.status === 412) {
        // ownCloud 10 sends no ETag with a failed If-None-Match (recordings 10).
        const etag: Record<string, string> = outcome.etag && !(this.kind === 'owncloud10' && outcome.header === 'If-None-Match') ? { ETag: outcome.etag } : {};
        return sendSabreError(res, 412, SABRE.PreconditionFailed, outcome.message, etag, outcome.header);
      }
      if (outcome?.status === 304) {
        res.writeHead(304, 'Not Modified', { ...(outcome.etag ? { ETag: outcome.etag } : {}), ...(outcome.lastModified ? { 'Last-Modified': outcome.lastModified } : {}) });
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
        if (depth === 'infinity' && this.kind === 'owncloud10') return sendSabreError(res, 412, SABRE.PreconditionFailed, 'Depth infinity not supported');
        const entries: DavEntry[] = [];
        const walk = (n: TreeNode, level: number) => {
          entries.push(this.fileEntry(user.id, n));
          if (n.kind === 'folder' && (depth === 'infinity' || level < Number(depth))) {
            for (const c of [...this.tree.children(n.id)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) walk(c, level + 1);
          }
        };
        walk(node, 0);
        return sendMultistatus(res, multistatus(entries, request, this.namespaces), this.davHeaders);
      }
      case 'MKCOL': {
        if (node) return sendSabreError(res, 405, SABRE.MethodNotAllowed, 'The resource you tried to create already exists');
        const parent = this.tree.resolve(user.id, rest.slice(0, -1).join('/'));
        if (!parent || parent.kind !== 'folder') return sendSabreError(res, 409, SABRE.Conflict, 'Parent node does not exist');
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
        if (!parent || parent.kind !== 'folder') return sendSabreError(res, 409, SABRE.Conflict, 'Files cannot be created in non-existent collections');
        // Sabre's CorePlugin::httpPut refuses a collection (oCIS's answer here is not confirmed; modelled the same).
        if (node?.kind === 'folder') return sendSabreError(res, 409, SABRE.Conflict, 'PUT is not allowed on non-files.');
        const existed = node !== null;
        // X-OC-Mtime (seconds) sets the modification time; the answer says "accepted".
        const mtimeHeader = Number(req.headers['x-oc-mtime']);
        const mtime = req.headers['x-oc-mtime'] !== undefined && Number.isFinite(mtimeHeader) && mtimeHeader > 0 ? Math.floor(mtimeHeader * 1000) : undefined;
        // Saving over a file keeps its id and gives it a new ETag, size and mtime (writeFile updates in place).
        const written = this.tree.writeFile(user.id, rest.join('/'), body.length, { content: body, ...(mtime === undefined ? {} : { mtime }) });
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
        if (node.kind === 'folder') return sendSabreError(res, 501, 'Sabre\\DAV\\Exception\\NotImplemented', 'GET is only implemented on File objects');
        // ownCloud 10 writes the type with a charset and repeats the ETag as OC-ETag (recordings 03).
        const oc10 = this.kind === 'owncloud10';
        res.writeHead(200, {
          'Content-Type': oc10 ? `${node.contentType};charset=UTF-8` : node.contentType,
          'Content-Length': String(node.size),
          ETag: `"${node.etag}"`,
          ...(oc10 ? { 'OC-ETag': `"${node.etag}"` } : {}),
          'Last-Modified': httpDate(node.mtime),
        });
        return void res.end(method === 'HEAD' ? undefined : this.tree.bytesOf(node.id));
      }
      case 'DELETE': {
        if (!node || node.parent === null) return notFound();
        // ownCloud 10: a name too long for its trash file (<name>.d<seconds> over 255 bytes) answers
        // 403, and the item is gone all the same, neither in files/ nor in the trash (notable behaviour 18).
        if (this.kind === 'owncloud10' && Buffer.byteLength(`${node.name}.d${Math.floor(this.tree.now() / 1000)}`) > 255) {
          this.tree.destroy(node.id);
          return sendSabreError(res, 403, SABRE.Forbidden, '');
        }
        this.tree.trash(node.id, { deletedBy: user.id });
        return sendEmpty(res, 204);
      }
      case 'MOVE':
      case 'COPY': {
        if (!node || node.parent === null) return notFound();
        const dest = this.destination(req, res);
        if (!dest) return;
        const ownFiles = this.ocis ? dest.area === 'spaces' && dest.owner === ocisSpaceId(user.id) : dest.area === 'files' && dest.owner === user.id;
        if (!ownFiles && this.kind === 'owncloud10' && dest.area === 'trash-bin' && method === 'MOVE') {
          return sendSabreError(res, 403, SABRE.Forbidden, `Permission denied to create file (filename ${dest.rest[dest.rest.length - 1] ?? ''})`);
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
    if (this.kind !== 'owncloud10') return false;
    const name = rest[rest.length - 1] ?? '';
    if (name.includes('\\')) {
      sendSabreError(res, 400, 'OCA\\DAV\\Connector\\Sabre\\Exception\\InvalidPath', 'File name contains at least one invalid character');
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
  private placeInFiles(
    req: IncomingMessage,
    res: ServerResponse,
    user: TreeUser,
    node: TreeNode,
    destRest: string[],
    how: 'move' | 'copy' | 'restore',
  ): void {
    const overwrite = overwriteOf(req);
    if (overwrite === null) return sendSabreError(res, 400, SABRE.BadRequest, 'The HTTP Overwrite header should be either T or F');
    const name = destRest[destRest.length - 1];
    if (!name) return sendSabreError(res, 403, SABRE.Forbidden, '');
    const parent = this.tree.resolve(user.id, destRest.slice(0, -1).join('/'));
    if (!parent || parent.kind !== 'folder') return sendSabreError(res, 409, SABRE.Conflict, 'The destination node is not found');
    const existing = this.tree.child(parent.id, name);
    if (existing && existing.id === node.id) return sendSabreError(res, 403, SABRE.Forbidden, 'Source and destination uri are identical.');
    if (existing && !overwrite) {
      return sendSabreError(res, 412, SABRE.PreconditionFailed, 'The destination node already exists, and the overwrite header is set to false');
    }
    if (how !== 'move' && !this.fitsQuota(user, this.tree.sizeOf(node.id))) {
      return sendSabreError(res, 507, SABRE.InsufficientStorage, 'Insufficient space in /');
    }
    let source = node;
    // ownCloud 10.15.2 answers a MOVE that replaced a file (204) with the REPLACED file's OC-FileId
    // and ETag (Nextcloud 32.0.1 with the moved one's), both for restores and for moves in files/.
    const replacedHeaders = existing && this.kind === 'owncloud10' ? this.movedHeaders(existing) : null;
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
    const headers: Record<string, string> = how === 'copy' || this.ocis ? {} : (replacedHeaders ?? this.movedHeaders(placed));
    return sendEmpty(res, existing ? 204 : 201, headers);
  }

  private movedHeaders(node: TreeNode): Record<string, string> {
    return { 'OC-FileId': this.ocFileIdHeader(node), ...(node.kind === 'file' ? { ETag: `"${node.etag}"`, 'OC-ETag': `"${node.etag}"` } : {}) };
  }

  private fitsQuota(user: TreeUser, bytes: number): boolean {
    return user.quota === null || this.tree.usage(user.id) + bytes <= user.quota;
  }

  // ------------------------------------------------------------------ Nextcloud trash

  /** "name.d1795634743" for an entry. */
  private ncName(entry: TrashEntry): string {
    return `${this.tree.node(entry.nodeId).name}.d${Math.floor(entry.deletedAt / 1000)}`;
  }

  private ncEntries(user: TreeUser): TrashEntry[] {
    // Newest first; within one second, in the order they were deleted.
    const list = this.tree.trashOf(user.id).map((e, i) => ({ e, i }));
    list.sort((a, b) => Math.floor(b.e.deletedAt / 1000) - Math.floor(a.e.deletedAt / 1000) || a.i - b.i);
    return list.map((x) => x.e);
  }

  private ncFind(user: TreeUser, name: string): TrashEntry | null {
    const m = /^(.*)\.d(\d+)$/.exec(name);
    if (!m) return null;
    const [, base, ts] = m;
    for (const e of this.tree.trashOf(user.id)) {
      if (Math.floor(e.deletedAt / 1000) === Number(ts) && this.tree.node(e.nodeId).name === base) return e;
    }
    return null;
  }

  private ncTrashEntry(user: TreeUser, entry: TrashEntry, node: TreeNode): DavEntry {
    const isFolder = node.kind === 'folder';
    const inner = this.tree.pathInEntry(node.id);
    const top = this.ncName(entry);
    const href = sabreEncode(`/remote.php/dav/trashbin/${user.id}/trash/${top}${inner ? `/${inner}` : ''}${isFolder ? '/' : ''}`);
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

  private collectionEntry(href: string): DavEntry {
    return { href: sabreEncode(href), props: (n) => (n === DAV('resourcetype') ? COLLECTION : undefined), allprop: [DAV('resourcetype')] };
  }

  /** Resolves trash/<top>/<inner...> to an entry and node. */
  private ncResolve(user: TreeUser, rest: string[]): { entry: TrashEntry; node: TreeNode } | null {
    const [top, ...inner] = rest;
    if (!top) return null;
    const entry = this.ncFind(user, top);
    if (!entry) return null;
    const node = this.tree.resolveInEntry(entry, inner.join('/'));
    return node ? { entry, node } : null;
  }

  private ncTrash(req: IncomingMessage, res: ServerResponse, user: TreeUser, rest: string[], method: string, body: Buffer): void {
    const [section, ...below] = rest;
    const base = `/remote.php/dav/trashbin/${user.id}`;
    if (method === 'PROPFIND') {
      const request = parsePropfind(body);
      if (!request) return sendSabreError(res, 400, SABRE.BadRequest, 'The request body could not be read');
      const depth = depthOf(req);
      if (section === undefined) {
        const entries = [this.collectionEntry(`${base}/`)];
        if (depth !== '0') entries.push(this.collectionEntry(`${base}/restore/`), this.collectionEntry(`${base}/trash/`));
        return sendMultistatus(res, multistatus(entries, request, this.namespaces), this.davHeaders);
      }
      if (section === 'restore' && below.length === 0) {
        return sendMultistatus(res, multistatus([this.collectionEntry(`${base}/restore/`)], request, this.namespaces), this.davHeaders);
      }
      if (section !== 'trash') return sendSabreError(res, 404, SABRE.NotFound, `File with name ${section} could not be located`);
      if (below.length === 0) return this.ncListRoot(req, res, user, request, depth);
      const found = this.ncResolve(user, below);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      const rows: string[] = [];
      const walk = (n: TreeNode, level: number) => {
        rows.push(responseXml(this.ncTrashEntry(user, found.entry, n), request));
        if (n.kind === 'folder' && (depth === 'infinity' || level < Number(depth))) for (const c of this.tree.children(n.id)) walk(c, level + 1);
      };
      walk(found.node, 0);
      return sendMultistatus(res, this.head() + rows.join('') + '</d:multistatus>\n', this.davHeaders);
    }
    if (method === 'MOVE') {
      if (section !== 'trash' || below.length === 0) return sendSabreError(res, 403, SABRE.Forbidden, '');
      const found = this.ncResolve(user, below);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      const dest = this.destination(req, res);
      if (!dest) return;
      if (dest.area === 'trashbin' && dest.owner === user.id && dest.rest[0] === 'restore') {
        if (dest.rest.length < 2) return sendSabreError(res, 403, SABRE.Forbidden, '');
        // Sabre sees restore/<name> as existing, so "Overwrite: F" fails even when the original place is free.
        if (overwriteOf(req) === false) {
          return sendSabreError(res, 412, SABRE.PreconditionFailed, 'The destination node already exists, and the overwrite header is set to false');
        }
        return this.ncRestore(res, user, found.entry, found.node);
      }
      if (dest.area === 'files' && dest.owner === user.id) {
        // A trashed folder cannot be moved straight into files/; a file is copied (new id) and its trash record stays.
        if (found.node.kind === 'folder') return sendSabreError(res, 400, SABRE.BadRequest, 'Incompatible node types');
        return this.placeInFiles(req, res, user, found.node, dest.rest, 'copy');
      }
      return sendSabreError(res, 403, SABRE.Forbidden, '');
    }
    if (method === 'COPY') {
      if (section !== 'trash' || below.length === 0) return sendSabreError(res, 403, SABRE.Forbidden, '');
      const found = this.ncResolve(user, below);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      const dest = this.destination(req, res);
      if (!dest) return;
      if (dest.area !== 'files' || dest.owner !== user.id) return sendSabreError(res, 403, SABRE.Forbidden, '');
      return this.placeInFiles(req, res, user, found.node, dest.rest, 'copy');
    }
    if (method === 'DELETE') {
      if (section === 'trash' && below.length === 0) {
        if (!this.deleteFromTrash) return sendSabreError(res, 403, SABRE.Forbidden, '');
        this.tree.emptyTrash(user.id);
        return sendEmpty(res, 204);
      }
      if (section !== 'trash') return sendSabreError(res, 403, SABRE.Forbidden, '');
      const found = this.ncResolve(user, below);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      if (!this.deleteFromTrash) return sendSabreError(res, 403, SABRE.Forbidden, '');
      this.tree.destroy(found.node.id);
      return sendEmpty(res, 204);
    }
    if (method === 'GET' || method === 'HEAD') {
      const found = section === 'trash' ? this.ncResolve(user, below) : null;
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      if (found.node.kind === 'folder') return sendSabreError(res, 501, 'Sabre\\DAV\\Exception\\NotImplemented', 'GET is only implemented on File objects');
      res.writeHead(200, { 'Content-Type': found.node.contentType, 'Content-Length': String(found.node.size) });
      return void res.end(method === 'HEAD' ? undefined : this.tree.bytesOf(found.node.id));
    }
    return sendSabreError(res, 403, SABRE.Forbidden, '');
  }

  private head(): string {
    const decl = this.namespaces
      .map((ns) => ` xmlns:${ns === NS_DAV ? 'd' : ns === NS_SABRE ? 's' : ns === NS_OC ? 'oc' : 'nc'}="${ns}"`)
      .join('');
    return `<?xml version="1.0"?>\n<d:multistatus${decl}>`;
  }

  /** The trash root listing; streamed, newest first; X-NC-Paginate honoured. */
  private ncListRoot(req: IncomingMessage, res: ServerResponse, user: TreeUser, request: PropRequest, depth: '0' | '1' | 'infinity'): void {
    const rootRow = responseXml(this.collectionEntry(`/remote.php/dav/trashbin/${user.id}/trash/`), request);
    if (depth === '0') return sendMultistatus(res, this.head() + rootRow + '</d:multistatus>\n', this.davHeaders);
    let entries = this.ncEntries(user);
    const headers: Record<string, string> = { ...this.davHeaders };
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
    const row = (entry: TrashEntry, n: TreeNode) => responseXml(this.ncTrashEntry(user, entry, n), request);
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
  private ncRestore(res: ServerResponse, user: TreeUser, entry: TrashEntry, node: TreeNode): void {
    if (!this.fitsQuota(user, this.tree.sizeOf(node.id))) return sendSabreError(res, 507, SABRE.InsufficientStorage, 'Insufficient space in /');
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

  // ------------------------------------------------------------------ trash previews (files_trashbin)

  /**
   * Nextcloud's files_trashbin PreviewController: GET index.php/apps/files_trashbin/preview with
   * fileId (default -1), x and y (default 32) and a. A missing fileId or a 0 edge is 400, an id
   * not in the user's trash 404, a folder 400, a file the preview manager cannot render 404 (its
   * NotFoundException), each with DataResponse([]) as JSON; otherwise the image, cached for 24 h.
   * Not signed in: the security middleware's JSON 401 (the client asks for images, not HTML).
   */
  private ncTrashPreview(req: IncomingMessage, res: ServerResponse, url: URL): void {
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
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, 'Cache-Control': 'max-age=86400, private' });
    res.end(png);
  }

  /**
   * ownCloud 10's apps/files_trashbin/ajax/preview.php: `file` is the path in files_trashbin/files
   * ("/name.d<seconds>[/inside]"), x and y default 44. No file or a 0 edge: 400 with no body. A path
   * it does not know throws in OC\Preview and the script answers 500. A file it cannot render (or a
   * folder) gets its type icon as the image, with 200. Not signed in: checkLoggedIn redirects to the
   * login page.
   */
  private ocTrashPreview(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const user = this.authenticate(req);
    if (!user) {
      res.writeHead(302, { Location: `/index.php/login?redirect_url=${encodeURIComponent(url.pathname + url.search)}`, 'Content-Length': '0' });
      return void res.end();
    }
    const file = url.searchParams.get('file') ?? '';
    const edge = (name: string) => (url.searchParams.has(name) ? Number.parseInt(url.searchParams.get(name)!, 10) || 0 : 44);
    if (file === '' || edge('x') === 0 || edge('y') === 0) return sendEmpty(res, 400);
    const [top = '', ...inner] = file.replace(/^\/+/, '').split('/');
    const entry = this.ncFind(user, top);
    const node = entry ? this.tree.resolveInEntry(entry, inner.join('/')) : null;
    if (!node) return sendEmpty(res, 500);
    // The type icon stands in for a preview it cannot make (OC\Preview::getMimeIcon).
    const png = node.kind === 'file' && isPreviewableImage(node.contentType) ? previewPng(node.id) : previewPng(0, 32, 32);
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
  private ocTrashList(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const user = this.authenticate(req);
    if (!user) return sendJson(res, 401, { data: { message: 'Authentication error', error: 'authentication_error' }, status: 'error' });
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
        return { node: this.tree.node(e.nodeId), seconds: Math.floor(e.deletedAt / 1000), extraData: last.includes('/') ? last : `./${last}` };
      });
    } else {
      const entry = this.ncFind(user, parts[0]!);
      const folder = entry ? this.tree.resolveInEntry(entry, parts.slice(1).join('/')) : null;
      if (!entry || !folder || folder.kind !== 'folder') {
        res.writeHead(404, { 'Content-Type': 'text/html; charset=UTF-8', 'Content-Length': '0' });
        return void res.end();
      }
      rows = this.tree.children(folder.id).map((node) => ({ node, seconds: Math.floor(entry.deletedAt / 1000) }));
    }
    const sort = url.searchParams.get('sort') ?? 'name';
    const byName = (a: Row, b: Row) => (a.node.kind === b.node.kind ? a.node.name.localeCompare(b.node.name, 'en', { numeric: true }) : a.node.kind === 'folder' ? -1 : 1);
    rows.sort(sort === 'mtime' ? (a, b) => a.seconds - b.seconds : sort === 'size' ? (a, b) => this.tree.sizeOf(a.node.id) - this.tree.sizeOf(b.node.id) : byName);
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

  // ------------------------------------------------------------------ ownCloud 10 trash

  /** Finds a trash node by its file id anywhere in the user's trash (ownCloud's getItemByFileId). */
  private ocNode(user: TreeUser, id: string): { entry: TrashEntry; node: TreeNode } | null {
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
  private ocResolve(user: TreeUser, rest: string[]): { entry: TrashEntry; node: TreeNode; path: string[] } | null {
    const [first, ...more] = rest;
    if (!first) return null;
    let found = this.ocNode(user, first);
    if (!found) return null;
    for (const id of more) {
      if (found.node.kind !== 'folder') return null;
      const next = this.ocNode(user, id);
      if (!next) return null;
      found = next;
    }
    return { ...found, path: rest };
  }

  /** Whether a trash path fails because a file id stands where a folder should (ownCloud's "Could not find node at path"). */
  private ocFileAsParent(user: TreeUser, rest: string[]): boolean {
    for (const id of rest.slice(0, -1)) {
      const n = this.ocNode(user, id);
      if (n && n.node.kind === 'file') return true;
    }
    return false;
  }

  private ocTrashEntry(user: TreeUser, entry: TrashEntry, node: TreeNode, idPath: string[]): DavEntry {
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
          return isFolder ? undefined : text(node.trashEntry === node.id ? 'application/octet-stream' : node.contentType);
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

  private ocTrash(req: IncomingMessage, res: ServerResponse, user: TreeUser, rest: string[], method: string, body: Buffer): void {
    const base = `/remote.php/dav/trash-bin/${user.id}`;
    if (method === 'PROPFIND') {
      const request = parsePropfind(body);
      if (!request) return sendSabreError(res, 400, SABRE.BadRequest, 'The request body could not be read');
      const depth = depthOf(req);
      if (depth === 'infinity') return sendSabreError(res, 412, SABRE.PreconditionFailed, 'Depth infinity not supported');
      if (rest.length === 0) {
        const rootRow = responseXml(this.collectionEntry(`${base}/`), request);
        if (depth === '0') return sendMultistatus(res, this.head() + rootRow + '</d:multistatus>\n', this.trashDavHeaders);
        const entries = [...this.tree.trashOf(user.id)].sort((a, b) => a.id - b.id);
        const asked = request;
        const row = (e: TrashEntry) => responseXml(this.ocTrashEntry(user, e, this.tree.node(e.nodeId), [String(e.nodeId)]), asked);
        function* rows(): Generator<string> {
          yield rootRow;
          for (const e of entries) yield row(e);
        }
        return streamMultistatus(res, this.head(), rows(), this.trashDavHeaders);
      }
      const found = this.ocResolve(user, rest);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, this.ocFileAsParent(user, rest) ? `Could not find node at path: trash-bin/${user.id}/${rest.join('/')}` : '');
      const rows = [responseXml(this.ocTrashEntry(user, found.entry, found.node, found.path), request)];
      if (depth === '1' && found.node.kind === 'folder') {
        for (const c of this.tree.children(found.node.id)) rows.push(responseXml(this.ocTrashEntry(user, found.entry, c, [...found.path, String(c.id)]), request));
      }
      return sendMultistatus(res, this.head() + rows.join('') + '</d:multistatus>\n', this.trashDavHeaders);
    }
    // If-Match on trash items (MOVE and DELETE) against the ETag the file had; an item that is gone fails it too (notable 10).
    const precondition = (found: { node: TreeNode } | null): boolean => {
      const outcome = sabrePreconditions(req, method, found ? { etag: found.node.kind === 'file' ? `"${found.node.etag}"` : null, mtime: found.node.mtime } : null);
      if (outcome?.status === 412) {
        sendSabreError(res, 412, SABRE.PreconditionFailed, outcome.message, outcome.etag ? { ETag: outcome.etag } : {}, outcome.header);
        return false;
      }
      return true;
    };
    if (method === 'MOVE') {
      // Sabre looks at the Destination before the source: a bad or taken destination is said even
      // for an item that is already gone (recordings 04).
      const dest = this.destination(req, res);
      if (!dest) return;
      if (dest.area !== 'files' || dest.owner !== user.id) {
        if (dest.area === 'files') return sendSabreError(res, 403, SABRE.Forbidden, '');
        return sendSabreError(res, 403, SABRE.Forbidden, dest.rest.length > 1 ? 'Permission denied to read this file' : 'Permission denied to rename this resource');
      }
      const parent = this.tree.resolve(user.id, dest.rest.slice(0, -1).join('/'));
      const taken = parent?.kind === 'folder' ? this.tree.child(parent.id, dest.rest[dest.rest.length - 1] ?? '') : null;
      if (taken && overwriteOf(req) === false) {
        return sendSabreError(res, 412, SABRE.PreconditionFailed, 'The destination node already exists, and the overwrite header is set to false');
      }
      const found = this.ocResolve(user, rest);
      if (!precondition(found)) return;
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      return this.placeInFiles(req, res, user, found.node, dest.rest, 'restore');
    }
    if (method === 'DELETE') {
      if (rest.length === 0) {
        this.tree.emptyTrash(user.id);
        return sendEmpty(res, 204);
      }
      const found = this.ocResolve(user, rest);
      if (!precondition(found)) return;
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      this.tree.destroy(found.node.id);
      return sendEmpty(res, 204);
    }
    if (method === 'GET' || method === 'HEAD') {
      // No downloads from ownCloud 10's trash; the collection itself answers Sabre's HTML note (recordings 02).
      if (rest.length === 0) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
        return void res.end(method === 'HEAD' ? undefined : 'This is the WebDAV interface. It can only be accessed by WebDAV clients such as the ownCloud desktop sync client.');
      }
      const found = this.ocResolve(user, rest);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      return sendSabreError(res, 403, SABRE.Forbidden, 'Permission denied to read this file');
    }
    if (method === 'PUT') return sendSabreError(res, 403, SABRE.Forbidden, `Permission denied to create file (filename ${rest[rest.length - 1] ?? ''})`);
    if (method === 'PROPPATCH') {
      // Trash items take no properties: every one asked for comes back 403 (recordings 02).
      const found = this.ocResolve(user, rest);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, '');
      const asked = [...body.toString('utf8').matchAll(/<(?:[\w-]+:)?prop>([\s\S]*?)<\/(?:[\w-]+:)?prop>/g)]
        .flatMap((m) => [...m[1]!.matchAll(/<([\w-]+:)?([\w-]+)[\s/>]/g)].map((x) => `<${x[1] ?? 'd:'}${x[2]}/>`))
        .join('');
      const href = sabreEncode(`/remote.php/dav/trash-bin/${user.id}/${rest.join('/')}${found.node.kind === 'folder' ? '/' : ''}`);
      return sendMultistatus(res, `${this.head()}<d:response><d:href>${href}</d:href><d:propstat><d:prop>${asked}</d:prop><d:status>HTTP/1.1 403 Forbidden</d:status></d:propstat></d:response></d:multistatus>`, this.trashDavHeaders);
    }
    if (method === 'COPY') return sendSabreError(res, 403, SABRE.Forbidden, 'Permission denied to read this file');
    return sendSabreError(res, 403, SABRE.Forbidden, 'Permission denied');
  }

  // ------------------------------------------------------------------ oCIS OpenID provider

  private openIdProvider(req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: Buffer): void {
    const issuer = this.origin(req);
    const oauthError = (status: number, error: string, description: string) => sendJson(res, status, { error, error_description: description });
    if (url.pathname === '/.well-known/openid-configuration' && method === 'GET') {
      return sendJson(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/signin/v1/identifier/_/authorize`,
        token_endpoint: `${issuer}/konnect/v1/token`,
        jwks_uri: `${issuer}/konnect/v1/jwks.json`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      });
    }
    const signInPage = url.pathname === '/signin/v1/identifier' && method === 'GET';
    const logon = url.pathname === '/signin/v1/identifier/_/logon' && method === 'POST';
    if ((url.pathname === '/signin/v1/identifier/_/authorize' && method === 'GET') || signInPage || logon) {
      const q = logon ? new URLSearchParams(body.toString('utf8')) : url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      const clientId = q.get('client_id') ?? '';
      const allowed = OIDC_CLIENTS[clientId];
      if (!allowed) return oauthError(400, 'invalid_request', 'unknown client_id');
      if (!allowed(redirectUri, issuer)) return oauthError(400, 'invalid_request', 'redirect_uri is not registered for this client');
      if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        return oauthError(400, 'invalid_request', 'code flow with PKCE (S256) required');
      }
      let login = this.oidcLogin;
      if (this.oidcLoginPage && !logon) {
        if (!signInPage) return void res.writeHead(302, { Location: `/signin/v1/identifier?flow=oidc&${url.searchParams}`, 'Content-Length': '0' }).end();
        return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(oidcSignInPage(q, null));
      }
      if (logon) {
        const user = this.tree.authenticate(q.get('username') ?? '', q.get('password') ?? '');
        if (!user) return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(oidcSignInPage(q, 'Logon failed. Please verify your credentials and try again.'));
        login = user.id;
      }
      const code = randomBytes(16).toString('hex');
      this.oidcCodes.set(code, { user: login, challenge: q.get('code_challenge')!, redirectUri, clientId });
      const to = new URL(redirectUri);
      to.searchParams.set('code', code);
      if (q.get('state')) to.searchParams.set('state', q.get('state')!);
      res.writeHead(302, { Location: to.toString(), 'Content-Length': '0' });
      return void res.end();
    }
    if (url.pathname === '/konnect/v1/token' && method === 'POST') {
      const form = new URLSearchParams(body.toString('utf8'));
      let user: string | undefined;
      if (form.get('grant_type') === 'authorization_code') {
        const code = this.oidcCodes.get(form.get('code') ?? '');
        this.oidcCodes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!code || code.redirectUri !== form.get('redirect_uri') || code.clientId !== form.get('client_id') || code.challenge !== challenge) {
          return oauthError(400, 'invalid_grant', 'invalid code');
        }
        user = code.user;
      } else if (form.get('grant_type') === 'refresh_token') {
        const old = form.get('refresh_token') ?? '';
        user = this.oidcRefresh.get(old);
        // Rotation: a refresh token works once.
        this.oidcRefresh.delete(old);
        if (!user) return oauthError(400, 'invalid_grant', 'refresh token is invalid or revoked');
      } else {
        return oauthError(400, 'unsupported_grant_type', 'unsupported grant type');
      }
      const access = randomBytes(24).toString('base64url');
      const refresh = randomBytes(24).toString('base64url');
      this.oidcAccess.set(access, { user, expiresAt: Date.now() + this.oidcTokenSeconds * 1000 });
      this.oidcRefresh.set(refresh, user);
      return sendJson(res, 200, { access_token: access, token_type: 'Bearer', expires_in: this.oidcTokenSeconds, refresh_token: refresh, scope: form.get('scope') ?? 'openid profile email offline_access' });
    }
    return oauthError(405, 'invalid_request', 'method not allowed');
  }

  // ------------------------------------------------------------------ oCIS (spaces)

  private graph(req: IncomingMessage, res: ServerResponse, rawPath: string, method: string): void {
    const user = this.authenticate(req);
    if (!user) {
      return sendJson(res, 401, { error: { code: 'unauthenticated', message: 'Unauthorized' } }, 'application/json', { 'WWW-Authenticate': 'Basic realm="Infinite Scale", charset="UTF-8"' });
    }
    if (method === 'GET' && rawPath === '/graph/v1.0/me') {
      return sendJson(res, 200, { id: `uuid-${user.id}`, displayName: user.displayName, mail: user.email, onPremisesSamAccountName: user.id });
    }
    if (method === 'GET' && (rawPath === '/graph/v1.0/me/drives' || rawPath === '/graph/v1beta1/me/drives')) {
      const spaceId = ocisSpaceId(user.id);
      const webDavUrl = (id: string) => `${this.origin(req)}/remote.php/dav/spaces/${encodeURIComponent(id)}`;
      const drives: unknown[] = [
        {
          driveType: 'personal',
          driveAlias: `personal/${user.id}`,
          id: spaceId,
          name: user.displayName,
          root: { id: spaceId, webDavUrl: webDavUrl(spaceId), eTag: this.activity.spaceEtag(user.id) },
          quota: { used: this.tree.usage(user.id), total: user.quota ?? 0, state: 'normal' },
        },
      ];
      // The project spaces the user is a member of (disabled ones too, as oCIS lists them to members),
      // each with its members' unified role ids on root.permissions.
      for (const space of this.tree.spaces.values()) {
        if (!space.members[user.id]) continue;
        drives.push({
          driveType: 'project',
          driveAlias: `project/${space.name.toLowerCase()}`,
          id: space.id,
          name: space.name,
          root: {
            id: space.id,
            webDavUrl: webDavUrl(space.id),
            eTag: this.activity.spaceEtag(space.id),
            ...(space.disabled ? { deleted: { state: 'trashed' } } : {}),
            permissions: Object.entries(space.members).map(([member, role]) => ({
              roles: [UNIFIED_ROLE[role]],
              grantedToV2: { user: { id: `uuid-${member}`, displayName: this.tree.users.get(member)?.displayName ?? member } },
            })),
          },
          quota: { used: this.tree.usage(space.id), total: 0, state: 'normal' },
        });
      }
      // The virtual "Shares" drive every user has.
      drives.push({
        driveType: 'virtual',
        driveAlias: 'virtual/shares',
        id: 'a0ca6a90-a365-4782-871e-d44447bbc668$a0ca6a90-a365-4782-871e-d44447bbc668',
        name: 'Shares',
        root: { id: 'a0ca6a90-a365-4782-871e-d44447bbc668$a0ca6a90-a365-4782-871e-d44447bbc668', webDavUrl: webDavUrl('a0ca6a90-a365-4782-871e-d44447bbc668$a0ca6a90-a365-4782-871e-d44447bbc668') },
      });
      return sendJson(res, 200, { value: drives });
    }
    return sendJson(res, 404, { error: { code: 'itemNotFound', message: 'not found' } });
  }

  /**
   * The space a request names, as the tree user holding its files, with the caller's role; null when
   * the caller is no member (reva answers as if it did not exist) or the space is disabled.
   */
  private ocisSpace(user: TreeUser, spaceId: string): { owner: TreeUser; role: SpaceRole } | null {
    if (spaceId === ocisSpaceId(user.id)) return { owner: user, role: 'manager' };
    const space = this.tree.spaces.get(spaceId);
    const role = space?.members[user.id];
    if (!space || !role || space.disabled) return null;
    return { owner: this.tree.user(space.id), role };
  }

  private ocisDav(req: IncomingMessage, res: ServerResponse, user: TreeUser, parts: string[], method: string, body: Buffer): void {
    const [area, second, ...more] = parts;
    if (area !== 'spaces' || second === undefined) return sendSabreError(res, 404, SABRE.NotFound, 'not found');
    if (second === 'trash-bin') {
      const [spaceId, ...rest] = more;
      if (spaceId === undefined) return sendEmpty(res, 405);
      // reva (ocdav trashbin.go listTrashbin): a Depth 0 PROPFIND of a trash root is answered with a
      // made-up root without asking the storage, whatever the space.
      if (method === 'PROPFIND' && rest.length === 0 && depthOf(req) === '0') {
        const request = parsePropfind(body);
        if (!request) return sendSabreError(res, 400, SABRE.BadRequest, 'The request body could not be read');
        return sendMultistatus(res, this.head() + responseXml(this.collectionEntry(`/remote.php/dav/spaces/trash-bin/${spaceId}/`), request) + '</d:multistatus>\n', {});
      }
      const space = this.ocisSpace(user, spaceId);
      if (!space) return sendSabreError(res, 404, SABRE.NotFound, 'space not found');
      return this.ocisTrash(req, res, space.owner, space.role, spaceId, rest, method, body);
    }
    const space = this.ocisSpace(user, second);
    if (!space) return sendSabreError(res, 404, SABRE.NotFound, 'space not found');
    if (space.role === 'viewer' && !['PROPFIND', 'GET', 'HEAD'].includes(method)) {
      return sendRevaError(res, 403, 'Sabre\\DAV\\Exception\\Forbidden', 'permission denied');
    }
    return this.files(req, res, space.owner, more, method, body);
  }

  /** Resolves <key>/<name>/<name>... inside a space's trash (owner: the tree user holding the space). */
  private ocisResolve(owner: TreeUser, rest: string[]): { entry: TrashEntry; node: TreeNode } | null {
    const [key, ...inner] = rest;
    if (!key) return null;
    const entry = this.tree.trashOf(owner.id).find((e) => ocisKey(e.nodeId) === key);
    if (!entry) return null;
    const node = this.tree.resolveInEntry(entry, inner.join('/'));
    return node ? { entry, node } : null;
  }

  /**
   * One trash entry as reva's itemToPropResponse writes it (owncloud/reva ocdav trashbin.go):
   * allprop gives filename, location, timestamp, RFC 1123Z datetime, resourcetype, then oc:size for
   * folders or d:getcontentlength for files, and oc:spaceid. Named properties: reva's switch compares
   * the local name with "oc:size", which never matches, so a named oc:size is a 404 propstat for
   * files and folders alike; d:getcontentlength is 404 for folders; d:getcontenttype is
   * "httpd/unix-directory" for folders and 404 for files; anything else (getlastmodified) is 404.
   */
  private ocisTrashEntry(spaceId: string, entry: TrashEntry, node: TreeNode, request: PropRequest): DavEntry {
    const isFolder = node.kind === 'folder';
    const inner = this.tree.pathInEntry(node.id);
    const href = sabreEncode(`/remote.php/dav/spaces/trash-bin/${spaceId}/${ocisKey(entry.nodeId)}${inner ? `/${inner}` : ''}${isFolder ? '/' : ''}`);
    const trashProp = ownCloudTrashProps(node, entry, inner, (ms) => new Date(ms).toUTCString().replace(/ GMT$/, ' +0000'));
    const size = text(this.tree.sizeOf(node.id));
    const spaceUuid = text(spaceId.slice(spaceId.indexOf('$') + 1));
    if (request.kind === 'allprop') {
      const all = new Map<string, PropValue>([
        [OC('trashbin-original-filename'), trashProp(OC('trashbin-original-filename'))!],
        [OC('trashbin-original-location'), trashProp(OC('trashbin-original-location'))!],
        [OC('trashbin-delete-timestamp'), trashProp(OC('trashbin-delete-timestamp'))!],
        [OC('trashbin-delete-datetime'), trashProp(OC('trashbin-delete-datetime'))!],
        [DAV('resourcetype'), isFolder ? COLLECTION : EMPTY],
        isFolder ? [OC('size'), size] : [DAV('getcontentlength'), size],
        [OC('spaceid'), spaceUuid],
      ]);
      return { href, props: (name) => all.get(name), allprop: [...all.keys()] };
    }
    const props = (name: string): PropValue | undefined => {
      switch (name) {
        case DAV('getcontentlength'):
          return isFolder ? undefined : size;
        case DAV('resourcetype'):
          return isFolder ? COLLECTION : EMPTY;
        case DAV('getcontenttype'):
          return isFolder ? text('httpd/unix-directory') : undefined;
        case OC('spaceid'):
          return spaceUuid;
        default:
          return trashProp(name);
      }
    };
    return { href, props, allprop: [] };
  }

  private ocisTrash(req: IncomingMessage, res: ServerResponse, owner: TreeUser, role: SpaceRole, spaceId: string, rest: string[], method: string, body: Buffer): void {
    if (method === 'PROPFIND') {
      const request = parsePropfind(body);
      if (!request) return sendSabreError(res, 400, SABRE.BadRequest, 'The request body could not be read');
      const depth = depthOf(req);
      if (depth === 'infinity') return sendSabreError(res, 400, SABRE.BadRequest, 'Depth infinity is not supported');
      const rows: string[] = [];
      if (rest.length === 0) {
        rows.push(responseXml(this.collectionEntry(`/remote.php/dav/spaces/trash-bin/${spaceId}/`), request));
        for (const e of this.tree.trashOf(owner.id)) rows.push(responseXml(this.ocisTrashEntry(spaceId, e, this.tree.node(e.nodeId), request), request));
      } else {
        const found = this.ocisResolve(owner, rest);
        if (!found) return sendSabreError(res, 404, SABRE.NotFound, 'not found');
        rows.push(responseXml(this.ocisTrashEntry(spaceId, found.entry, found.node, request), request));
        if (depth === '1') for (const c of this.tree.children(found.node.id)) rows.push(responseXml(this.ocisTrashEntry(spaceId, found.entry, c, request), request));
      }
      return sendMultistatus(res, this.head() + rows.join('') + '</d:multistatus>\n', {});
    }
    if (method === 'MOVE') {
      const found = this.ocisResolve(owner, rest);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, 'not found');
      const dest = this.destination(req, res);
      if (!dest) return;
      // spaces.go handleSpacesTrashbin: the Destination is parsed against this space's own base URI
      // (net.ParseDestination); another space's URL does not contain it: 400 with no body.
      if (dest.area !== 'spaces' || dest.owner !== spaceId) return sendEmpty(res, 400);
      // RestoreRecycleItem needs the RestoreRecycleItem permission (space managers and editors).
      if (role === 'viewer') return sendRevaError(res, 403, 'Sabre\\DAV\\Exception\\Forbidden', 'Permission denied to restore');
      return this.placeInFiles(req, res, owner, found.node, dest.rest, 'restore');
    }
    if (method === 'DELETE') {
      // PurgeRecycle: space managers only (and the owner of a personal space).
      if (role !== 'manager') return sendRevaError(res, 403, 'Sabre\\DAV\\Exception\\Forbidden', rest.length === 0 ? 'Permission denied to purge recycle' : 'Permission denied to delete');
      if (rest.length === 0) {
        this.tree.emptyTrash(owner.id);
        return sendEmpty(res, 204);
      }
      const found = this.ocisResolve(owner, rest);
      // trashbin.go delete: a key the storage does not know (NOT_FOUND) is a 409, not a 404.
      if (!found) return sendRevaError(res, 409, 'Sabre\\DAV\\Exception\\Conflict', `key ${rest.join('/')} not found`);
      this.tree.destroy(found.node.id);
      return sendEmpty(res, 204);
    }
    return sendSabreError(res, 405, SABRE.MethodNotAllowed, `${method} is not allowed here`);
  }
}

/** reva's error answer (errors.Marshal): its own XML with xmlns:d="DAV". */
function sendRevaError(res: ServerResponse, status: number, exception: string, message: string): void {
  const body = revaErrorBody(exception, message);
  res.writeHead(status, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** oCIS's unified role ids (ocis services/graph unifiedrole) for space members. */
const UNIFIED_ROLE: Record<SpaceRole, string> = {
  manager: '312c0871-5ef7-4b3a-85b6-0e4074c64049',
  editor: '58c63c02-1d89-4572-916a-870abc5a1b7d',
  viewer: 'a8d5fe5e-96e3-418d-825b-534dbdf22b99',
};

/** A bodiless 409, as oCIS's put.go writes it for FAILED_PRECONDITION. */
function sendEmpty409(res: ServerResponse): void {
  res.writeHead(409, { 'Content-Length': '0' });
  res.end();
}

/**
 * The oc:trashbin-* properties ownCloud 10 and oCIS share; they differ only in how the deletion
 * datetime is written. `inner` is the path below the trashed top-level entry, if any.
 */
function ownCloudTrashProps(node: TreeNode, entry: TrashEntry, inner: string, formatDatetime: (ms: number) => string) {
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

/**
 * oCIS's default OpenID clients (services/idp/pkg/config/defaults/defaultconfig.go): "web" may
 * redirect only into the server itself; the desktop app's native client to 127.0.0.1 or localhost
 * on any port (RFC 8252).
 */
const OIDC_CLIENTS: Record<string, (redirectUri: string, issuer: string) => boolean> = {
  web: (uri, issuer) => uri.startsWith(`${issuer}/`),
  xdXOt13JKxym1B1QcEncf2XDkLAexMBFwiT9j6EfhhHFJhs2KM9jbjTmf8JBXE69: (uri) => /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(uri),
};

const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The test IdP's sign-in page: user name and password, the authorize request carried along. */
function oidcSignInPage(q: URLSearchParams, error: string | null): string {
  const carried = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method']
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q.get(k) ?? '')}">`)
    .join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in – Infinite Scale</title></head><body>
<h1>Sign in to Infinite Scale</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/signin/v1/identifier/_/logon">${carried}
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Log in</button></form></body></html>`;
}
