import { AppError } from '../../base/errors';
import { errorForStatus } from '../../net/http';
import { SERVER_KINDS, type KindOf } from '../../../shared/kinds';
import { itemKey, type TrashItem } from '../../../shared/model';
import type { DavResponse } from './multistatus';
import { clark, NS } from './multistatus';
import { decodeHref, displayPath, extOf, safeSegments } from './paths';

/**
 * What differs between the WebDAV trash-bin servers. One small object per server kind; the
 * provider, the listing worker and the test servers' expectations are written once on top.
 */
/** The kinds the registry (shared/kinds.ts) puts in the WebDAV family; each needs a dialect in `dialects`. */
export type WebDavKind = KindOf<'webdav'>;

export interface DialectContext {
  /** Base URL path of the server without a trailing slash, e.g. "" or "/nextcloud". */
  basePath: string;
  /** The id used in DAV URLs. */
  userId: string;
  /** oCIS: the personal space id ("storage-users-1$…"), found through the Graph API. */
  spaceId: string;
  /** oCIS: every space whose trash is shown, the personal one first (empty for the other servers). */
  spaces?: Space[];
}

/** What the user may do in a space's trash: managers restore, delete and empty; editors restore; viewers look. */
export type SpaceRole = 'manager' | 'editor' | 'viewer' | 'unknown';

/** oCIS: one space (drive) from the Graph API. */
export interface Space {
  /** The drive id, "<storage id>$<space id>". */
  id: string;
  name: string;
  personal: boolean;
  role: SpaceRole;
}

export interface ReadContext {
  accountId: string;
  /** The browsed trashed folder's id, or null for the trash root. */
  parentId: string | null;
  /** Decoded path of the collection that was listed (trash root or browsed folder), no trailing slash. */
  listedPath: string;
  /** Decoded path of the trash root, no trailing slash. */
  trashRootPath: string;
  /** oCIS: the space whose trash is listed (item ids and original folders then name it). */
  space?: { id: string; name: string; personal: boolean } | undefined;
}

/**
 * The requests a dialect's hooks may make: the provider's own, with its authorisation, TLS pinning,
 * retries and error mapping. Paths are decoded URL paths (they start with the base path).
 */
export interface DialectIO {
  /** A GET; a 401 throws AUTH_FAILED, any other status is the caller's to read. */
  get(
    path: string,
    init: { headers?: Record<string, string>; query?: string; signal?: AbortSignal | undefined },
  ): Promise<Response>;
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
  | {
      readonly mode: 'restore-collection';
      target(ctx: DialectContext, item: TrashItem): string;
      /**
       * Where restored items are found again by file id, many in one request: the decoded path
       * DAV SEARCH (RFC 5323) is sent to, and the scope href searched within (the user's files).
       */
      search?(ctx: DialectContext): { path: string; scope: string };
    };

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
  prepare?(
    io: DialectIO,
    ctx: DialectContext,
    signal?: AbortSignal,
  ): Promise<Partial<Pick<DialectContext, 'spaceId' | 'spaces'>>>;
  /** Spaces (oCIS): where ids, folders and trash roots live; absent for one-tree servers. */
  readonly spaces?: SpaceHooks;
  /** Messages for a trash that does not answer 207 when the connection is checked, by status. */
  readonly trashCheckMessages: Partial<Record<number, string>>;
}

/**
 * Clark names made once each: readItem looks up ~10 per item, and a name concatenated anew on
 * every call had to be hashed again by every Map lookup (a tenth of a listing's parse).
 */
const clarkOf = (ns: string) => {
  const made = new Map<string, string>();
  return (local: string) => {
    let name = made.get(local);
    if (name === undefined) made.set(local, (name = clark(ns, local)));
    return name;
  };
};
const DAV = clarkOf(NS.dav);
const OC = clarkOf(NS.oc);
const NC = clarkOf(NS.nc);

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

/**
 * The last second converted: a mass deletion's items share a few seconds, and toISOString was a twentieth of a
 * listing's parse.
 */
let lastUnix = { n: NaN, iso: '' };
const isoFromUnix = (v: string | null): string | null => {
  const n = int(v);
  if (n === null) return null;
  if (n !== lastUnix.n) lastUnix = { n, iso: new Date(n * 1000).toISOString() };
  return lastUnix.iso;
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

function baseItem(
  r: DavResponse,
  ctx: ReadContext,
  id: string,
  name: string,
  fields: { size: number | null; deletedAt: string | null; location: string | null; deletedBy: string | null },
): TrashItem {
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
    // 'application/octet-stream' says nothing: ownCloud 10 gives it to every top-level trash entry
    // (its stored name ends in .d<seconds>), so the name's extension decides (previews, icons).
    mimeType: kind === 'folder' ? null : knownType(prop(r, DAV('getcontenttype'))),
    ext: extOf(name, kind === 'folder'),
    deletedBy: fields.deletedBy,
    parentId: ctx.parentId,
    fileId: listedFileId(r),
  };
}

