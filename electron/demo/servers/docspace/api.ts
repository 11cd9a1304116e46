import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Handler } from '../http';
import { FileTree, type TreeNode } from '../tree';
import { isPreviewableImage, previewPng } from '../png';
import { Dtos, extOf, fileTypeOf, shortDateTime } from './dto';
import { seedTestPortal } from './seed';
import { DocSpaceState, type DsUser, type Operation } from './state';

/**
 * A protocol-faithful ONLYOFFICE DocSpace test server: the /api/2.0 routes Salvage uses, with the
 * server's envelopes, omitted nulls, numeric enums, paging limits (count 1..100), API-key auth with
 * scopes (a missing scope is a bare 403), background file operations that advance over time and
 * report their finished state once, the conflict pre-check, Skip as the default conflict
 * behaviour, folder merges, terminate, file versions (edit/history, history, restoreversion,
 * saveediting; Overwrite keeps the replaced version), and 401/403/404/429 answers. Not listening:
 * demo mode serves it as it is (demo.ts); tests start it with the control API (server.ts:
 * /__control/ seeds, resets and injects latency and faults).
 */

export interface DocSpaceOptions {
  /** How long one operation step (one top-level item) takes. */
  opItemMs?: number;
  /** Builds the initial state (also after /__control/reset). Defaults to the small test portal. */
  seed?: (state: DocSpaceState) => void;
  /** Requests per user per minute before 429 (the portal's sliding window, 1500 by default there). Off when absent. */
  requestsPerMinute?: number;
  version?: string;
  /** Behave like an older portal: ignore `returnSingleOperation`, `single` and the `?id=` filter of GET fileops. */
  legacy?: boolean;
  /**
   * Benchmarks only: keep rendered GET answers until the state changes, so a run measures the
   * client and the latency rather than this server's JSON rendering.
   */
  cacheResponses?: boolean;
}

export interface DocSpaceInstance {
  tree: FileTree;
  state: DocSpaceState;
  /** Puts the portal back into its initial state (the seed); already done. */
  initialise(): void;
  /** The front end; its links name `baseUrl()`, read per request (the URL is known once listening). */
  handler(baseUrl: () => string): Handler;
  /** Stops the background operations' timers. */
  stop(): void;
}

const DEFAULT_VERSION = '3.7.2.1813';

/** Concurrency limits of ASC.Api.Core's rate limiter (RateLimiterSettings defaults). */
const MAX_CONCURRENT_GETS = 50;
const MAX_CONCURRENT_WRITES = 15;

/** A DocSpace portal's state and front end, seeded, not yet listening. */
export function createDocSpace(options: DocSpaceOptions = {}): DocSpaceInstance {
  const tree = new FileTree();
  const state = new DocSpaceState(tree);
  const seed = options.seed ?? seedTestPortal;
  const initialise = () => {
    state.clear();
    state.init();
    seed(state);
    if (options.opItemMs !== undefined) state.opItemMs = options.opItemMs;
  };
  initialise();
  return {
    tree,
    state,
    initialise,
    handler: (baseUrl) => {
      const api = new DocSpaceApiHandler(state, baseUrl, options);
      return (req, res, body) => api.handle(req, res, body);
    },
    stop: () => {
      for (const op of state.ops.values()) if (op.timer) clearTimeout(op.timer);
    },
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'System.InvalidOperationException',
  ) {
    super(message);
  }
}

const NOT_FOUND_FOLDER = 'The required folder was not found';
const NOT_FOUND_FILE = 'The required file was not found';
const HRESULTS: Record<string, number> = {
  'System.InvalidOperationException': -2146233079,
  'System.ArgumentException': -2147024809,
  'System.ArgumentNullException': -2147467261,
  'System.IO.FileNotFoundException': -2147024894,
  'System.Security.SecurityException': -2146233078,
  'ASC.Common.Web.ItemNotFoundException': -2146233088,
};

/** FilesCommonResource texts the version routes answer with. */
const READ_FILE_DENIED = "You don't have enough permission to view the file";
const SAME_VERSION = 'The new version cannot be the same as the current one';

/** Whether a DocSpace version string ("3.7.2.1813") is at least major.minor; unparsable ones count as current. */
function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return true;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

type Body = Record<string, unknown>;

class DocSpaceApiHandler {
  private readonly dto: Dtos;
  private readonly inflight = new Map<string, { gets: number; writes: number }>();
  private readonly window = new Map<string, number[]>();
  private listCache = new Map<string, TreeNode[]>();
  private listCacheStamp = '';
  private rendered = new Map<string, string>();
  private renderedStamp = '';

