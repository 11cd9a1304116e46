import { setMaxListeners } from 'node:events';
import { AppError, isAppError, toErrorValue } from '../../base/errors';
import { forEachLimited, KeyedLock, sleep } from '../../base/async';
import { forEachPaced, PACE_DEFAULTS } from '../../base/pace';
import type { Conflict, FolderRef, ItemResult, Outcome, Preview, Resolution, SameSecondLoss, SameSecondReport, TrashItem } from '../../../shared/model';
import { BODY_BUDGET, defaultHttpOptions, errorForStatus, httpOptionsForAccount, httpRequest, parseRetryAfter, type HttpOptions, type HttpRequest } from '../../net/http';
import { decodeOidcSecret, discover, encodeOidcSecret, TokenKeeper, type OidcSecret } from '../../net/oidc';
import type { AccountConfig, BatchContext, Credentials, Landed, RelocateTarget, Replaced, RestoreOptions, RestoreTarget, TrashChangeCheck, TrashProvider, UndoTarget } from '../types';
import { none, PREVIEW_EDGE, readPreviewImage, wantsPreview } from '../preview';
import { selectionClashes } from '../selection';
import { dialects, prop, spaceRestrictions, type DialectContext, type DialectIO, type Space, type WebDavDialect, type WebDavKind } from './dialect';
import { clark, NS, parseSabreError, readMultistatus, type DavResponse } from './multistatus';
import { decodeHref, displayPath, encodePath, folderSegments, restoredName } from './paths';
import { fetchTrashItems, ListingStatusError, type ParseHost } from './trashStream';
import { checkTrashChanges } from './changes';
import { LandingFinder } from './landing';
import { activityDeletions, nextcloudLosses, ownCloudLastLocations, ownCloudLosses, type RecordedDeletion } from './sameSecond';

/**
 * One TrashProvider for every WebDAV trash-bin server (ownCloud 10, Nextcloud, oCIS). What differs
 * between them lives in the dialect object; this class makes the requests and keeps the promises
 * the UI makes: nothing is overwritten unless the user chose Replace, "Keep both" gives
 * "name (restored).ext", Skip leaves everything as it was.
 */

export interface WebDavProviderOptions {
  http?: Partial<HttpOptions>;
  /** Items worked on at the same time within one batch (restores: see RESTORE_CONCURRENCY). */
  concurrency?: number;
  /** Where trash listings are requested and parsed (the listing worker, shared by every account). */
  parseHost: ParseHost;
  /**
   * oCIS: a listing of the whole trash reads the user's spaces (/me, /me/drives) again when the
   * last read is older than this (ms; default 5 s), so a space joined or left shows on Reload.
   */
  spacesMaxAgeMs?: number;
  /** The first pause before a write answered 423 Locked is sent again (ms; doubles each time). Tests shorten it. */
  lockedPauseMs?: number;
}

export interface Stat {
  kind: 'file' | 'folder';
  size: number | null;
  modifiedAt: string | null;
  fileId: string | null;
  etag: string | null;
  permissions: string | null;
}

/** Nextcloud: what a trash entry's preview needs (its file id, and whether the server can render one). */
const PREVIEW_PROBE_BODY = `<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">
  <d:prop>
    <oc:fileid/>
    <nc:has-preview/>
  </d:prop>
</d:propfind>`;

const STAT_BODY = `<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">
  <d:prop>
    <d:resourcetype/>
    <d:getcontentlength/>
    <d:getlastmodified/>
    <d:getetag/>
    <oc:size/>
    <oc:fileid/>
    <oc:permissions/>
  </d:prop>
</d:propfind>`;

/** 423 Locked on a write: sent again up to this many times, the pause doubling from the first (with jitter), at most the max. */
const LOCKED_RETRIES = 6;
const LOCKED_FIRST_PAUSE_MS = 250;
const LOCKED_MAX_PAUSE_MS = 4_000;

/** Pages of Nextcloud's activity records read back at most (200 each) to find same-second losses. */
const ACTIVITY_MAX_PAGES = 25;
/** Largest JSON answer read for same-second losses (activity pages, ownCloud's trash app listing). */
const SMALL_JSON_MAX_BYTES = 32 * 1024 * 1024;

/** Ids per DAV SEARCH: Nextcloud refuses a query of more than 100 operators (the "or" and one "eq" per id). */
const SEARCH_MAX_IDS = 99;

/** A DAV SEARCH for the items with these file ids below `scope`, with what a Stat needs. */
const searchBody = (scope: string, ids: string[]) => `<?xml version="1.0"?>
<d:searchrequest xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">
  <d:basicsearch>
    <d:select><d:prop><d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/><oc:size/><oc:fileid/><oc:permissions/></d:prop></d:select>
    <d:from><d:scope><d:href>${escapeXml(scope)}</d:href><d:depth>infinity</d:depth></d:scope></d:from>
    <d:where>${ids.length === 1 ? fileIdIs(ids[0]!) : `<d:or>${ids.map(fileIdIs).join('')}</d:or>`}</d:where>
    <d:orderby/>
  </d:basicsearch>
</d:searchrequest>`;
const fileIdIs = (id: string) => `<d:eq><d:prop><oc:fileid/></d:prop><d:literal>${id}</d:literal></d:eq>`;
const escapeXml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const DAV = (l: string) => clark(NS.dav, l);
const OC = (l: string) => clark(NS.oc, l);

function statOf(r: DavResponse): Stat {
  const size = prop(r, OC('size')) ?? prop(r, DAV('getcontentlength'));
  const modified = prop(r, DAV('getlastmodified'));
  const t = modified ? Date.parse(modified) : NaN;
  return {
    kind: r.collection ? 'folder' : 'file',
    size: size !== null && /^\d+$/.test(size) ? Number(size) : null,
    modifiedAt: Number.isNaN(t) ? null : new Date(t).toISOString(),
    fileId: prop(r, OC('fileid')),
    etag: prop(r, DAV('getetag')),
    permissions: prop(r, OC('permissions')),
  };
}

const folderName = (segments: string[]) => segments[segments.length - 1] ?? '';

/**
 * Items restored at the same time by default. A restore costs one write (the MOVE): ownCloud's
 * answer carries the file id and ETag, and Nextcloud's restored items are found by file id, many
 * per DAV SEARCH, outside the item's slot. So this is MOVEs in flight: 6, as a browser sends to one
 * host (Nextcloud's web UI restores that way). More only queues at a small server (PHP's built-in
 * server runs 2 workers) and meets more of its file locks (423, see afterLocked).
 */
const RESTORE_CONCURRENCY = 6;

/**
 * What one restore batch learnt about its destination folders, so that each is checked and listed
 * once for the whole batch rather than once per item: whether it exists, what was in it, the
 * names this batch put there or set aside for items (so "Keep both" names never collide).
 */
interface RestoreBatch {
  folders: Map<string, Promise<void>>;
  listings: Map<string, Promise<Map<string, Stat> | null>>;
  /** Per folder: names items of this batch are bound for or were given ("Keep both"). */
  reserved: Map<string, Set<string>>;
  /** Per folder: what this batch put in place, by name. */
  placed: Map<string, Map<string, Stat>>;
  /** Finds restored items by file id, many per request (Nextcloud's DAV SEARCH); null where the server kind needs none. */
  finder: LandingFinder<Found> | null;
  /** ownCloud 10: items that stand for several same-named files deleted in one second, by key (see sameSecond.ts). */
  sameSecond: Map<string, SameSecondLoss>;
}

/** A live item found by its file id: its path (segments below the files root) and what it is. */
interface Found {
  segments: string[];
  stat: Stat;
}

const inFolder = <V>(map: Map<string, V>, folder: string[], make: () => V): V => {
  const key = displayPath(folder);
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
};

/** A folder may take new items unless its ownCloud permissions say otherwise (C/K create rights). */
const writable = (permissions: string | null) => permissions === null || /[CK]/.test(permissions);

export class WebDavProvider implements TrashProvider {
  readonly kind: WebDavKind;
  private readonly dialect: WebDavDialect;
  private readonly origin: string;
  private readonly basePath: string;
  private userId: string;
  private readonly http: HttpOptions;
  private readonly concurrency: number;
  private readonly restoreConcurrency: number;
  /** One restore (or undo) at a time per key: a target path for restores, a folder for undo. */
  private readonly folderLock = new KeyedLock();
  /** The running restore batch of a context (its folder listings and names in use). */
  private readonly batches = new WeakMap<BatchContext, RestoreBatch>();