/** Where an item goes back to: its original location as safe segments (throws BAD_RESPONSE when unsafe). */
export function originalSegments(location: string): string[] {
  return originalFolderOf(location).segments;
}

const lastSegment = (id: string) => id.slice(id.lastIndexOf('/') + 1);

/** oc:fileid of a trash entry, where the listing has it. */
const listedFileId = (r: DavResponse): string | null => prop(r, OC('fileid'));

/** The item with its file id, when there is one (the field stays absent otherwise). */
const withFileId = (fileId: string | null, item: TrashItem): TrashItem =>
  fileId && /^\d{1,20}$/.test(fileId) ? { ...item, fileId } : item;

/**
 * ownCloud 10 and Nextcloud: the OCS user endpoint names the user id and display name; 4xx keeps what the account says.
 */
async function ocsUser(io: DialectIO, ctx: DialectContext, known: Identity, signal?: AbortSignal): Promise<Identity> {
  const res = await io.get(`${ctx.basePath}/ocs/v1.php/cloud/user`, {
    headers: { 'OCS-APIRequest': 'true', Accept: 'application/json' },
    query: 'format=json',
    signal,
  });
  let { userId, userName } = known;
  if (res.status === 200) {
    const json = (await res.json().catch(() => null)) as {
      ocs?: { data?: { id?: unknown; 'display-name'?: unknown; displayname?: unknown } };
    } | null;
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
  productName: SERVER_KINDS.nextcloud.productName,
  trashRoot: (c) => `${c.basePath}/remote.php/dav/trashbin/${c.userId}/trash`,
  filesRoot: (c) => `${c.basePath}/remote.php/dav/files/${c.userId}`,
  restore: {
    mode: 'restore-collection',
    target: (c, item) => `${c.basePath}/remote.php/dav/trashbin/${c.userId}/restore/${lastSegment(item.id)}`,
    // Nextcloud's FileSearchBackend searches oc:fileid (up to 100 operators per query).
    search: (c) => ({ path: `${c.basePath}/remote.php/dav/`, scope: `/files/${c.userId}` }),
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
    return withFileId(
      listedFileId(r),
      baseItem(r, ctx, id, name, {
        size: int(prop(r, OC('size'))) ?? int(prop(r, DAV('getcontentlength'))),
        deletedAt:
          isoFromUnix(prop(r, NC('trashbin-deletion-time'))) ?? isoFromHttpDate(prop(r, DAV('getlastmodified'))),
        location: prop(r, NC('trashbin-original-location')),
        deletedBy: prop(r, NC('trashbin-deleted-by-display-name')) ?? prop(r, NC('trashbin-deleted-by-id')),
      }),
    );
  },
};

export const owncloud10: WebDavDialect = {
  kind: 'owncloud10',
  productName: SERVER_KINDS.owncloud10.productName,
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
    // Its trash ids are the file ids ("123", inside a trashed folder "123/456").
    const numeric = /^\d+$/.test(lastSegment(id)) ? lastSegment(id) : null;
    return withFileId(
      listedFileId(r) ?? numeric,
      baseItem(r, ctx, id, name, {
        size: int(prop(r, OC('size'))) ?? int(prop(r, DAV('getcontentlength'))),
        deletedAt:
          isoFromUnix(prop(r, OC('trashbin-delete-timestamp'))) ??
          isoFromHttpDate(prop(r, OC('trashbin-delete-datetime'))),
        location,
        deletedBy: null,
      }),
    );
  },
};

/**
 * oCIS ids and folders name their space. A trash item's id is "<space id>!<key>[/<path inside>]"
 * (the resource id form oCIS itself uses; an id without "!" is in the personal space). A folder of
 * a project space is "/<space id>!/<path>"; a folder of the personal space keeps its plain path.
 */
