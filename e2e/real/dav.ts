import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gunzipSync } from 'node:zlib';

/**
 * A plain WebDAV client for checking a server's state, written for the tests and independent of
 * the code under test: node:http (not undici, not Salvage's net layer), Basic auth, no
 * compression asked for, one request per connection, a small regex reader for multistatus
 * answers. What curl would do.
 */

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as it came (compressed, if the server compressed it). */
  bytes: Buffer;
  /** The body as UTF-8 text, decompressed when the server sent it gzip-compressed. */
  text: string;
}

export type ServerKind = 'nextcloud' | 'owncloud10';

export interface TrashEntry {
  /** The last segment of the entry's href: Nextcloud `name.d<seconds>`, ownCloud 10 the file id. */
  id: string;
  name: string;
  /** Original location below the user's files root, with the name, no leading slash. */
  location: string;
  /** Deletion time, unix seconds. */
  deletedAt: number;
  folder: boolean;
  size: number | null;
}

export interface LiveEntry {
  name: string;
  folder: boolean;
  size: number | null;
  fileId: string | null;
  etag: string | null;
}

const xmlUnescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');

/** The <response> blocks of a multistatus, each with its href and a reader of its 200 properties by local name. */
export function responses(xml: string): { href: string; prop(local: string): string | null; collection: boolean }[] {
  const out: { href: string; prop(local: string): string | null; collection: boolean }[] = [];
  for (const m of xml.matchAll(/<(?:[\w-]+:)?response\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?response>/g)) {
    const block = m[1]!;
    const href = xmlUnescape(/<(?:[\w-]+:)?href>([\s\S]*?)<\/(?:[\w-]+:)?href>/.exec(block)?.[1] ?? '');
    // Only the propstat that answered 200.
    const ok =
      [...block.matchAll(/<(?:[\w-]+:)?propstat>([\s\S]*?)<\/(?:[\w-]+:)?propstat>/g)]
        .map((p) => p[1]!)
        .find((p) => /HTTP\/1\.1 200/.test(p)) ?? '';
    out.push({
      href,
      collection: /<(?:[\w-]+:)?collection\s*\/>/.test(ok),
      prop(local) {
        const v = new RegExp(`<(?:[\\w-]+:)?${local}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${local}>`).exec(ok)?.[1];
        return v === undefined ? null : xmlUnescape(v);
      },
    });
  }
  return out;
}

/** Percent-encodes each segment of a path (keeps the slashes). */
export const encodePath = (path: string) =>
  path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');

const lastSegment = (href: string) => {
  const parts = href.replace(/\/+$/, '').split('/');
  return decodeURIComponent(parts[parts.length - 1] ?? '');
};

export class Dav {
  readonly base: URL;
  private readonly auth: string;