  constructor(
    kind: WebDavKind,
    private readonly account: AccountConfig,
    private readonly credentials: Credentials,
    private readonly options: WebDavProviderOptions,
  ) {
    this.kind = kind;
    this.dialect = dialects[kind];
    const url = new URL(account.serverUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.userId = account.userId || account.user || credentials.user;
    // A certificate the user trusted for this account is pinned here (and in the listing worker).
    this.http = httpOptionsForAccount(account, { ...defaultHttpOptions, ...options.http });
    this.concurrency = options.concurrency ?? 4;
    this.restoreConcurrency = options.concurrency ?? RESTORE_CONCURRENCY;
  }

  /** What the dialect's prepare step found (oCIS: the personal space id); null until it has run. */
  private prepared: Partial<Pick<DialectContext, 'spaceId' | 'spaces'>> | null = null;

  private get ctx(): DialectContext {
    return { basePath: this.basePath, userId: this.userId, spaceId: this.prepared?.spaceId ?? '', spaces: this.prepared?.spaces ?? [] };
  }

  /** The dialect's requests go through this provider's own send and error mapping. */
  private readonly io: DialectIO = {
    get: (path, init) => this.send('GET', path, init),
    failure: (res) => this.failure(res),
  };

  /** Runs the dialect's prepare step once, before the first DAV request (again after a failure). */
  private preparedAt = 0;

  private async prepare(signal?: AbortSignal, fresh = false): Promise<void> {
    if (this.prepared && !(fresh && Date.now() - this.preparedAt >= (this.options.spacesMaxAgeMs ?? 5_000))) return;
    const next = this.dialect.prepare ? await this.dialect.prepare(this.io, this.ctx, signal) : {};
    this.prepared = next;
    this.preparedAt = Date.now();
  }

  // ---------------------------------------------------------------- requests

  private url(decodedPath: string): string {
    return this.origin + encodePath(decodedPath);
  }

  private filesPath(segments: string[]): string {
    // oCIS: a first segment "<space id>!" is a project space (see SpaceHooks).
    if (this.dialect.spaces) return this.dialect.spaces.filesPath(this.ctx, segments);
    return [this.dialect.filesRoot(this.ctx), ...segments].join('/');
  }

  private trashPath(id: string | null): string {
    if (this.dialect.spaces) return this.dialect.spaces.trashPath(this.ctx, id);
    const root = this.dialect.trashRoot(this.ctx);
    return id ? `${root}/${id}` : root;
  }

  /** What a 401 says: an app password (Basic) or an access token (Bearer, oCIS without a user name) was refused. */
  private refusedMessage(): string {
    return this.credentials.user
      ? 'The server did not accept the app password. Sign in again.'
      : 'The server did not accept the access token (it may have expired or been revoked). Sign in again.';
  }

  private keeper: Promise<TokenKeeper> | null = null;

  /** The OpenID Connect sign-in's token keeper (discovery once); rotated tokens go to the secret store. */
  private tokenKeeper(oidc: OidcSecret): Promise<TokenKeeper> {
    this.keeper ??= discover(oidc.issuer, oidc.clientId, undefined, oidc.clientSecret).then(
      (client) => new TokenKeeper(client, oidc.tokens, (tokens) => this.credentials.onSecretChange?.(encodeOidcSecret({ ...oidc, tokens }))),
      (e: unknown) => {
        this.keeper = null;
        throw e;
      },
    );
    return this.keeper;
  }

  /** The Authorization header, and the bearer token in it when it comes from an OpenID Connect sign-in. */
  private async authHeader(): Promise<{ header: string; token: string | null }> {
    const oidc = decodeOidcSecret(this.credentials.secret);
    if (!oidc) return { header: this.authorization(), token: null };
    const token = await (await this.tokenKeeper(oidc)).accessToken();
    return { header: `Bearer ${token}`, token };
  }

  /** After a 401: renews an OpenID Connect access token (true: send again); a refused refresh throws AUTH_FAILED. */
  private async renewedAfter401(token: string | null): Promise<boolean> {
    const oidc = decodeOidcSecret(this.credentials.secret);
    if (token === null || !oidc) return false;
    await (await this.tokenKeeper(oidc)).afterUnauthorized(token);
    return true;
  }

  /** Basic with an app password; oCIS without a user name: the token as a Bearer token. */
  private authorization(): string {
    return this.credentials.user
      ? `Basic ${Buffer.from(`${this.credentials.user}:${this.credentials.secret}`, 'utf8').toString('base64')}`
      : `Bearer ${this.credentials.secret}`;
  }

  /**
   * One request. A write (MOVE, DELETE, MKCOL) that has been sent is never aborted: the server
   * finishes it anyway, and the batch must report what it really did (cancel stops the next item
   * instead). When a write's answer is lost (connection reset, time-out), `confirm` looks at the
   * server: if it did the work, the write counts as done (a 204); otherwise the error stands.
   */
  private async send(
    method: string,
    decodedPath: string,
    init: {
      headers?: Record<string, string>;
      body?: string;
      signal?: AbortSignal | undefined;
      idempotent?: boolean;
      query?: string;
      confirm?: () => Promise<boolean>;
      /** Sent again after an OpenID Connect refresh (once). */
      renewed?: boolean;
      /** Times this write was answered 423 Locked so far. */
      locked?: number;
      /** How the answer's body is read, and its budget (net/http.ts; default: read whole, an ordinary answer). */
      read?: HttpRequest['read'];
      maxBytes?: number;
    } = {},
  ): Promise<Response> {
    const { header: authorization, token } = await this.authHeader();
    const write = init.idempotent === false;
    let res: Response;
    try {
      res = await httpRequest(
        {
          method,
          url: this.url(decodedPath) + (init.query ? `?${init.query}` : ''),
          headers: { Authorization: authorization, ...(init.body ? { 'Content-Type': 'application/xml; charset=utf-8' } : {}), ...init.headers },
          ...(init.body !== undefined ? { body: init.body } : {}),
          ...(init.signal && !write ? { signal: init.signal } : {}),
          ...(init.idempotent !== undefined ? { idempotent: init.idempotent } : {}),
          ...(init.read ? { read: init.read } : {}),
          ...(init.maxBytes ? { maxBytes: init.maxBytes } : {}),
        },
        this.http,
      );
    } catch (e) {
      if (!init.confirm || !isAppError(e) || (e.code !== 'NETWORK' && e.code !== 'TIMEOUT')) throw e;
      if (await init.confirm().catch(() => false)) return new Response(null, { status: 204 });
      throw e;
    }
    if (res.status === 423 && write) return this.afterLocked(res, method, decodedPath, init);
    if ((init.locked ?? 0) > 0 && (res.status === 404 || res.status === 412) && init.confirm && (await init.confirm().catch(() => false))) {
      // A write answered 423 earlier had gone through after all: this answer is about its result.
      await res.body?.cancel();
      return new Response(null, { status: 204 });
    }
    if (res.status === 401) {
      await res.body?.cancel();
      // An expired access token: refresh it and send once more (the server refused before acting).
      if (!init.renewed && (await this.renewedAfter401(token))) return this.send(method, decodedPath, { ...init, renewed: true });
      throw new AppError('AUTH_FAILED', this.refusedMessage(), { status: 401 });
    }
    if (res.ok && /text\/html/i.test(res.headers.get('content-type') ?? '') && res.headers.get('content-length') !== '0') {
      // Nextcloud sends "text/html" with empty 201/204 answers; a page with content is not WebDAV.
      const text = await res.text().catch(() => '');
      if (text.trim()) {
        throw new AppError(
          'AUTH_FAILED',
          'The server answered with a web page (a sign-in page of the server, or of a proxy or single sign-on in front of it) instead of doing this. Sign in again.',
          { status: res.status },
        );
      }
      return new Response(null, { status: res.status, headers: res.headers });
    }
    return res;
  }

  /**
   * A write answered 423 Locked: ownCloud 10 and Nextcloud lock files (and the folders above them)
   * while a request works on them, so parallel writes into one folder meet each other's locks;
   * and ownCloud sometimes answers 423 after the move went through (a lock taken after the
   * rename, e.g. to touch the file). So: look whether it went through (then it is done), else wait
   * and send it again, a few times with a growing pause; the last 423 stands.
   */
  private async afterLocked(res: Response, method: string, decodedPath: string, init: Parameters<WebDavProvider['send']>[2] = {}): Promise<Response> {
    const tries = init.locked ?? 0;
    if (tries >= LOCKED_RETRIES) return res;
    await res.body?.cancel();
    if (init.confirm && (await init.confirm().catch(() => false))) return new Response(null, { status: 204 });
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
    const first = this.options.lockedPauseMs ?? LOCKED_FIRST_PAUSE_MS;
    const pause = Math.min(LOCKED_MAX_PAUSE_MS, retryAfter ?? first * 2 ** tries) * (0.75 + Math.random() * 0.5);
    await sleep(pause, init.signal);
    return this.send(method, decodedPath, { ...init, locked: tries + 1 });
  }

  // ---------------------------------------------------------------- previews

  /**
   * A trashed file's preview through the files_trashbin app (see providers/preview.ts).
   * Nextcloud: GET index.php/apps/files_trashbin/preview?fileId=&x=&y=&a=1 (PreviewController,
   * 404 when it has none, 400 for a folder) with the entry's oc:fileid, asked for first with
   * nc:has-preview. ownCloud 10: GET index.php/apps/files_trashbin/ajax/preview.php?file=&x=&y=
   * with the entry's path in files_trashbin/files ("/name.d<deletion time>[/inside]"); it answers
   * 500 for a path it does not know. Infinite Scale serves no previews of trashed files.
   */
  async preview(item: TrashItem, signal?: AbortSignal): Promise<Preview> {
    const skip = wantsPreview(item);
    if (skip) return skip;
    if (this.kind === 'ocis') return none('unsupported', 'Infinite Scale makes no previews of trashed files.');
    const edge = String(PREVIEW_EDGE);
    let path: string;
    let query: URLSearchParams;
    if (this.kind === 'nextcloud') {
      const found = await this.propfind(this.trashPath(item.id), '0', PREVIEW_PROBE_BODY, signal);
      const entry = found?.[0];
      if (!entry) return none('missing', 'It is no longer in the trash.');
      const fileId = prop(entry, clark(NS.oc, 'fileid'));
      if (prop(entry, clark(NS.nc, 'has-preview')) === 'false' || !fileId) return none('missing', 'Nextcloud has no preview of this file.');
      path = `${this.basePath}/index.php/apps/files_trashbin/preview`;
      query = new URLSearchParams({ fileId, x: edge, y: edge, a: '1' });
    } else {
      const file = await this.ownCloudTrashFile(item, signal);
      if (!file) return none('missing', 'It is no longer in the trash.');
      path = `${this.basePath}/index.php/apps/files_trashbin/ajax/preview.php`;
      query = new URLSearchParams({ file, x: edge, y: edge });
    }
    const res = await this.send('GET', path, { query: query.toString(), signal, headers: { Accept: 'image/*' }, read: 'stream', maxBytes: BODY_BUDGET.preview });
    if (res.ok && res.status !== 204) return readPreviewImage(res, signal);
    if (res.status >= 300 && res.status < 400 && /\/login\b/.test(res.headers.get('location') ?? '')) {
      // ownCloud 10's checkLoggedIn sends a refused sign-in to its login page.
      await res.body?.cancel();
      throw new AppError('AUTH_FAILED', this.refusedMessage(), { status: res.status });
    }
    if (res.status === 404 || res.status === 400 || res.status === 204 || (this.kind === 'owncloud10' && res.status === 500)) {
      await res.body?.cancel();
      return none('missing', `${this.dialect.productName} has no preview of this file.`);
    }
    throw await this.failure(res);
  }

  /**
   * ownCloud 10: where a trash entry lies in files_trashbin/files. A top-level entry is its name
   * with ".d<deletion time>"; an item inside a trashed folder is that folder's entry, then the path
   * inside it (the top entry is read, Depth 0, for its name and deletion time). Null when gone.
   */
  private async ownCloudTrashFile(item: TrashItem, signal?: AbortSignal): Promise<string | null> {
    const seconds = (iso: string | null) => (iso ? Math.floor(Date.parse(iso) / 1000) : NaN);
    const [topId = item.id, ...inside] = item.id.split('/');
    if (inside.length === 0) {
      const at = seconds(item.deletedAt);
      return Number.isFinite(at) ? `/${item.name}.d${at}` : null;
    }
    const found = await this.propfind(this.trashPath(topId), '0', this.dialect.trashPropfind, signal);
    const topEntry = found?.[0];
    const top = topEntry ? this.dialect.readItem(topEntry, { accountId: this.account.id, parentId: null, listedPath: '', trashRootPath: this.trashPath(null) }) : null;
    const at = seconds(top?.deletedAt ?? null);
    if (!top || !Number.isFinite(at)) return null;
    const full = (x: TrashItem) => `${x.originalFolder.replace(/\/+$/, '')}/${x.name}`;
    const within = full(item).startsWith(`${full(top)}/`) ? full(item).slice(full(top).length + 1) : null;
    return within === null ? null : `/${top.name}.d${at}/${within}`;
  }

  /** Whether a trash entry is still there (used to confirm a write whose answer was lost). */
  private async inTrash(id: string | null): Promise<boolean> {
    return (await this.propfind(this.trashPath(id), '0', this.dialect.trashPropfind, new AbortController().signal)) !== null;
  }

  /** Turns an error response into an AppError, using the Sabre message where it helps. */
  private async failure(res: Response, messages: Partial<Record<number, string>> = {}): Promise<AppError> {
    const text = await res.text().catch(() => '');
    const sabre = parseSabreError(text);
    if (res.status === 423) {
      return new AppError('SERVER', messages[423] ?? 'The server kept this item locked (HTTP 423: another request or app is working on it). Try again in a moment.', {
        status: 423,
        ...(sabre.message ? { serverMessage: sabre.message } : {}),
      });
    }
    const message = messages[res.status];
    const error = errorForStatus(res.status, message);
    const details: Record<string, string | number> = { status: res.status };
    if (sabre.exception) details.exception = sabre.exception;
    if (sabre.message) details.serverMessage = sabre.message;
    if (res.status === 400 && sabre.message && !message) return new AppError('BAD_RESPONSE', `The server refused the request: ${sabre.message}`, details);
    return new AppError(error.code, error.message, details);
  }

  private async propfind(decodedPath: string, depth: '0' | '1', body: string, signal?: AbortSignal): Promise<DavResponse[] | null> {
    // A folder's listing (Depth 1) may be large: it gets the folder budget and pace (net/http.ts).
    const res = await this.send('PROPFIND', decodedPath, { headers: { Depth: depth }, body, signal, ...(depth === '1' ? { maxBytes: BODY_BUDGET.folder } : {}) });
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (res.status !== 207) throw await this.failure(res);
    return readMultistatus(res, this.url(decodedPath));
  }

  // ---------------------------------------------------------------- same-second losses

  /**
   * Which of these trash entries stand for several same-named files deleted in one second, and
   * which copies the server lost, as far as it tells (see sameSecond.ts): ownCloud 10 from its
   * Deleted files app's listing, Nextcloud from its activity records (then `trash`, the whole
   * trash as just listed, tells which recorded files are still in it; read here when not given).
   * Nothing is guessed: a server that tells nothing gives source 'none'.
   */
  async sameSecondLosses(items: TrashItem[], trash?: readonly TrashItem[], signal?: AbortSignal): Promise<SameSecondReport> {
    const top = items.filter((i) => i.parentId === null && i.deletedAt !== null);
    if (this.kind === 'owncloud10') {
      const last = await this.ownCloudLastLocations(signal);
      return last ? { source: 'trash-records', losses: ownCloudLosses(top, last) } : { source: 'none', losses: [] };
    }
    if (this.kind !== 'nextcloud' || top.length === 0) return { source: 'none', losses: [] };
    const from = Math.min(...top.map((i) => Date.parse(i.deletedAt!)));
    const deleted = await this.recordedDeletions(from - 2_000, signal);
    if (deleted === null) return { source: 'none', losses: [] };
    const all = trash ?? (await this.readTrash(signal));
    const idsInTrash = new Set(all.flatMap((i) => (i.fileId ? [i.fileId] : [])));
    const names = new Set(top.map((i) => i.name));
    const candidates = [...new Set(deleted.filter((d) => !idsInTrash.has(d.id) && names.has(d.path.slice(d.path.lastIndexOf('/') + 1))).map((d) => d.id))];
    // A recorded deletion whose file is live again (restored since) is not lost.
    const live = new Set<string>();
    for (let i = 0; i < candidates.length; i += SEARCH_MAX_IDS) {
      const found = await this.findByFileIds(candidates.slice(i, i + SEARCH_MAX_IDS));
      if (found === null) return { source: 'none', losses: [] };
      for (const id of found.keys()) live.add(id);
    }
    return { source: 'activity', losses: nextcloudLosses(top, deleted, idsInTrash, live) };
  }

  private async readTrash(signal?: AbortSignal): Promise<TrashItem[]> {
    const out: TrashItem[] = [];
    for await (const chunk of this.listTrash(null, signal)) out.push(...chunk.items);
    return out;
  }

  /** ownCloud 10's Deleted files app listing: per name and second, where the last such deletion was; null when it does not answer. */
  private async ownCloudLastLocations(signal?: AbortSignal): Promise<Map<string, string> | null> {
    const res = await this.send('GET', `${this.basePath}/index.php/apps/files_trashbin/ajax/list.php`, { query: 'dir=%2F', headers: { Accept: 'application/json' }, signal, maxBytes: SMALL_JSON_MAX_BYTES });
    const json = await this.smallJson(res);
    return json === undefined ? null : ownCloudLastLocations(json);
  }

  /**
   * Nextcloud's activity records of deletions, newest first back to `since` (ms), in pages of 200
   * (at most ACTIVITY_MAX_PAGES); null when the activity app does not answer.
   */
  private async recordedDeletions(since: number, signal?: AbortSignal): Promise<RecordedDeletion[] | null> {
    const out: RecordedDeletion[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < ACTIVITY_MAX_PAGES; page++) {
      const res = await this.send('GET', `${this.basePath}/ocs/v2.php/apps/activity/api/v2/activity/files`, {
        query: `format=json&limit=200&sort=desc${cursor ? `&since=${cursor}` : ''}`,
        headers: { 'OCS-APIRequest': 'true', Accept: 'application/json' },
        signal,
      });
      if (res.status === 304) {
        await res.body?.cancel();
        return out; // no more activities
      }
      const next = /[?&]since=(\d+)/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
      const json = await this.smallJson(res);
      if (json === undefined) return page === 0 ? null : out;
      const { deleted, oldest, count } = activityDeletions(json);
      out.push(...deleted);
      if (count === 0 || next === null || (oldest !== null && oldest < since - 60_000)) return out;
      cursor = next;
    }
    return out;
  }

  /** A JSON answer of at most a few megabytes; undefined for any other status or body. */
  private async smallJson(res: Response): Promise<unknown> {
    if (res.status !== 200 || !/json/i.test(res.headers.get('content-type') ?? '') || Number(res.headers.get('content-length') ?? 0) > SMALL_JSON_MAX_BYTES) {
      await res.body?.cancel();
      return undefined;
    }
    const text = await res.text();
    if (text.length > SMALL_JSON_MAX_BYTES) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  /** Whether the server answers DAV SEARCH by file id (cleared after it refused one). */
  private searchable = true;

  /**
   * Finds live items by file id, wherever they are, in one DAV SEARCH (Nextcloud): their paths and
   * stats by file id; null when the server cannot be searched this way (then each is looked up
   * where it should be).
   */
  private async findByFileIds(ids: string[]): Promise<Map<string, Found> | null> {
    const restore = this.dialect.restore;
    const where = restore.mode === 'restore-collection' ? restore.search?.(this.ctx) : undefined;
    const wanted = ids.filter((id) => /^\d{1,20}$/.test(id));
    if (!where || !this.searchable) return null;
    const out = new Map<string, Found>();
    if (wanted.length === 0) return out;
    const res = await this.send('SEARCH', where.path, { body: searchBody(where.scope, wanted), idempotent: true, signal: new AbortController().signal });
    if (res.status !== 207) {
      await res.body?.cancel();
      this.searchable = false;
      return null;
    }
    const root = `${this.filesPath([]).replace(/\/+$/, '')}/`;
    for (const r of await readMultistatus(res, this.url(where.path))) {
      const path = decodeHref(r.href).replace(/\/+$/, '');
      const stat = statOf(r);
      if (!path.startsWith(root) || !stat.fileId || !wanted.includes(stat.fileId)) continue;
      out.set(stat.fileId, { segments: path.slice(root.length).split('/'), stat });
    }
    return out;
  }

  /** What is at a path in the files tree (Depth 0), or null. */
  async stat(segments: string[], signal?: AbortSignal): Promise<Stat | null> {
    const found = await this.propfind(this.filesPath(segments), '0', STAT_BODY, signal);
    const first = found?.[0];
    return first ? statOf(first) : null;
  }

  async exists(segments: string[], signal?: AbortSignal): Promise<boolean> {
    return (await this.stat(segments, signal)) !== null;
  }

  /** The children of a folder in the files tree with their stats, by name. */
  private async children(segments: string[], signal?: AbortSignal): Promise<Map<string, Stat> | null> {
    const found = await this.propfind(this.filesPath(segments), '1', STAT_BODY, signal);
    if (!found) return null;
    const self = this.filesPath(segments).replace(/\/+$/, '');
    const out = new Map<string, Stat>();
    for (const r of found) {
      const path = decodeHref(r.href).replace(/\/+$/, '');
      if (path === self) continue;
      out.set(path.slice(path.lastIndexOf('/') + 1), statOf(r));
    }
    return out;
  }

  /** MOVE; when its answer is lost it counts as done if the source is gone and `arrived` says it is there. */
  private async move(fromPath: string, toPath: string, overwrite: boolean | null, signal?: AbortSignal, arrived: () => Promise<boolean> = async () => true): Promise<Response> {
    const headers: Record<string, string> = { Destination: this.url(toPath) };
    if (overwrite !== null) headers.Overwrite = overwrite ? 'T' : 'F';
    const committed = new AbortController().signal;
    const gone = async () => {
      const res = await this.send('PROPFIND', fromPath, { headers: { Depth: '0' }, body: STAT_BODY, signal: committed });
      await res.body?.cancel();
      return res.status === 404;
    };
    return this.send('MOVE', fromPath, { headers, signal, idempotent: false, confirm: async () => (await gone()) && (await arrived()) });
  }

  private async mkdirs(segments: string[], signal?: AbortSignal): Promise<void> {
    for (let i = 1; i <= segments.length; i++) {
      const part = segments.slice(0, i);
      const res = await this.send('MKCOL', this.filesPath(part), { signal, idempotent: false });
      await res.body?.cancel();
      if (res.status === 201 || res.status === 405) continue; // 405: already there
      throw await this.failure(res, { 409: `Could not create ${displayPath(part)}.` });
    }
  }

  // ---------------------------------------------------------------- account

  async checkConnection(signal?: AbortSignal): Promise<{ userName: string; userId: string }> {
    const who = await this.dialect.whoAmI(this.io, this.ctx, { userId: this.userId, userName: this.credentials.user }, signal);
    this.userId = who.userId;
    await this.prepare(signal);
    // The trash itself must answer: 207 for our own trash. reva answers a Depth 0 PROPFIND of a
    // trash root without reading storage: with spaces (oCIS), the personal space's root is read.
    const [checkPath, checkBody] = this.dialect.spaces ? [this.filesPath([]), STAT_BODY] : [this.trashPath(null), this.dialect.trashPropfind];
    const trash = await this.send('PROPFIND', checkPath, { headers: { Depth: '0' }, body: checkBody, signal });
    if (trash.status !== 207) throw await this.failure(trash, this.dialect.trashCheckMessages);
    await trash.body?.cancel();
    return who;
  }

  // ---------------------------------------------------------------- listing

  async *listTrash(parentId: string | null, signal?: AbortSignal): AsyncIterable<{ items: TrashItem[]; total?: number }> {
    if (parentId !== null) folderSegments(parentId); // refuses "..", "."
    // The whole trash (a load or Reload): oCIS reads the spaces again, so a new membership shows.
    await this.prepare(signal, parentId === null && this.dialect.spaces !== undefined);
    // oCIS: one listing per space (the root) or the trashed folder's space.
    const listings = this.dialect.spaces?.listings(this.ctx, parentId) ?? [{ listedPath: this.trashPath(parentId), trashRootPath: this.trashPath(null), space: undefined }];
    for (const listing of listings) yield* this.listOne(parentId, listing, signal);
  }

  private async *listOne(
    parentId: string | null,
    listing: { listedPath: string; trashRootPath: string; space: Space | undefined },
    signal?: AbortSignal,
    renewed = false,
  ): AsyncIterable<{ items: TrashItem[]; total?: number }> {
    const listed = listing.listedPath;
    const auth = await this.authHeader();
    const ctx = {
      accountId: this.account.id,
      parentId,
      listedPath: listed.replace(/\/+$/, ''),
      trashRootPath: listing.trashRootPath,
      ...(listing.space ? { space: { id: listing.space.id, name: listing.space.name, personal: listing.space.personal } } : {}),
    };
    // The listing worker sends the PROPFIND and parses the body itself: the bytes of a big trash
    // never pass through this thread, only finished chunks of items.
    const request = {
      url: this.url(listed),
      method: 'PROPFIND',
      headers: { Authorization: auth.header, 'Content-Type': 'application/xml; charset=utf-8', Depth: '1' },
      body: this.dialect.trashPropfind,
      timeoutMs: this.http.timeoutMs,
      userAgent: this.http.userAgent,
      ...(this.account.trustedCertFingerprint ? { trustedCertFingerprint: this.account.trustedCertFingerprint } : {}),
    };
    try {
      // oCIS: what the user's role in the space keeps them from doing, on each item, before they try.
      const limits = listing.space ? spaceRestrictions(listing.space) : null;
      const limited = limits && (limits.cannotRestore || limits.cannotDelete) ? limits : null;
      for await (const items of fetchTrashItems(request, this.kind, ctx, this.options.parseHost, signal)) {
        yield { items: limited ? items.map((item) => ({ ...item, ...limited })) : items };
      }
    } catch (e) {
      if (!(e instanceof ListingStatusError)) throw e;
      // A 401 comes before any item: after an OpenID Connect refresh the listing starts again.
      if (e.status === 401 && !renewed && (await this.renewedAfter401(auth.token))) {
        yield* this.listOne(parentId, listing, signal, true);
        return;
      }
      if (e.status === 401) throw new AppError('AUTH_FAILED', this.refusedMessage(), { status: 401 });
      throw await this.failure(new Response(e.body, { status: e.status }), {
        404: parentId ? 'This folder is no longer in the trash.' : 'The trash bin was not found on the server.',
        403: 'This account may not read this trash bin.',
      });
    }
  }

  /** The watch's cheap check: the activity feed (Nextcloud, ownCloud 10) or the spaces' ETags (oCIS); see changes.ts. */
  checkTrashChanges(since: string | null, signal?: AbortSignal): Promise<TrashChangeCheck> {
    return checkTrashChanges(this.kind, this.io, this.basePath, since, signal);
  }

  parentOf(id: string): string | null {
    const slash = id.lastIndexOf('/');
    return slash > 0 ? id.slice(0, slash) : null;
  }

  // ---------------------------------------------------------------- folders

  private folderRef(segments: string[], stat: Stat | null): FolderRef {
    return {
      accountId: this.account.id,
      id: displayPath(segments),
      name: this.dialect.spaces ? this.dialect.spaces.folderName(this.ctx, segments) : segments.length ? folderName(segments) : 'Home',
      path: this.dialect.spaces ? this.dialect.spaces.show(this.ctx, segments) : displayPath(segments),
      canWrite: writable(stat?.permissions ?? null),
      hasChildren: null,
    };
  }

  async listFolders(parentId: string | null, signal?: AbortSignal) {
    const segments = folderSegments(parentId);
    await this.prepare(signal);
    const found = await this.propfind(this.filesPath(segments), '1', STAT_BODY, signal);
    if (!found) throw new AppError('NOT_FOUND', `The folder ${displayPath(segments)} does not exist.`);
    const self = this.filesPath(segments).replace(/\/+$/, '');
    let selfStat: Stat | null = null;
    const children: FolderRef[] = [];
    for (const r of found) {
      const path = decodeHref(r.href).replace(/\/+$/, '');
      if (path === self) {
        selfStat = statOf(r);
        continue;
      }
      if (!r.collection) continue;
      children.push(this.folderRef([...segments, path.slice(path.lastIndexOf('/') + 1)], statOf(r)));
    }
    children.sort((a, b) => a.name.localeCompare(b.name));
    // oCIS: the personal root also leads into each project space (a viewer's cannot take restores).
    if (this.dialect.spaces && segments.length === 0) {
      for (const space of this.ctx.spaces ?? []) {
        if (!space.personal) children.push({ ...this.folderRef(this.dialect.spaces.rootOf(space), null), canWrite: space.role !== 'viewer' });
      }
    }
    const breadcrumbs = segments.map((_, i) => this.folderRef(segments.slice(0, i), null));
    return { folder: this.folderRef(segments, selfStat), children, breadcrumbs: [...breadcrumbs, this.folderRef(segments, selfStat)] };
  }

  async createFolder(parentId: string, name: string, signal?: AbortSignal): Promise<FolderRef> {
    const clean = name.trim();
    if (!clean || clean === '.' || clean === '..' || clean.includes('/') || clean.includes('\\') || clean.includes('\0')) {
      throw new AppError('INVALID_INPUT', 'A folder name cannot be empty or contain "/" or "\\".');
    }
    const segments = [...folderSegments(parentId), clean];
    await this.prepare(signal);
    const res = await this.send('MKCOL', this.filesPath(segments), { signal, idempotent: false });
    if (res.status === 405) {
      await res.body?.cancel();
      throw new AppError('CONFLICT', `A folder or file named "${clean}" already exists here.`, { status: 405 });
    }
    if (res.status !== 201) {
      throw await this.failure(res, {
        409: `The folder ${displayPath(segments.slice(0, -1))} does not exist.`,
        403: 'You may not create folders here.',
      });
    }
    await res.body?.cancel();
    return this.folderRef(segments, null);
  }

  // ---------------------------------------------------------------- conflicts

  /** Where an item would go: its target folder segments and name. Throws when the original place is unknown. */
  private destination(item: TrashItem, target: RestoreTarget): { folder: string[]; name: string } {
    if (target.kind === 'folder') {
      const folder = folderSegments(target.folderId);
      const refusal = this.dialect.spaces?.restoreRefusal(this.ctx, item, folder);
      if (refusal) throw refusal;
      return { folder, name: item.name };
    }
    if (item.originalFolderId === null) {
      throw new AppError('BAD_RESPONSE', 'The server did not give a usable original location for this item; restore it into a folder instead.');
    }
    const folder = folderSegments(item.originalFolderId);
    const refusal = this.dialect.spaces?.restoreRefusal(this.ctx, item, folder);
    if (refusal) throw refusal;
    return { folder, name: item.name };
  }

  private conflictFor(item: TrashItem, folder: string[], name: string, existing: Stat): Conflict {
    return {
      itemKey: item.key,
      name,
      targetPath: displayPath([...folder, name]),
      source: 'existing',
      otherKey: null,
      trashed: { size: item.size, deletedAt: item.deletedAt, kind: item.kind },
      existing: { size: existing.size, modifiedAt: existing.modifiedAt, kind: existing.kind },
      canReplace: true,
      note:
        existing.kind === 'folder' && item.kind === 'folder'
          ? 'Replace moves the existing folder, with everything in it, to the trash.'
          : 'Replace moves the existing item to the trash.',
    };
  }

  async findConflicts(items: TrashItem[], target: RestoreTarget, signal?: AbortSignal) {
    const conflicts: Conflict[] = [];
    const missing = new Set<string>();
    const listings = new Map<string, Promise<Map<string, Stat> | null>>();
    const controller = signal ?? new AbortController().signal;
    await this.prepare(signal);
    await forEachLimited(items, this.concurrency, controller, async (item) => {
      let dest: { folder: string[]; name: string };
      try {
        dest = this.destination(item, target);
      } catch {
        return;
      }
      const key = displayPath(dest.folder);
      let listing = listings.get(key);
      if (!listing) {
        listing = this.children(dest.folder, signal);
        listings.set(key, listing);
      }
      const children = await listing;
      if (!children) {
        missing.add(key);
        return;
      }
      const existing = children.get(dest.name);
      if (existing) conflicts.push(this.conflictFor(item, dest.folder, dest.name, existing));
    });
    // Two selected items bound for the same path (a file and a folder cannot share a name here).
    const asked = new Set(conflicts.map((c) => c.itemKey));
    const placeOf = (item: TrashItem) => {
      try {
        const dest = this.destination(item, target);
        const targetPath = displayPath([...dest.folder, dest.name]);
        return { key: targetPath, targetPath };
      } catch {
        return null;
      }
    };
    conflicts.push(...selectionClashes(items, placeOf, asked));
    return { conflicts, missingFolders: [...missing] };
  }

  // ---------------------------------------------------------------- restore

  /**
   * Restores a batch: each destination folder is checked and listed once for the whole batch, and
   * items run concurrently, also into the same folder; only items bound for the same path wait for
   * each other. A name taken after the listing still stops that item and asks (412, or the server's
   * own rename on Nextcloud).
   */
  async restore(items: TrashItem[], target: RestoreTarget, options: RestoreOptions, ctx: BatchContext): Promise<void> {
    await this.prepare(ctx.signal);
    const collection = this.dialect.restore.mode === 'restore-collection';
    const batch: RestoreBatch = {
      folders: new Map(),
      listings: new Map(),
      reserved: new Map(),
      placed: new Map(),
      finder: collection && this.searchable ? new LandingFinder((ids) => this.findByFileIds(ids), { maxIds: SEARCH_MAX_IDS }) : null,
      sameSecond: new Map(),
    };
    if (this.kind === 'owncloud10' && target.kind === 'original') {
      // ownCloud restores such an entry where it lists it (the first deletion's folder) with the
      // last one's content: its trash app's listing says so (one request; a failure only loses the note).
      const report = await this.sameSecondLosses(items, undefined, ctx.signal).catch(() => null);
      for (const loss of report?.losses ?? []) if (loss.itemKey) batch.sameSecond.set(loss.itemKey, loss);
    }
    // Items bound for the same path run one after the other, each to its end.
    const claims = new Map<string, number>();
    for (const item of items) {
      try {
        const dest = this.destination(item, target);
        inFolder(batch.reserved, dest.folder, () => new Set<string>()).add(dest.name);
        const path = displayPath([...dest.folder, dest.name]);
        claims.set(path, (claims.get(path) ?? 0) + 1);
      } catch {
        // reported when the item runs
      }
    }
    this.batches.set(ctx, batch);
    try {
      await this.runBatch(
        items,
        ctx,
        async (item, later) => {
          const dest = this.destination(item, target);
          const path = displayPath([...dest.folder, dest.name]);
          // Nextcloud: once the server has the MOVE, the slot goes to the next item while this
          // one is found (with others, in one lookup) and finished.
          const detach = batch.finder && claims.get(path) === 1 ? later : undefined;
          await this.folderLock.run(`restore:${path}`, () => this.restoreOne(item, target, dest, options, ctx, batch, detach));
        },
        this.restoreConcurrency,
        () => batch.finder?.drain(),
      );
    } finally {
      this.batches.delete(ctx);
    }
  }

  /** Once per folder and batch: the folder exists (or is made); a failure is not kept, so the next item tries again. */
  private folderReady(batch: RestoreBatch, folder: string[], options: RestoreOptions, signal: AbortSignal): Promise<void> {
    const key = displayPath(folder);
    let ready = batch.folders.get(key);
    if (!ready) {
      ready = this.ensureFolder(folder, options, signal);
      batch.folders.set(key, ready);
      ready.catch(() => batch.folders.delete(key));
    }
    return ready;
  }

  /** Once per folder and batch: what was in it when the batch started (null: it does not exist). */
  private listingOf(batch: RestoreBatch, folder: string[], signal: AbortSignal): Promise<Map<string, Stat> | null> {
    const key = displayPath(folder);
    let listing = batch.listings.get(key);
    if (!listing) {
      listing = this.children(folder, signal);
      batch.listings.set(key, listing);
      listing.catch(() => batch.listings.delete(key));
    }
    return listing;
  }

  /** What is at folder/name as far as this batch knows: what it put there, else the batch's listing. */
  private async knownAt(batch: RestoreBatch, folder: string[], name: string, signal: AbortSignal): Promise<Stat | null> {
    const placed = batch.placed.get(displayPath(folder))?.get(name);
    if (placed) return placed;
    return (await this.listingOf(batch, folder, signal))?.get(name) ?? null;
  }

  /**
   * Runs fn per item, reporting failures; a 401 stops the batch and is rethrown. fn may hand the
   * rest of an item's work to `later`: it goes on outside the item's slot (so the next item
   * starts), with the same failure handling, and the batch ends when it has. `drained` is called
   * once no more items will start.
   */
  private async runBatch(
    items: TrashItem[],
    ctx: BatchContext,
    fn: (item: TrashItem, later: (work: () => Promise<void>) => void) => Promise<void>,
    concurrency = this.concurrency,
    drained?: () => void,
  ): Promise<void> {
    let authError: AppError | null = null;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    const pending = new Set<Promise<void>>();
    // Once the batch is cancelled, an item that had not started its write is reported by the
    // runner ("cancelled"); work handed to `later` comes after a write, so its failure is reported.
    const failed = (item: TrashItem, e: unknown, afterWrite: boolean) => {
      if (isAppError(e) && e.code === 'AUTH_FAILED') {
        authError ??= e;
        stop.abort();
        return;
      }
      if (ctx.signal.aborted && (!afterWrite || (isAppError(e) && e.code === 'CANCELLED'))) return;
      ctx.itemDone(this.result(item, 'failed', null, e));
    };
    // Each request in flight listens on the batch's signal: say how many to expect (no warning on stderr).
    setMaxListeners(Math.max(10, PACE_DEFAULTS.max * 4), ctx.signal);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      // As many in flight as the server keeps up with (electron/base/pace.ts); fixed when the account's options fix it.
      await forEachPaced(items, { start: concurrency, adaptive: this.options.concurrency === undefined }, stop.signal, async (item) => {
        const later = (work: () => Promise<void>) => {
          const p = work().catch((e: unknown) => failed(item, e, true));
          pending.add(p);
          void p.finally(() => pending.delete(p));
        };
        try {
          ctx.progress({ current: item.name });
          await fn(item, later);
        } catch (e) {
          failed(item, e, false);
        }
      });
      drained?.();
      while (pending.size) await Promise.all(pending);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
    if (authError) throw authError;
  }

  /** A path as the user reads it: oCIS names a project space ("Marketing › Campaigns/plan.pdf"), never its id. */
  private shown(ref: string): string {
    return this.dialect.spaces ? this.dialect.spaces.show(this.ctx, folderSegments(ref)) : ref;
  }

  private result(item: TrashItem | { key: string; name: string }, outcome: Outcome, finalPath: string | null, error?: unknown): ItemResult {
    // oCIS: a path in a project space reads "Marketing › Campaigns/plan.pdf".
    const shown = finalPath !== null && this.dialect.spaces ? this.dialect.spaces.show(this.ctx, folderSegments(finalPath)) : finalPath;
    return { key: item.key, name: item.name, outcome, finalPath: shown, error: error === undefined ? null : toErrorValue(error) };
  }

  /**
   * Reports a restored item with what landed: its file id and ETag read back from the server, so
   * Undo can later prove it is still this file. Without that proof the item is reported restored
   * but is not offered to Undo.
   */
  private async done(
    ctx: BatchContext,
    item: TrashItem,
    outcome: Outcome,
    final: string[],
    replaced: Replaced | null = null,
    known?: Stat | null,
    extra: { note?: string; movableTo?: string } = {},
  ): Promise<void> {
    const stat = known ?? (await this.stat(final, new AbortController().signal).catch(() => null));
    const landed = stat ? this.landedOf(final, stat, replaced) : undefined;
    // Later items of the same batch see the name as taken.
    const batch = this.batches.get(ctx);
    const loss = batch?.sameSecond.get(item.key);
    if (loss?.keptFrom && !extra.note) {
      const from = this.shown(loss.keptFrom);
      extra = { note: keptContentNote(item, from, this.shown(displayPath(final))), movableTo: this.shown(displayPath([...folderSegments(loss.keptFrom), item.name])) };
    }
    if (batch) {
      const placed: Stat = stat ?? { kind: item.kind, size: item.size, modifiedAt: null, fileId: null, etag: null, permissions: null };
      inFolder(batch.placed, final.slice(0, -1), () => new Map<string, Stat>()).set(final[final.length - 1] ?? '', placed);
    }
    ctx.itemDone({ ...this.result(item, outcome, displayPath(final)), ...extra }, { bytes: item.size, ...(landed ? { landed } : {}) });
  }

  private landedOf(final: string[], stat: Stat, replaced: Replaced | null): Landed {
    return {
      ref: displayPath(final),
      name: final[final.length - 1] ?? '',
      kind: stat.kind,
      fileId: stat.fileId,
      etag: stat.etag,
      size: stat.size,
      modifiedAt: stat.modifiedAt,
      version: null,
      replaced,
    };
  }

  /** What a Replace is about to move out of the way (into the trash), or null when nothing is there. */
  private async replacedAt(to: string[], signal: AbortSignal): Promise<Replaced | null> {
    const before = await this.stat(to, signal);
    if (!before) return null;
    return {
      name: to[to.length - 1] ?? '',
      ref: displayPath(to),
      folder: displayPath(to.slice(0, -1)),
      fileId: before.fileId,
      size: before.size,
      modifiedAt: before.modifiedAt,
      version: null,
      // Servers stamp deletions in whole seconds.
      at: new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString(),
    };
  }

  /**
   * A free "keep both" name in a folder: "a (restored).txt", "a (restored 2).txt", ... Within a
   * restore batch it comes from the batch's one listing of the folder, skipping every name the
   * batch put there or set aside, and is set aside itself, so two items never get the same one.
   */
  private async freeName(folder: string[], name: string, isFolder: boolean, signal?: AbortSignal, batch?: RestoreBatch): Promise<string> {
    const children = (batch ? await this.listingOf(batch, folder, signal ?? new AbortController().signal) : await this.children(folder, signal)) ?? new Map<string, Stat>();
    const reserved = batch ? inFolder(batch.reserved, folder, () => new Set<string>()) : new Set<string>();
    const placed = batch?.placed.get(displayPath(folder));
    const taken = (n: string) => children.has(n) || (placed?.has(n) ?? false);
    // The item's own name is set aside for it; it is free only when nothing is there.
    if (!taken(name)) return name;
    for (let n = 1; n < 10_000; n++) {
      const candidate = restoredName(name, n, isFolder);
      if (!taken(candidate) && !reserved.has(candidate)) {
        reserved.add(candidate);
        return candidate;
      }
    }
    throw new AppError('CONFLICT', `No free name for ${name}.`);
  }

  private async ensureFolder(folder: string[], options: RestoreOptions, signal: AbortSignal): Promise<void> {
    const stat = await this.stat(folder, signal);
    if (stat?.kind === 'folder') return;
    if (stat) throw new AppError('DEST_MISSING', `${displayPath(folder)} is a file, not a folder.`);
    if (!options.recreateMissingFolders) {
      throw new AppError('DEST_MISSING', `The folder ${displayPath(folder)} no longer exists. Recreate it, or restore into another folder.`);
    }
    await this.mkdirs(folder, signal);
  }

  private async restoreOne(
    item: TrashItem,
    target: RestoreTarget,
    dest: { folder: string[]; name: string },
    options: RestoreOptions,
    ctx: BatchContext,
    batch: RestoreBatch,
    later?: (work: () => Promise<void>) => void,
  ): Promise<void> {
    const signal = ctx.signal;
    await this.folderReady(batch, dest.folder, options, signal);
    const existing = await this.knownAt(batch, dest.folder, dest.name, signal);
    let resolution: Resolution | undefined = ctx.resolutionFor(item.key);
    if (existing && !resolution) resolution = await ctx.ask(this.conflictFor(item, dest.folder, dest.name, existing));
    if (existing && resolution === 'skip') {
      // Still in the trash; nothing touched.
      ctx.itemDone(this.result(item, 'skipped', null));
      return;
    }
    const restore = this.dialect.restore;
    const chosen = existing ? (resolution ?? null) : null;
    if (restore.mode === 'move-to-destination') {
      await this.moveOutOfTrash(item, this.trashPath(item.id), dest, chosen, ctx);
    } else {
      await this.restoreThroughCollection(item, restore.target(this.ctx, item), target, dest, chosen, ctx, !existing, later);
    }
  }

  /**
   * Moves something (a trash item, or a just-restored file) to dest with Overwrite semantics that
   * follow the user's choice; a name taken meanwhile (412) asks again.
   */
  private async moveOutOfTrash(
    item: TrashItem,
    fromPath: string,
    dest: { folder: string[]; name: string },
    resolution: Resolution | null,
    ctx: BatchContext,
    outcomeIfPlain: Outcome = 'restored',
    /** Undoes what the server already did (the restore of the first step); says what it moved back to the trash. */
    onSkip?: () => Promise<Landed | void>,
  ): Promise<void> {
    const signal = ctx.signal;
    let choice = resolution;
    for (let attempt = 0; attempt < 6; attempt++) {
      let name = dest.name;
      if (choice === 'skip') {
        const trashedBack = await onSkip?.();
        ctx.itemDone(this.result(item, 'skipped', null), trashedBack ? { trashedBack } : undefined);
        return;
      }
      if (choice === 'keep-both') name = await this.freeName(dest.folder, dest.name, item.kind === 'folder', signal, this.batches.get(ctx));
      const to = [...dest.folder, name];
      const replace = choice === 'replace';
      const replaced = replace ? await this.replacedAt(to, signal) : null;
      if (replaced && item.deletedAt) await this.pastSecondOf(Date.parse(item.deletedAt), to, signal);
      const arrived = async () => (await this.stat(to, new AbortController().signal)) !== null;
      let res = await this.move(fromPath, this.filesPath(to), replace, signal, arrived);
      if (replace && res.status === 403) {
        // ownCloud ≥ 10.12 refuses a restore over an existing node (even with Overwrite: T):
        // move the existing one to the trash first, then restore.
        await res.body?.cancel();
        const del = await this.send('DELETE', this.filesPath(to), { signal, idempotent: false, confirm: async () => !(await arrived()) });
        if (del.status !== 204 && del.status !== 404) throw await this.failure(del);
        await del.body?.cancel();
        res = await this.move(fromPath, this.filesPath(to), false, signal, arrived);
      }
      if (res.status === 201 || res.status === 204) {
        await res.body?.cancel();
        const outcome: Outcome = replace && replaced ? 'replaced' : name !== dest.name ? 'renamed' : outcomeIfPlain;
        // ownCloud answers with the file's id and ETag: no need to read it back.
        await this.done(ctx, item, outcome, to, replaced, movedStat(res, item));
        return;
      }
      if (res.status === 412) {
        await res.body?.cancel();
        // Taken since the listing: later "Keep both" names of this batch skip it too.
        const batch = this.batches.get(ctx);
        const existing = await this.stat(to, signal);
        if (existing && batch) {
          const listing = await this.listingOf(batch, dest.folder, signal).catch(() => null);
          listing?.set(name, existing);
        }
        if (!existing) continue; // gone again: try once more
        choice = choice === 'keep-both' ? 'keep-both' : await ctx.ask(this.conflictFor(item, dest.folder, name, existing));
        continue;
      }
      throw await this.failure(res, {
        404: 'This item is no longer in the trash.',
        409: `The folder ${displayPath(dest.folder)} does not exist.`,
        403: `You may not restore into ${displayPath(dest.folder)}.`,
        507: 'Not enough storage space on the server to restore this item.',
      });
    }
    throw new AppError('CONFLICT', `The name ${dest.name} kept being taken while restoring.`);
  }

  /**
   * Nextcloud: MOVE the item to trashbin/<user>/restore/<name> (no Overwrite header: Nextcloud 32
   * answers 412 to "Overwrite: F" there even when nothing is in the way). The server puts it back
   * at its original location, renamed "name (restored).ext" when that name is taken, in the root
   * when the folder is gone, or — when several same-named files were deleted in one second and it
   * kept one trash file for them — where the first of them was. It does not say which, so the item
   * is found by its file id (taken from the listing). With `later`, finding and finishing it go on
   * after this returns (the batch's slot is free for the next MOVE; see LandingFinder).
   */
  private async restoreThroughCollection(
    item: TrashItem,
    restorePath: string,
    target: RestoreTarget,
    dest: { folder: string[]; name: string },
    resolution: Resolution | null,
    ctx: BatchContext,
    /** The batch's listing had nothing at dest: the server should put it there under its own name. */
    expectFree = false,
    later?: (work: () => Promise<void>) => void,
  ): Promise<void> {
    const signal = ctx.signal;
    const trashPath = this.trashPath(item.id);
    // The file id lets us find the item after the server placed it: the listing's, else read it.
    let fileId = item.fileId ?? null;
    if (!fileId) {
      const self = await this.propfind(trashPath, '0', STAT_BODY, signal);
      if (!self?.[0]) throw new AppError('NOT_FOUND', 'This item is no longer in the trash.', { status: 404 });
      fileId = prop(self[0], OC('fileid'));
    }

    // Where the server puts it back (its own record of the original place; for an item an Undo of
    // Salvage put back, not the place and name it reads with: see serverPlace).
    const onServer = serverPlace(item);
    const originalFolder = onServer.folder;
    const intoOriginal = displayPath(originalFolder) === displayPath(dest.folder);
    // Without a file id the landed item is told by a name that was not there before.
    const before = intoOriginal || fileId ? null : await this.children(originalFolder, signal);
    // Restoring elsewhere, the server first puts it back at its original place: free there too?
    const batch = this.batches.get(ctx);
    const freeAtOriginal = intoOriginal
      ? expectFree
      : batch !== undefined &&
        (await this.listingOf(batch, originalFolder, signal).catch(() => null))?.has(onServer.name) === false &&
        !(batch.placed.get(displayPath(originalFolder))?.has(onServer.name) ?? false);

    const res = await this.move(trashPath, restorePath, null, signal);
    if (res.status !== 201 && res.status !== 204) {
      throw await this.failure(res, {
        404: 'This item is no longer in the trash.',
        403: 'You may not restore this item.',
        409: 'The server could not restore this item (its trash record is incomplete).',
        507: 'Not enough storage space on the server to restore this item.',
      });
    }
    await res.body?.cancel();
    const finish = () => this.finishCollectionRestore(item, fileId, { originalFolder, serverName: onServer.name, intoOriginal, freeAtOriginal, before }, dest, resolution, ctx);
    if (later) later(finish);
    else await finish();
  }

  /** Where a restore through the restore collection landed, and what follows: report it, or move it on (see restoreThroughCollection). */
  private async finishCollectionRestore(
    item: TrashItem,
    fileId: string | null,
    how: { originalFolder: string[]; serverName: string; intoOriginal: boolean; freeAtOriginal: boolean; before: Map<string, Stat> | null },
    dest: { folder: string[]; name: string },
    resolution: Resolution | null,
    ctx: BatchContext,
  ): Promise<void> {
    const { originalFolder, serverName, intoOriginal, freeAtOriginal, before } = how;
    // The item is out of the trash now: finish finding and placing it even if the batch is cancelled.
    const committed = new AbortController().signal;
    let landed: { folder: string[]; name: string; stat: Stat } | null;
    // Found by the name the server gave it (an item an Undo of Salvage put back reads with its old name).
    const asOnServer = { ...item, name: serverName };
    try {
      landed = await this.locate(ctx, asOnServer, fileId, { expected: intoOriginal ? dest.folder : originalFolder, freeAt: freeAtOriginal ? originalFolder : null, before }, committed);
    } catch (e) {
      // Out of the trash, but where could not be read (a refused sign-in, the server gone): say where it most likely is.
      const error = isAppError(e) ? e : new AppError('INTERNAL', 'Finding the restored item failed.');
      const likely = [...originalFolder, serverName];
      ctx.itemDone(
        this.result(item, 'failed', displayPath(likely), new AppError(error.code, `The server restored ${item.name}, most likely to ${this.shown(displayPath(likely))}, but Salvage could not check where it put it: ${error.message}`, error.details)),
      );
      if (error.code === 'AUTH_FAILED') throw error;
      return;
    }
    if (!landed) {
      throw new AppError('BAD_RESPONSE', `The server restored ${item.name} but Salvage could not find where it put it.`);
    }
    const landedPath = [...landed.folder, landed.name];

    if (intoOriginal && displayPath(landed.folder) !== displayPath(dest.folder) && (await this.sameSecondLanding(landed.folder, dest.folder))) {
      // One trash file for several same-named deletions: the server put it where the first was.
      await this.done(ctx, item, landed.name === item.name ? 'restored' : 'renamed', landedPath, null, landed.stat, {
        note: sameSecondNote(item, this.shown(displayPath(landed.folder)), this.shown(displayPath(dest.folder))),
        movableTo: this.shown(displayPath([...dest.folder, dest.name])),
      });
      return;
    }

    if (intoOriginal && displayPath(landed.folder) === displayPath(dest.folder)) {
      if (landed.name === dest.name) {
        await this.done(ctx, item, 'restored', landedPath, null, landed.stat);
        return;
      }
      // From here on the item is out of the trash: whatever fails, it is reported with where it is.
      let choice = resolution;
      try {
        // The server renamed it because the name is taken.
        if (!choice) {
          const existing = await this.stat([...dest.folder, dest.name], committed);
          choice = existing ? await ctx.ask(this.conflictFor(item, dest.folder, dest.name, existing)).catch(() => 'keep-both' as const) : 'replace';
        }
        if (choice === 'keep-both') {
          await this.done(ctx, item, 'renamed', landedPath, null, landed.stat);
          return;
        }
        if (choice === 'skip') {
          await this.trashFilesPath(landedPath, committed);
          // Back in the trash by Salvage's hand (its ledger keeps the item's old name and time).
          ctx.itemDone(this.result(item, 'skipped', null), { trashedBack: this.landedOf(landedPath, landed.stat, null) });
          return;
        }
        const replaced = await this.replacedAt([...dest.folder, dest.name], committed);
        const move = await this.move(this.filesPath(landedPath), this.filesPath([...dest.folder, dest.name]), true, committed);
        if (move.status !== 201 && move.status !== 204) throw await this.failure(move);
        await move.body?.cancel();
        await this.done(ctx, item, replaced ? 'replaced' : 'restored', [...dest.folder, dest.name], replaced, movedStat(move, item));
      } catch (e) {
        const error = isAppError(e) ? e : new AppError('INTERNAL', 'Finishing the restore failed.');
        this.stranded(ctx, item, landedPath, landed.stat, choice === 'skip' ? 'could not put it back in the trash (Skip)' : `could not replace ${dest.name}`, error);
        if (error.code === 'AUTH_FAILED') throw error;
      }
      return;
    }

    // Second step: move it from where the server put it into the chosen folder.
    ctx.progress({ current: `${item.name}: restored to ${displayPath(landedPath)}, moving to ${displayPath(dest.folder)}` });
    try {
      await this.moveOutOfTrash(item, this.filesPath(landedPath), dest, resolution, ctx, 'restored', async () => {
        await this.trashFilesPath(landedPath, committed);
        return this.landedOf(landedPath, landed.stat, null);
      });
    } catch (e) {
      const error = isAppError(e) ? e : new AppError('INTERNAL', 'Moving the restored item failed.');
      if (error.code === 'CANCELLED' || (ctx.signal.aborted && error.code !== 'AUTH_FAILED')) {
        // Cancelled between the two steps: it is restored, where the server put it.
        await this.done(ctx, item, 'restored', landedPath, null, landed.stat);
        return;
      }
      this.stranded(ctx, item, landedPath, landed.stat, `could not move it into ${displayPath(dest.folder)}`, error);
      // A refused sign-in stops the batch; the item has its own result first, with where it is.
      if (error.code === 'AUTH_FAILED') throw error;
    }
  }

  /**
   * Whether a restore to the original place that landed in another folder did so because the
   * server kept one trash file for several same-named files deleted in one second (it restores to
   * the first one's folder) — rather than because the listed folder is gone (it restores to the root).
   */
  private async sameSecondLanding(landedFolder: string[], listedFolder: string[]): Promise<boolean> {
    if (landedFolder.length > 0) return true;
    // In the root: the listed folder gone, or not writable (the server's fallback), is the other reason.
    const folder = await this.stat(listedFolder, new AbortController().signal).catch(() => null);
    return folder?.kind === 'folder' && writable(folder.permissions);
  }

  /**
   * Where a just-restored item is: by its file id through the batch's landing finder (one lookup
   * for many items); else where the batch expected it (one Depth 0 read proves it by file id), else
   * by listing the expected folder and the root.
   */
  private async locate(
    ctx: BatchContext,
    item: TrashItem,
    fileId: string | null,
    where: { expected: string[]; freeAt: string[] | null; before: Map<string, Stat> | null },
    signal: AbortSignal,
  ): Promise<{ folder: string[]; name: string; stat: Stat } | null> {
    const finder = this.batches.get(ctx)?.finder;
    if (fileId && finder) {
      // A failed lookup (other than a refused sign-in) leaves the item to be looked up the other way.
      const found = await finder.find(fileId).catch((e: unknown) => {
        if (isAppError(e) && e.code === 'AUTH_FAILED') throw e;
        return null;
      });
      if (found && found.segments.length > 0) return { folder: found.segments.slice(0, -1), name: found.segments[found.segments.length - 1]!, stat: found.stat };
    }
    if (where.freeAt && fileId) {
      const stat = await this.stat([...where.freeAt, item.name], signal).catch(() => null);
      if (stat && stat.fileId === fileId) return { folder: where.freeAt, name: item.name, stat };
    }
    return this.findLanded(item, fileId, where.expected, where.before, signal);
  }

  /**
   * An item the restore moved out of the trash whose next step failed: reported failed, with where
   * it is now (and what landed, so Undo can put it back in the trash), never as if it were still
   * in the trash.
   */
  private stranded(ctx: BatchContext, item: TrashItem, at: string[], stat: Stat | null, what: string, error: AppError): void {
    const place = displayPath(at);
    ctx.itemDone(
      this.result(item, 'failed', place, new AppError(error.code, `Restored to ${this.shown(place)}, but ${what}: ${error.message}`, error.details)),
      stat ? { landed: this.landedOf(at, stat, null) } : {},
    );
  }

  /** Finds a just-restored item: by file id in the expected folder, then in the root. */
  private async findLanded(
    item: TrashItem,
    fileId: string | null,
    expected: string[],
    before: Map<string, Stat> | null,
    signal: AbortSignal,
  ): Promise<{ folder: string[]; name: string; stat: Stat } | null> {
    const places = displayPath(expected) === '/' ? [expected] : [expected, []];
    for (const folder of places) {
      const children = await this.children(folder, signal);
      if (!children) continue;
      if (fileId) {
        for (const [name, stat] of children) if (stat.fileId === fileId) return { folder, name, stat };
        continue;
      }
      // No file id: the item's name, or the first "(restored …)" name that was not there before.
      const candidates = [item.name, ...Array.from({ length: 50 }, (_, i) => restoredName(item.name, i + 1, item.kind === 'folder'))];
      for (const name of candidates) {
        const stat = children.get(name);
        if (stat && !(before?.has(name) ?? false)) return { folder, name, stat };
      }
    }
    return null;
  }

  /** Moves a live item to the trash (undo, and Skip after the server already restored). */
  private async trashFilesPath(segments: string[], signal?: AbortSignal): Promise<void> {
    const res = await this.send('DELETE', this.filesPath(segments), {
      signal,
      idempotent: false,
      confirm: async () => (await this.stat(segments, new AbortController().signal)) === null,
    });
    if (res.status !== 204 && res.status !== 200) throw await this.failure(res, { 404: `${displayPath(segments)} is no longer there.` });
    await res.body?.cancel();
  }

  // ---------------------------------------------------------------- delete, empty, undo

  async remove(items: TrashItem[], ctx: BatchContext): Promise<void> {
    await this.prepare(ctx.signal);
    await this.runBatch(items, ctx, async (item) => {
      const refusal = this.dialect.spaces?.deleteRefusal(this.ctx, item);
      if (refusal) throw refusal;
      const res = await this.send('DELETE', this.trashPath(item.id), { signal: ctx.signal, idempotent: false, confirm: async () => !(await this.inTrash(item.id)) });
      if (res.status === 204 || res.status === 200) {
        await res.body?.cancel();
        ctx.itemDone(this.result(item, 'deleted', null), { bytes: item.size });
        return;
      }
      if (res.status === 409 && this.kind === 'ocis') {
        // reva answers 409 (not 404) for a trash key it does not know.
        await res.body?.cancel();
        throw new AppError('NOT_FOUND', 'This item is no longer in the trash.', { status: 409 });
      }
      throw await this.failure(res, {
        404: 'This item is no longer in the trash.',
        403: 'The server does not allow deleting items from the trash for this account (an administrator may have turned it off).',
      });
    });
  }

  async empty(ctx: BatchContext, listed?: readonly TrashItem[]): Promise<void> {
    // Every item gets its own result: from the caller's fresh listing, else read here first.
    const known: TrashItem[] = listed ? [...listed] : [];
    if (!listed) for await (const chunk of this.listTrash(null, ctx.signal)) known.push(...chunk.items);
    const spaces = this.dialect.spaces;
    if (!spaces) return this.emptyRoot(ctx, this.trashPath(null), known, null);
    // oCIS: each space's trash is emptied on its own; only a space's managers may empty it.
    const c = this.ctx;
    const roots = spaces.listings(c, null);
    const itemsOf = (id: string) => known.filter((i) => spaces.spaceOfItem(c, i.id)?.id === id);
    const allowed = roots.filter((r) => r.space.role === 'manager' || r.space.role === 'unknown');
    const left = roots.filter((r) => !allowed.includes(r));
    const reason = left.length ? `; ${left.map((r) => r.space.name).join(', ')} left out: only a space's managers may empty its trash` : '';
    ctx.progress({ current: `Emptying the trash of ${allowed.map((r) => r.space.name).join(', ') || 'no space'} (${known.length.toLocaleString('en-US')} items)${reason}` });
    for (const r of left) {
      for (const item of itemsOf(r.space.id)) {
        ctx.itemDone({ ...this.result(item, 'skipped', null), note: `Not emptied: only managers of ${r.space.name} may empty its trash.` });
      }
    }
    for (const r of allowed) await this.emptyRoot(ctx, r.trashRootPath, itemsOf(r.space.id), r.space.name);
    ctx.progress({ fraction: 1 });
  }

  /** DELETE of one trash root; its known items are reported deleted once the server has done it. */
  private async emptyRoot(ctx: BatchContext, root: string, known: TrashItem[], spaceName: string | null): Promise<void> {
    if (spaceName === null) ctx.progress({ current: `Emptying the trash (${known.length.toLocaleString('en-US')} items)` });
    const emptied = async () => {
      const left: TrashItem[] = [];
      for await (const chunk of this.listTrash(null, new AbortController().signal)) left.push(...chunk.items);
      const ids = new Set(left.map((i) => i.id));
      return known.every((i) => !ids.has(i.id));
    };
    const res = await this.send('DELETE', root, { signal: ctx.signal, idempotent: false, confirm: emptied });
    if (res.status !== 204 && res.status !== 200) {
      throw await this.failure(res, {
        403: spaceName
          ? `The server does not allow emptying the trash of ${spaceName} for this account.`
          : 'The server does not allow emptying the trash for this account (an administrator may have turned it off).',
      });
    }
    await res.body?.cancel();
    for (const item of known) ctx.itemDone(this.result(item, 'deleted', null), { bytes: item.size });
    if (spaceName === null) ctx.progress({ fraction: 1 });
  }

  /**
   * Undo, latest restore first and one at a time per folder (an item that replaced an earlier one
   * of the same batch is undone before it): each item is checked against what landed before it is
   * moved back to the trash, and the DELETE carries If-Match so a file saved over it in between is
   * never taken. A replaced file is looked up in the trash first and put back afterwards.
   */
  async undoRestore(targets: UndoTarget[], ctx: BatchContext): Promise<void> {
    await this.prepare(ctx.signal);
    let trash: Promise<TrashedEntry[]> | null = null;
    const trashOnce = () => (trash ??= this.trashWithIds(ctx.signal));
    await forEachPaced([...targets].reverse(), { start: this.concurrency, adaptive: this.options.concurrency === undefined }, ctx.signal, async (target) => {
      const folder = target.landed.ref.slice(0, target.landed.ref.lastIndexOf('/')) || '/';
      await this.folderLock.run(folder, async () => {
        try {
          await this.undoOne(target, trashOnce, ctx);
        } catch (e) {
          if (isAppError(e) && e.code === 'AUTH_FAILED') throw e;
          ctx.itemDone({ key: target.key, name: target.name, outcome: 'failed', finalPath: this.shown(target.landed.ref), error: toErrorValue(e) });
        }
      });
    });
  }

  private async undoOne(target: UndoTarget, trashOnce: () => Promise<TrashedEntry[]>, ctx: BatchContext): Promise<void> {
    const { landed } = target;
    const signal = ctx.signal;
    const segments = folderSegments(landed.ref);
    const kept = (code: 'NOT_FOUND' | 'CONFLICT', message: string) =>
      ctx.itemDone({ key: target.key, name: target.name, outcome: 'kept', finalPath: code === 'NOT_FOUND' ? null : this.shown(landed.ref), error: { code, message } });
    const now = await this.stat(segments, signal);
    if (!now) return kept('NOT_FOUND', `${landed.name} is no longer at ${this.shown(landed.ref)}; nothing was moved.`);
    const changed = changedSince(landed, now);
    if (changed) return kept('CONFLICT', `${landed.name} ${changed} since it was restored; left in place.`);
    let replacedEntry: TrashedEntry | null = null;
    if (landed.replaced) {
      replacedEntry = findReplaced(await trashOnce(), landed.replaced);
      if (!replacedEntry) {
        return kept('CONFLICT', `The ${landed.replaced.name} it replaced is no longer in the trash, so ${landed.name} was left in place.`);
      }
    }
    if (replacedEntry?.item.deletedAt) await this.pastSecondOf(Date.parse(replacedEntry.item.deletedAt), segments, signal);
    // Sabre compares ETags of files only (a folder's If-Match always fails), and reva ignores
    // If-Match: the check above is what guards folders and oCIS.
    const del = await this.send('DELETE', this.filesPath(segments), {
      signal,
      idempotent: false,
      ...(now.etag && now.kind === 'file' ? { headers: { 'If-Match': now.etag } } : {}),
      confirm: async () => (await this.stat(segments, new AbortController().signal)) === null,
    });
    await del.body?.cancel();
    if (del.status === 412) {
      // Sabre answers 412 also when the file vanished in between: say which.
      const gone = !(await this.stat(segments, new AbortController().signal).catch(() => true));
      return gone
        ? kept('NOT_FOUND', `${landed.name} is no longer at ${this.shown(landed.ref)}; nothing was moved.`)
        : kept('CONFLICT', `${landed.name} was changed since it was restored; left in place.`);
    }
    if (del.status === 404) return kept('NOT_FOUND', `${landed.name} is no longer at ${this.shown(landed.ref)}; nothing was moved.`);
    if (del.status !== 204 && del.status !== 200) throw await this.failure(del);
    if (!replacedEntry || !landed.replaced) {
      ctx.itemDone({ key: target.key, name: target.name, outcome: 'trashed', finalPath: null, error: null });
      return;
    }
    try {
      const back = await this.putBack(replacedEntry, landed.replaced, signal);
      ctx.itemDone({
        key: target.key,
        name: target.name,
        outcome: 'reverted',
        finalPath: this.shown(back),
        error: null,
        note: back === landed.replaced.ref ? null : `The file it replaced is back as ${this.shown(back)} (its name was taken again).`,
      });
    } catch (e) {
      const error = toErrorValue(e);
      ctx.itemDone({
        key: target.key,
        name: target.name,
        outcome: 'failed',
        finalPath: null,
        error: {
          ...error,
          message: `${landed.name} is back in the trash, but the ${landed.replaced.name} it replaced could not be put back (${error.message}); it is still in the trash.`,
        },
      });
    }
  }

  /**
   * Moves restored items to where the server's records say they belong (see RelocateTarget): each
   * only if it is still the file that landed (same id and ETag, as Undo checks), with Overwrite: F
   * so nothing is replaced; a name taken there leaves the item where it is, and says so.
   */
  async relocate(targets: RelocateTarget[], ctx: BatchContext): Promise<void> {
    await this.prepare(ctx.signal);
    let authError: AppError | null = null;
    await forEachLimited(targets, this.concurrency, ctx.signal, async (target) => {
      if (authError) return;
      const { landed } = target;
      const kept = (code: 'NOT_FOUND' | 'CONFLICT', message: string, at: string | null) =>
        ctx.itemDone({ key: target.key, name: target.name, outcome: 'kept', finalPath: at === null ? null : this.shown(at), error: { code, message } });
      try {
        const from = folderSegments(landed.ref);
        const to = folderSegments(target.to);
        const now = await this.stat(from, ctx.signal);
        if (!now) return kept('NOT_FOUND', `${landed.name} is no longer at ${this.shown(landed.ref)}; nothing was moved.`, null);
        const changed = changedSince(landed, now);
        if (changed) return kept('CONFLICT', `${landed.name} ${changed} since it was restored; left at ${this.shown(landed.ref)}.`, landed.ref);
        const res = await this.move(this.filesPath(from), this.filesPath(to), false, ctx.signal, async () => (await this.stat(to, new AbortController().signal)) !== null);
        if (res.status === 412) {
          await res.body?.cancel();
          return kept('CONFLICT', `Something named ${to[to.length - 1] ?? ''} is already at ${this.shown(displayPath(to.slice(0, -1)))}; ${landed.name} was left at ${this.shown(landed.ref)}.`, landed.ref);
        }
        if (res.status !== 201 && res.status !== 204) {
          throw await this.failure(res, { 409: `The folder ${this.shown(displayPath(to.slice(0, -1)))} no longer exists; ${landed.name} was left at ${this.shown(landed.ref)}.` });
        }
        await res.body?.cancel();
        const moved = movedStat(res, { kind: landed.kind, size: landed.size }) ?? (await this.stat(to, new AbortController().signal).catch(() => null));
        ctx.itemDone(this.result({ key: target.key, name: target.name }, 'restored', displayPath(to)), moved ? { landed: this.landedOf(to, moved, landed.replaced) } : {});
      } catch (e) {
        if (isAppError(e) && e.code === 'AUTH_FAILED') {
          authError ??= e;
          return;
        }
        if (ctx.signal.aborted) return;
        ctx.itemDone({ key: target.key, name: target.name, outcome: 'failed', finalPath: this.shown(landed.ref), error: toErrorValue(e) });
      }
    });
    if (authError) throw authError;
  }

  /** The top level of the trash with each entry's file id where the server gives it (Nextcloud's oc:fileid, ownCloud's trash id). */
  private async trashWithIds(signal: AbortSignal): Promise<TrashedEntry[]> {
    if (this.dialect.spaces) {
      // oCIS: every space's trash (a Replace in a project space trashed the file there); reva's
      // listing has no oc:fileid, so entries are told by name, folder and deletion time.
      const out: TrashedEntry[] = [];
      for await (const chunk of this.listTrash(null, signal)) for (const item of chunk.items) out.push({ item, fileId: null });
      return out;
    }
    const root = this.trashPath(null);
    const found = await this.propfind(root, '1', this.dialect.trashPropfind, signal);
    const ctx = { accountId: this.account.id, parentId: null, listedPath: root.replace(/\/+$/, ''), trashRootPath: root };
    const out: TrashedEntry[] = [];
    for (const r of found ?? []) {
      const item = this.dialect.readItem(r, ctx);
      if (item) out.push({ item, fileId: this.dialect.trashEntryFileId(r, item) });
    }
    return out;
  }

  /**
   * Waits until the server's clock has left the second `at` falls in. ownCloud 10 and Nextcloud
   * name a trash file `<name>.d<seconds>`, so a name trashed twice in one second keeps one file
   * (the later): an Undo of Replace that sent the restored file back to the trash in the second
   * its replaced namesake went there would lose the replaced copy, and so would a Replace that
   * sends the file in the way to the trash in the second the restored item was deleted (ownCloud
   * 10 then restores the replaced version and the item is gone: notable behaviour 17 of the
   * 10.15.2 recordings). The server's own clock (its Date header) decides, not ours; without one,
   * a second and a bit is waited once. Nothing is asked when `at` is more than ten minutes from
   * our clock (a server clock further off than that goes unguarded).
   */
  private async pastSecondOf(at: number, segments: string[], signal: AbortSignal): Promise<void> {
    if (!Number.isFinite(at) || this.kind === 'ocis') return; // oCIS keys trash items by id
    if (Math.abs(Date.now() - at) > 10 * 60_000) return;
    const second = Math.floor(at / 1000);
    for (let tries = 0; tries < 8; tries++) {
      const res = await this.send('PROPFIND', this.filesPath(segments), { headers: { Depth: '0' }, body: STAT_BODY, signal });
      await res.body?.cancel();
      const date = Date.parse(res.headers.get('date') ?? '');
      if (!Number.isFinite(date)) return sleep(1100, signal);
      if (Math.floor(date / 1000) > second) return;
      await sleep(250, signal);
    }
  }

  /** Puts a replaced file back from the trash at its old path; answers where it is now. */
  private async putBack(entry: TrashedEntry, replaced: Replaced, signal: AbortSignal): Promise<string> {
    const to = folderSegments(replaced.ref);
    const restore = this.dialect.restore;
    if (restore.mode === 'restore-collection') {
      // Nextcloud puts it back at its original location itself (free again now).
      const res = await this.move(this.trashPath(entry.item.id), restore.target(this.ctx, entry.item), null, signal);
      if (res.status !== 201 && res.status !== 204) throw await this.failure(res, { 404: 'It is no longer in the trash.' });
      await res.body?.cancel();
      const landed = await this.findLanded(entry.item, entry.fileId, to.slice(0, -1), null, new AbortController().signal);
      return landed ? displayPath([...landed.folder, landed.name]) : replaced.ref;
    }
    const res = await this.move(this.trashPath(entry.item.id), this.filesPath(to), false, signal);
    if (res.status === 201 || res.status === 204) {
      await res.body?.cancel();
      return replaced.ref;
    }
    throw await this.failure(res, {
      412: `${this.shown(replaced.ref)} was taken again.`,
      409: `The folder ${this.shown(displayPath(to.slice(0, -1)))} no longer exists.`,
      404: 'It is no longer in the trash.',
    });
  }
}

interface TrashedEntry {
  item: TrashItem;
  fileId: string | null;
}

/**
 * Where the server itself puts an item back when asked to restore it (Nextcloud's restore
 * collection): its own record of the item's place and name. Salvage's ledger gives an item an Undo
 * moved back the name and place it had before that restore (services/ledger.ts); the server still
 * keeps it under the name and folder it had when it was moved (a "Keep both" name, the folder it
 * had been restored into), which `trashedAs` says.
 */
function serverPlace(item: TrashItem): { folder: string[]; name: string } {
  const as = item.movedBySalvage?.trashedAs;
  if (as) return { folder: as.folderId !== null ? folderSegments(as.folderId) : [], name: as.name };
  return { folder: item.originalFolderId !== null ? folderSegments(item.originalFolderId) : [], name: item.name };
}

/** Why the live item is no longer what landed (another file id, other content), or null when it is the same. */
function changedSince(landed: Landed, now: Stat): string | null {
  if (now.kind !== landed.kind) return 'was replaced by another item';
  if (landed.fileId && now.fileId && landed.fileId !== now.fileId) return 'was replaced by another file';
  if (landed.etag && now.etag) return landed.etag === now.etag ? null : 'was changed';
  if (landed.size !== now.size || landed.modifiedAt !== now.modifiedAt) return 'was changed';
  return null;
}

/**
 * The trash entry of a file a Replace moved away: same name and original folder, deleted at or
 * after the replace, the same file id where the server gives one; the first deleted after the
 * replace when several match.
 */
function findReplaced(entries: TrashedEntry[], replaced: Replaced): TrashedEntry | null {
  const since = Date.parse(replaced.at);
  const matches = entries.filter(({ item, fileId }) => {
    // The folder by its reference (the same as its display path except in oCIS project spaces).
    if (item.name !== replaced.name || (item.originalFolderId ?? item.originalFolder) !== replaced.folder) return false;
    if (replaced.fileId && fileId) return fileId === replaced.fileId;
    return item.deletedAt === null || Date.parse(item.deletedAt) >= since;
  });
  matches.sort((a, b) => Date.parse(a.item.deletedAt ?? '') - Date.parse(b.item.deletedAt ?? ''));
  return matches[0] ?? null;
}

/**
 * What a MOVE's answer says about the file it put in place: ownCloud 10 and Nextcloud send
 * OC-FileId ("00000347ocqbgw8tzdol": the numeric id padded to 8 digits, then the instance id,
 * which starts with "oc") and, for files, the ETag. Null when either is missing or the id is of
 * another form (folders; a MOVE confirmed after a lost answer; oCIS's resource ids): then it is read back.
 */
export function movedStat(res: Response, item: Pick<TrashItem, 'kind' | 'size'>): Stat | null {
  // A 204 replaced something: ownCloud 10.15.2 then sends the REPLACED file's OC-FileId and ETag
  // (Nextcloud 32.0.1 the moved one's), so what was placed is read back.
  if (res.status !== 201) return null;
  const match = /^(\d{8,20})oc[a-z0-9]+$/i.exec(res.headers.get('oc-fileid') ?? '');
  const id = match ? match[1]!.replace(/^0+(?=\d)/, '') : null;
  const etag = res.headers.get('etag') ?? res.headers.get('oc-etag');
  if (item.kind !== 'file' || !id || !etag) return null;
  return { kind: 'file', size: item.size, modifiedAt: null, fileId: id, etag, permissions: null };
}

/** Why a restore to where it was landed in another folder: several same-named files deleted in one second, one trash file kept. */
function sameSecondNote(item: TrashItem, landedFolder: string, listedFolder: string): string {
  const when = item.deletedAt ? ` (${item.deletedAt.slice(0, 19).replace('T', ' ')} UTC)` : '';
  return (
    `Several files named ${item.name} were deleted in the same second${when}, and the server kept only the last of them (the one from ${listedFolder}, as listed). ` +
    `It put that file back in ${landedFolder}, where the first of them was deleted from: the copy deleted from ${landedFolder} is lost on the server, as are any deleted from other folders in that second.`
  );
}

/** ownCloud 10: a restored entry that stood for several same-named deletions in one second holds the last one's content. */
function keptContentNote(item: TrashItem, keptFrom: string, at: string): string {
  const when = item.deletedAt ? ` (${item.deletedAt.slice(0, 19).replace('T', ' ')} UTC)` : '';
  return (
    `Several files named ${item.name} were deleted in the same second${when}, and the server kept only the last of them, the one from ${keptFrom}, ` +
    `but listed it as deleted from ${item.originalFolder}, where the first was: ${at} is ${keptFrom}'s ${item.name}. The copy deleted from ${item.originalFolder} is lost on the server, as are any deleted from other folders in that second.`
  );
}

/** The factory for one WebDAV server kind; every provider it makes lists through the same parse host. */
export const createWebDavProvider =
  (kind: WebDavKind, options: WebDavProviderOptions) =>
  ({ account, credentials }: { account: AccountConfig; credentials: Credentials }): TrashProvider =>
    new WebDavProvider(kind, account, credentials, options);