export interface SpaceHooks {
  /** Decoded DAV path of a trash entry (null: the personal trash root). */
  trashPath(ctx: DialectContext, id: string | null): string;
  /** Decoded DAV path of a folder given as segments (a first segment "<space id>!" names a project space). */
  filesPath(ctx: DialectContext, segments: string[]): string;
  /** The space of an item id or of folder segments. */
  spaceOfItem(ctx: DialectContext, id: string): Space | null;
  spaceOfFolder(ctx: DialectContext, segments: string[]): Space | null;
  /** The trash roots to list: every space for the root, the item's space for a trashed folder. */
  listings(ctx: DialectContext, parentId: string | null): { listedPath: string; trashRootPath: string; space: Space }[];
  /** How folder segments read to the user ("Marketing › Campaigns/2025"; personal: "/Documents"). */
  show(ctx: DialectContext, segments: string[]): string;
  /** A folder's name in the picker (a project space's root: the space's name). */
  folderName(ctx: DialectContext, segments: string[]): string;
  /** The segments of a project space's root folder. */
  rootOf(space: Space): string[];
  /** Why an item may not be restored into a folder (another space; a viewer), or null. */
  restoreRefusal(ctx: DialectContext, item: TrashItem, folder: string[]): AppError | null;
  /** Why an item may not be deleted for good (only a space's managers may), or null. */
  deleteRefusal(ctx: DialectContext, item: TrashItem): AppError | null;
}

const SPACE_MARK = '!';
const spaceTrashRoot = (c: DialectContext, spaceId: string) =>
  `${c.basePath}/remote.php/dav/spaces/trash-bin/${spaceId}`;
const personalSpace = (c: DialectContext): Space =>
  c.spaces?.find((s) => s.personal) ?? { id: c.spaceId, name: 'Personal', personal: true, role: 'manager' };
const findSpace = (c: DialectContext, id: string): Space | null =>
  id === c.spaceId ? personalSpace(c) : (c.spaces?.find((s) => s.id === id) ?? null);

/** "sp$x!key/a" → { spaceId: "sp$x", rest: "key/a" }; an id without a space mark → the personal space. */
export function splitSpaceItemId(id: string): { spaceId: string | null; rest: string } {
  const mark = id.indexOf(SPACE_MARK);
  const slash = id.indexOf('/');
  if (mark <= 0 || (slash !== -1 && slash < mark)) return { spaceId: null, rest: id };
  return { spaceId: id.slice(0, mark), rest: id.slice(mark + 1) };
}

/** A first folder segment "<space id>!" of a known project space. */
function folderSpace(c: DialectContext, segments: string[]): Space | null {
  const head = segments[0];
  if (!head?.endsWith(SPACE_MARK)) return null;
  const space = findSpace(c, head.slice(0, -1));
  return space && !space.personal ? space : null;
}

const ocisSpaces: SpaceHooks = {
  trashPath(c, id) {
    if (id === null) return spaceTrashRoot(c, c.spaceId);
    const { spaceId, rest } = splitSpaceItemId(id);
    return `${spaceTrashRoot(c, spaceId ?? c.spaceId)}/${rest}`;
  },
  filesPath(c, segments) {
    const space = folderSpace(c, segments);
    const rest = space ? segments.slice(1) : segments;
    return [`${c.basePath}/remote.php/dav/spaces/${space ? space.id : c.spaceId}`, ...rest].join('/');
  },
  spaceOfItem(c, id) {
    const { spaceId } = splitSpaceItemId(id);
    return spaceId === null ? personalSpace(c) : findSpace(c, spaceId);
  },
  spaceOfFolder: (c, segments) => folderSpace(c, segments) ?? personalSpace(c),
  listings(c, parentId) {
    const spaces =
      parentId === null ? (c.spaces?.length ? c.spaces : [personalSpace(c)]) : [ocisSpaces.spaceOfItem(c, parentId)];
    return spaces.flatMap((space) => {
      if (!space) return [];
      const root = spaceTrashRoot(c, space.id);
      return [
        {
          listedPath: parentId === null ? root : `${root}/${splitSpaceItemId(parentId).rest}`,
          trashRootPath: root,
          space,
        },
      ];
    });
  },
  show(c, segments) {
    const space = folderSpace(c, segments);
    if (!space) return displayPath(segments);
    return segments.length > 1 ? `${space.name} › ${segments.slice(1).join('/')}` : space.name;
  },
  folderName(c, segments) {
    const space = folderSpace(c, segments);
    if (space && segments.length === 1) return space.name;
    return segments.length ? (segments[segments.length - 1] ?? '') : 'Home';
  },
  rootOf: (space) => (space.personal ? [] : [`${space.id}${SPACE_MARK}`]),
  restoreRefusal(c, item, folder) {
    const from = ocisSpaces.spaceOfItem(c, item.id);
    const to = ocisSpaces.spaceOfFolder(c, folder);
    if (!from) return new AppError('NOT_FOUND', 'This item is in a space you are no longer a member of.');
    if (to && from.id !== to.id) {
      // reva parses the Destination against the item's own space: another space is a 400.
      return new AppError(
        'UNSUPPORTED',
        `${item.name} is in the trash of ${from.name}: it can only be restored into a folder of ${from.name}.`,
      );
    }
    const { cannotRestore } = spaceRestrictions(from);
    return cannotRestore ? new AppError('FORBIDDEN', cannotRestore, { status: 403 }) : null;
  },
  deleteRefusal(c, item) {
    const space = ocisSpaces.spaceOfItem(c, item.id);
    const { cannotDelete } = space ? spaceRestrictions(space) : { cannotDelete: null };
    return cannotDelete ? new AppError('FORBIDDEN', cannotDelete, { status: 403 }) : null;
  },
};

