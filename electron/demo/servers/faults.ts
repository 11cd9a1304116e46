import type { Kind } from '../../../shared/kinds';
import { revaErrorBody, SABRE, sabreErrorBody, xmlEscape } from './webdav/sabre';
import { SABRE_401_WRONG_CREDENTIALS } from './webdav/kindFrontEnd';

/**
 * What each test server kind answers when something goes wrong, so a fault test can inject the
 * server's own error instead of a hand-written body: errorResponse(kind, status), loginPage(kind)
 * and malformedResponse(kind). Control.fault({ status, faithful: true }) uses them with the
 * request's method, path and host.
 *
 * Read in the servers' source (see the webdav/ front ends and docspace/NOTES.md for the rest):
 * - Nextcloud / ownCloud 10 (SabreDAV): the <d:error> body of Sabre\DAV\Server::exec, as the front
 *   end already writes it (sabreErrorBody); 503 from the DAV MaintenancePlugin (Nextcloud:
 *   OCA\DAV\Exception\ServerMaintenanceMode "System is in maintenance mode."; ownCloud 10:
 *   Sabre\DAV\Exception\ServiceUnavailable "System in maintenance mode."), 423 from
 *   OCA\DAV\Connector\Sabre\Exception\FileLocked ('"path" is locked'), Nextcloud's 429 from
 *   OCA\DAV\Connector\Sabre\Exception\TooManyRequests (its <o:hint> element, no Retry-After).
 * - oCIS (owncloud/reva v2 ocdav errors.Marshal): `<?xml version="1.0" encoding="UTF-8"?>` then a
 *   one-line <d:error xmlns:d="DAV" …> with s:exception, s:message, an always-present empty
 *   <s:errorcode></s:errorcode> and s:header; no Content-Type is set, so Go sniffs text/xml.
 *   Most failures go through HandleErrorStatus, which writes the status with no body at all
 *   (409 missing parent, 423, 429, 500, 503, 507). The 401 comes from the oCIS proxy: for WebDAV
 *   methods a body with capitalised <s:Exception>/<s:Message> (PermissionDenied, "Authentication
 *   error"), empty otherwise, and one Www-Authenticate per strategy (Bearer, Basic) with the host as
 *   realm.
 * - DocSpace: the error envelope {error: {message, type, stack, hresult}, status: 1, statusCode};
 *   bare 401; a bodiless 429 with Retry-After and X-RateLimit-* (docspace/NOTES.md).
 *
 * Modelled, not confirmed: the exception class and message of a Sabre 500 (depends on what threw),
 * Nextcloud's 429 message (empty here); ownCloud 10 has no 429 of its own (an nginx limit_req page
 * here); 502 is nginx's page in front of Nextcloud, ownCloud and DocSpace, and the oCIS proxy's
 * bodiless 502 (Go's ReverseProxy default); DocSpace's 503 is nginx's page; DocSpace does not
 * answer 409, 412, 423 or 507 itself (only the envelope shape is faithful there); the login pages
 * are recognisable imitations (title, form), not byte copies.
 */

/**
 * A test server for every kind of the registry (shared/kinds.ts): a kind added there is named in the switches below and
 * in index.ts.
 */
export type ServerKind = Kind;

export interface FaultResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

export interface ErrorResponseOptions {
  /** Adds a Retry-After header: seconds, or an HTTP date. */
  retryAfter?: number | string | undefined;
  /** Replaces the default message of the body (where the body has one). */
  message?: string | undefined;
  /** The request's method: oCIS's proxy writes a WebDAV body on its 401 only for WebDAV methods. */
  method?: string | undefined;
  /** The request's raw path, for messages that name it (Sabre's 404 and 423). */
  path?: string | undefined;
  /** The request's Host header: oCIS's realm. */
  host?: string | undefined;
}

const isWebDav = (kind: ServerKind) => kind !== 'docspace';