  private renderKey(req: IncomingMessage): string {
    if (this.renderedStamp !== this.state.stamp()) {
      this.rendered = new Map();
      this.renderedStamp = this.state.stamp();
    }
    return `${req.headers.authorization ?? ''} ${req.url ?? ''}`;
  }

  constructor(
    private readonly state: DocSpaceState,
    private readonly baseUrl: () => string,
    private readonly options: DocSpaceOptions,
  ) {
    this.dto = new Dtos(state, baseUrl);
  }

  async handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === '/filehandler.ashx' && method === 'GET') return this.fileHandler(req, res, url);
    if (!url.pathname.startsWith('/api/2.0/')) return this.empty(res, 404);
    const route = url.pathname.slice('/api/2.0/'.length).split('/').map(decodeURIComponent).join('/');

    // Anonymous routes.
    if (method === 'GET' && route === 'settings/version/build') {
      return this.ok(req, res, { docSpace: this.options.version ?? DEFAULT_VERSION, documentServer: '9.1.0.173', mailServer: '1.6.75' });
    }
    if (method === 'GET' && (route === 'capabilities.json' || route === 'capabilities')) {
      return this.ok(req, res, { ldapEnabled: false, providers: [], ssoLabel: '', oauthEnabled: true, ssoUrl: '', identityServerEnabled: true });
    }

    // Bearer API key.
    const auth = req.headers.authorization ?? '';
    const key = auth.startsWith('Bearer ') ? this.state.keys.get(auth.slice(7).trim()) : undefined;
    if (!key || key.expired) return this.empty(res, 401);
    const user = this.state.users.get(key.user);
    if (!user) return this.empty(res, 401);
    const required = requiredScopes(method, route);
    if (required && !required.some((s) => key.scopes.includes(s))) return this.empty(res, 403);

    if (this.options.cacheResponses && method === 'GET') {
      const hit = this.rendered.get(this.renderKey(req));
      if (hit) {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(hit) });
        return void res.end(hit);
      }
    }

    // Rate limits: per-user sliding window (optional) and concurrency.
    if (this.options.requestsPerMinute) {
      const now = Date.now();
      const seen = (this.window.get(user.id) ?? []).filter((t) => now - t < 60_000);
      if (seen.length >= this.options.requestsPerMinute) {
        const retry = Math.max(1, Math.ceil((seen[0]! + 60_000 - now) / 1000));
        this.window.set(user.id, seen);
        res.writeHead(429, { 'Retry-After': String(retry), 'X-RateLimit-Limit': String(this.options.requestsPerMinute), 'X-RateLimit-Remaining': '0' });
        return void res.end();
      }
      seen.push(now);
      this.window.set(user.id, seen);
    }
    const slot = this.inflight.get(user.id) ?? { gets: 0, writes: 0 };
    this.inflight.set(user.id, slot);
    const isGet = method === 'GET';
    if (isGet ? slot.gets >= MAX_CONCURRENT_GETS : slot.writes >= MAX_CONCURRENT_WRITES) return this.empty(res, 429);
    if (isGet) slot.gets++;
    else slot.writes++;
    try {
      let body: Body = {};
      const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
      // File content (saveediting) comes as multipart/form-data or a bare stream, not JSON.
      const isContent = contentType.startsWith('multipart/') || contentType.startsWith('application/octet-stream');
      if (raw.length && !isContent) {
        try {
          body = JSON.parse(raw.toString('utf8')) as Body;
        } catch {
          throw new HttpError(400, 'Invalid arguments', 'System.ArgumentException');
        }
      }
      await this.route(req, res, method, route, url.searchParams, body, user, isContent ? raw : null);
    } catch (e) {
      if (e instanceof ValidationError) {
        // [ApiController] model validation: the ValidationProblemDetails travels in the success envelope with status 1.
        const text = JSON.stringify({
          response: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title: e.message, status: 400, errors: e.errors },
          count: 1,
          links: [{ href: `${this.baseUrl()}${req.url ?? ''}`, action: method }],
          status: 1,
          statusCode: 400,
        });
        res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
        return void res.end(text);
      }
      if (e instanceof HttpError) return this.error(res, e.status, e.message, e.type);
      throw e;
    } finally {
      if (isGet) slot.gets--;
      else slot.writes--;
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, method: string, route: string, q: URLSearchParams, body: Body, user: DsUser, content: Buffer | null) {
    const ok = (value: unknown) => this.ok(req, res, value);
    let m: RegExpExecArray | null;
    switch (`${method} ${route}`) {
      case 'GET people/@self':
        return ok(this.dto.self(user));
      case 'GET files/@trash':
        return ok(this.listing(user, null, q));
      case 'GET files/@my':
        return ok(this.listing(user, this.state.tree.node(this.state.myRoot(user.id)), q));
      case 'GET files/rooms':
        return ok(this.listing(user, this.state.tree.node(this.state.roomsRootId), q));
      case 'GET files/settings/autocleanup':
        return ok({ isAutoCleanUp: user.autoCleanup.isAutoCleanUp, gap: user.autoCleanup.gap });
      case 'GET files/fileops':
        return ok(this.results(user, this.options.legacy ? undefined : q.get('id') || undefined));
      case 'GET files/fileops/move':
        return ok(this.checkMove(user, q));
      case 'PUT files/fileops/move':
        return ok(this.startMove(user, body));
      case 'PUT files/fileops/delete':
        return ok(this.startDelete(user, body));
      case 'PUT files/fileops/emptytrash':
        return ok(this.startEmpty(user, q.get('single') === 'true' || body.single === true));
      case 'PUT files/fileops/terminate':
        return ok(this.terminate(user, undefined));
    }
    if (method === 'PUT' && (m = /^files\/fileops\/terminate\/(.+)$/.exec(route))) return ok(this.terminate(user, m[1]!));
    if (method === 'GET' && (m = /^files\/folder\/(\d+)\/path$/.exec(route))) return ok(this.path(user, Number(m[1])));
    if (method === 'GET' && (m = /^files\/folder\/(\d+)$/.exec(route))) return ok(this.folderInfo(user, Number(m[1])));
    if (method === 'POST' && (m = /^files\/folder\/(\d+)$/.exec(route))) return ok(this.createFolder(user, Number(m[1]), body));
    if (method === 'GET' && (m = /^files\/file\/(\d+)$/.exec(route))) {
      // ?version=N answers that version (FileStorageService.GetFileAsync); 0 or absent: the current one.
      const node = this.state.node(Number(m[1]));
      if (!node || node.kind !== 'file') throw new HttpError(404, NOT_FOUND_FILE, 'ASC.Common.Web.ItemNotFoundException');
      const asked = Number(q.get('version') ?? 0) || 0;
      if (asked > 0) {
        const v = this.state.versionsOf(node).find((x) => x.version === asked);
        if (!v) throw new HttpError(404, NOT_FOUND_FILE, 'ASC.Common.Web.ItemNotFoundException');
        return ok(this.dto.file(node, user, v));
      }
      return ok(this.dto.file(node, user));
    }
    if (method === 'GET' && (m = /^files\/file\/(\d+)\/edit\/history$/.exec(route))) return ok(this.editHistory(user, Number(m[1])));
    if (method === 'GET' && (m = /^files\/file\/(\d+)\/history$/.exec(route))) return ok(this.fileVersions(user, Number(m[1])));
    if ((m = /^files\/file\/(\d+)\/restoreversion$/.exec(route))) {
      // GET up to DocSpace 3.5, POST from 3.6 on (DocSpace-server commit 6d2f974, "fix bug 78027").
      const expected = versionAtLeast(this.options.version ?? DEFAULT_VERSION, 3, 6) ? 'POST' : 'GET';
      if (method !== expected) {
        res.writeHead(405, { Allow: expected, 'Content-Length': '0' });
        return void res.end();
      }
      return ok(this.restoreVersion(user, Number(m[1]), q));
    }
    if (method === 'PUT' && (m = /^files\/file\/(\d+)\/saveediting$/.exec(route))) {
      return ok(this.saveEditing(user, Number(m[1]), content ?? Buffer.alloc(0), String(req.headers['content-type'] ?? '')));
    }
    if (method === 'GET' && (m = /^files\/(\d+)$/.exec(route))) {
      const id = Number(m[1]);
      if (id === user.trashId) return ok(this.listing(user, null, q));
      const node = this.state.node(id);
      if (!node || node.kind !== 'folder') throw new HttpError(404, NOT_FOUND_FOLDER, 'ASC.Common.Web.ItemNotFoundException');
      return ok(this.listing(user, node, q));
    }
    return this.empty(res, 404);
  }

  // ——— envelopes ———

  private ok(req: IncomingMessage, res: ServerResponse, response: unknown, total?: number) {
    const count = Array.isArray(response) ? response.length : response === null || response === undefined ? 0 : 1;
    const envelope = {
      response,
      count,
      links: [{ href: `${this.baseUrl()}${req.url ?? ''}`, action: req.method ?? 'GET' }],
      status: 0,
      statusCode: 200,
      ...(total !== undefined ? { total } : {}),
    };
    const text = JSON.stringify(envelope);
    if (this.options.cacheResponses && req.method === 'GET') this.rendered.set(this.renderKey(req), text);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private error(res: ServerResponse, status: number, message: string, type: string) {
    const text = JSON.stringify({
      error: { message, type, stack: `   at ASC.Files (test server)`, hresult: HRESULTS[type] ?? -2146233088 },
      status: 1,
      statusCode: status,
    });
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  /**
   * FileHandler.ashx, the action=thumb part (ThumbnailFile): fileid and an optional version; 404
   * for an unknown file, 204 while the thumbnail is not Created, else the stored thumbnail. This
   * portal is configured with files:thumbnail:exts "png" (the default is webp), so thumbnails are
   * image/png. Other actions are not served here (400 as the handler's default case).
   */
  private fileHandler(req: IncomingMessage, res: ServerResponse, url: URL) {
    const auth = req.headers.authorization ?? '';
    const key = auth.startsWith('Bearer ') ? this.state.keys.get(auth.slice(7).trim()) : undefined;
    if (!key || key.expired || !this.state.users.get(key.user)) return this.empty(res, 401);
    if ((url.searchParams.get('action') ?? '').toLowerCase() !== 'thumb') return this.empty(res, 400);
    const node = this.state.node(Number(url.searchParams.get('fileid')));
    if (!node || node.kind !== 'file') return this.empty(res, 404);
    if (!isPreviewableImage(node.contentType)) return this.empty(res, 204);
    const png = previewPng(node.id);
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Disposition': 'attachment; filename="thumb.png"', 'Content-Length': String(png.length) });
    res.end(png);
  }

  private empty(res: ServerResponse, status: number) {
    res.writeHead(status, { 'Content-Length': '0' });
    res.end();
  }

  // ——— listings ———

  private listing(user: DsUser, folder: TreeNode | null, q: URLSearchParams) {
    const count = q.has('count') ? Number(q.get('count')) : 100;
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      // [Range(1, ApiContext.MaxCount)] on `count`: model validation answers 400 inside the success envelope.
      throw new ValidationError({ Count: [`The field Count must be between 1 and 100.`] });
    }
    const startIndex = Math.max(0, Number(q.get('startIndex') ?? 0) || 0);
    const isTrash = folder === null;
    const sorted = this.sortedEntries(user, folder, q, isTrash);
    const page = sorted.slice(startIndex, startIndex + count);
    const current = isTrash ? this.dto.trashFolder(user) : this.dto.folder(folder, user);
    const pathParts = isTrash
      ? [{ id: user.trashId, title: 'Trash' }]
      : this.crumbs(user, folder).map((n) => ({ id: n.id, title: n.title }));
    return {
      files: page.filter((n) => n.kind === 'file').map((n) => this.dto.file(n, user)),
      folders: page.filter((n) => n.kind === 'folder').map((n) => this.dto.folder(n, user)),
      current,
      pathParts,
      startIndex,
      count: page.length,
      total: sorted.length,
      new: 0,
    };
  }

  private sortedEntries(user: DsUser, folder: TreeNode | null, q: URLSearchParams, isTrash: boolean): TreeNode[] {
    if (this.listCacheStamp !== this.state.stamp()) {
      this.listCache = new Map();
      this.listCacheStamp = this.state.stamp();
    }
    const filterType = Number(q.get('filterType') ?? 0) || 0;
    const filterValue = (q.get('filterValue') ?? '').trim().toLowerCase();
    const sortBy = (q.get('sortBy') ?? (isTrash ? 'DateAndTime' : 'AZ')).toLowerCase();
    const order = (q.get('sortOrder') ?? (isTrash ? 'descending' : 'ascending')).toLowerCase();
    const key = [user.id, folder?.id ?? 'trash', filterType, filterValue, sortBy, order].join('|');
    const cached = this.listCache.get(key);
    if (cached) return cached;
    let nodes = isTrash ? [...this.state.trashOf(user.id)] : this.state.childrenOf(folder!.id);
    const title = (n: TreeNode) => this.state.title(n);
    nodes = nodes.filter((n) => {
      if (filterValue && !title(n).toLowerCase().includes(filterValue)) return false;
      switch (filterType) {
        case 1:
          return n.kind === 'file';
        case 2:
          return n.kind === 'folder';
        case 3:
          return n.kind === 'file' && fileTypeOf(title(n)) === 7;
        case 4:
          return n.kind === 'file' && fileTypeOf(title(n)) === 6;
        case 5:
          return n.kind === 'file' && fileTypeOf(title(n)) === 5;
        case 7:
          return n.kind === 'file' && fileTypeOf(title(n)) === 4;
        case 22:
          return n.kind === 'file' && extOf(title(n)) === '.pdf';
        default:
          return true;
      }
    });
    const dir = order === 'descending' || order === '1' ? -1 : 1;
    const cmp: (a: TreeNode, b: TreeNode) => number =
      sortBy === 'size'
        ? (a, b) => a.size - b.size
        : sortBy === 'dateandtime'
          ? (a, b) => a.mtime - b.mtime
          : sortBy === 'type'
            ? (a, b) => extOf(title(a)).localeCompare(extOf(title(b)))
            : (a, b) => title(a).localeCompare(title(b));
    nodes.sort((a, b) => (a.kind !== b.kind ? (a.kind === 'folder' ? -1 : 1) : dir * cmp(a, b) || a.id - b.id));
    if (this.listCache.size > 32) this.listCache.clear();
    this.listCache.set(key, nodes);
    return nodes;
  }

  private crumbs(user: DsUser, node: TreeNode): { id: number; title: string; node: TreeNode | null }[] {
    const chain: TreeNode[] = [];
    for (let n: TreeNode | null = node; n; n = n.parent === null ? null : this.state.tree.node(n.parent)) chain.unshift(n);
    const out: { id: number; title: string; node: TreeNode | null }[] = [];
    if (node.trashEntry !== null) out.push({ id: user.trashId, title: 'Trash', node: null });
    for (const n of chain) {
      const isMyRoot = n.parent === null && n.trashEntry === null && n.id !== this.state.roomsRootId;
      out.push({ id: n.id, title: isMyRoot ? 'My documents' : n.id === this.state.roomsRootId ? 'Rooms' : this.state.title(n), node: n });
    }
    return out;
  }

  private path(user: DsUser, id: number) {
    const node = this.state.node(id);
    if (!node || node.kind !== 'folder') throw new HttpError(404, NOT_FOUND_FOLDER, 'ASC.Common.Web.ItemNotFoundException');
    return this.crumbs(user, node).map((c) => (c.node ? this.dto.folder(c.node, user) : this.dto.trashFolder(user)));
  }

  private folderInfo(user: DsUser, id: number) {
    if (id === user.trashId) return this.dto.trashFolder(user);
    const node = this.state.node(id);
    if (!node || node.kind !== 'folder') throw new HttpError(404, 'Folder not found', 'ASC.Common.Web.ItemNotFoundException');
    return this.dto.folder(node, user);
  }

  private createFolder(user: DsUser, parentId: number, body: Body) {
    const title = typeof body.title === 'string' ? body.title.trim() : '';
    if (!title) throw new HttpError(400, 'Title can not be empty', 'System.ArgumentException');
    const parent = this.state.node(parentId);
    if (!parent || parent.kind !== 'folder') throw new HttpError(404, NOT_FOUND_FOLDER, 'ASC.Common.Web.ItemNotFoundException');
    if (!this.state.canWriteInto(parent)) throw new HttpError(403, "You don't have enough permission to create");
    return this.dto.folder(this.state.addFolder(parent.id, title, { by: user.id }), user);
  }

  // ——— file versions ———

  /** A live or trashed file by id, or null (folders and unknown ids). */
  private fileNode(id: number): TreeNode | null {
    const node = this.state.node(id);
    return node && node.kind === 'file' ? node : null;
  }

  /**
   * FileSecurity for the version routes: the Trash section allows only Read, Delete and Move (no
   * ReadHistory or EditHistory); a room without write access gives no EditHistory.
   */
  private canEditHistory(node: TreeNode): boolean {
    if (node.trashEntry !== null) return false;
    return this.state.canWriteInto(this.state.tree.node(node.parent!));
  }

  /** GET file/{id}/edit/history: EditHistoryDto per version, oldest first (FileStorageService.GetEditHistoryAsync). */
  private editHistory(user: DsUser, id: number) {
    const node = this.fileNode(id);
    if (!node) throw new HttpError(404, NOT_FOUND_FILE, 'ASC.Common.Web.ItemNotFoundException');
    if (node.trashEntry !== null) throw new HttpError(403, READ_FILE_DENIED);
    return this.state.versionsOf(node).map((v) => this.dto.editHistory(node, v));
  }

  /** GET file/{id}/history: FileDto per version, newest first (GetFileHistoryAsync; no file is a failed ReadHistory check). */
  private fileVersions(user: DsUser, id: number) {
    const node = this.fileNode(id);
    if (!node || node.trashEntry !== null) throw new HttpError(403, READ_FILE_DENIED);
    return [...this.state.versionsOf(node)].reverse().map((v) => this.dto.file(node, user, v));
  }

  /**
   * POST file/{id}/restoreversion?version=N (EntryManager.UpdateToVersionFileAsync): a NEW version
   * with version N's content and size (version and versionGroup one above the current, comment
   * "Restored from the revision of <N's time>", modified now by the caller); the other versions
   * stay. Answers the file's edit history after the restore. `url` (restore from a document-server
   * link) is not modelled.
   */
  private restoreVersion(user: DsUser, id: number, q: URLSearchParams) {
    const asked = Number(q.get('version') ?? 0);
    if (!Number.isInteger(asked) || asked < 1) throw new HttpError(400, "Value cannot be null. (Parameter 'version')", 'System.ArgumentNullException');
    const node = this.fileNode(id);
    if (!node) throw new HttpError(404, NOT_FOUND_FILE, 'System.IO.FileNotFoundException');
    const history = this.state.versionsOf(node);
    const current = history[history.length - 1]!;
    if (asked === current.version) throw new HttpError(400, SAME_VERSION, 'System.ArgumentException');
    // A version above the current one reads as the current one (Math.Min in UpdateToVersionFileAsync).
    const from = history.find((v) => v.version === Math.min(current.version, asked));
    if (!from) throw new HttpError(404, NOT_FOUND_FILE, 'System.IO.FileNotFoundException');
    if (!this.canEditHistory(node)) throw new HttpError(403, 'Access denied', 'System.Security.SecurityException');
    this.state.saveVersion(node, from.size, user.id, `Restored from the revision of ${shortDateTime(from.modifiedOn)}`);
    return this.state.versionsOf(node).map((v) => this.dto.editHistory(node, v));
  }

  /**
   * PUT file/{id}/saveediting (EditorController.SaveEditingFileFromForm → EntryManager.SaveEditingAsync
   * without forcesave): the "File" part of a multipart/form-data body (or the bare body) becomes a new
   * version (version and versionGroup + 1, comment "Edited"); answers the file's FileDto.
   */
  private saveEditing(user: DsUser, id: number, content: Buffer, contentType: string) {
    const node = this.fileNode(id);
    if (!node) throw new HttpError(404, NOT_FOUND_FILE, 'System.IO.FileNotFoundException');
    if (!this.canEditHistory(node)) throw new HttpError(403, 'Access denied', 'System.Security.SecurityException');
    const file = /^multipart\/form-data/i.test(contentType) ? multipartPart(content, contentType, 'File') : content;
    this.state.saveVersion(node, file?.length ?? 0, user.id, 'Edited');
    return this.dto.file(node, user);
  }

  // ——— operations ———

  private ids(value: unknown): number[] {
    if (!Array.isArray(value)) return [];
    return value.map((v) => Number(v)).filter((n) => Number.isInteger(n));
  }

  private checkMove(user: DsUser, q: URLSearchParams) {
    const dest = this.state.node(Number(q.get('destFolderId')));
    if (!dest || dest.kind !== 'folder' || dest.trashEntry !== null) throw new HttpError(403, NOT_FOUND_FOLDER);
    if (!this.state.canWriteInto(dest)) throw new HttpError(403, "You don't have enough permission to create");
    const list = (name: string) => [...q.getAll(name), ...q.getAll(`${name}[]`)].map(Number).filter((n) => Number.isInteger(n));
    const out: unknown[] = [];
    for (const id of list('fileIds')) {
      const node = this.state.node(id);
      if (node?.kind === 'file' && this.state.childByTitle(dest.id, this.state.title(node), 'file')) out.push(this.dto.file(node, user));
    }
    for (const id of list('folderIds')) {
      const node = this.state.node(id);
      if (node?.kind !== 'folder') continue;
      for (let p: TreeNode | null = dest; p; p = p.parent === null ? null : this.state.tree.node(p.parent)) {
        if (p.id === node.id) throw new HttpError(403, 'The folder cannot be copied or moved into itself');
      }
      if (this.state.childByTitle(dest.id, this.state.title(node), 'folder')) out.push(this.dto.folder(node, user));
    }
    return out;
  }

  private startMove(user: DsUser, body: Body) {
    let fileIds = this.ids(body.fileIds);
    let folderIds = this.ids(body.folderIds);
    if (fileIds.length + folderIds.length === 0) return this.results(user, undefined, 0);
    const dest = this.state.node(Number(body.destFolderId));
    if (!dest || dest.kind !== 'folder' || dest.trashEntry !== null) throw new HttpError(404, NOT_FOUND_FOLDER, 'ASC.Common.Web.ItemNotFoundException');
    if (!this.state.canWriteInto(dest)) throw new HttpError(403, "You don't have enough permission to move");
    if (body.content === true) {
      // content: true moves what is inside the folders instead of the folders themselves.
      const inner = folderIds.flatMap((id) => (this.state.node(id) ? this.state.childrenOf(id) : []));
      folderIds = inner.filter((n) => n.kind === 'folder').map((n) => n.id);
      fileIds = [...fileIds, ...inner.filter((n) => n.kind === 'file').map((n) => n.id)];
    }
    const op = this.newOp(user, 0, folderIds, fileIds, body.deleteAfter !== true);
    op.dest = dest.id;
    op.resolve = parseResolve(body.conflictResolveType);
    op.result.push(`folder_${dest.id}`);
    this.run(op);
    return this.results(user, body.returnSingleOperation === true && !this.options.legacy ? op.id : undefined, 0);
  }

  private startDelete(user: DsUser, body: Body) {
    const fileIds = this.ids(body.fileIds);
    const folderIds = this.ids(body.folderIds);
    if (fileIds.length + folderIds.length === 0) return this.results(user, undefined, 2);
    const op = this.newOp(user, 2, folderIds, fileIds, body.deleteAfter !== true);
    op.immediately = body.immediately === true;
    this.run(op);
    return this.results(user, body.returnSingleOperation === true && !this.options.legacy ? op.id : undefined, 2);
  }

  private startEmpty(user: DsUser, single: boolean) {
    const top = this.state.trashOf(user.id);
    if (top.length === 0) return this.results(user, undefined, 2); // no task: every delete operation is listed
    const op = this.newOp(
      user,
      2,
      top.filter((n) => n.kind === 'folder').map((n) => n.id),
      top.filter((n) => n.kind === 'file').map((n) => n.id),
      true,
    );
    op.immediately = true;
    this.run(op);
    return this.results(user, single && !this.options.legacy ? op.id : undefined, 2);
  }

  private newOp(user: DsUser, type: 0 | 2, folderIds: number[], fileIds: number[], hold: boolean): Operation {
    const queue = [...folderIds.map((id) => ({ kind: 'folder' as const, id })), ...fileIds.map((id) => ({ kind: 'file' as const, id }))];
    const op: Operation = {
      id: randomUUID(),
      user: user.id,
      type,
      queue,
      total: queue.length,
      processed: 0,
      progress: 0,
      error: null,
      finished: false,
      hold,
      status: 0,
      result: [],
      timer: null,
    };
    this.state.ops.set(op.id, op);
    return op;
  }

  /** Advances an operation one top-level item per `opItemMs`. */
  private run(op: Operation): void {
    const step = () => {
      op.timer = null;
      if (!this.state.ops.has(op.id)) return; // terminated
      op.status = 1;
      // One item per tick; with no per-item time (benches), up to 1,000 per tick so 100k items take seconds, not minutes.
      for (let n = this.state.opItemMs > 0 ? 1 : 1000; n > 0; n--) {
        const item = op.queue.shift();
        if (!item) break;
        try {
          if (op.type === 0) this.applyMove(op, item);
          else this.applyDelete(op, item);
        } catch (e) {
          op.error = e instanceof Error ? e.message : String(e);
        }
        op.processed++;
        op.progress = Math.min(100, Math.floor((100 * op.processed) / Math.max(1, op.total)));
        this.state.touch();
      }
      if (op.queue.length === 0) {
        op.finished = true;
        op.progress = 100;
        op.status = 2;
        return;
      }
      op.timer = setTimeout(step, this.state.opItemMs);
    };
    op.timer = setTimeout(step, this.state.opItemMs);
  }

  private applyMove(op: Operation, item: { kind: 'file' | 'folder'; id: number }): void {
    const node = this.state.node(item.id);
    if (!node || node.kind !== item.kind) throw new Error(item.kind === 'file' ? NOT_FOUND_FILE : NOT_FOUND_FOLDER);
    const dest = this.state.node(op.dest!);
    if (!dest || dest.kind !== 'folder' || dest.trashEntry !== null) throw new Error(NOT_FOUND_FOLDER);
    if (!this.state.canWriteInto(dest)) throw new Error("You don't have enough permission to move");
    this.moveEntry(op, node, dest, op.resolve ?? 0);
  }

  /** FileMoveCopyOperation for one entry: Skip/Overwrite look for a same-titled entry; folders merge. */
  private moveEntry(op: Operation, node: TreeNode, dest: TreeNode, resolve: 0 | 1 | 2): void {
    const title = this.state.title(node);
    for (let p: TreeNode | null = dest; p; p = p.parent === null ? null : this.state.tree.node(p.parent)) {
      if (p.id === node.id) throw new Error('The folder cannot be copied or moved into itself');
    }
    if (node.kind === 'file') {
      const conflict = resolve === 2 ? null : this.state.childByTitle(dest.id, title, 'file');
      if (!conflict || conflict.id === node.id) {
        this.state.moveInto(node, dest.id);
        op.result.push(`file_${node.id}`);
      } else if (resolve === 1) {
        // Overwrite: the existing file gets a new version (version and versionGroup + 1, comment
        // "Overwritten") with the trashed file's content; its earlier versions stay in its history;
        // the trashed one is deleted.
        this.state.saveVersion(conflict, node.size, op.user, 'Overwritten');
        this.state.destroy(node);
        op.result.push(`file_${conflict.id}`);
      }
      // Skip: nothing happens and no error is reported.
      return;
    }
    const conflict = resolve === 2 ? null : this.state.childByTitle(dest.id, title, 'folder');
    if (!conflict || conflict.id === node.id) {
      this.state.moveInto(node, dest.id);
      op.result.push(`folder_${node.id}`);
      return;
    }
    // Same-named folder: merge the contents into it (each entry with the same resolve type).
    for (const child of [...this.state.childrenOf(node.id)].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'file' ? -1 : 1))) {
      this.moveEntry(op, child, conflict, resolve);
    }
    if (this.state.childrenOf(node.id).length === 0) {
      this.state.destroy(node);
      op.result.push(`folder_${conflict.id}`);
    }
  }

  private applyDelete(op: Operation, item: { kind: 'file' | 'folder'; id: number }): void {
    const node = this.state.node(item.id);
    if (!node || node.kind !== item.kind) throw new Error(item.kind === 'file' ? NOT_FOUND_FILE : NOT_FOUND_FOLDER);
    if (node.trashEntry !== null || op.immediately) this.state.destroy(node);
    else this.state.trashNode(op.user, node.id);
  }

  /**
   * FileOperationsManagerHolder.GetOperationResults: a finished operation is dequeued on this read
   * and listed only when its result is held (deleteAfter: false) — so it is seen finished once.
   */
  private results(user: DsUser, id: string | undefined, type?: 0 | 2) {
    const out: unknown[] = [];
    for (const t of [0, 2] as const) {
      if (type !== undefined && t !== type) continue;
      for (const op of [...this.state.ops.values()]) {
        if (op.user !== user.id || op.type !== t || (id && op.id !== id)) continue;
        if (op.status > 1) {
          op.progress = 100;
          this.state.ops.delete(op.id);
        }
        if (op.hold || op.progress !== 100) out.push(this.dto.operation(op, user));
      }
    }
    return out;
  }

  private terminate(user: DsUser, id: string | undefined) {
    for (const op of [...this.state.ops.values()]) {
      if (op.user !== user.id || (id && op.id !== id)) continue;
      if (op.timer) clearTimeout(op.timer);
      op.timer = null;
      this.state.ops.delete(op.id);
    }
    return this.results(user, undefined);
  }
}

