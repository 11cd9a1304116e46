import { itemKey, type TrashItem } from '../../../shared/model';
import type { DavResponse } from './multistatus';
import { clark, NS } from './multistatus';
import { decodeHref, displayPath, extOf, safeSegments } from './paths';

/**
 * What differs between the WebDAV trash-bin servers. One small object per server kind; the
 * provider, the listing worker and the test servers' expectations are written once on top.
 */
export type WebDavKind = 'owncloud10' | 'nextcloud' | 'ocis';

export interface DialectContext {
  /** Base URL path of the server without a trailing slash, e.g. "" or "/nextcloud". */
  basePath: string;
  /** The id used in DAV URLs. */
  userId: string;
  /** oCIS: the personal space id ("storage-users-1$…"), found through the Graph API. */
  spaceId: string;
}

export interface ReadContext {
  accountId: string;
  /** The browsed trashed folder's id, or null for the trash root. */
  parentId: string | null;
  /** Decoded path of the collection that was listed (trash root or browsed folder), no trailing slash. */
  listedPath: string;
  /** Decoded path of the trash root, no trailing slash. */
  trashRootPath: string;
}

export interface WebDavDialect {
  readonly kind: WebDavKind;
  readonly productName: string;
  /** Decoded DAV path of the user's trash (no trailing slash). */
  trashRoot(ctx: DialectContext): string;
  /** Decoded DAV path of the user's files root (no trailing slash). */
  filesRoot(ctx: DialectContext): string;
  /** The PROPFIND body for trash listings. */
  readonly trashPropfind: string;
  /**
   * How restoring works: "move-to-destination" (ownCloud 10, oCIS: MOVE the item to its target in
   * files/ with Overwrite) or "restore-collection" (Nextcloud: MOVE to trashbin/<user>/restore/<name>,
   * the server picks the place and auto-renames).
   */
  readonly restoreMode: 'move-to-destination' | 'restore-collection';
  /** Decoded DAV path a restore MOVE goes to in restore-collection mode. */
  restoreTarget?(ctx: DialectContext, item: TrashItem): string;
  /** Turns one multistatus response of a trash listing into an item (null for the listed collection itself). */
  readItem(r: DavResponse, ctx: ReadContext): TrashItem | null;
}

const DAV = (local: string) => clark(NS.dav, local);
const OC = (local: string) => clark(NS.oc, local);
const NC = (local: string) => clark(NS.nc, local);

/** Text of a property, null when absent or empty. */
export const prop = (r: DavResponse, name: string): string | null => {
  const v = r.props.get(name);
  return v === undefined || v === '' ? null : v;
};

