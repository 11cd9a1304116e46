import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseTransport, transportFromEnv, TRANSPORT_PRESETS, type RunningServer } from './control';
import { startDocSpaceServer, TEST_KEYS } from './docspace/index';
import type { ServerKind } from './faults';
import { ocisSpaceId } from './webdav/ids';
import { WEBDAV_USERS } from './webdav/seed';
import { startWebDavServer } from './webdav/server';

/**
 * The transport modes of the test servers (control.ts Transport), as a client sees them on the
 * wire: one request per connection, recording the headers, the body and whether the server
 * closed the connection after the answer.
 */

interface Wire {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function call(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * One request over a bare TCP connection that asks for keep-alive and reads everything: resolves
 * with what arrived once the server closes the connection (its FIN). A server that keeps the
 * connection never resolves it, so only await it where the server must close.
 */
function closedByServer(base: string, method: string, path: string, headers: Record<string, string>): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
      socket.destroy();
    });
    socket.on('error', reject);
    const lines = [
      `${method} ${path} HTTP/1.1`,
      `Host: ${url.host}`,
      'Connection: keep-alive',
      'Content-Length: 0',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** Two requests through one keep-alive agent with one socket: whether the second went over the first's connection. */
async function reused(base: string, method: string, path: string, headers: Record<string, string>): Promise<boolean> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<boolean>((resolve, reject) => {
      const req = httpRequest(new URL(path, base), { method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(req.reusedSocket));
      });
      req.on('error', reject);
      req.end();
    });
  try {
    await once();
    return await once();
  } finally {
    agent.destroy();
  }
}

const basic = `Basic ${Buffer.from(`alice:${WEBDAV_USERS.alice.appPassword}`).toString('base64')}`;

/** The trash listing of each kind (a body of a few KB). */
function listing(kind: ServerKind): { method: string; path: string; headers: Record<string, string> } {
  switch (kind) {
    case 'nextcloud':
      return {
        method: 'PROPFIND',
        path: '/remote.php/dav/trashbin/alice/trash',
        headers: { Authorization: basic, Depth: '1' },
      };
    case 'owncloud10':
      return {
        method: 'PROPFIND',
        path: '/remote.php/dav/trash-bin/alice/',
        headers: { Authorization: basic, Depth: '1' },
      };
    case 'ocis':
      return {
        method: 'PROPFIND',
        path: `/remote.php/dav/spaces/trash-bin/${encodeURIComponent(ocisSpaceId('alice'))}`,
        headers: { Authorization: basic, Depth: '1' },
      };
    case 'docspace':
      return { method: 'GET', path: '/api/2.0/files/@trash', headers: { Authorization: `Bearer ${TEST_KEYS.alice}` } };
  }
}

const KINDS: ServerKind[] = ['nextcloud', 'owncloud10', 'ocis', 'docspace'];
const start = (kind: ServerKind): Promise<RunningServer> =>
  kind === 'docspace'
    ? startDocSpaceServer({ opItemMs: 1, transport: 'polite' })
    : startWebDavServer({ kind, transport: 'polite' });

describe('transport presets and settings', () => {
  it('reads a preset name, the JSON of a Transport, or a preset with changes', () => {
    expect(parseTransport('deployment')).toEqual(TRANSPORT_PRESETS.deployment);
    expect(parseTransport('php')).toEqual({ connectionClose: true, framing: 'close' });
    expect(parseTransport(undefined)).toEqual({});
    expect(parseTransport('{"framing":"chunked","writeBytes":512}')).toEqual({ framing: 'chunked', writeBytes: 512 });
    expect(parseTransport({ preset: 'deployment', firstByteMs: 0 })).toEqual({
      ...TRANSPORT_PRESETS.deployment,
      firstByteMs: 0,
    });
    expect(() => parseTransport('fast')).toThrow(/unknown transport "fast"/);
    expect(() => parseTransport({ framing: 'gzip' })).toThrow(/unknown framing/);
    expect(transportFromEnv('php')).toEqual({ connectionClose: true, framing: 'close' });
    expect(transportFromEnv('')).toEqual({});
  });
});

