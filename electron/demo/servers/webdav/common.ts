import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindOf } from '../../../../shared/kinds';
import {
  clark,
  COLLECTION,
  decodePath,
  NS_DAV,
  NS_NC,
  NS_OC,
  NS_SABRE,
  SABRE,
  sabreEncode,
  sendSabreError,
  type DavEntry,
} from './sabre';

/** The pieces every WebDAV server kind's front end uses: property names, paths, the 404 page. */

/** The registry's WebDAV kinds (shared/kinds.ts). */
export type WebDavServerKind = KindOf<'webdav'>;

export const DAV = (l: string) => clark(NS_DAV, l);
export const OC = (l: string) => clark(NS_OC, l);
export const NC = (l: string) => clark(NS_NC, l);

export function origin(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

export function sendPageNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/html; charset=UTF-8' });
  res.end('<!DOCTYPE html><html><body>Page not found</body></html>');
}

/** Where a Destination header points: area, owner and segments below it, or an error already sent. */
export function destination(
  req: IncomingMessage,
  res: ServerResponse,
): { area: string; owner: string; rest: string[] } | null {
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
  const parts = decoded
    .split('/')
    .filter((p) => p !== '')
    .slice(2);
  if (parts.some((p) => p === '..' || p === '.')) {
    sendSabreError(res, 403, SABRE.Forbidden, 'Invalid path');
    return null;
  }
  const [area = '', owner = '', ...rest] = parts;
  return { area, owner, rest };
}

/** The opening of a multistatus answer, declaring the kind's namespaces. */
export function multistatusHead(namespaces: string[]): string {
  const decl = namespaces
    .map((ns) => ` xmlns:${ns === NS_DAV ? 'd' : ns === NS_SABRE ? 's' : ns === NS_OC ? 'oc' : 'nc'}="${ns}"`)
    .join('');
  return `<?xml version="1.0"?>\n<d:multistatus${decl}>`;
}

export function collectionEntry(href: string): DavEntry {
  return {
    href: sabreEncode(href),
    props: (n) => (n === DAV('resourcetype') ? COLLECTION : undefined),
    allprop: [DAV('resourcetype')],
  };
}
