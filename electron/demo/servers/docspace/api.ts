import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../http';
import { FileTree } from '../tree';
import { isPreviewableImage, previewPng } from '../png';
import { Dtos } from './dto';
import { HttpError, NOT_FOUND_FILE, NOT_FOUND_FOLDER, ValidationError, type Body } from './errors';
import { FileOperations } from './fileops';
import { Listings } from './listing';
import { seedTestPortal } from './seed';
import { DocSpaceState, type DsUser } from './state';
import { FileVersions } from './versions';

/**
 * A protocol-faithful ONLYOFFICE DocSpace test server: the /api/2.0 routes Salvage uses, with the
 * server's envelopes, omitted nulls, numeric enums, paging limits (count 1..100), API-key auth with
 * scopes (a missing scope is a bare 403), background file operations that advance over time and
 * report their finished state once, the conflict pre-check, Skip as the default conflict
 * behaviour, folder merges, terminate, file versions (edit/history, history, restoreversion,
 * saveediting; Overwrite keeps the replaced version), and 401/403/404/429 answers. Not listening:
 * demo mode serves it as it is (demo.ts); tests start it with the control API (server.ts:
 * /__control/ seeds, resets and injects latency and faults).
 *
 * This file is the front door: auth, scopes and rate limits, the routes, the envelopes and the
 * thumbnail handler. The routes' work is done by listing.ts (listings and folders), fileops.ts
 * (the background file operations), versions.ts (file versions); errors.ts holds the failures.
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

const HRESULTS: Record<string, number> = {
  'System.InvalidOperationException': -2146233079,
  'System.ArgumentException': -2147024809,
  'System.ArgumentNullException': -2147467261,
  'System.IO.FileNotFoundException': -2147024894,
  'System.Security.SecurityException': -2146233078,
  'ASC.Common.Web.ItemNotFoundException': -2146233088,
};

/** Whether a DocSpace version string ("3.7.2.1813") is at least major.minor; unparsable ones count as current. */
function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return true;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