describe.each(KINDS)('%s: transport modes', (kind) => {
  let server: RunningServer;
  let polite: Wire;
  const r = listing(kind);
  const get = () => call(server.url, r.method, r.path, r.headers);
  const closes = () => closedByServer(server.url, r.method, r.path, r.headers);
  beforeAll(async () => {
    server = await start(kind);
    polite = await get();
  });
  afterAll(() => server.close());
  beforeEach(() => server.control.setTransport('polite'));

  it('polite (the default): keep-alive, the connection kept for the next request', async () => {
    expect(polite.status).toBe(kind === 'docspace' ? 200 : 207);
    expect(await reused(server.url, r.method, r.path, r.headers)).toBe(true);
    server.control.setTransport({ connectionClose: true });
    expect(await reused(server.url, r.method, r.path, r.headers)).toBe(false);
  });

  it('Connection: close on every answer, and the server closes after it', async () => {
    server.control.setTransport({ connectionClose: true });
    const seen = await get();
    expect(seen).toMatchObject({ status: polite.status, body: polite.body });
    expect(seen.headers.connection).toBe('close');
    expect(Number(seen.headers['content-length'])).toBe(Buffer.byteLength(polite.body));
    expect(await closes()).toMatch(/^HTTP\/1\.1 20\d [\s\S]*\r\nConnection: close\r\n/);
  });

  it('php: no length at all, the body ends with the connection (as PHP’s built-in server sends it)', async () => {
    server.control.setTransport('php');
    const seen = await get();
    expect(seen).toMatchObject({ status: polite.status, body: polite.body });
    expect(seen.headers.connection).toBe('close');
    expect(seen.headers['content-length']).toBeUndefined();
    expect((await closes()).endsWith(polite.body)).toBe(true);
    expect(seen.headers['transfer-encoding']).toBeUndefined();
  });

  it('chunked bodies, in small writes', async () => {
    server.control.setTransport({ framing: 'chunked', writeBytes: 100 });
    const seen = await get();
    expect(seen).toMatchObject({ status: polite.status, body: polite.body });
    expect(seen.headers['transfer-encoding']).toBe('chunked');
    expect(seen.headers['content-length']).toBeUndefined();
  });

  it('deployment: framing turns through length, chunked and close; every answer closes the connection', async () => {
    server.control.setTransport({ preset: 'deployment', firstByteMs: 1 });
    const seen = [await get(), await get(), await get()];
    for (const s of seen) expect(s).toMatchObject({ status: polite.status, body: polite.body });
    for (let i = 0; i < 3; i++) expect(await closes()).toMatch(/\r\nConnection: close\r\n/);
    const framing = seen.map((s) =>
      s.headers['content-length'] !== undefined
        ? 'length'
        : s.headers['transfer-encoding'] === 'chunked'
          ? 'chunked'
          : 'close',
    );
    expect([...framing].sort()).toEqual(['chunked', 'close', 'length']);
  });

  it('keeps Content-Length: 0 on empty answers and sends no body where HTTP allows none', async () => {
    server.control.setTransport('php');
    const missing =
      kind === 'docspace'
        ? { method: 'GET', path: '/api/2.0/files/@trash', headers: {} }
        : { method: 'PROPFIND', path: r.path, headers: {} };
    const unauthorised = await call(server.url, missing.method, missing.path, missing.headers);
    expect(unauthorised.status).toBe(401);
    expect(await closedByServer(server.url, missing.method, missing.path, missing.headers)).toMatch(/^HTTP\/1\.1 401 /);
    if (kind === 'docspace') {
      // DocSpace answers an empty 401.
      expect(unauthorised.headers['content-length']).toBe('0');
    } else {
      expect(unauthorised.body).toMatch(/NotAuthenticated|Unauthorized|unauthorized/);
    }
    const status = await call(server.url, 'HEAD', kind === 'docspace' ? '/api/2.0/capabilities' : '/status.php', {});
    expect(status.body).toBe('');
  });

  it('the server acts before a slow first byte: the change is made while the answer is still held back', async () => {
    server.control.setTransport({ firstByteMs: 20_000 });
    // WebDAV: deleting a live file; DocSpace: a listing (its writes run as background operations).
    const target =
      kind === 'docspace'
        ? r
        : {
            method: 'DELETE',
            path:
              kind === 'ocis'
                ? `/remote.php/dav/spaces/${encodeURIComponent(ocisSpaceId('alice'))}/Documents/report.pdf`
                : '/remote.php/dav/files/alice/Documents/report.pdf',
            headers: { Authorization: basic },
          };
    let answered = false;
    const held = httpRequest(
      new URL(target.path, server.url),
      { method: target.method, headers: target.headers, agent: false },
      () => (answered = true),
    );
    held.on('error', () => undefined);
    held.end();
    const acted = () =>
      kind === 'docspace'
        ? server.control.seen.some((x) => x.path === r.path)
        : server.control.tree.resolve('alice', 'Documents/report.pdf') === null;
    for (let i = 0; i < 500 && !acted(); i++) await new Promise((res) => setTimeout(res, 10));
    expect(acted()).toBe(true);
    // The control API is not held back.
    expect((await fetch(`${server.url}/__control/transport`)).status).toBe(200);
    expect(answered).toBe(false);
    held.destroy();
    server.control.reset();
  });

  it('is set and read over the control API, and survives a reset of the test state', async () => {
    const set = await fetch(`${server.url}/__control/transport`, {
      method: 'POST',
      body: JSON.stringify({ preset: 'php', writeBytes: 64 }),
    });
    expect(set.status).toBe(204);
    expect(await (await fetch(`${server.url}/__control/transport`)).json()).toEqual({
      connectionClose: true,
      framing: 'close',
      writeBytes: 64,
    });
    expect((await fetch(`${server.url}/__control/reset`, { method: 'POST' })).status).toBe(204);
    expect(server.control.transport).toEqual({ connectionClose: true, framing: 'close', writeBytes: 64 });
    const seen = await get();
    expect(seen.status).toBe(polite.status);
    expect(await closes()).toMatch(/\r\nConnection: close\r\n/);
    expect(
      (await fetch(`${server.url}/__control/transport`, { method: 'POST', body: '{"framing":"gzip"}' })).status,
    ).toBe(400);
  });

  it('a fault’s answer travels the same way', async () => {
    server.control.setTransport('php');
    server.control.fault({ path: r.path, status: 503, faithful: true });
    const seen = await get();
    expect(seen.status).toBe(503);
    expect(seen.headers['content-length']).toBe(seen.body === '' ? '0' : undefined);
    server.control.fault({ path: r.path, status: 503, faithful: true });
    expect(await closes()).toMatch(/^HTTP\/1\.1 503 [\s\S]*\r\nConnection: close\r\n/);
  });
});