  constructor(
    url: string,
    readonly user: string,
    password: string,
    readonly kind: ServerKind,
  ) {
    this.base = new URL(url);
    this.auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  request(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
  ): Promise<Answer> {
    const url = new URL(path, this.base);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const body =
      options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method,
          agent: false,
          headers: {
            Authorization: this.auth,
            // PHP's built-in server never answers Expect: 100-continue.
            ...(body ? { 'Content-Length': String(body.length) } : {}),
            ...options.headers,
          },
          timeout: options.timeoutMs ?? 120_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, text });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in time`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  filesPath(path: string): string {
    return `/remote.php/dav/files/${encodeURIComponent(this.user)}/${encodePath(path.replace(/^\/+/, ''))}`;
  }

  trashRoot(): string {
    return this.kind === 'nextcloud'
      ? `/remote.php/dav/trashbin/${encodeURIComponent(this.user)}/trash`
      : `/remote.php/dav/trash-bin/${encodeURIComponent(this.user)}/`;
  }

  private async expect(what: string, answer: Promise<Answer>, ok: number[]): Promise<Answer> {
    const a = await answer;
    if (!ok.includes(a.status)) throw new Error(`${what}: HTTP ${a.status} ${a.text.slice(0, 300)}`);
    return a;
  }

  /**
   * A seeding write, sent again while the server says it was busy and did nothing: the kits keep
   * their data in SQLite, and under load a write can wait out the database's lock and fail with
   * 500 (LockWaitTimeoutException, "database is locked"), or 423/503. Any other answer stands (an
   * ownCloud 10 500 for two same-named deletions in one second is the server's own failure, not a
   * busy one). `done` says whether an earlier try acted after all (a DELETE whose file is gone).
   */
  private async write(
    what: string,
    send: () => Promise<Answer>,
    ok: number[],
    done?: () => Promise<boolean>,
  ): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const a = await send();
      const busy =
        a.status === 423 ||
        a.status === 503 ||
        (a.status === 500 && /LockWaitTimeout|database is locked|LockedException|Deadlock/i.test(a.text));
      if (!busy || attempt === 6) return this.expect(what, Promise.resolve(a), ok);
      await new Promise((r) => setTimeout(r, 500 * attempt));
      if (done && (await done())) return { ...a, status: ok[0]! };
    }
  }

  /** MKCOL every folder on the way (existing ones are fine). */
  async mkdirs(path: string): Promise<void> {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++)
      await this.write(
        `MKCOL ${parts.slice(0, i).join('/')}`,
        () => this.request('MKCOL', this.filesPath(parts.slice(0, i).join('/'))),
        [201, 405],
      );
  }

  async put(path: string, content: string): Promise<void> {
    await this.write(
      `PUT ${path}`,
      () => this.request('PUT', this.filesPath(path), { body: content, headers: { 'Content-Type': 'text/plain' } }),
      [201, 204],
    );
  }

  /** DELETE of a live file or folder (into the trash). */
  async trash(path: string): Promise<void> {
    await this.write(
      `DELETE ${path}`,
      () => this.request('DELETE', this.filesPath(path)),
      [204],
      async () => (await this.request('PROPFIND', this.filesPath(path), { headers: { Depth: '0' } })).status === 404,
    );
  }

  /** The content of a live file, or null when there is none. */
  async read(path: string): Promise<string | null> {
    const a = await this.request('GET', this.filesPath(path));
    if (a.status === 404) return null;
    if (a.status !== 200) throw new Error(`GET ${path}: HTTP ${a.status}`);
    return a.text;
  }

  /** The live children of a folder by name, or null when the folder is not there. */
  async list(path: string): Promise<Map<string, LiveEntry> | null> {
    const body =
      '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><d:resourcetype/><d:getcontentlength/><d:getetag/><oc:fileid/></d:prop></d:propfind>';
    const a = await this.request('PROPFIND', `${this.filesPath(path)}/`.replace(/\/+$/, '/'), {
      headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
      body,
    });
    if (a.status === 404) return null;
    if (a.status !== 207) throw new Error(`PROPFIND ${path}: HTTP ${a.status}`);
    const out = new Map<string, LiveEntry>();
    const self = decodeURIComponent(`${this.filesPath(path)}`).replace(/\/+$/, '');
    for (const r of responses(a.text)) {
      if (decodeURIComponent(r.href).replace(/\/+$/, '') === self) continue;
      const size = r.prop('getcontentlength');
      out.set(lastSegment(r.href), {
        name: lastSegment(r.href),
        folder: r.collection,
        size: size === null ? null : Number(size),
        fileId: r.prop('fileid'),
        etag: r.prop('getetag'),
      });
    }
    return out;
  }

  /** Every entry at the top of the user's trash. */
  async trashEntries(): Promise<TrashEntry[]> {
    const nc = this.kind === 'nextcloud';
    const body = nc
      ? '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:nc="http://nextcloud.org/ns"><d:prop><d:resourcetype/><d:getcontentlength/><nc:trashbin-filename/><nc:trashbin-original-location/><nc:trashbin-deletion-time/></d:prop></d:propfind>'
      : '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><d:resourcetype/><d:getcontentlength/><oc:trashbin-original-filename/><oc:trashbin-original-location/><oc:trashbin-delete-timestamp/></d:prop></d:propfind>';
    const a = await this.request('PROPFIND', this.trashRoot(), {
      headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
      body,
    });
    if (a.status !== 207) throw new Error(`PROPFIND trash: HTTP ${a.status}`);
    const root = this.trashRoot().replace(/\/+$/, '');
    return responses(a.text)
      .filter((r) => decodeURIComponent(r.href).replace(/\/+$/, '') !== decodeURIComponent(root))
      .map((r) => {
        const size = r.prop('getcontentlength');
        return {
          id: lastSegment(r.href),
          name: r.prop(nc ? 'trashbin-filename' : 'trashbin-original-filename') ?? '',
          location: (r.prop('trashbin-original-location') ?? '').replace(/^\/+/, ''),
          deletedAt: Number(r.prop(nc ? 'trashbin-deletion-time' : 'trashbin-delete-timestamp')),
          folder: r.collection,
          size: size === null ? null : Number(size),
        };
      });
  }

  async emptyTrash(): Promise<void> {
    await this.expect('empty the trash', this.request('DELETE', this.trashRoot()), [204]);
  }
}

/** Runs `fn` over `items` with at most `n` in flight; answers the results in order. */
export async function pool<T, R>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}