/** The path below /remote.php/dav/<area>/<user>/, decoded, for messages. */
function davTail(path: string | undefined): string {
  const raw = (path ?? '').split('?')[0] ?? '';
  const parts = raw.split('/').filter(Boolean);
  const at = parts.indexOf('dav');
  const tail = at >= 0 ? parts.slice(at + 3) : parts;
  try {
    return tail.map((p) => decodeURIComponent(p)).join('/');
  } catch {
    return tail.join('/');
  }
}

const SABRE_XML = 'application/xml; charset=utf-8';

/** A Sabre <d:error> with extra ownCloud-namespace elements (Forbidden's o:retry, TooManyRequests' o:hint). */
function sabreWithOwnCloudElements(exception: string, message: string, elements: [string, string][]): string {
  const msg = message ? `  <s:message>${xmlEscape(message)}</s:message>` : '  <s:message/>';
  // DOMDocument writes createElementNS('o:', 'o:x') with its own xmlns:o="o:" under a root that
  // already declares xmlns:o as the ownCloud namespace (the servers' quirk, kept).
  const extra = elements.map(([name, text]) => `\n  <o:${name} xmlns:o="o:">${xmlEscape(text)}</o:${name}>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:o="http://owncloud.org/ns">\n  <s:exception>${exception}</s:exception>\n${msg}${extra}\n</d:error>\n`;
}

/** reva's status → Sabre exception table (errors.sabreException). */
const REVA_EXCEPTION: Record<number, string> = {
  400: 'Sabre\\DAV\\Exception\\BadRequest',
  401: 'Sabre\\DAV\\Exception\\NotAuthenticated',
  402: 'Sabre\\DAV\\Exception\\PaymentRequired',
  403: 'Sabre\\DAV\\Exception\\Forbidden',
  404: 'Sabre\\DAV\\Exception\\NotFound',
  405: 'Sabre\\DAV\\Exception\\MethodNotAllowed',
  409: 'Sabre\\DAV\\Exception\\Conflict',
  411: 'Sabre\\DAV\\Exception\\LengthRequired',
  412: 'Sabre\\DAV\\Exception\\PreconditionFailed',
  415: 'Sabre\\DAV\\Exception\\UnsupportedMediaType',
  416: 'Sabre\\DAV\\Exception\\RequestedRangeNotSatisfiable',
  423: 'Sabre\\DAV\\Exception\\Locked',
  501: 'Sabre\\DAV\\Exception\\NotImplemented',
  503: 'Sabre\\DAV\\Exception\\ServiceUnavailable',
  507: 'Sabre\\DAV\\Exception\\InsufficientStorage',
};

/** The statuses reva writes through HandleErrorStatus: the status line and nothing else. */
const REVA_BODILESS = new Set([409, 423, 429, 500, 503, 507]);

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
  507: 'Insufficient Storage',
};

