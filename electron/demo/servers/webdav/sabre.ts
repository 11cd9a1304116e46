import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip, gzipSync } from 'node:zlib';
import { SaxesParser } from 'saxes';

/**
 * Answers to gzip when the client accepts it. Nextcloud 32 compresses its 207 multistatus answers
 * and its OCS JSON when the request says `Accept-Encoding: gzip` (undici's fetch always does):
 * `Content-Encoding: gzip`, the multistatus with no length, as PHP streams it (checked on the
 * real-server kit; ownCloud 10.15 sends them uncompressed). A front end marks the answer with
 * gzipIfAccepted; the senders below then compress.
 */
const gzipped = new WeakSet<ServerResponse>();

export function gzipIfAccepted(req: IncomingMessage, res: ServerResponse): void {
  const accept = String(req.headers['accept-encoding'] ?? '');
  if (/(^|,)\s*(gzip|x-gzip)\s*(;\s*q=(0?\.\d*[1-9]\d*|1(\.0*)?))?\s*(,|$)/i.test(accept)) gzipped.add(res);
}

/**
 * What ownCloud 10 and Nextcloud share because both run on SabreDAV: href encoding, multistatus
 * and error bodies, PROPFIND request parsing, Destination/Overwrite/Depth headers.
 */

export const NS_DAV = 'DAV:';
export const NS_OC = 'http://owncloud.org/ns';
export const NS_NC = 'http://nextcloud.org/ns';
export const NS_SABRE = 'http://sabredav.org/ns';

export const clark = (ns: string, local: string) => `{${ns}}${local}`;

