import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileTree, TreeUser } from '../tree';
import type { ActivityLog } from './activity';
import { multistatusHead, type WebDavServerKind } from './common';
import { FilesTree, type FilesHost } from './files';
import { basicAuth, decodePath, SABRE, sendJson, sendSabreError } from './sabre';

/**
 * The NotAuthenticated message Nextcloud and ownCloud 10 answer when Basic credentials were sent but are wrong (or
 * revoked).
 */
export const SABRE_401_WRONG_CREDENTIALS =
  "No public access to this resource., This request is not for a federated calendar, Username or password was incorrect, No 'Authorization: Bearer' header found. Either the client didn't send one, or the server is mis-configured, Username or password was incorrect";
/** … and when no credentials were sent at all. */
export const SABRE_401_NO_CREDENTIALS =
  "No public access to this resource., This request is not for a federated calendar, No 'Authorization: Basic' header found. Either the client didn't send one, or the server is misconfigured, No 'Authorization: Bearer' header found. Either the client didn't send one, or the server is mis-configured, No 'Authorization: Basic' header found. Either the client didn't send one, or the server is misconfigured";

/**
 * What the three WebDAV server kinds (nextcloud.ts, owncloud10.ts, ocis.ts) share over the shared
 * file tree: Basic auth and its 401, the remote.php/dav entry (OPTIONS, then the kind's areas) and
 * the files tree (files.ts). Each kind routes its own requests (`handle`) and serves its own trash.
 */
export abstract class KindFrontEnd implements FilesHost {
  abstract readonly kind: WebDavServerKind;
  /** The XML namespaces the kind's multistatus answers declare. */
  abstract readonly namespaces: string[];
  /** The DAV header of the kind's files answers. */
  abstract readonly davHeaders: Record<string, string>;
  /** The realm of WWW-Authenticate (oCIS answers as ownCloud). */
  readonly realm: string = 'ownCloud';
  readonly files: FilesTree;

  constructor(
    readonly tree: FileTree,
    /** The activity app's feed (Nextcloud, ownCloud 10) and the spaces' root ETags (oCIS): see activity.ts. */
    readonly activity: ActivityLog,
  ) {
    this.files = new FilesTree(this);
  }

  /** What status.php answers. */
  protected abstract readonly status: Record<string, unknown>;

  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === '/status.php' && (method === 'GET' || method === 'HEAD')) {
      return sendJson(res, 200, this.status, 'application/json', { 'Access-Control-Allow-Origin': '*' });
    }
    return this.route(req, res, url, method, body);
  }

  /** Any request but status.php: the kind's own routes, else its 404 page. */
  protected abstract route(req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: Buffer): void;

  /** The DAV header of the kind's trash answers. */
  get trashDavHeaders(): Record<string, string> {
    return this.davHeaders;
  }

  protected head(): string {
    return multistatusHead(this.namespaces);
  }

  // ------------------------------------------------------------------ auth

  authenticate(req: IncomingMessage): TreeUser | null {
    const creds = basicAuth(req);
    return creds ? this.tree.authenticate(creds.user, creds.secret) : null;
  }

  /** Sabre's NotAuthenticated message, for credentials sent but wrong or none sent. */
  protected notAuthenticatedMessage(credentialsSent: boolean): string {
    return credentialsSent ? SABRE_401_WRONG_CREDENTIALS : SABRE_401_NO_CREDENTIALS;
  }

  protected unauthorized(req: IncomingMessage, res: ServerResponse): void {
    const realm = this.realm;
    const creds = basicAuth(req);
    const ajax = req.headers['x-requested-with'] === 'XMLHttpRequest';
    const message = ajax ? 'Cannot authenticate over ajax calls' : this.notAuthenticatedMessage(creds !== null);
    sendSabreError(res, 401, SABRE.NotAuthenticated, message, {
      'WWW-Authenticate': ajax ? `DummyBasic realm="${realm}"` : `Basic realm="${realm}", charset="UTF-8"`,
    });
  }

  // ------------------------------------------------------------------ DAV

  protected dav(req: IncomingMessage, res: ServerResponse, rawPath: string, method: string, body: Buffer): void {
    const user = this.authenticate(req);
    if (!user) return this.unauthorized(req, res);
    // Nextcloud's Sabre announces DAV compliance on every authenticated PROPFIND answer, errors
    // included; ownCloud 10 only on its 207s (real servers, differential check).
    if (method === 'PROPFIND' && this.kind !== 'owncloud10') res.setHeader('DAV', this.davHeaders.DAV!);
    const path = decodePath(rawPath);
    if (path === null) return sendSabreError(res, 400, SABRE.BadRequest, 'Invalid URL encoding');
    const parts = path
      .split('/')
      .filter((p) => p !== '')
      .slice(2); // after remote.php/dav
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
    return this.davAreas(req, res, user, parts, method, body);
  }

  /** A signed-in request below remote.php/dav (`parts` after it), other than OPTIONS. */
  protected abstract davAreas(
    req: IncomingMessage,
    res: ServerResponse,
    user: TreeUser,
    parts: string[],
    method: string,
    body: Buffer,
  ): void;

  /**
   * Nextcloud's and ownCloud 10's areas: files/<user>/… and <trashArea>/<user>/…, each only for the
   * user signed in.
   */
  protected userAreas(
    req: IncomingMessage,
    res: ServerResponse,
    user: TreeUser,
    parts: string[],
    method: string,
    body: Buffer,
    trashArea: string,
    trash: (rest: string[]) => void,
  ): void {
    const [area, owner, ...rest] = parts;
    if ((area === 'files' || area === trashArea) && owner !== undefined) {
      if (!this.tree.users.has(owner)) {
        // checkPreconditions looks the path up first: its NotFound fails an If-Match before any handler runs.
        if (area === 'files' && req.headers['if-match']) {
          return sendSabreError(
            res,
            412,
            SABRE.PreconditionFailed,
            'An If-Match header was specified and the resource did not exist',
            {},
            'If-Match',
          );
        }
        return sendSabreError(res, 404, SABRE.NotFound, `Principal with name ${owner} not found`);
      }
      if (owner !== user.id) return sendSabreError(res, 403, SABRE.Forbidden, '');
      if (area === 'files') return this.files.serve(req, res, user, rest, method, body);
      return trash(rest);
    }
    return sendSabreError(res, 404, SABRE.NotFound, `File with name ${parts.join('/')} could not be located`);
  }
}