/** nginx's own error page (proxy_pass failures, limit_req_status 429, maintenance 503). */
export function nginxErrorPage(status: number): FaultResponse {
  const title = `${status} ${REASON[status] ?? 'Error'}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return { status, headers: { Server: 'nginx', 'Content-Type': 'text/html' }, body };
}

const DOCSPACE_TYPES: Record<number, [string, number, string]> = {
  400: ['System.ArgumentException', -2147024809, 'Invalid arguments'],
  403: ['System.Security.SecurityException', -2146233078, 'Access denied'],
  404: ['ASC.Common.Web.ItemNotFoundException', -2146233088, 'The required file was not found'],
};

/** DocSpace's error envelope (ASC.Api.Core CustomExceptionHandler). */
export function docSpaceErrorBody(status: number, message?: string, type?: string): string {
  const [t, hresult, m] = DOCSPACE_TYPES[status] ?? ['System.Exception', -2146233088, REASON[status] ?? 'Error'];
  return JSON.stringify({
    error: { message: message ?? m, type: type ?? t, stack: '   at ASC.Files (test server)', hresult },
    status: 1,
    statusCode: status,
  });
}

function withRetryAfter(r: FaultResponse, retryAfter: number | string | undefined): FaultResponse {
  if (retryAfter === undefined) return r;
  return { ...r, headers: { ...r.headers, 'Retry-After': String(retryAfter) } };
}

const bodiless = (status: number): FaultResponse => ({ status, headers: { 'Content-Length': '0' }, body: '' });
const sabre = (status: number, exception: string, message = '', header?: string): FaultResponse => ({
  status,
  headers: { 'Content-Type': SABRE_XML },
  body: sabreErrorBody(exception, message, header),
});

/**
 * The error a server of this kind answers with this status, body and headers as it writes them.
 * Statuses outside the list below get the kind's generic shape (a Sabre/reva body named after the
 * status, or the DocSpace envelope).
 */
export function errorResponse(kind: ServerKind, status: number, options: ErrorResponseOptions = {}): FaultResponse {
  const r = baseError(kind, status, options);
  return withRetryAfter(r, options.retryAfter);
}

function baseError(kind: ServerKind, status: number, o: ErrorResponseOptions): FaultResponse {
  if (status === 502) return kind === 'ocis' ? bodiless(502) : nginxErrorPage(502);
  if (kind === 'docspace') return docSpaceError(status, o);
  if (kind === 'ocis') return ocisError(status, o);
  return sabreError(kind, status, o);
}

function sabreError(kind: 'nextcloud' | 'owncloud10', status: number, o: ErrorResponseOptions): FaultResponse {
  const nc = kind === 'nextcloud';
  const tail = davTail(o.path);
  switch (status) {
    case 401:
      return {
        status,
        headers: {
          'Content-Type': SABRE_XML,
          'WWW-Authenticate': `Basic realm="${nc ? 'Nextcloud' : 'ownCloud'}", charset="UTF-8"`,
        },
        body: sabreErrorBody(SABRE.NotAuthenticated, o.message ?? SABRE_401_WRONG_CREDENTIALS),
      };
    case 403:
      return sabre(status, SABRE.Forbidden, o.message ?? '');
    case 404:
      return sabre(status, SABRE.NotFound, o.message ?? `File with name ${tail} could not be located`);
    case 409:
      return sabre(status, SABRE.Conflict, o.message ?? 'The destination node is not found');
    case 412:
      return sabre(
        status,
        SABRE.PreconditionFailed,
        o.message ?? 'The destination node already exists, and the overwrite header is set to false',
        'Overwrite',
      );
    case 423:
      return sabre(status, 'OCA\\DAV\\Connector\\Sabre\\Exception\\FileLocked', o.message ?? `"${tail}" is locked`);
    case 429:
      if (!nc) return nginxErrorPage(429);
      return {
        status,
        headers: { 'Content-Type': SABRE_XML },
        body: sabreWithOwnCloudElements('OCA\\DAV\\Connector\\Sabre\\Exception\\TooManyRequests', o.message ?? '', [
          ['hint', 'too many requests'],
        ]),
      };
    case 500:
      return sabre(status, 'Exception', o.message ?? 'Internal Server Error');
    case 503:
      return nc
        ? sabre(status, 'OCA\\DAV\\Exception\\ServerMaintenanceMode', o.message ?? 'System is in maintenance mode.')
        : sabre(status, 'Sabre\\DAV\\Exception\\ServiceUnavailable', o.message ?? 'System in maintenance mode.');
    case 507:
      return sabre(status, SABRE.InsufficientStorage, o.message ?? 'Insufficient space in /');
    default:
      return sabre(status, REVA_EXCEPTION[status] ?? 'Sabre\\DAV\\Exception', o.message ?? '');
  }
}

function ocisError(status: number, o: ErrorResponseOptions): FaultResponse {
  const xml = (exception: string, message: string, header = ''): FaultResponse => ({
    status,
    headers: { 'Content-Type': 'text/xml; charset=utf-8' },
    body: revaErrorBody(exception, message, header),
  });
  if (status === 401) {
    const host = o.host ?? '127.0.0.1';
    const headers = {
      'Www-Authenticate': [`Bearer realm="${host}", charset="UTF-8"`, `Basic realm="${host}", charset="UTF-8"`],
    };
    const dav = ['PROPFIND', 'DELETE', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK'].includes(
      (o.method ?? '').toUpperCase(),
    );
    if (!dav) return { status, headers: { ...headers, 'Content-Length': '0' }, body: '' };
    // The proxy's own Marshal: capitalised element names, no errorcode.
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<d:error xmlns:d="DAV" xmlns:s="http://sabredav.org/ns"><s:Exception>Sabre\\DAV\\Exception\\PermissionDenied</s:Exception><s:Message>${xmlEscape(o.message ?? 'Authentication error')}</s:Message></d:error>`;
    return { status, headers: { ...headers, 'Content-Type': 'text/xml; charset=utf-8' }, body };
  }
  if (status === 403)
    return xml(
      REVA_EXCEPTION[403]!,
      o.message ?? ((o.method ?? '').toUpperCase() === 'MOVE' ? 'Permission denied to restore' : 'permission denied'),
    );
  if (status === 404) return xml(REVA_EXCEPTION[404]!, o.message ?? 'not found');
  if (status === 412)
    return xml(
      REVA_EXCEPTION[412]!,
      o.message ?? 'The destination node already exists, and the overwrite header is set to false',
      'Overwrite',
    );
  if (REVA_BODILESS.has(status) && o.message === undefined) return bodiless(status);
  return xml(REVA_EXCEPTION[status] ?? '', o.message ?? '');
}

