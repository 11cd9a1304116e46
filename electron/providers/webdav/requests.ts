import { AppError, isAppError, toErrorValue } from '../../base/errors';
import { KeyedLock, sleep } from '../../base/async';
import type { ItemResult, Outcome, TrashItem } from '../../../shared/model';
import {
  BODY_BUDGET,
  defaultHttpOptions,
  errorForStatus,
  httpOptionsForAccount,
  httpRequest,
  parseRetryAfter,
  pauseOf,
  type HttpOptions,
  type HttpRequest,
} from '../../net/http';
import { decodeOidcSecret, discover, encodeOidcSecret, TokenKeeper, type OidcSecret } from '../../net/oidc';
import type { AccountConfig, Credentials } from '../types';
import { dialects, prop, type DialectContext, type DialectIO, type WebDavDialect, type WebDavKind } from './dialect';
import { clark, NS, parseSabreError, readMultistatus, type DavResponse } from './multistatus';
import { decodeHref, encodePath, folderSegments } from './paths';
import type { ParseHost } from './trashStream';

/**
 * The session with one WebDAV account that every job of the provider (listing, folders, restore,
 * undo, previews) makes its requests through: the address and the dialect, the sign-in (Basic, a
 * bearer token, or OpenID Connect tokens renewed on a 401), one request with its write rules (a
 * sent write is never aborted; a lost answer is confirmed against the server; 423 Locked is waited
 * out), the error mapping, and the few reads every job needs (PROPFIND, stat, a folder's children, MOVE).
 */

