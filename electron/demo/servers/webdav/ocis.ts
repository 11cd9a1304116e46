import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileTree, SpaceRole, TrashEntry, TreeNode, TreeUser } from '../tree';
import type { ActivityLog } from './activity';
import { collectionEntry, DAV, destination, OC, origin, sendPageNotFound } from './common';
import { ocisKey, ocisSpaceId } from './ids';
import { KindFrontEnd } from './kindFrontEnd';
import { OcsApi } from './ocs';
import { OidcProvider } from './oidc';
import {
  basicAuth,
  COLLECTION,
  depthOf,
  EMPTY,
  NS_DAV,
  NS_OC,
  NS_SABRE,
  parsePropfind,
  responseXml,
  revaErrorBody,
  SABRE,
  sabreEncode,
  sendEmpty,
  sendJson,
  sendMultistatus,
  sendSabreError,
  text,
  type DavEntry,
  type PropRequest,
  type PropValue,
} from './sabre';
import { ownCloudTrashProps } from './trash';

const OC_DAV_HEADER = '1, 3, extended-mkcol';

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

/**
 * oCIS over the shared file tree: status.php, its identity provider (oidc.ts) and bearer tokens,
 * the Graph API (the user, their drives), OCS, and the spaces: remote.php/dav/spaces/<space id>
 * with the files tree and remote.php/dav/spaces/trash-bin/<space id>/<key> for each space's trash.
 */
export class OcisFrontEnd extends KindFrontEnd {
  readonly kind = 'ocis';
  readonly namespaces = [NS_DAV, NS_SABRE, NS_OC];
  readonly davHeaders = { DAV: OC_DAV_HEADER };
  protected readonly status = OCIS_STATUS;
  private readonly ocs = new OcsApi(this);

  constructor(
    tree: FileTree,
    activity: ActivityLog,
    private readonly oidc: OidcProvider,
  ) {
    super(tree, activity);
  }

  protected route(req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: Buffer): void {
    const rawPath = url.pathname;
    if (rawPath.startsWith('/graph/')) return this.graph(req, res, rawPath, method);
    if (OidcProvider.serves(rawPath)) return this.oidc.serve(req, res, url, method, body);
    if (/^\/ocs\/v[12]\.php\//.test(rawPath)) return this.ocs.serve(req, res, url, method);
    if (rawPath === '/remote.php/dav' || rawPath.startsWith('/remote.php/dav/'))
      return this.dav(req, res, rawPath, method, body);
    sendPageNotFound(res);
  }

  /** Basic, or a bearer token: one of the identity provider's access tokens, or an app password. */
  override authenticate(req: IncomingMessage): TreeUser | null {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) {
      const access = this.oidc.accessToken(bearer);
      if (access) return access.expiresAt > Date.now() ? (this.tree.users.get(access.user) ?? null) : null;
      return [...this.tree.users.values()].find((u) => u.appPasswords.includes(bearer)) ?? null;
    }
    const creds = basicAuth(req);
    return creds ? this.tree.authenticate(creds.user, creds.secret) : null;
  }

