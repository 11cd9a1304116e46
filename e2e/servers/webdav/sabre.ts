import type { IncomingMessage, ServerResponse } from 'node:http';
import { SaxesParser } from 'saxes';

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

/** The Sabre error body, byte for byte as Nextcloud 32 sends it. */
export function sabreErrorBody(exception: string, message: string): string {
  const msg = message ? `  <s:message>${xmlEscape(message)}</s:message>` : '  <s:message/>';
  // PreconditionFailed names the header that failed (Sabre's PreconditionFailed::serialize).
  const header = exception === SABRE.PreconditionFailed && /overwrite header/i.test(message) ? '\n  <s:header>Overwrite</s:header>' : '';
  return `<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n  <s:exception>${exception}</s:exception>\n${msg}${header}\n</d:error>\n`;
}

export function sendSabreError(res: ServerResponse, status: number, exception: string, message = '', headers: Record<string, string> = {}): void {
  const body = sabreErrorBody(exception, message);
  res.writeHead(status, STATUS_TEXT[status] ?? '', {
    'Content-Type': 'application/xml; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** An empty success (201 Created after MOVE/MKCOL, 204 No Content after DELETE), as PHP sends them. */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, STATUS_TEXT[status] ?? '', { 'Content-Length': '0', 'Content-type': 'text/html; charset=UTF-8', ...headers });
  res.end();
}

export function sendJson(res: ServerResponse, status: number, value: unknown, contentType = 'application/json; charset=utf-8', headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value).replace(/\//g, '\\/');
  res.writeHead(status, STATUS_TEXT[status] ?? '', { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
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
  if ('text' in v) return tag(name, xmlEscape(v.text));
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
  if (found.length) out += `<d:propstat><d:prop>${found.join('')}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>`;
  if (missing.length) out += `<d:propstat><d:prop>${missing.join('')}</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>`;
  return `${out}</d:response>`;
}

export function sendMultistatus(res: ServerResponse, body: string, headers: Record<string, string>): void {
  res.writeHead(207, 'Multi-Status', {
    'Content-Type': 'application/xml; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    Vary: 'Brief,Prefer',
    ...headers,
  });
  res.end(body);
}

/** Streams a big multistatus without building one huge string. */
export function streamMultistatus(res: ServerResponse, head: string, rows: Iterable<string>, headers: Record<string, string>): void {
  res.writeHead(207, 'Multi-Status', { 'Content-Type': 'application/xml; charset=utf-8', Vary: 'Brief,Prefer', ...headers });
  let buf = head;
  for (const row of rows) {
    buf += row;
    if (buf.length > 64 * 1024) {
      res.write(buf);
      buf = '';
    }
  }
  res.end(`${buf}</d:multistatus>\n`);
}

/** The Depth header: "0", "1" or "infinity" (absent counts as 1, as Nextcloud answers). */
export function depthOf(req: IncomingMessage): '0' | '1' | 'infinity' {
  const d = String(req.headers.depth ?? '1').trim().toLowerCase();
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