export interface WebDavProviderOptions {
  http?: Partial<HttpOptions>;
  /** Items worked on at the same time within one batch (restores: see RESTORE_CONCURRENCY in restore.ts). */
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

export const STAT_BODY = `<?xml version="1.0"?>
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

/**
 * 423 Locked on a write: sent again up to this many times, the pause doubling from the first (with jitter), at most the
 * max.
 */
const LOCKED_RETRIES = 6;
const LOCKED_FIRST_PAUSE_MS = 250;
const LOCKED_MAX_PAUSE_MS = 4_000;

const DAV = (l: string) => clark(NS.dav, l);
export const OC = (l: string) => clark(NS.oc, l);

export function statOf(r: DavResponse): Stat {
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

export class WebDavSession {
  readonly kind: WebDavKind;
  readonly dialect: WebDavDialect;
  readonly origin: string;
  readonly basePath: string;
  userId: string;
  readonly http: HttpOptions;
  readonly concurrency: number;
  /** One restore (or undo) at a time per key: a target path for restores, a folder for undo. */
  readonly folderLock = new KeyedLock();

  constructor(
    kind: WebDavKind,
    readonly account: AccountConfig,
    readonly credentials: Credentials,
    readonly options: WebDavProviderOptions,
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
  }

  /** What the dialect's prepare step found (oCIS: the personal space id); null until it has run. */
  private prepared: Partial<Pick<DialectContext, 'spaceId' | 'spaces'>> | null = null;

  get ctx(): DialectContext {
    return {
      basePath: this.basePath,
      userId: this.userId,
      spaceId: this.prepared?.spaceId ?? '',
      spaces: this.prepared?.spaces ?? [],
    };
  }

  /** The dialect's requests go through this provider's own send and error mapping. */
  readonly io: DialectIO = {
    get: (path, init) => this.send('GET', path, init),
    failure: (res) => this.failure(res),
  };

  /** Runs the dialect's prepare step once, before the first DAV request (again after a failure). */
  private preparedAt = 0;

  async prepare(signal?: AbortSignal, fresh = false): Promise<void> {
    if (this.prepared && !(fresh && Date.now() - this.preparedAt >= (this.options.spacesMaxAgeMs ?? 5_000))) return;
    const next = this.dialect.prepare ? await this.dialect.prepare(this.io, this.ctx, signal) : {};
    this.prepared = next;
    this.preparedAt = Date.now();
  }

  // ---------------------------------------------------------------- requests

  url(decodedPath: string): string {
    return this.origin + encodePath(decodedPath);
  }

  filesPath(segments: string[]): string {
    // oCIS: a first segment "<space id>!" is a project space (see SpaceHooks).
    if (this.dialect.spaces) return this.dialect.spaces.filesPath(this.ctx, segments);
    return [this.dialect.filesRoot(this.ctx), ...segments].join('/');
  }

  trashPath(id: string | null): string {
    if (this.dialect.spaces) return this.dialect.spaces.trashPath(this.ctx, id);
    const root = this.dialect.trashRoot(this.ctx);
    return id ? `${root}/${id}` : root;
  }

  /** What a 401 says: an app password (Basic) or an access token (Bearer, oCIS without a user name) was refused. */
  refusedMessage(): string {
    return this.credentials.user
      ? 'The server did not accept the app password. Sign in again.'
      : 'The server did not accept the access token (it may have expired or been revoked). Sign in again.';
  }

  private keeper: Promise<TokenKeeper> | null = null;

  /** The OpenID Connect sign-in's token keeper (discovery once); rotated tokens go to the secret store. */
  private tokenKeeper(oidc: OidcSecret): Promise<TokenKeeper> {
    this.keeper ??= discover(oidc.issuer, oidc.clientId, undefined, oidc.clientSecret).then(
      (client) =>
        new TokenKeeper(client, oidc.tokens, (tokens) =>
          this.credentials.onSecretChange?.(encodeOidcSecret({ ...oidc, tokens })),
        ),
      (e: unknown) => {
        this.keeper = null;
        throw e;
      },
    );
    return this.keeper;
  }

  /** The Authorization header, and the bearer token in it when it comes from an OpenID Connect sign-in. */
  async authHeader(): Promise<{ header: string; token: string | null }> {
    const oidc = decodeOidcSecret(this.credentials.secret);
    if (!oidc) return { header: this.authorization(), token: null };
    const token = await (await this.tokenKeeper(oidc)).accessToken();
    return { header: `Bearer ${token}`, token };
  }

  /** After a 401: renews an OpenID Connect access token (true: send again); a refused refresh throws AUTH_FAILED. */
  async renewedAfter401(token: string | null): Promise<boolean> {
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
  async send(
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
          headers: {
            Authorization: authorization,
            ...(init.body ? { 'Content-Type': 'application/xml; charset=utf-8' } : {}),
            ...init.headers,
          },
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
    if (
      (init.locked ?? 0) > 0 &&
      (res.status === 404 || res.status === 412) &&
      init.confirm &&
      (await init.confirm().catch(() => false))
    ) {
      // A write answered 423 earlier had gone through after all: this answer is about its result.
      await res.body?.cancel();
      return new Response(null, { status: 204 });
    }
    if (res.status === 401) {
      await res.body?.cancel();
      // An expired access token: refresh it and send once more (the server refused before acting).
      if (!init.renewed && (await this.renewedAfter401(token)))
        return this.send(method, decodedPath, { ...init, renewed: true });
      throw new AppError('AUTH_FAILED', this.refusedMessage(), { status: 401 });
    }
    if (
      res.ok &&
      /text\/html/i.test(res.headers.get('content-type') ?? '') &&
      res.headers.get('content-length') !== '0'
    ) {
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
  private async afterLocked(
    res: Response,
    method: string,
    decodedPath: string,
    init: Parameters<WebDavSession['send']>[2] = {},
  ): Promise<Response> {
    const tries = init.locked ?? 0;
    if (tries >= LOCKED_RETRIES) return res;
    await res.body?.cancel();
    if (init.confirm && (await init.confirm().catch(() => false))) return new Response(null, { status: 204 });
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
    const first = this.options.lockedPauseMs ?? LOCKED_FIRST_PAUSE_MS;
    const pause = Math.min(LOCKED_MAX_PAUSE_MS, retryAfter ?? first * 2 ** tries) * (0.75 + Math.random() * 0.5);
    await sleep(pauseOf(this.http, pause), init.signal);
    return this.send(method, decodedPath, { ...init, locked: tries + 1 });
  }

  /** Whether a trash entry is still there (used to confirm a write whose answer was lost). */
  async inTrash(id: string | null): Promise<boolean> {
    return (
      (await this.propfind(this.trashPath(id), '0', this.dialect.trashPropfind, new AbortController().signal)) !== null
    );
  }

  /** Turns an error response into an AppError (failureOf). */
  failure(res: Response, messages: Partial<Record<number, string>> = {}): Promise<AppError> {
    return failureOf(res, messages);
  }

  async propfind(
    decodedPath: string,
    depth: '0' | '1',
    body: string,
    signal?: AbortSignal,
  ): Promise<DavResponse[] | null> {
    // A folder's listing (Depth 1) may be large: it gets the folder budget and pace (net/http.ts).
    const res = await this.send('PROPFIND', decodedPath, {
      headers: { Depth: depth },
      body,
      signal,
      ...(depth === '1' ? { maxBytes: BODY_BUDGET.folder } : {}),
    });
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (res.status !== 207) throw await this.failure(res);
    return readMultistatus(res, this.url(decodedPath));
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
  async pastSecondOf(at: number, segments: string[], signal: AbortSignal): Promise<void> {
    if (!Number.isFinite(at) || this.kind === 'ocis') return; // oCIS keys trash items by id
    if (Math.abs(Date.now() - at) > 10 * 60_000) return;
    const second = Math.floor(at / 1000);
    for (let tries = 0; tries < 8; tries++) {
      const res = await this.send('PROPFIND', this.filesPath(segments), {
        headers: { Depth: '0' },
        body: STAT_BODY,
        signal,
      });
      await res.body?.cancel();
      const date = Date.parse(res.headers.get('date') ?? '');
      if (!Number.isFinite(date)) return sleep(1100, signal);
      if (Math.floor(date / 1000) > second) return;
      await sleep(250, signal);
    }
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
  async children(segments: string[], signal?: AbortSignal): Promise<Map<string, Stat> | null> {
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
  async move(
    fromPath: string,
    toPath: string,
    overwrite: boolean | null,
    signal?: AbortSignal,
    arrived: () => Promise<boolean> = async () => true,
  ): Promise<Response> {
    const headers: Record<string, string> = { Destination: this.url(toPath) };
    if (overwrite !== null) headers.Overwrite = overwrite ? 'T' : 'F';
    const committed = new AbortController().signal;
    const gone = async () => {
      const res = await this.send('PROPFIND', fromPath, {
        headers: { Depth: '0' },
        body: STAT_BODY,
        signal: committed,
      });
      await res.body?.cancel();
      return res.status === 404;
    };
    return this.send('MOVE', fromPath, {
      headers,
      signal,
      idempotent: false,
      confirm: async () => (await gone()) && (await arrived()),
    });
  }

  // ---------------------------------------------------------------- account

  async checkConnection(signal?: AbortSignal): Promise<{ userName: string; userId: string }> {
    const who = await this.dialect.whoAmI(
      this.io,
      this.ctx,
      { userId: this.userId, userName: this.credentials.user },
      signal,
    );
    this.userId = who.userId;
    await this.prepare(signal);
    // The trash itself must answer: 207 for our own trash. reva answers a Depth 0 PROPFIND of a
    // trash root without reading storage: with spaces (oCIS), the personal space's root is read.
    const [checkPath, checkBody] = this.dialect.spaces
      ? [this.filesPath([]), STAT_BODY]
      : [this.trashPath(null), this.dialect.trashPropfind];
    const trash = await this.send('PROPFIND', checkPath, { headers: { Depth: '0' }, body: checkBody, signal });
    if (trash.status !== 207) throw await this.failure(trash, this.dialect.trashCheckMessages);
    await trash.body?.cancel();
    return who;
  }

  /** A path as the user reads it: oCIS names a project space ("Marketing › Campaigns/plan.pdf"), never its id. */
  shown(ref: string): string {
    return this.dialect.spaces ? this.dialect.spaces.show(this.ctx, folderSegments(ref)) : ref;
  }

  result(
    item: TrashItem | { key: string; name: string },
    outcome: Outcome,
    finalPath: string | null,
    error?: unknown,
  ): ItemResult {
    // oCIS: a path in a project space reads "Marketing › Campaigns/plan.pdf".
    const shown =
      finalPath !== null && this.dialect.spaces
        ? this.dialect.spaces.show(this.ctx, folderSegments(finalPath))
        : finalPath;
    return {
      key: item.key,
      name: item.name,
      outcome,
      finalPath: shown,
      error: error === undefined ? null : toErrorValue(error),
    };
  }
}

/** Turns an error response into an AppError, using the Sabre message where it helps. */
async function failureOf(res: Response, messages: Partial<Record<number, string>> = {}): Promise<AppError> {
  const text = await res.text().catch(() => '');
  const sabre = parseSabreError(text);
  if (res.status === 423) {
    return new AppError(
      'SERVER',
      messages[423] ??
        'The server kept this item locked (HTTP 423: another request or app is working on it). Try again in a moment.',
      {
        status: 423,
        ...(sabre.message ? { serverMessage: sabre.message } : {}),
      },
    );
  }
  const message = messages[res.status];
  const error = errorForStatus(res.status, message);
  const details: Record<string, string | number> = { status: res.status };
  if (sabre.exception) details.exception = sabre.exception;
  if (sabre.message) details.serverMessage = sabre.message;
  if (res.status === 400 && sabre.message && !message)
    return new AppError('BAD_RESPONSE', `The server refused the request: ${sabre.message}`, details);
  return new AppError(error.code, error.message, details);
}