class ValidationError extends HttpError {
  constructor(readonly errors: Record<string, string[]>) {
    super(400, 'One or more validation errors occurred.', 'ValidationProblemDetails');
  }
}

/** The content of the named part of a multipart/form-data body, or null. */
function multipartPart(body: Buffer, contentType: string, name: string): Buffer | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const partName = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
      // The part's content ends before the CRLF that precedes the next delimiter.
      if (partName === name) return part.subarray(headerEnd + 4, part.length - 2);
    }
    at = next;
  }
  return null;
}

const parseResolve = (v: unknown): 0 | 1 | 2 => {
  if (v === 1 || v === '1' || (typeof v === 'string' && v.toLowerCase() === 'overwrite')) return 1;
  if (v === 2 || v === '2' || (typeof v === 'string' && v.toLowerCase() === 'duplicate')) return 2;
  return 0;
};

/** ASC.Api.Core AuthorizationExtension: the scopes (any of) a route needs; null when none. */
export function requiredScopes(method: string, route: string): string[] | null {
  const read = method === 'GET';
  const global = read ? ['*:read', '*:write'] : ['*:write'];
  let local: string[] = [];
  if (/^keys\/@self/.test(route) && read) return null;
  if (/^files\/rooms/.test(route)) local = read ? ['rooms:read', 'rooms:write'] : ['rooms:write'];
  else if (/^files/.test(route)) local = read ? ['files:read', 'files:write'] : ['files:write'];
  else if (/^people\/@self/.test(route)) local = read ? ['accounts.self:read', 'accounts.self:write'] : ['accounts.self:write'];
  else if (/^people/.test(route)) local = read ? ['accounts:read', 'accounts:write'] : ['accounts:write'];
  return [...global, ...local];
}