/**
 * What the user's role in a space keeps them from doing with its trash, in the words the window
 * shows before anyone tries (and the refusal says if they try): viewers may not restore, and only
 * managers delete for good. An unknown role (granted through a group) is not held against them.
 */
export function spaceRestrictions(space: Pick<Space, 'name' | 'role'>): {
  cannotRestore: string | null;
  cannotDelete: string | null;
} {
  return {
    cannotRestore:
      space.role === 'viewer'
        ? `You are a viewer of ${space.name}: only its managers and editors can restore from its trash.`
        : null,
    cannotDelete:
      space.role === 'viewer' || space.role === 'editor'
        ? `You are ${space.role === 'viewer' ? 'a viewer' : 'an editor'} of ${space.name}: only its managers can delete from its trash.`
        : null,
  };
}

/** A unified role id or a legacy role name of oCIS's Graph API as what it allows in a trash. */
const ROLE_BY_ID: Record<string, SpaceRole> = {
  manager: 'manager',
  '312c0871-5ef7-4b3a-85b6-0e4074c64049': 'manager',
  editor: 'editor',
  '58c63c02-1d89-4572-916a-870abc5a1b7d': 'editor',
  '3284f2d5-0070-4ad8-ac40-c247f7c1fb27': 'editor',
  viewer: 'viewer',
  'a8d5fe5e-96e3-418d-825b-534dbdf22b99': 'viewer',
};

interface GraphDrive {
  id?: unknown;
  name?: unknown;
  driveType?: unknown;
  root?: {
    deleted?: { state?: unknown };
    permissions?: {
      roles?: unknown;
      grantedToV2?: { user?: { id?: unknown } };
      grantedToIdentities?: { user?: { id?: unknown } }[];
    }[];
  };
}

/** The user's role in a project drive from root.permissions (their own grant; unknown when granted through a group). */
function roleIn(drive: GraphDrive, meId: string | null): SpaceRole {
  let best: SpaceRole = 'unknown';
  const rank: Record<SpaceRole, number> = { unknown: 0, viewer: 1, editor: 2, manager: 3 };
  for (const p of drive.root?.permissions ?? []) {
    const ids = [p.grantedToV2?.user?.id, ...(p.grantedToIdentities ?? []).map((g) => g.user?.id)];
    if (!meId || !ids.includes(meId)) continue;
    for (const r of Array.isArray(p.roles) ? p.roles : []) {
      const role = typeof r === 'string' ? ROLE_BY_ID[r] : undefined;
      if (role && rank[role] > rank[best]) best = role;
    }
  }
  return best;
}

/**
 * The spaces whose trash is shown, from GET /graph/v1.0/me/drives: the personal drive and every
 * project drive the user is a member of; the virtual "Shares" drive, share mount points and
 * disabled spaces (root.deleted.state "trashed") are left out.
 */
export function spacesFromDrives(json: unknown, meId: string | null): Space[] {
  const value = (json as { value?: unknown } | null)?.value;
  const drives = Array.isArray(value) ? (value as GraphDrive[]) : [];
  const out: Space[] = [];
  for (const d of drives) {
    if (typeof d?.id !== 'string' || !d.id) continue;
    const name = typeof d.name === 'string' && d.name ? d.name : d.id;
    if (d.driveType === 'personal') {
      if (!out.some((s) => s.personal)) out.unshift({ id: d.id, name: 'Personal', personal: true, role: 'manager' });
    } else if (d.driveType === 'project' && d.root?.deleted?.state !== 'trashed') {
      out.push({ id: d.id, name, personal: false, role: roleIn(d, meId) });
    }
  }
  return out;
}

