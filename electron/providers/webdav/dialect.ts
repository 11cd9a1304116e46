import { AppError } from '../../base/errors';
import { errorForStatus } from '../../net/http';
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

/**
 * The requests a dialect's hooks may make: the provider's own, with its authorisation, TLS pinning,
 * retries and error mapping. Paths are decoded URL paths (they start with the base path).
 */
export interface DialectIO {
  /** A GET; a 401 throws AUTH_FAILED, any other status is the caller's to read. */
  get(path: string, init: { headers?: Record<string, string>; query?: string; signal?: AbortSignal | undefined }): Promise<Response>;
  /** The AppError for a failed response (status mapping, the server's own message). */
  failure(res: Response): Promise<AppError>;
}

/** Who the credentials belong to. */
export interface Identity {
  userId: string;
  userName: string;
}

/**
 * How restoring works: "move-to-destination" (ownCloud 10, oCIS: MOVE the item to its target in
 * files/ with Overwrite) or "restore-collection" (Nextcloud: MOVE to trashbin/<user>/restore/<name>,
 * the server picks the place and auto-renames); `target` is the decoded DAV path that MOVE goes to.
 */
export type RestoreMode =
  | { readonly mode: 'move-to-destination' }
  | { readonly mode: 'restore-collection'; target(ctx: DialectContext, item: TrashItem): string };

export interface WebDavDialect {
  readonly kind: WebDavKind;
  readonly productName: string;
  /** Decoded DAV path of the user's trash (no trailing slash). */
  trashRoot(ctx: DialectContext): string;
  /** Decoded DAV path of the user's files root (no trailing slash). */
  filesRoot(ctx: DialectContext): string;
  /** The PROPFIND body for trash listings. */
  readonly trashPropfind: string;
  readonly restore: RestoreMode;
  /** Turns one multistatus response of a trash listing into an item (null for the listed collection itself). */
  readItem(r: DavResponse, ctx: ReadContext): TrashItem | null;
  /**
   * The file id of a top-level trash entry, to find a file a Replace moved away: oc:fileid where the
   * listing has it, or what the dialect knows (ownCloud 10: the trash id is the file id); null otherwise.
   */
  trashEntryFileId(r: DavResponse, item: TrashItem): string | null;
  /**
   * What the server says about the signed-in user (checkConnection, before the trash is checked).
   * `known` is what the account already says, kept where the server does not say better.
   */
  whoAmI(io: DialectIO, ctx: DialectContext, known: Identity, signal?: AbortSignal): Promise<Identity>;
  /**
   * Reads what the DAV paths need before the first DAV request, once per provider (oCIS: the
   * personal space, through the Graph API). Absent when the paths need nothing more.
   */
  prepare?(io: DialectIO, ctx: DialectContext, signal?: AbortSignal): Promise<Partial<Pick<DialectContext, 'spaceId'>>>;
  /** Messages for a trash that does not answer 207 when the connection is checked, by status. */
  readonly trashCheckMessages: Partial<Record<number, string>>;
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

/** oc:fileid of a trash entry, where the listing has it. */
const listedFileId = (r: DavResponse): string | null => prop(r, OC('fileid'));

/** ownCloud 10 and Nextcloud: the OCS user endpoint names the user id and display name; 4xx keeps what the account says. */
async function ocsUser(io: DialectIO, ctx: DialectContext, known: Identity, signal?: AbortSignal): Promise<Identity> {
  const res = await io.get(`${ctx.basePath}/ocs/v1.php/cloud/user`, {
    headers: { 'OCS-APIRequest': 'true', Accept: 'application/json' },
    query: 'format=json',
    signal,
  });
  let { userId, userName } = known;
  if (res.status === 200) {
    const json = (await res.json().catch(() => null)) as { ocs?: { data?: { id?: unknown; 'display-name'?: unknown; displayname?: unknown } } } | null;
    const data = json?.ocs?.data;
    if (typeof data?.id === 'string' && data.id) userId = data.id;
    const display = data?.['display-name'] ?? data?.displayname;
    if (typeof display === 'string' && display) userName = display;
  } else {
    await res.body?.cancel();
    if (res.status >= 500) throw errorForStatus(res.status);
  }
  return { userId, userName };
}

const OWNCLOUD_TRASH_MESSAGES: Partial<Record<number, string>> = {
  404: 'This server has no WebDAV trash bin for this account (the Deleted files app may be disabled, or ownCloud is older than 10.4).',
  403: 'This account may not read its trash bin.',
};

export const nextcloud: WebDavDialect = {
  kind: 'nextcloud',
  productName: 'Nextcloud',
  trashRoot: (c) => `${c.basePath}/remote.php/dav/trashbin/${c.userId}/trash`,
  filesRoot: (c) => `${c.basePath}/remote.php/dav/files/${c.userId}`,
  restore: {
    mode: 'restore-collection',
    target: (c, item) => `${c.basePath}/remote.php/dav/trashbin/${c.userId}/restore/${lastSegment(item.id)}`,
  },
  trashEntryFileId: listedFileId,
  whoAmI: ocsUser,
  trashCheckMessages: OWNCLOUD_TRASH_MESSAGES,
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
  restore: { mode: 'move-to-destination' },
  // Its trash ids are the file ids (the listing has no oc:fileid).
  trashEntryFileId: (r, item) => listedFileId(r) ?? item.id,
  whoAmI: ocsUser,
  trashCheckMessages: OWNCLOUD_TRASH_MESSAGES,
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
 * remote.php/dav/spaces/<space id>/<path> with Overwrite, like ownCloud 10. Who the user is and
 * which space is theirs come from the Graph API.
 */
export const ocis: WebDavDialect = {
  ...owncloud10,
  kind: 'ocis',
  productName: 'Infinite Scale',
  trashRoot: (c) => `${c.basePath}/remote.php/dav/spaces/trash-bin/${c.spaceId}`,
  filesRoot: (c) => `${c.basePath}/remote.php/dav/spaces/${c.spaceId}`,
  trashEntryFileId: listedFileId,
  trashCheckMessages: {},
  async whoAmI(io, ctx, known, signal) {
    const res = await io.get(`${ctx.basePath}/graph/v1.0/me`, { headers: { Accept: 'application/json' }, signal });
    if (res.status !== 200) throw await io.failure(res);
    const me = (await res.json().catch(() => null)) as { id?: unknown; displayName?: unknown; onPremisesSamAccountName?: unknown } | null;
    const userId = typeof me?.onPremisesSamAccountName === 'string' ? me.onPremisesSamAccountName : typeof me?.id === 'string' ? me.id : known.userId;
    return { userId, userName: typeof me?.displayName === 'string' && me.displayName ? me.displayName : userId };
  },
  async prepare(io, ctx, signal) {
    const res = await io.get(`${ctx.basePath}/graph/v1.0/me/drives`, { headers: { Accept: 'application/json' }, signal });
    if (res.status !== 200) throw await io.failure(res);
    const json = (await res.json().catch(() => null)) as { value?: { driveType?: unknown; id?: unknown }[] } | null;
    const personal = json?.value?.find((d) => d.driveType === 'personal');
    if (typeof personal?.id !== 'string' || !personal.id) throw new AppError('UNSUPPORTED', 'This Infinite Scale account has no personal space.');
    return { spaceId: personal.id };
  },
};

export const dialects: Record<WebDavKind, WebDavDialect> = { owncloud10, nextcloud, ocis };