  private graph(req: IncomingMessage, res: ServerResponse, rawPath: string, method: string): void {
    const user = this.authenticate(req);
    if (!user) {
      return sendJson(res, 401, { error: { code: 'unauthenticated', message: 'Unauthorized' } }, 'application/json', {
        'WWW-Authenticate': 'Basic realm="Infinite Scale", charset="UTF-8"',
      });
    }
    if (method === 'GET' && rawPath === '/graph/v1.0/me') {
      return sendJson(res, 200, {
        id: `uuid-${user.id}`,
        displayName: user.displayName,
        mail: user.email,
        onPremisesSamAccountName: user.id,
      });
    }
    if (method === 'GET' && (rawPath === '/graph/v1.0/me/drives' || rawPath === '/graph/v1beta1/me/drives')) {
      const spaceId = ocisSpaceId(user.id);
      const webDavUrl = (id: string) => `${origin(req)}/remote.php/dav/spaces/${encodeURIComponent(id)}`;
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
              grantedToV2: {
                user: { id: `uuid-${member}`, displayName: this.tree.users.get(member)?.displayName ?? member },
              },
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
        root: {
          id: 'a0ca6a90-a365-4782-871e-d44447bbc668$a0ca6a90-a365-4782-871e-d44447bbc668',
          webDavUrl: webDavUrl('a0ca6a90-a365-4782-871e-d44447bbc668$a0ca6a90-a365-4782-871e-d44447bbc668'),
        },
      });
      return sendJson(res, 200, { value: drives });
    }
    return sendJson(res, 404, { error: { code: 'itemNotFound', message: 'not found' } });
  }

  /**
   * The space a request names, as the tree user holding its files, with the caller's role; null when
   * the caller is no member (reva answers as if it did not exist) or the space is disabled.
   */
  private space(user: TreeUser, spaceId: string): { owner: TreeUser; role: SpaceRole } | null {
    if (spaceId === ocisSpaceId(user.id)) return { owner: user, role: 'manager' };
    const space = this.tree.spaces.get(spaceId);
    const role = space?.members[user.id];
    if (!space || !role || space.disabled) return null;
    return { owner: this.tree.user(space.id), role };
  }

  protected davAreas(
    req: IncomingMessage,
    res: ServerResponse,
    user: TreeUser,
    parts: string[],
    method: string,
    body: Buffer,
  ): void {
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
        return sendMultistatus(
          res,
          this.head() +
            responseXml(collectionEntry(`/remote.php/dav/spaces/trash-bin/${spaceId}/`), request) +
            '</d:multistatus>\n',
          {},
        );
      }
      const space = this.space(user, spaceId);
      if (!space) return sendSabreError(res, 404, SABRE.NotFound, 'space not found');
      return this.trash(req, res, space.owner, space.role, spaceId, rest, method, body);
    }
    const space = this.space(user, second);
    if (!space) return sendSabreError(res, 404, SABRE.NotFound, 'space not found');
    if (space.role === 'viewer' && !['PROPFIND', 'GET', 'HEAD'].includes(method)) {
      return sendRevaError(res, 403, 'Sabre\\DAV\\Exception\\Forbidden', 'permission denied');
    }
    return this.files.serve(req, res, space.owner, more, method, body);
  }

  /** Resolves <key>/<name>/<name>... inside a space's trash (owner: the tree user holding the space). */
  private trashItem(owner: TreeUser, rest: string[]): { entry: TrashEntry; node: TreeNode } | null {
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
  private trashEntry(spaceId: string, entry: TrashEntry, node: TreeNode, request: PropRequest): DavEntry {
    const isFolder = node.kind === 'folder';
    const inner = this.tree.pathInEntry(node.id);
    const href = sabreEncode(
      `/remote.php/dav/spaces/trash-bin/${spaceId}/${ocisKey(entry.nodeId)}${inner ? `/${inner}` : ''}${isFolder ? '/' : ''}`,
    );
    const trashProp = ownCloudTrashProps(node, entry, inner, (ms) =>
      new Date(ms).toUTCString().replace(/ GMT$/, ' +0000'),
    );
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

  private trash(
    req: IncomingMessage,
    res: ServerResponse,
    owner: TreeUser,
    role: SpaceRole,
    spaceId: string,
    rest: string[],
    method: string,
    body: Buffer,
  ): void {
    if (method === 'PROPFIND') {
      const request = parsePropfind(body);
      if (!request) return sendSabreError(res, 400, SABRE.BadRequest, 'The request body could not be read');
      const depth = depthOf(req);
      if (depth === 'infinity') return sendSabreError(res, 400, SABRE.BadRequest, 'Depth infinity is not supported');
      const rows: string[] = [];
      if (rest.length === 0) {
        rows.push(responseXml(collectionEntry(`/remote.php/dav/spaces/trash-bin/${spaceId}/`), request));
        for (const e of this.tree.trashOf(owner.id))
          rows.push(responseXml(this.trashEntry(spaceId, e, this.tree.node(e.nodeId), request), request));
      } else {
        const found = this.trashItem(owner, rest);
        if (!found) return sendSabreError(res, 404, SABRE.NotFound, 'not found');
        rows.push(responseXml(this.trashEntry(spaceId, found.entry, found.node, request), request));
        if (depth === '1')
          for (const c of this.tree.children(found.node.id))
            rows.push(responseXml(this.trashEntry(spaceId, found.entry, c, request), request));
      }
      return sendMultistatus(res, this.head() + rows.join('') + '</d:multistatus>\n', {});
    }
    if (method === 'MOVE') {
      const found = this.trashItem(owner, rest);
      if (!found) return sendSabreError(res, 404, SABRE.NotFound, 'not found');
      const dest = destination(req, res);
      if (!dest) return;
      // spaces.go handleSpacesTrashbin: the Destination is parsed against this space's own base URI
      // (net.ParseDestination); another space's URL does not contain it: 400 with no body.
      if (dest.area !== 'spaces' || dest.owner !== spaceId) return sendEmpty(res, 400);
      // RestoreRecycleItem needs the RestoreRecycleItem permission (space managers and editors).
      if (role === 'viewer')
        return sendRevaError(res, 403, 'Sabre\\DAV\\Exception\\Forbidden', 'Permission denied to restore');
      return this.files.placeInFiles(req, res, owner, found.node, dest.rest, 'restore');
    }
    if (method === 'DELETE') {
      // PurgeRecycle: space managers only (and the owner of a personal space).
      if (role !== 'manager')
        return sendRevaError(
          res,
          403,
          'Sabre\\DAV\\Exception\\Forbidden',
          rest.length === 0 ? 'Permission denied to purge recycle' : 'Permission denied to delete',
        );
      if (rest.length === 0) {
        this.tree.emptyTrash(owner.id);
        return sendEmpty(res, 204);
      }
      const found = this.trashItem(owner, rest);
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
  res.writeHead(status, {
    'Content-Type': 'application/xml; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** oCIS's unified role ids (ocis services/graph unifiedrole) for space members. */
const UNIFIED_ROLE: Record<SpaceRole, string> = {
  manager: '312c0871-5ef7-4b3a-85b6-0e4074c64049',
  editor: '58c63c02-1d89-4572-916a-870abc5a1b7d',
  viewer: 'a8d5fe5e-96e3-418d-825b-534dbdf22b99',
};