class DocSpaceApiHandler {
  private readonly dto: Dtos;
  private readonly folders: Listings;
  private readonly fileops: FileOperations;
  private readonly versions: FileVersions;
  private readonly inflight = new Map<string, { gets: number; writes: number }>();
  private readonly window = new Map<string, number[]>();
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
    this.folders = new Listings(state, this.dto);
    this.fileops = new FileOperations(state, this.dto, options.legacy === true);
    this.versions = new FileVersions(state, this.dto);
  }

  async handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === '/filehandler.ashx' && method === 'GET') return this.fileHandler(req, res, url);
    if (!url.pathname.startsWith('/api/2.0/')) return this.empty(res, 404);
    const route = url.pathname.slice('/api/2.0/'.length).split('/').map(decodeURIComponent).join('/');

    // Anonymous routes.
    if (method === 'GET' && route === 'settings/version/build') {
      return this.ok(req, res, {
        docSpace: this.options.version ?? DEFAULT_VERSION,
        documentServer: '9.1.0.173',
        mailServer: '1.6.75',
      });
    }
    if (method === 'GET' && (route === 'capabilities.json' || route === 'capabilities')) {
      return this.ok(req, res, {
        ldapEnabled: false,
        providers: [],
        ssoLabel: '',
        oauthEnabled: true,
        ssoUrl: '',
        identityServerEnabled: true,
      });
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
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(hit),
        });
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
        res.writeHead(429, {
          'Retry-After': String(retry),
          'X-RateLimit-Limit': String(this.options.requestsPerMinute),
          'X-RateLimit-Remaining': '0',
        });
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
          response: {
            type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
            title: e.message,
            status: 400,
            errors: e.errors,
          },
          count: 1,
          links: [{ href: `${this.baseUrl()}${req.url ?? ''}`, action: method }],
          status: 1,
          statusCode: 400,
        });
        res.writeHead(400, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(text),
        });
        return void res.end(text);
      }
      if (e instanceof HttpError) return this.error(res, e.status, e.message, e.type);
      throw e;
    } finally {
      if (isGet) slot.gets--;
      else slot.writes--;
    }
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    route: string,
    q: URLSearchParams,
    body: Body,
    user: DsUser,
    content: Buffer | null,
  ) {
    const ok = (value: unknown) => this.ok(req, res, value);
    let m: RegExpExecArray | null;
    switch (`${method} ${route}`) {
      case 'GET people/@self':
        return ok(this.dto.self(user));
      case 'GET files/@trash':
        return ok(this.folders.listing(user, null, q));
      case 'GET files/@my':
        return ok(this.folders.listing(user, this.state.tree.node(this.state.myRoot(user.id)), q));
      case 'GET files/rooms':
        return ok(this.folders.listing(user, this.state.tree.node(this.state.roomsRootId), q));
      case 'GET files/settings/autocleanup':
        return ok({ isAutoCleanUp: user.autoCleanup.isAutoCleanUp, gap: user.autoCleanup.gap });
      case 'GET files/fileops':
        return ok(this.fileops.results(user, this.options.legacy ? undefined : q.get('id') || undefined));
      case 'GET files/fileops/move':
        return ok(this.fileops.checkMove(user, q));
      case 'PUT files/fileops/move':
        return ok(this.fileops.startMove(user, body));
      case 'PUT files/fileops/delete':
        return ok(this.fileops.startDelete(user, body));
      case 'PUT files/fileops/emptytrash':
        return ok(this.fileops.startEmpty(user, q.get('single') === 'true' || body.single === true));
      case 'PUT files/fileops/terminate':
        return ok(this.fileops.terminate(user, undefined));
    }
    if (method === 'PUT' && (m = /^files\/fileops\/terminate\/(.+)$/.exec(route)))
      return ok(this.fileops.terminate(user, m[1]!));
    if (method === 'GET' && (m = /^files\/folder\/(\d+)\/path$/.exec(route)))
      return ok(this.folders.path(user, Number(m[1])));
    if (method === 'GET' && (m = /^files\/folder\/(\d+)$/.exec(route)))
      return ok(this.folders.folderInfo(user, Number(m[1])));
    if (method === 'POST' && (m = /^files\/folder\/(\d+)$/.exec(route)))
      return ok(this.folders.createFolder(user, Number(m[1]), body));
    if (method === 'GET' && (m = /^files\/file\/(\d+)$/.exec(route))) {
      // ?version=N answers that version (FileStorageService.GetFileAsync); 0 or absent: the current one.
      const node = this.state.node(Number(m[1]));
      if (!node || node.kind !== 'file')
        throw new HttpError(404, NOT_FOUND_FILE, 'ASC.Common.Web.ItemNotFoundException');
      const asked = Number(q.get('version') ?? 0) || 0;
      if (asked > 0) {
        const v = this.state.versionsOf(node).find((x) => x.version === asked);
        if (!v) throw new HttpError(404, NOT_FOUND_FILE, 'ASC.Common.Web.ItemNotFoundException');
        return ok(this.dto.file(node, user, v));
      }
      return ok(this.dto.file(node, user));
    }
    if (method === 'GET' && (m = /^files\/file\/(\d+)\/edit\/history$/.exec(route)))
      return ok(this.versions.editHistory(user, Number(m[1])));
    if (method === 'GET' && (m = /^files\/file\/(\d+)\/history$/.exec(route)))
      return ok(this.versions.fileVersions(user, Number(m[1])));
    if ((m = /^files\/file\/(\d+)\/restoreversion$/.exec(route))) {
      // GET up to DocSpace 3.5, POST from 3.6 on (DocSpace-server commit 6d2f974, "fix bug 78027").
      const expected = versionAtLeast(this.options.version ?? DEFAULT_VERSION, 3, 6) ? 'POST' : 'GET';
      if (method !== expected) {
        res.writeHead(405, { Allow: expected, 'Content-Length': '0' });
        return void res.end();
      }
      return ok(this.versions.restoreVersion(user, Number(m[1]), q));
    }
    if (method === 'PUT' && (m = /^files\/file\/(\d+)\/saveediting$/.exec(route))) {
      return ok(
        this.versions.saveEditing(
          user,
          Number(m[1]),
          content ?? Buffer.alloc(0),
          String(req.headers['content-type'] ?? ''),
        ),
      );
    }
    if (method === 'GET' && (m = /^files\/(\d+)$/.exec(route))) {
      const id = Number(m[1]);
      if (id === user.trashId) return ok(this.folders.listing(user, null, q));
      const node = this.state.node(id);
      if (!node || node.kind !== 'folder')
        throw new HttpError(404, NOT_FOUND_FOLDER, 'ASC.Common.Web.ItemNotFoundException');
      return ok(this.folders.listing(user, node, q));
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
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private error(res: ServerResponse, status: number, message: string, type: string) {
    const text = JSON.stringify({
      error: { message, type, stack: `   at ASC.Files (test server)`, hresult: HRESULTS[type] ?? -2146233088 },
      status: 1,
      statusCode: status,
    });
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
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
    res.writeHead(200, {
      'Content-Type': 'image/png',
      'Content-Disposition': 'attachment; filename="thumb.png"',
      'Content-Length': String(png.length),
    });
    res.end(png);
  }

  private empty(res: ServerResponse, status: number) {
    res.writeHead(status, { 'Content-Length': '0' });
    res.end();
  }
}

/** ASC.Api.Core AuthorizationExtension: the scopes (any of) a route needs; null when none. */
export function requiredScopes(method: string, route: string): string[] | null {
  const read = method === 'GET';
  const global = read ? ['*:read', '*:write'] : ['*:write'];
  let local: string[] = [];
  if (/^keys\/@self/.test(route) && read) return null;
  if (/^files\/rooms/.test(route)) local = read ? ['rooms:read', 'rooms:write'] : ['rooms:write'];
  else if (/^files/.test(route)) local = read ? ['files:read', 'files:write'] : ['files:write'];
  else if (/^people\/@self/.test(route))
    local = read ? ['accounts.self:read', 'accounts.self:write'] : ['accounts.self:write'];
  else if (/^people/.test(route)) local = read ? ['accounts:read', 'accounts:write'] : ['accounts:write'];
  return [...global, ...local];
}
