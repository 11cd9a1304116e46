import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from './control';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from './docspace/index';
import { errorResponse, loginPage, type ServerKind } from './faults';
import { ocisKey, ocisSpaceId } from './webdav/ids';
import { WEBDAV_USERS } from './webdav/seed';
import { startWebDavServer } from './webdav/server';

/**
 * Fault injection on every test server kind: each fault as a client sees it on the wire (status,
 * headers, body, or the network error), and whether the server acted (the tree) — above all the
 * reset after acting, where the client sees a network error although the restore happened.
 */

type AnyServer = RunningServer & { state?: DocSpaceServer['state'] };

interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Seen {
  status: number | null;
  headers: IncomingHttpHeaders;
  distinct: Record<string, string[]>;
  body: string;
  /** The network error, if any: ECONNRESET, ECONNREFUSED, TIMEOUT, 'aborted' (body cut) … */
  error: string | null;
  /** When the headers arrived and when the exchange ended, ms after the request was sent. */
  headersAt: number | null;
  endedAt: number;
}

/** One request on its own connection (no pooling, no retries), recording exactly what arrives. */
function send(base: string, r: Req, timeoutMs = 5_000): Promise<Seen> {
  return new Promise((resolve) => {
    const started = performance.now();
    const seen: Seen = { status: null, headers: {}, distinct: {}, body: '', error: null, headersAt: null, endedAt: 0 };
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      seen.error = error;
      seen.body = Buffer.concat(chunks).toString('utf8');
      seen.endedAt = performance.now() - started;
      resolve(seen);
    };
    const req = httpRequest(
      new URL(r.path, base),
      { method: r.method, headers: r.headers ?? {}, agent: false },
      (res) => {
        seen.status = res.statusCode ?? null;
        seen.headers = res.headers;
        seen.distinct = res.headersDistinct as Record<string, string[]>;
        seen.headersAt = performance.now() - started;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish(null));
        res.on('error', (e: NodeJS.ErrnoException) =>
          finish(e.message === 'aborted' ? 'aborted' : (e.code ?? e.message)),
        );
        res.on('close', () => finish(res.complete ? null : 'aborted'));
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      finish('TIMEOUT');
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
    req.end(r.body);
  });
}