const int = (v: string | null): number | null => {
  if (v === null || !/^\s*-?\d+\s*$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
};

const isoFromUnix = (v: string | null): string | null => {
  const n = int(v);
  return n === null ? null : new Date(n * 1000).toISOString();
};

const isoFromHttpDate = (v: string | null): string | null => {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/** The item's path below the listed trash root ("name.d123", "123/456"), or null for the root itself. */
export function relativeId(r: DavResponse, ctx: ReadContext): string | null {
  const path = decodeHref(r.href).replace(/\/+$/, '');
  if (path === ctx.listedPath) return null;
  const root = `${ctx.trashRootPath}/`;
  if (!path.startsWith(root)) return null;
  return path.slice(root.length);
}

/** Splits an original location (including the name) into its folder's display path, refusing unsafe ones. */
function originalFolderOf(location: string | null): { folder: string; segments: string[] } {
  if (location === null) return { folder: '/', segments: [] };
  const segments = safeSegments(location.replace(/^\/+/, ''));
  const folder = segments.slice(0, -1);
  return { folder: displayPath(folder), segments };
}

function baseItem(r: DavResponse, ctx: ReadContext, id: string, name: string, fields: { size: number | null; deletedAt: string | null; location: string | null; deletedBy: string | null }): TrashItem {
  const kind = r.collection ? 'folder' : 'file';
  // An unknown or unsafe original location leaves originalFolderId null: restoring "to where it was"
  // is then refused, and only "restore into a folder" is offered.
  let folder = '/';
  let folderId: string | null = null;
  if (fields.location !== null) {
    try {
      folder = originalFolderOf(fields.location).folder;
      folderId = folder;
    } catch {
      folder = '/';
    }
  }
  return {
    key: itemKey(ctx.accountId, id),
    accountId: ctx.accountId,
    id,
    name,
    kind,
    size: fields.size,
    deletedAt: fields.deletedAt,
    originalFolder: folder,
    originalFolderId: folderId,
    expiresAt: null,
    mimeType: kind === 'folder' ? null : prop(r, DAV('getcontenttype')),
    ext: extOf(name, kind === 'folder'),
    deletedBy: fields.deletedBy,
    parentId: ctx.parentId,
  };
}

/** Where an item goes back to: its original location as safe segments (throws BAD_RESPONSE when unsafe). */
export function originalSegments(location: string): string[] {
  return originalFolderOf(location).segments;
}

const lastSegment = (id: string) => id.slice(id.lastIndexOf('/') + 1);

export const nextcloud: WebDavDialect = {
  kind: 'nextcloud',
  productName: 'Nextcloud',
  trashRoot: (c) => `${c.basePath}/remote.php/dav/trashbin/${c.userId}/trash`,
  filesRoot: (c) => `${c.basePath}/remote.php/dav/files/${c.userId}`,
  restoreMode: 'restore-collection',
  restoreTarget: (c, item) => `${c.basePath}/remote.php/dav/trashbin/${c.userId}/restore/${lastSegment(item.id)}`,
  trashPropfind: `<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">
  <d:prop>
    <nc:trashbin-filename/>
    <nc:trashbin-original-location/>
    <nc:trashbin-deletion-time/>
    <nc:trashbin-title/>
    <nc:trashbin-deleted-by-id/>
    <nc:trashbin-deleted-by-display-name/>
    <oc:fileid/>
    <oc:size/>
    <d:getcontentlength/>
    <d:resourcetype/>
    <d:getlastmodified/>
    <d:getcontenttype/>
  </d:prop>
</d:propfind>`,
  readItem(r, ctx) {
    const id = relativeId(r, ctx);
    if (id === null) return null;
    const seg = lastSegment(id);
    const name = prop(r, NC('trashbin-filename')) ?? (ctx.parentId ? seg : seg.replace(/\.d\d+$/, ''));
    return baseItem(r, ctx, id, name, {
      size: int(prop(r, OC('size'))) ?? int(prop(r, DAV('getcontentlength'))),
      deletedAt: isoFromUnix(prop(r, NC('trashbin-deletion-time'))) ?? isoFromHttpDate(prop(r, DAV('getlastmodified'))),
      location: prop(r, NC('trashbin-original-location')),
      deletedBy: prop(r, NC('trashbin-deleted-by-display-name')) ?? prop(r, NC('trashbin-deleted-by-id')),
    });
  },
};

export const owncloud10: WebDavDialect = {
  kind: 'owncloud10',
  productName: 'ownCloud',
  trashRoot: (c) => `${c.basePath}/remote.php/dav/trash-bin/${c.userId}`,
  filesRoot: (c) => `${c.basePath}/remote.php/dav/files/${c.userId}`,
  restoreMode: 'move-to-destination',
  trashPropfind: `<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">
  <d:prop>
    <oc:trashbin-original-filename/>
    <oc:trashbin-original-location/>
    <oc:trashbin-delete-timestamp/>
    <oc:trashbin-delete-datetime/>
    <d:getcontentlength/>
    <d:resourcetype/>
    <d:getlastmodified/>
    <d:getcontenttype/>
    <oc:size/>
  </d:prop>
</d:propfind>`,
  readItem(r, ctx) {
    const id = relativeId(r, ctx);
    if (id === null) return null;
    const location = prop(r, OC('trashbin-original-location'));
    const fromLocation = location?.replace(/\/+$/, '').split('/').pop() ?? null;
    const name = prop(r, OC('trashbin-original-filename')) ?? fromLocation ?? lastSegment(id);
    return baseItem(r, ctx, id, name, {
      size: int(prop(r, OC('size'))) ?? int(prop(r, DAV('getcontentlength'))),
      deletedAt: isoFromUnix(prop(r, OC('trashbin-delete-timestamp'))) ?? isoFromHttpDate(prop(r, OC('trashbin-delete-datetime'))),
      location,
      deletedBy: null,
    });
  },
};

/**
 * oCIS (Infinite Scale): the ownCloud trash-bin properties over spaces:
 * remote.php/dav/spaces/trash-bin/<space id>/<item key>, restored by MOVE to
 * remote.php/dav/spaces/<space id>/<path> with Overwrite, like ownCloud 10.
 */
export const ocis: WebDavDialect = {
  ...owncloud10,
  kind: 'ocis',
  productName: 'Infinite Scale',
  trashRoot: (c) => `${c.basePath}/remote.php/dav/spaces/trash-bin/${c.spaceId}`,
  filesRoot: (c) => `${c.basePath}/remote.php/dav/spaces/${c.spaceId}`,
};

export const dialects: Record<WebDavKind, WebDavDialect> = { owncloud10, nextcloud, ocis };
