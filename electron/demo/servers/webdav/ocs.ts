import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindFrontEnd } from './kindFrontEnd';
import { sendJson } from './sabre';

/** ownCloud 10's status.php, also in the capabilities it (and oCIS) answers. */
export const OC_STATUS = {
  installed: true,
  maintenance: false,
  needsDbUpgrade: false,
  version: '10.15.0.2',
  versionstring: '10.15.0',
  edition: 'Community',
  productname: 'ownCloud',
  product: 'ownCloud',
};

/** The capabilities ownCloud 10 answers (and oCIS, modelled the same), signed in or not. */
export function ownCloudCapabilities(): Record<string, unknown> {
  return {
    version: { major: 10, minor: 15, micro: 0, string: '10.15.0', edition: 'Community', product: 'ownCloud' },
    capabilities: {
      core: { pollinterval: 60, 'webdav-root': 'remote.php/webdav', status: OC_STATUS },
      dav: { chunking: '1.0', reports: ['search-files'], trashbin: '1.0' },
      files: { bigfilechunking: true, undelete: true, versioning: true },
    },
  };
}

/** The OCS API (ocs/v1.php, ocs/v2.php): capabilities, the signed-in user, Nextcloud's activity feed. */
export class OcsApi {
  constructor(
    private readonly front: KindFrontEnd,
    private readonly capabilities: (authenticated: boolean) => Record<string, unknown> = ownCloudCapabilities,
  ) {}

  serve(req: IncomingMessage, res: ServerResponse, url: URL, method: string): void {
    const v2 = url.pathname.startsWith('/ocs/v2.php/');
    const route = url.pathname.replace(/^\/ocs\/v[12]\.php/, '');
    if (this.front.kind === 'nextcloud' && req.headers['ocs-apirequest'] !== 'true') {
      return sendJson(res, 412, { message: 'CSRF check failed' });
    }
    const user = this.front.authenticate(req);
    if (
      this.front.kind === 'nextcloud' &&
      this.front.activity.enabled &&
      method === 'GET' &&
      route.startsWith('/apps/activity/api/v2/activity')
    )
      return this.front.activity.serveNextcloud(req, res, url, user, v2);
    const meta = (ok: boolean, code: number, message: string) =>
      v2
        ? { status: ok ? 'ok' : 'failure', statuscode: code, message }
        : { status: ok ? 'ok' : 'failure', statuscode: code, message, totalitems: '', itemsperpage: '' };
    // ownCloud 10 answers a caller it cannot sign in with 401 and statuscode 997, with no
    // WWW-Authenticate, on every OCS route, capabilities included (recordings 07, notable 14).
    if (this.front.kind === 'owncloud10' && !user && (req.headers.authorization || route === '/cloud/user')) {
      return sendJson(res, 401, { ocs: { meta: meta(false, 997, 'Unauthorised'), data: [] } });
    }
    if (this.front.kind === 'owncloud10' && !user && route === '/cloud/capabilities') {
      return sendJson(res, 401, { ocs: { meta: meta(false, 997, 'Unauthorised'), data: [] } });
    }
    if (method === 'GET' && route === '/cloud/capabilities') {
      return sendJson(res, 200, {
        ocs: { meta: meta(true, v2 ? 200 : 100, 'OK'), data: this.capabilities(user !== null) },
      });
    }
    if (method === 'GET' && route === '/cloud/user') {
      if (!user) {
        return sendJson(
          res,
          401,
          { ocs: { meta: meta(false, 997, 'Current user is not logged in'), data: [] } },
          'application/json; charset=utf-8',
          {
            'WWW-Authenticate': `Basic realm="${this.front.realm}", charset="UTF-8"`,
          },
        );
      }
      return sendJson(res, 200, {
        ocs: {
          meta: meta(true, v2 ? 200 : 100, 'OK'),
          data: {
            enabled: true,
            id: user.id,
            'display-name': user.displayName,
            displayname: user.displayName,
            email: user.email,
            quota: { used: this.front.tree.usage(user.id) },
          },
        },
      });
    }
    sendJson(res, 404, {
      ocs: {
        meta: meta(
          false,
          998,
          'Invalid query, please check the syntax. API specifications are here: http://www.freedesktop.org/wiki/Specifications/open-collaboration-services.',
        ),
        data: [],
      },
    });
  }
}