function wellFormedXml(text: string): boolean {
  const sax = new SaxesParser();
  let ok = true;
  sax.on('error', () => (ok = false));
  try {
    sax.write(text).close();
  } catch {
    return false;
  }
  return ok;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const basic = `Basic ${Buffer.from(`alice:${WEBDAV_USERS.alice.appPassword}`).toString('base64')}`;

/** The requests a client of this kind makes, and how to see what the server did. */
function fixtures(kind: ServerKind, server: () => AnyServer) {
  const tree = () => server().control.tree;
  const title = (id: number) => (kind === 'docspace' ? server().state!.title(tree().node(id)) : tree().node(id).name);
  const entryOf = (name: string) =>
    tree()
      .trashOf('alice')
      .find((e) => title(e.nodeId) === name);
  const inTrash = (name: string) => entryOf(name) !== undefined;
  const auth = kind === 'docspace' ? `Bearer ${TEST_KEYS.alice}` : basic;
  const space = ocisSpaceId('alice');

  /** A listing with a body (PROPFIND of the trash, GET @trash). */
  const list = (): Req => {
    const headers = { Authorization: auth, Depth: '1' };
    switch (kind) {
      case 'nextcloud':
        return { method: 'PROPFIND', path: '/remote.php/dav/trashbin/alice/trash', headers };
      case 'owncloud10':
        return { method: 'PROPFIND', path: '/remote.php/dav/trash-bin/alice', headers };
      case 'ocis':
        return { method: 'PROPFIND', path: `/remote.php/dav/spaces/trash-bin/${encodeURIComponent(space)}`, headers };
      case 'docspace':
        return { method: 'GET', path: '/api/2.0/files/@trash', headers: { Authorization: auth } };
    }
  };

  /** Restores one top-level trashed file to the user's root. */
  const restore = (name: string): Req => {
    const entry = entryOf(name);
    if (!entry) throw new Error(`${name} is not in the trash`);
    const url = server().url;
    switch (kind) {
      case 'nextcloud': {
        const trashName = encodeURIComponent(`${name}.d${Math.floor(entry.deletedAt / 1000)}`);
        return {
          method: 'MOVE',
          path: `/remote.php/dav/trashbin/alice/trash/${trashName}`,
          headers: {
            Authorization: auth,
            Destination: `${url}/remote.php/dav/trashbin/alice/restore/${encodeURIComponent(name)}`,
          },
        };
      }
      case 'owncloud10':
        return {
          method: 'MOVE',
          path: `/remote.php/dav/trash-bin/alice/${entry.nodeId}`,
          headers: {
            Authorization: auth,
            Destination: `${url}/remote.php/dav/files/alice/${encodeURIComponent(name)}`,
            Overwrite: 'F',
          },
        };
      case 'ocis':
        return {
          method: 'MOVE',
          path: `/remote.php/dav/spaces/trash-bin/${encodeURIComponent(space)}/${ocisKey(entry.nodeId)}`,
          headers: {
            Authorization: auth,
            Destination: `${url}/remote.php/dav/spaces/${encodeURIComponent(space)}/${encodeURIComponent(name)}`,
            Overwrite: 'F',
          },
        };
      case 'docspace': {
        const body = JSON.stringify({
          fileIds: [entry.nodeId],
          folderIds: [],
          destFolderId: server().state!.myRoot('alice'),
          deleteAfter: false,
          returnSingleOperation: true,
        });
        return {
          method: 'PUT',
          path: '/api/2.0/files/fileops/move',
          headers: { Authorization: auth, 'Content-Type': 'application/json' },
          body,
        };
      }
    }
  };
  /** The path fragment every restore request of this kind has (what a test matches a fault on). */
  const restorePath =
    kind === 'docspace' ? 'fileops/move' : kind === 'nextcloud' ? '/trashbin/alice/trash/' : 'trash-bin/';
  const restoreMethod = kind === 'docspace' ? 'PUT' : 'MOVE';
  /** Three top-level files of the seed, for batches. */
  const names =
    kind === 'docspace' ? ['Q3 report.docx', 'Campaign brief.pdf', 'holiday.jpg'] : ['notes.txt', '2024.10', '1e3.txt'];
  /** Whether a restore applied (DocSpace runs the move in the background: wait for it). */
  const restored = async (name: string) => {
    for (let i = 0; i < 200 && inTrash(name); i++) await new Promise((r) => setTimeout(r, 5));
    return !inTrash(name);
  };
  const okStatus = kind === 'docspace' ? 200 : 201;
  return { list, restore, restorePath, restoreMethod, names, inTrash, restored, okStatus };
}

const KINDS: ServerKind[] = ['nextcloud', 'owncloud10', 'ocis', 'docspace'];
const start = (kind: ServerKind): Promise<AnyServer> =>
  kind === 'docspace' ? startDocSpaceServer({ opItemMs: 1 }) : startWebDavServer({ kind });

describe.each(KINDS)('%s: injected faults', (kind) => {
  let server: AnyServer;
  beforeAll(async () => {
    server = await start(kind);
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.control.reset());
  const fx = fixtures(kind, () => server);
  const call = (r: Req, timeoutMs?: number) => send(server.url, r, timeoutMs);

  describe('HTTP statuses with the server’s own error', () => {
    const STATUSES = [500, 502, 503, 401, 403, 404, 409, 412, 423, 429, 507];

    it.each(STATUSES)('%i: the faithful body and headers, and nothing changes on the server', async (status) => {
      const [name] = fx.names;
      server.control.fault({ method: fx.restoreMethod, path: fx.restorePath, status, faithful: true });
      const seen = await call(fx.restore(name!));
      expect(seen.error).toBeNull();
      expect(seen.status).toBe(status);
      expect(Number(seen.headers['content-length'])).toBe(Buffer.byteLength(seen.body));
      expectFaithful(kind, status, seen, fx.restoreMethod);
      expect(await settled(() => fx.inTrash(name!))).toBe(true);
    });

    it('503 with and without Retry-After; 429 with Retry-After', async () => {
      const r = fx.list();
      server.control.fault({ path: r.path, status: 503, faithful: true });
      server.control.fault({ path: r.path, status: 503, faithful: true, retryAfter: 120 });
      server.control.fault({ path: r.path, status: 429, faithful: true, retryAfter: 7 });
      const [plain, retry, limited] = [await call(r), await call(r), await call(r)];
      expect([plain.status, retry.status, limited.status]).toEqual([503, 503, 429]);
      expect(plain.headers['retry-after']).toBeUndefined();
      expect(retry.headers['retry-after']).toBe('120');
      expect(limited.headers['retry-after']).toBe('7');
      expect(plain.body).toBe(retry.body);
      if (kind === 'docspace') expect(limited.headers).toMatchObject({ 'x-ratelimit-remaining': '0' });
      expect((await call(r)).status).toBe(kind === 'docspace' ? 200 : 207);
    });

    it('401 in the middle of a batch: only the nth matching request fails', async () => {
      const handle = server.control.fault({
        method: fx.restoreMethod,
        path: fx.restorePath,
        nth: 2,
        status: 401,
        faithful: true,
      });
      const statuses: (number | null)[] = [];
      for (const name of fx.names) statuses.push((await call(fx.restore(name))).status);
      expect(statuses).toEqual([fx.okStatus, 401, fx.okStatus]);
      expect(handle).toMatchObject({ hits: 1, passed: 1, pending: false });
      expect(await fx.restored(fx.names[0]!)).toBe(true);
      expect(await fx.restored(fx.names[2]!)).toBe(true);
      expect(fx.inTrash(fx.names[1]!)).toBe(true);
    });

    it('keeps the legacy answer: the given status, body and headers, application/xml by default', async () => {
      const r = fx.list();
      server.control.fault({ path: r.path, status: 500 });
      server.control.fault({
        path: r.path,
        status: 418,
        body: 'teapot',
        headers: { 'Content-Type': 'text/plain', 'X-Test': '1' },
      });
      const empty = await call(r);
      expect(empty).toMatchObject({ status: 500, body: '' });
      expect(empty.headers['content-type']).toBe('application/xml; charset=utf-8');
      const custom = await call(r);
      expect(custom).toMatchObject({ status: 418, body: 'teapot' });
      expect(custom.headers).toMatchObject({ 'content-type': 'text/plain', 'x-test': '1' });
    });

    it('answers the status after acting when asked (a gateway error although the work was done)', async () => {
      const [name] = fx.names;
      server.control.fault({
        method: fx.restoreMethod,
        path: fx.restorePath,
        status: 502,
        faithful: true,
        after: true,
      });
      expect((await call(fx.restore(name!))).status).toBe(502);
      expect(await fx.restored(name!)).toBe(true);
    });
  });

  describe('connection reset', () => {
    it('before the server acted: a network error, and nothing changed', async () => {
      const [name] = fx.names;
      server.control.fault({ method: fx.restoreMethod, path: fx.restorePath, kind: 'reset' });
      const seen = await call(fx.restore(name!));
      expect(seen.status).toBeNull();
      expect(seen.error).toBe('ECONNRESET');
      expect(await settled(() => fx.inTrash(name!))).toBe(true);
    });

    it('after the server acted: a network error, and yet the item is restored', async () => {
      const [name] = fx.names;
      server.control.fault({ method: fx.restoreMethod, path: fx.restorePath, kind: 'reset', after: true });
      const seen = await call(fx.restore(name!));
      expect(seen.status).toBeNull();
      expect(seen.error).toBe('ECONNRESET');
      expect(await fx.restored(name!)).toBe(true);
    });

    it('after acting, as fetch (undici) sees it: "fetch failed", and the restore happened', async () => {
      const [name] = fx.names;
      const r = fx.restore(name!);
      server.control.fault({ method: fx.restoreMethod, path: fx.restorePath, kind: 'reset', after: true });
      const error = await fetch(new URL(r.path, server.url), {
        method: r.method,
        headers: r.headers ?? {},
        ...(r.body ? { body: r.body } : {}),
      }).then(
        () => null,
        (e: unknown) => e as Error & { cause?: { code?: string } },
      );
      expect(error?.message).toBe('fetch failed');
      expect(error?.cause?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
      expect(await fx.restored(name!)).toBe(true);
    });

    it('a plain close (FIN) instead of a reset, and the legacy drop', async () => {
      const r = fx.list();
      server.control.fault({ path: r.path, kind: 'reset', close: 'fin' });
      server.control.fault({ path: r.path, status: 500, drop: true });
      const [fin, drop] = [await call(r), await call(r)];
      expect(fin).toMatchObject({ status: null, error: 'ECONNRESET' });
      expect(fin.body).toBe('');
      expect(drop).toMatchObject({ status: null, error: 'ECONNRESET' });
    });
  });

  describe('a server that never answers', () => {
    it('holds the request until the client gives up, then forgets it', async () => {
      const [name] = fx.names;
      server.control.fault({ method: fx.restoreMethod, path: fx.restorePath, kind: 'hang' });
      const seen = await call(fx.restore(name!), 300);
      expect(seen).toMatchObject({ status: null, error: 'TIMEOUT' });
      await until(() => server.control.hungCount === 0);
      expect(fx.inTrash(name!)).toBe(true);
    });

    it('after acting: the restore happens, the answer never comes', async () => {
      const [name] = fx.names;
      server.control.fault({ method: fx.restoreMethod, path: fx.restorePath, kind: 'hang', after: true });
      const seen = await call(fx.restore(name!), 300);
      expect(seen).toMatchObject({ status: null, error: 'TIMEOUT' });
      expect(await fx.restored(name!)).toBe(true);
    });

    it('ends when the test clears the faults (the client sees the connection drop)', async () => {
      server.control.fault({ path: fx.list().path, kind: 'hang' });
      const pending = call(fx.list());
      await until(() => server.control.hungCount === 1);
      server.control.clearFaults();
      const seen = await pending;
      expect(seen.status).toBeNull();
      expect(seen.error).toMatch(/ECONNRESET|socket hang up/);
    });

    it('can be let go to answer late, as a stalled server does', async () => {
      const [name] = fx.names;
      server.control.fault({ method: fx.restoreMethod, path: fx.restorePath, kind: 'hang' });
      const pending = call(fx.restore(name!));
      await until(() => server.control.hungCount === 1);
      expect(fx.inTrash(name!)).toBe(true);
      expect(server.control.releaseHung({ answer: true })).toBe(1);
      expect((await pending).status).toBe(fx.okStatus);
      expect(await fx.restored(name!)).toBe(true);
    });

    it('does not keep server.close() waiting', async () => {
      const other = await start(kind);
      other.control.fault({ kind: 'hang' });
      const pending = send(other.url, fx.list());
      await until(() => other.control.hungCount === 1);
      // close() ends the held request instead of waiting for it (were it to wait, this would never end).
      await other.close();
      expect(other.control.hungCount).toBe(0);
      expect((await pending).error).toMatch(/ECONNRESET|socket hang up/);
    });
  });

  describe('bodies', () => {
    it('slow body: the headers at once, then the real body a few bytes at a time', async () => {
      const r = fx.list();
      const normal = await call(r);
      const chunkBytes = Math.ceil(Buffer.byteLength(normal.body) / 5);
      server.control.fault({ path: r.path, kind: 'slow-body', chunkBytes, intervalMs: 60 });
      const seen = await call(r);
      expect(seen.error).toBeNull();
      expect(seen.status).toBe(normal.status);
      expect(seen.body).toBe(normal.body);
      expect(Number(seen.headers['content-length'])).toBe(Buffer.byteLength(normal.body));
    });

    it('slow body: what has arrived after the headers is the first chunk, the rest still to come', async () => {
      // A pause far longer than any stall of this machine between chunks (the first comes at
      // once): the client reads the headers and the first chunk, sees the answer incomplete, and hangs up.
      const r = fx.list();
      const normal = await call(r);
      server.control.fault({ path: r.path, kind: 'slow-body', chunkBytes: 10, firstChunkMs: 0, intervalMs: 20_000 });
      const first = await new Promise<{
        status: number | undefined;
        length: string | undefined;
        chunk: string;
        complete: boolean;
      }>((resolve, reject) => {
        const req = httpRequest(
          new URL(r.path, server.url),
          { method: r.method, headers: r.headers ?? {}, agent: false },
          (res) => {
            res.once('data', (c: Buffer) => {
              resolve({
                status: res.statusCode,
                length: res.headers['content-length'],
                chunk: c.toString('utf8'),
                complete: res.complete,
              });
              req.destroy();
            });
          },
        );
        req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
        req.end(r.body);
      });
      expect(first).toEqual({
        status: normal.status,
        length: String(Buffer.byteLength(normal.body)),
        chunk: normal.body.slice(0, 10),
        complete: false,
      });
    });

    it('truncated body: Content-Length promises the whole body, half arrives, then the socket closes', async () => {
      const r = fx.list();
      const normal = await call(r);
      const length = Buffer.byteLength(normal.body);
      server.control.fault({ path: r.path, kind: 'truncate' });
      const seen = await call(r);
      expect(seen.status).toBe(normal.status);
      expect(Number(seen.headers['content-length'])).toBe(length);
      expect(seen.error).toBe('aborted');
      expect(Buffer.byteLength(seen.body)).toBe(Math.floor(length / 2));
      expect(normal.body.startsWith(seen.body)).toBe(true);
    });

    it('truncated answer to a restore: the restore happened all the same', async () => {
      const [name] = fx.names;
      server.control.fault({ method: fx.restoreMethod, path: fx.restorePath, kind: 'truncate' });
      const seen = await call(fx.restore(name!));
      expect(seen.error).toBe('aborted');
      expect(await fx.restored(name!)).toBe(true);
    });

    it('malformed body with a 2xx status: the real answer cut off, with a matching Content-Length', async () => {
      const r = fx.list();
      const normal = await call(r);
      server.control.fault({ path: r.path, kind: 'malformed' });
      const seen = await call(r);
      expect(seen.error).toBeNull();
      expect(seen.status).toBe(normal.status);
      expect(Number(seen.headers['content-length'])).toBe(Buffer.byteLength(seen.body));
      expect(normal.body.startsWith(seen.body) && seen.body.length < normal.body.length).toBe(true);
      expect(kind === 'docspace' ? parsesAsJson(seen.body) : wellFormedXml(seen.body)).toBe(false);
      expect(kind === 'docspace' ? parsesAsJson(normal.body) : wellFormedXml(normal.body)).toBe(true);
    });

    it('malformed answer to a bodiless success: the 2xx with a broken body of the kind', async () => {
      const [name] = fx.names;
      server.control.fault({ method: fx.restoreMethod, path: fx.restorePath, kind: 'malformed' });
      const seen = await call(fx.restore(name!));
      expect(seen.status).toBe(fx.okStatus);
      expect(seen.body.length).toBeGreaterThan(0);
      expect(kind === 'docspace' ? parsesAsJson(seen.body) : wellFormedXml(seen.body)).toBe(false);
      expect(await fx.restored(name!)).toBe(true);
    });
  });

  describe('an HTML login page instead of the API', () => {
    it.each(['server', 'sso'] as const)('%s page: 200 text/html, a sign-in page, and nothing changed', async (page) => {
      const [name] = fx.names;
      server.control.fault({ method: fx.restoreMethod, path: fx.restorePath, kind: 'login-page', page });
      const seen = await call(fx.restore(name!));
      expect(seen.status).toBe(200);
      expect(seen.headers['content-type']).toMatch(/^text\/html/);
      // oCIS's sign-in (its IdP) is a script-rendered page: a mount point, no form in the HTML.
      expect(seen.body).toMatch(
        kind === 'ocis' && page === 'server'
          ? /<title>ownCloud Infinite Scale<\/title>[\s\S]*id="root"/
          : /<form[^>]*>/,
      );
      expect(seen.body).toContain(page === 'sso' ? 'kc-form-login' : loginPage(kind).body.slice(0, 40));
      expect(await settled(() => fx.inTrash(name!))).toBe(true);
    });
  });

  describe('matching', () => {
    it('matches method and path (substring or RegExp), nth and times, and can be cancelled', async () => {
      const r = fx.list();
      const other = server.control.fault({ method: 'POST', path: r.path, status: 500 });
      const re = server.control.fault({
        path: new RegExp(`${escapeRe(r.path)}$`, 'g'),
        nth: 2,
        times: 2,
        status: 503,
        faithful: true,
      });
      const statuses: (number | null)[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(r)).status);
      const ok = kind === 'docspace' ? 200 : 207;
      expect(statuses).toEqual([ok, 503, 503, ok]);
      expect(re).toMatchObject({ hits: 2, passed: 1, pending: false });
      expect(other).toMatchObject({ hits: 0, pending: true });
      other.cancel();
      expect(other.pending).toBe(false);
    });

    it('works over HTTP under /__control/ for other processes', async () => {
      const control = (method: string, path: string, body?: unknown) =>
        fetch(`${server.url}/__control/${path}`, {
          method,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }).then(async (res) => ({
          status: res.status,
          json: await res.text().then((t) => (t ? (JSON.parse(t) as unknown) : null)),
        }));
      const r = fx.list();
      const created = await control('POST', 'faults', {
        pathRegExp: `${escapeRe(r.path)}$`,
        kind: 'status',
        status: 423,
        faithful: true,
        nth: 1,
      });
      expect(created).toMatchObject({ status: 201, json: { id: expect.any(Number) } });
      expect((await control('GET', 'faults')).json).toEqual([
        expect.objectContaining({ kind: 'status', nth: 1, left: 1, hits: 0 }),
      ]);
      const seen = await call(r);
      expect(seen.status).toBe(423);
      expect(seen.body).toBe(errorResponse(kind, 423, { method: r.method, path: r.path }).body);
      expect((await control('GET', 'faults')).json).toEqual([]);

      expect((await control('POST', 'fault', { path: r.path, kind: 'reset', after: true })).status).toBe(204);
      expect((await call(r)).error).toBe('ECONNRESET');

      const id = (
        (await control('POST', 'faults', { path: r.path, kind: 'hang', times: 'Infinity' })).json as { id: number }
      ).id;
      const pending = call(r);
      await until(() => server.control.hungCount === 1);
      expect((await control('GET', 'hung')).json).toEqual({ count: 1 });
      expect((await control('POST', 'hung/release', { answer: true })).json).toEqual({ released: 1 });
      expect((await pending).status).toBe(kind === 'docspace' ? 200 : 207);
      expect((await control('DELETE', `faults/${id}`)).status).toBe(204);
      expect((await control('DELETE', `faults/${id}`)).status).toBe(404);
      expect((await control('POST', 'faults', { kind: 'explode' })).status).toBe(400);

      await control('POST', 'fault', { path: r.path, kind: 'truncate', sendBytes: 10 });
      const cut = await call(r);
      expect(cut).toMatchObject({ error: 'aborted' });
      expect(Buffer.byteLength(cut.body)).toBe(10);
    });
  });
});

/** Per kind: what the faithful answer looks like on the wire. */
function expectFaithful(kind: ServerKind, status: number, seen: Seen, method: string): void {
  const type = String(seen.headers['content-type'] ?? '');
  const nginx = () => {
    expect(type).toBe('text/html');
    expect(seen.body).toContain(`<center><h1>${status} `);
    expect(seen.headers.server).toBe('nginx');
  };
  const empty = () => {
    expect(seen.body).toBe('');
    expect(seen.headers['content-length']).toBe('0');
  };
  if (kind === 'nextcloud' || kind === 'owncloud10') {
    if (status === 502 || (status === 429 && kind === 'owncloud10')) return nginx();
    expect(type).toBe('application/xml; charset=utf-8');
    expect(wellFormedXml(seen.body)).toBe(true);
    expect(seen.body).toMatch(
      /^<\?xml version="1\.0" encoding="utf-8"\?>\n<d:error xmlns:d="DAV:" xmlns:s="http:\/\/sabredav\.org\/ns"/,
    );
    const exception = /<s:exception>([^<]*)<\/s:exception>/.exec(seen.body)?.[1];
    const expected: Record<number, string> = {
      401: 'Sabre\\DAV\\Exception\\NotAuthenticated',
      403: 'Sabre\\DAV\\Exception\\Forbidden',
      404: 'Sabre\\DAV\\Exception\\NotFound',
      409: 'Sabre\\DAV\\Exception\\Conflict',
      412: 'Sabre\\DAV\\Exception\\PreconditionFailed',
      423: 'OCA\\DAV\\Connector\\Sabre\\Exception\\FileLocked',
      429: 'OCA\\DAV\\Connector\\Sabre\\Exception\\TooManyRequests',
      500: 'Exception',
      503:
        kind === 'nextcloud'
          ? 'OCA\\DAV\\Exception\\ServerMaintenanceMode'
          : 'Sabre\\DAV\\Exception\\ServiceUnavailable',
      507: 'Sabre\\DAV\\Exception\\InsufficientStorage',
    };
    expect(exception).toBe(expected[status]);
    if (status === 401)
      expect(seen.headers['www-authenticate']).toBe(
        `Basic realm="${kind === 'nextcloud' ? 'Nextcloud' : 'ownCloud'}", charset="UTF-8"`,
      );
    if (status === 412) expect(seen.body).toContain('<s:header>Overwrite</s:header>');
    if (status === 429) expect(seen.body).toContain('<o:hint xmlns:o="o:">too many requests</o:hint>');
    if (status === 503)
      expect(seen.body).toContain(
        kind === 'nextcloud' ? 'System is in maintenance mode.' : 'System in maintenance mode.',
      );
    return;
  }
  if (kind === 'ocis') {
    if ([409, 423, 429, 500, 502, 503, 507].includes(status)) return empty();
    expect(type).toBe('text/xml; charset=utf-8');
    expect(wellFormedXml(seen.body)).toBe(true);
    expect(
      seen.body.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<d:error xmlns:d="DAV" xmlns:s="http://sabredav.org/ns">',
      ),
    ).toBe(true);
    if (status === 401) {
      expect(method).toBe('MOVE');
      expect(seen.body).toContain(
        '<s:Exception>Sabre\\DAV\\Exception\\PermissionDenied</s:Exception><s:Message>Authentication error</s:Message>',
      );
      expect(seen.distinct['www-authenticate']).toEqual([
        expect.stringMatching(/^Bearer realm="127\.0\.0\.1:\d+", charset="UTF-8"$/),
        expect.stringMatching(/^Basic realm=/),
      ]);
      return;
    }
    expect(seen.body).toContain('<s:errorcode></s:errorcode>');
    if (status === 403) expect(seen.body).toContain('<s:message>Permission denied to restore</s:message>');
    if (status === 412)
      expect(seen.body).toMatch(/<s:errorcode><\/s:errorcode><s:header>Overwrite<\/s:header><\/d:error>$/);
    return;
  }
  if (status === 401 || status === 429) return empty();
  if (status === 502 || status === 503) return nginx();
  expect(type).toBe('application/json; charset=utf-8');
  expect(JSON.parse(seen.body)).toMatchObject({
    error: { message: expect.any(String), type: expect.any(String), hresult: expect.any(Number) },
    status: 1,
    statusCode: status,
  });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const t0 = Date.now();
  while (!condition()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A condition that must still hold after the server had time to run background work (DocSpace operations). */
async function settled(condition: () => boolean): Promise<boolean> {
  await new Promise((r) => setTimeout(r, 30));
  return condition();
}