/**
 * oCIS (Infinite Scale): the ownCloud trash-bin properties over spaces:
 * remote.php/dav/spaces/trash-bin/<space id>/<item key>, restored by MOVE to
 * remote.php/dav/spaces/<space id>/<path> with Overwrite, like ownCloud 10. Who the user is and
 * which spaces are theirs come from the Graph API. The listing asks for allprop: reva answers a
 * named oc:size with a 404 propstat and never sends d:getcontentlength for folders, so only allprop
 * carries a trashed folder's size (oc:size); its dates are oc:trashbin-delete-timestamp (Unix) and
 * oc:trashbin-delete-datetime (RFC 1123Z).
 */
export const ocis: WebDavDialect = {
  ...owncloud10,
  kind: 'ocis',
  productName: SERVER_KINDS.ocis.productName,
  trashRoot: (c) => spaceTrashRoot(c, c.spaceId),
  filesRoot: (c) => `${c.basePath}/remote.php/dav/spaces/${c.spaceId}`,
  trashEntryFileId: listedFileId,
  trashCheckMessages: {},
  spaces: ocisSpaces,
  trashPropfind: `<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:">
  <d:allprop/>
</d:propfind>`,
  readItem(r, ctx) {
    const rel = relativeId(r, ctx);
    if (rel === null) return null;
    const space = ctx.space;
    const id = space ? `${space.id}${SPACE_MARK}${rel}` : rel;
    const location = prop(r, OC('trashbin-original-location'));
    const fromLocation = location?.replace(/\/+$/, '').split('/').pop() ?? null;
    const name = prop(r, OC('trashbin-original-filename')) ?? fromLocation ?? lastSegment(rel);
    const item = baseItem(r, ctx, id, name, {
      // Folders: oc:size (allprop); files: d:getcontentlength. Neither: unknown, never 0.
      size: int(prop(r, OC('size'))) ?? int(prop(r, DAV('getcontentlength'))),
      deletedAt:
        isoFromUnix(prop(r, OC('trashbin-delete-timestamp'))) ??
        isoFromHttpDate(prop(r, OC('trashbin-delete-datetime'))),
      location,
      deletedBy: null,
    });
    if (!space || space.personal) return item;
    // A project space: the original folder names the space.
    const segments =
      item.originalFolderId === null ? null : [`${space.id}${SPACE_MARK}`, ...folderSegmentsOf(item.originalFolderId)];
    return {
      ...item,
      originalFolder: segments
        ? segments.length > 1
          ? `${space.name} › ${segments.slice(1).join('/')}`
          : space.name
        : space.name,
      originalFolderId: segments ? displayPath(segments) : null,
    };
  },
  async whoAmI(io, ctx, known, signal) {
    const res = await io.get(`${ctx.basePath}/graph/v1.0/me`, { headers: { Accept: 'application/json' }, signal });
    if (res.status !== 200) throw await io.failure(res);
    const me = (await res.json().catch(() => null)) as {
      id?: unknown;
      displayName?: unknown;
      onPremisesSamAccountName?: unknown;
    } | null;
    const userId =
      typeof me?.onPremisesSamAccountName === 'string'
        ? me.onPremisesSamAccountName
        : typeof me?.id === 'string'
          ? me.id
          : known.userId;
    return { userId, userName: typeof me?.displayName === 'string' && me.displayName ? me.displayName : userId };
  },
  async prepare(io, ctx, signal) {
    const meRes = await io.get(`${ctx.basePath}/graph/v1.0/me`, { headers: { Accept: 'application/json' }, signal });
    const me =
      meRes.status === 200
        ? ((await meRes.json().catch(() => null)) as { id?: unknown } | null)
        : (await meRes.body?.cancel(), null);
    const res = await io.get(`${ctx.basePath}/graph/v1.0/me/drives`, {
      headers: { Accept: 'application/json' },
      signal,
    });
    if (res.status !== 200) throw await io.failure(res);
    const spaces = spacesFromDrives(await res.json().catch(() => null), typeof me?.id === 'string' ? me.id : null);
    const personal = spaces.find((s) => s.personal);
    if (!personal) throw new AppError('UNSUPPORTED', 'This Infinite Scale account has no personal space.');
    return { spaceId: personal.id, spaces };
  },
};

const folderSegmentsOf = (folderId: string) => folderId.split('/').filter((p) => p !== '');

export const dialects: Record<WebDavKind, WebDavDialect> = { owncloud10, nextcloud, ocis };

/** A content type that says something about the file, or null ('application/octet-stream' does not). */
function knownType(type: string | null): string | null {
  return type && type.split(';')[0]!.trim().toLowerCase() !== 'application/octet-stream' ? type : null;
}