/** Sabre's encodePath: keeps A-Z a-z 0-9 _ - . ~ ( ) / : @ and writes lowercase hex for the rest. */
export function sabreEncode(path: string): string {
  let out = '';
  for (const ch of path) {
    if (/[A-Za-z0-9_\-.~()/:@]/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Decodes a request path; null when it has a malformed escape. */
export function decodePath(raw: string): string | null {
  try {
    return raw
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
  } catch {
    return null;
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  207: 'Multi-Status',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  415: 'Unsupported Media Type',
  423: 'Locked',
  507: 'Insufficient Storage',
};

export const SABRE = {
  BadRequest: 'Sabre\\DAV\\Exception\\BadRequest',
  Conflict: 'Sabre\\DAV\\Exception\\Conflict',
  Forbidden: 'Sabre\\DAV\\Exception\\Forbidden',
  NotFound: 'Sabre\\DAV\\Exception\\NotFound',
  NotAuthenticated: 'Sabre\\DAV\\Exception\\NotAuthenticated',
  PreconditionFailed: 'Sabre\\DAV\\Exception\\PreconditionFailed',
  MethodNotAllowed: 'Sabre\\DAV\\Exception\\MethodNotAllowed',
  InsufficientStorage: 'Sabre\\DAV\\Exception\\InsufficientStorage',
} as const;

/**
 * The Sabre error body, byte for byte as Nextcloud 32 sends it. PreconditionFailed names the header
 * that failed in <s:header> after the message (Sabre's PreconditionFailed::serialize); `header`
 * defaults to "Overwrite" for the Overwrite: F message.
 */
export function sabreErrorBody(exception: string, message: string, header?: string): string {
  const msg = message ? `  <s:message>${xmlEscape(message)}</s:message>` : '  <s:message/>';
  const failed =
    header ?? (exception === SABRE.PreconditionFailed && /overwrite header/i.test(message) ? 'Overwrite' : undefined);
  const headerXml =
    exception === SABRE.PreconditionFailed && failed ? `\n  <s:header>${xmlEscape(failed)}</s:header>` : '';
  return `<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n  <s:exception>${exception}</s:exception>\n${msg}${headerXml}\n</d:error>\n`;
}

/** reva's errors.Marshal (ocdav), byte for byte: Go's xml.Header and a one-line element. */
export function revaErrorBody(exception: string, message: string, header = ''): string {
  const h = header ? `<s:header>${xmlEscape(header)}</s:header>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<d:error xmlns:d="DAV" xmlns:s="http://sabredav.org/ns"><s:exception>${exception}</s:exception><s:message>${xmlEscape(message)}</s:message><s:errorcode></s:errorcode>${h}</d:error>`;
}

export function sendSabreError(
  res: ServerResponse,
  status: number,
  exception: string,
  message = '',
  headers: Record<string, string> = {},
  failedHeader?: string,
): void {
  const body = sabreErrorBody(exception, message, failedHeader);
  res.writeHead(status, STATUS_TEXT[status] ?? '', {
    'Content-Type': 'application/xml; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** An empty success (201 Created after MOVE/MKCOL, 204 No Content after DELETE), as PHP sends them. */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, STATUS_TEXT[status] ?? '', {
    'Content-Length': '0',
    'Content-type': 'text/html; charset=UTF-8',
    ...headers,
  });
  res.end();
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  contentType = 'application/json; charset=utf-8',
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(value).replace(/\//g, '\\/');
  const gzip = gzipped.has(res) && status === 200;
  const body = gzip ? gzipSync(text) : Buffer.from(text);
  const encoding: Record<string, string> = gzip ? { 'Content-Encoding': 'gzip' } : {};
  res.writeHead(status, STATUS_TEXT[status] ?? '', {
    'Content-Type': contentType,
    ...encoding,
    'Content-Length': body.length,
    ...headers,
  });
  res.end(body);
}

/** What a PROPFIND asked for: named properties in request order, or allprop. */
export type PropRequest = { kind: 'allprop' } | { kind: 'prop'; names: string[] };

export function parsePropfind(body: Buffer): PropRequest | null {
  const text = body.toString('utf8').trim();
  if (!text) return { kind: 'allprop' };
  const names: string[] = [];
  let inProp = false;
  let depth = 0;
  let allprop = false;
  const sax = new SaxesParser({ xmlns: true });
  let failed = false;
  sax.on('error', () => (failed = true));
  sax.on('opentag', (t) => {
    depth++;
    if (t.uri === NS_DAV && t.local === 'allprop') allprop = true;
    if (t.uri === NS_DAV && t.local === 'prop' && depth === 2) inProp = true;
    else if (inProp && depth === 3) names.push(clark(t.uri ?? '', t.local ?? t.name));
  });
  sax.on('closetag', (t) => {
    if (t.uri === NS_DAV && t.local === 'prop' && depth === 2) inProp = false;
    depth--;
  });
  try {
    sax.write(text).close();
  } catch {
    return null;
  }
  if (failed) return null;
  return allprop ? { kind: 'allprop' } : { kind: 'prop', names };
}

/** Prefixes used in output; unknown namespaces get x1, x2, ... declared on the element. */
const PREFIX: Record<string, string> = { [NS_DAV]: 'd', [NS_SABRE]: 's', [NS_OC]: 'oc', [NS_NC]: 'nc' };

function splitClark(name: string): [string, string] {
  const m = /^\{([^}]*)\}(.*)$/.exec(name);
  return m ? [m[1]!, m[2]!] : ['', name];
}

function tag(name: string, inner: string | null): string {
  const [ns, local] = splitClark(name);
  const prefix = PREFIX[ns];
  const qname = prefix ? `${prefix}:${local}` : `x1:${local}`;
  const decl = prefix ? '' : ` xmlns:x1="${xmlEscape(ns)}"`;
  return inner === null ? `<${qname}${decl}/>` : `<${qname}${decl}>${inner}</${qname}>`;
}

/** A property value: text (escaped here), raw XML, or an empty element (<d:resourcetype/>). */
export type PropValue = { text: string } | { xml: string } | { empty: true } | { emptyPair: true };

export const text = (s: string | number): PropValue => ({ text: String(s) });
export const COLLECTION: PropValue = { xml: '<d:collection/>' };
export const EMPTY: PropValue = { empty: true };

function render(name: string, v: PropValue): string {
  // Sabre's XML writer escapes double quotes in property text too (getetag reads &quot;abc&quot; in
  // the Nextcloud recordings); error messages (htmlspecialchars, ENT_NOQUOTES) keep them.
  if ('text' in v) return tag(name, xmlEscape(v.text).replace(/"/g, '&quot;'));
  if ('xml' in v) return tag(name, v.xml);
  if ('emptyPair' in v) return tag(name, '');
  return tag(name, null);
}

export interface DavEntry {
  /** Already-encoded href. */
  href: string;
  /** Property name → value; absent → 404 propstat. */
  props: (name: string) => PropValue | undefined;
  /** The properties allprop returns, in order. */
  allprop: string[];
}

/** A multistatus body with the given namespace declarations (Nextcloud declares d, s, oc, nc). */
export function multistatus(entries: Iterable<DavEntry>, request: PropRequest, namespaces: string[]): string {
  const decl = namespaces.map((ns) => ` xmlns:${PREFIX[ns]}="${ns}"`).join('');
  const parts: string[] = [`<?xml version="1.0"?>\n<d:multistatus${decl}>`];
  for (const e of entries) parts.push(responseXml(e, request));
  parts.push('</d:multistatus>\n');
  return parts.join('');
}

export function responseXml(e: DavEntry, request: PropRequest): string {
  const found: string[] = [];
  const missing: string[] = [];
  const names = request.kind === 'allprop' ? e.allprop : request.names;
  for (const name of names) {
    const v = e.props(name);
    if (v === undefined) {
      if (request.kind === 'prop') missing.push(tag(name, null));
    } else found.push(render(name, v));
  }
  let out = `<d:response><d:href>${e.href}</d:href>`;
  if (found.length)
    out += `<d:propstat><d:prop>${found.join('')}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>`;
  if (missing.length)
    out += `<d:propstat><d:prop>${missing.join('')}</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>`;
  return `${out}</d:response>`;
}

export function sendMultistatus(res: ServerResponse, body: string, headers: Record<string, string>): void {
  if (gzipped.has(res)) return streamMultistatus(res, body, [], headers, '');
  res.writeHead(207, 'Multi-Status', {
    'Content-Type': 'application/xml; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    Vary: 'Brief,Prefer',
    ...headers,
  });
  res.end(body);
}

/** Streams a big multistatus without building one huge string (gzip-compressed when the answer is marked for it). */
export function streamMultistatus(
  res: ServerResponse,
  head: string,
  rows: Iterable<string>,
  headers: Record<string, string>,
  tail = '</d:multistatus>\n',
): void {
  const gzip = gzipped.has(res);
  res.writeHead(207, 'Multi-Status', {
    'Content-Type': 'application/xml; charset=utf-8',
    Vary: 'Brief,Prefer',
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    ...headers,
  });
  const out = gzip ? createGzip() : null;
  if (out) {
    out.on('data', (c: Buffer) => res.write(c));
    out.on('end', () => res.end());
  }
  const write = (s: string) => (out ? out.write(s) : res.write(s));
  let buf = head;
  for (const row of rows) {
    buf += row;
    if (buf.length > 64 * 1024) {
      write(buf);
      buf = '';
    }
  }
  if (out) out.end(`${buf}${tail}`);
  else res.end(`${buf}${tail}`);
}

/** The Depth header: "0", "1" or "infinity" (absent counts as 1, as Nextcloud answers). */
export function depthOf(req: IncomingMessage): '0' | '1' | 'infinity' {
  const d = String(req.headers.depth ?? '1')
    .trim()
    .toLowerCase();
  return d === '0' ? '0' : d === 'infinity' ? 'infinity' : '1';
}

/** Overwrite header: true unless "F" (RFC 4918 default T); null for an invalid value. */
export function overwriteOf(req: IncomingMessage): boolean | null {
  const v = req.headers.overwrite;
  if (v === undefined) return true;
  const s = String(v).trim().toUpperCase();
  return s === 'T' ? true : s === 'F' ? false : null;
}

/** HTTP date as PHP/Sabre writes it. */
export const httpDate = (ms: number) => new Date(ms).toUTCString();

/** Basic auth credentials of a request, or null. */
export function basicAuth(req: IncomingMessage): { user: string; secret: string } | null {
  const h = req.headers.authorization;
  if (!h || !/^Basic /i.test(h)) return null;
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  if (at < 0) return null;
  return { user: decoded.slice(0, at), secret: decoded.slice(at + 1) };
}

/** What Sabre's checkPreconditions needs to know about the node at the request path. */
export interface PreconditionNode {
  /**
   * The ETag Sabre compares: only IFile nodes have one (quoted, as getetag shows it); collections
   * answer null, so an If-Match with a tag never matches a folder and If-None-Match only matches "*".
   */
  etag: string | null;
  /** Last modification, ms since the epoch (Sabre compares whole seconds). */
  mtime: number;
}

/** The outcome of Sabre's checkPreconditions when the request may not go on. */
export type PreconditionOutcome =
  | { status: 412; message: string; header: 'If-Match' | 'If-None-Match' | 'If-Unmodified-Since'; etag: string | null }
  | { status: 304; etag: string | null; lastModified: string | null }
  | { status: 404 };

/**
 * Sabre\DAV\Server::checkPreconditions (sabre/dav 4.x, which Nextcloud and ownCloud 10 run before
 * every method handler, after authentication) for If-Match, If-None-Match, If-Modified-Since and
 * If-Unmodified-Since. The tags in the headers are compared verbatim with the node's quoted ETag
 * (only spaces are trimmed; a list is split on commas); a mismatch is a 412 whose <s:header> names
 * the header, with the node's current ETag in an ETag response header. A missing node fails If-Match
 * (412), passes If-None-Match, and is a 404 for the date conditions. If-None-Match that matches
 * answers 304 to GET and 412 to everything else. The If: header (lock tokens) is not modelled.
 * Returns null when the request may go on.
 */
export function sabrePreconditions(
  req: IncomingMessage,
  method: string,
  node: PreconditionNode | null,
): PreconditionOutcome | null {
  const header = (name: string): string => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(', ') : (v ?? '');
  };
  const ifMatch = header('if-match');
  if (ifMatch) {
    if (!node)
      return {
        status: 412,
        message: 'An If-Match header was specified and the resource did not exist',
        header: 'If-Match',
        etag: null,
      };
    if (ifMatch !== '*') {
      const matched = ifMatch.split(',').some((item) => {
        const tag = trimSpaces(item);
        return node.etag !== null && (tag === node.etag || tag.replace(/\\"/g, '"') === node.etag);
      });
      if (!matched)
        return {
          status: 412,
          message: 'An If-Match header was specified, but none of the specified ETags matched.',
          header: 'If-Match',
          etag: node.etag,
        };
    }
  }
  const ifNoneMatch = header('if-none-match');
  if (ifNoneMatch && node) {
    const matched =
      ifNoneMatch === '*' ||
      ifNoneMatch.split(',').some((item) => node.etag !== null && trimSpaces(item) === node.etag);
    if (matched) {
      if (method === 'GET') return { status: 304, etag: node.etag, lastModified: null };
      return {
        status: 412,
        message: 'An If-None-Match header was specified, but the ETag matched (or * was specified).',
        header: 'If-None-Match',
        etag: node.etag,
      };
    }
  }
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const ifModifiedSince = ifNoneMatch ? null : parseHttpDate(header('if-modified-since'));
  if (ifModifiedSince !== null) {
    if (!node) return { status: 404 };
    // Sabre answers 304 here for any method, not only GET.
    if (node.mtime && seconds(node.mtime) <= ifModifiedSince)
      return { status: 304, etag: null, lastModified: httpDate(seconds(node.mtime) * 1000) };
  }
  const ifUnmodifiedSince = parseHttpDate(header('if-unmodified-since'));
  if (ifUnmodifiedSince !== null) {
    if (!node) return { status: 404 };
    if (node.mtime && seconds(node.mtime) > ifUnmodifiedSince) {
      return {
        status: 412,
        message:
          'An If-Unmodified-Since header was specified, but the entity has been changed since the specified date.',
        header: 'If-Unmodified-Since',
        etag: null,
      };
    }
  }
  return null;
}

const trimSpaces = (s: string) => s.replace(/^ +| +$/g, '');

/**
 * Sabre\HTTP\parseDate: IMF-fixdate, RFC 850 or asctime (surrounding spaces allowed), in seconds
 * since the epoch; null for anything else (Sabre then ignores the header).
 */
export function parseHttpDate(value: string): number | null {
  const month = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
  const time = '([01]\\d|2[0-3])(:[0-5]\\d){2}';
  const rfc1123 = `(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (0[1-9]|[12]\\d|3[01]) ${month} [1-9]\\d{3} ${time} GMT`;
  const rfc850 = `(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (0[1-9]|[12]\\d|3[01])-${month}-\\d{2} ${time} GMT`;
  const asctime = `(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${month} ([12]\\d|3[01]| [1-9]) ${time} [1-9]\\d{3}`;
  const s = trimSpaces(value);
  if (!new RegExp(`^(${rfc1123}|${rfc850}|${asctime})$`).test(s)) return null;
  const ms = Date.parse(s.includes(' GMT') ? s : `${s} GMT`);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}