function docSpaceError(status: number, o: ErrorResponseOptions): FaultResponse {
  if (status === 401) return bodiless(401);
  if (status === 429) {
    const headers: Record<string, string> = { 'Content-Length': '0' };
    if (o.retryAfter !== undefined)
      Object.assign(headers, { 'X-RateLimit-Limit': '1500', 'X-RateLimit-Remaining': '0' });
    return { status, headers, body: '' };
  }
  if (status === 503) return nginxErrorPage(503);
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: docSpaceErrorBody(status, o.message),
  };
}

// ——— login pages ———

export interface LoginPageOptions {
  /** 'server': the server's own login page (default); 'sso': a single-sign-on gateway's (Keycloak-like) page. */
  page?: 'server' | 'sso' | undefined;
}

const html = (body: string): FaultResponse => ({
  status: 200,
  headers: {
    'Content-Type': 'text/html; charset=UTF-8',
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    Pragma: 'no-cache',
  },
  body,
});

/**
 * A 200 text/html login page where an API answer was expected: what a reverse proxy, an SSO gateway
 * or the server's web front end sends once the session behind it is gone.
 */
export function loginPage(kind: ServerKind, options: LoginPageOptions = {}): FaultResponse {
  if (options.page === 'sso') {
    return html(
      '<!DOCTYPE html>\n<html class="login-pf" lang="en">\n<head>\n    <meta charset="utf-8">\n    <meta name="robots" content="noindex, nofollow">\n    <title>Sign in to Salvage Test</title>\n</head>\n<body class="">\n<div class="login-pf-page">\n  <h1 id="kc-page-title">Sign in to your account</h1>\n  <form id="kc-form-login" action="https://sso.example.com/realms/test/login-actions/authenticate?session_code=x&amp;execution=y&amp;client_id=cloud" method="post">\n    <input tabindex="1" id="username" name="username" type="text" autofocus autocomplete="off">\n    <input tabindex="2" id="password" name="password" type="password" autocomplete="off">\n    <input tabindex="4" name="login" id="kc-login" type="submit" value="Sign In">\n  </form>\n</div>\n</body>\n</html>\n',
    );
  }
  switch (kind) {
    case 'nextcloud':
      return html(
        '<!DOCTYPE html>\n<html class="ng-csp" data-placeholder-focus="false" lang="en" data-locale="en" translate="no" >\n\t<head data-requesttoken="dGVzdC1yZXF1ZXN0LXRva2Vu">\n\t\t<meta charset="utf-8">\n\t\t<title>\n\t\tLogin – Nextcloud\t\t</title>\n\t\t<meta name="viewport" content="width=device-width, initial-scale=1.0, minimum-scale=1.0">\n\t</head>\n\t<body id="body-login">\n\t\t<div class="wrapper">\n\t\t\t<main>\n\t\t\t\t<div id="login"></div>\n\t\t\t\t<form method="post" name="login" action="/login">\n\t\t\t\t\t<input type="text" name="user" id="user" autocomplete="username">\n\t\t\t\t\t<input type="password" name="password" id="password" autocomplete="current-password">\n\t\t\t\t</form>\n\t\t\t</main>\n\t\t</div>\n\t</body>\n</html>\n',
      );
    case 'owncloud10':
      return html(
        '<!DOCTYPE html>\n<html class="ng-csp" data-placeholder-focus="false" lang="en" >\n\t<head data-requesttoken="dGVzdC1yZXF1ZXN0LXRva2Vu">\n\t\t<meta charset="utf-8">\n\t\t<title>\n\t\townCloud\t\t</title>\n\t</head>\n\t<body id="body-login">\n\t\t<div class="wrapper">\n\t\t\t<form method="post" name="login">\n\t\t\t\t<input type="text" name="user" id="user" placeholder="Username or email" autocomplete="off" autofocus required>\n\t\t\t\t<input type="password" name="password" id="password" placeholder="Password" autocomplete="off" required>\n\t\t\t\t<button type="submit" id="submit" class="login-button">Login</button>\n\t\t\t</form>\n\t\t</div>\n\t</body>\n</html>\n',
      );
    case 'ocis':
      return html(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">\n<title>ownCloud Infinite Scale</title>\n</head>\n<body>\n<noscript>You need to enable JavaScript to sign in.</noscript>\n<main id="root" data-path-prefix="/signin/v1"></main>\n<script src="/signin/v1/static/js/main.js"></script>\n</body>\n</html>\n',
      );
    case 'docspace':
      return html(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>ONLYOFFICE DocSpace</title>\n<meta name="viewport" content="width=device-width, initial-scale=1">\n</head>\n<body>\n<noscript>You need to enable JavaScript to run this app.</noscript>\n<div id="root"><div class="login-form"><h1>Sign in</h1><form><input name="login" type="email"><input name="password" type="password"></form></div></div>\n<script src="/login/static/scripts/login.js"></script>\n</body>\n</html>\n',
      );
  }
}

/**
 * A 2xx answer whose body is broken (cut off mid-element), for when the real answer has no body
 * to break: a 207 multistatus for the WebDAV kinds, a 200 envelope for DocSpace.
 */
export function malformedResponse(kind: ServerKind, status?: number): FaultResponse {
  if (!isWebDav(kind)) {
    return {
      status: status ?? 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: '{"response":{"files":[{"folderId":3,"version":1,"versionGroup":1,"contentLength":"12 KB","pureContentLength":12288,"fileStatus":0,"title":"Q3 rep',
    };
  }
  return {
    status: status ?? 207,
    headers: { 'Content-Type': SABRE_XML },
    body: '<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns"><d:response><d:href>/remote.php/dav/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response><d:response><d:href>/remote.php/dav/tr',
  };
}

/** Breaks a real body: cuts it in half (an unclosed XML element, an unterminated JSON object). */
export function breakBody(body: Buffer): Buffer {
  return body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
}
