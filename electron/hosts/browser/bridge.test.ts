import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../base/events';
import { MAX_BODY_BYTES, SEND_SLICE, startBridge, type Bridge } from './bridge';

/** Raw HTTP so the test controls Host and Origin exactly (fetch would not let it set Host). */
function send(
  bridge: Bridge,
  {
    method = 'POST',
    path = '/api/invoke',
    headers = {},
    body,
  }: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: bridge.port, method, path, headers: { Host: `127.0.0.1:${bridge.port}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('bridge', () => {
  const dispatch = vi.fn(async (channel: unknown) => ({ ok: true as const, value: { channel } }));
  let bridge: Bridge;
  const bus = new EventBus();
  const body = JSON.stringify({ channel: 'app:info', payload: {} });
  const json = { 'Content-Type': 'application/json' };

  beforeAll(async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'salvage-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Salvage</title>');
    bridge = await startBridge({ dispatch, bus, staticDir, token: 'right-token-123' });
  });
  afterAll(() => bridge.close());

  it('listens on 127.0.0.1 only', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.launchUrl).toBe(`${bridge.url}/#token=right-token-123`);
  });

  it('rejects a request with no token', async () => {
    const res = await send(bridge, { headers: json, body });
    expect(res.status).toBe(401);
  });

  it('rejects a wrong token, including one that differs only in length', async () => {
    for (const token of ['wrong-token-123', 'right-token-1234', '']) {
      const res = await send(bridge, { headers: { ...json, 'X-Salvage-Token': token }, body });
      expect(res.status).toBe(401);
    }
  });

  it('rejects a foreign Origin even with the right token', async () => {
    const res = await send(bridge, {
      headers: { ...json, 'X-Salvage-Token': 'right-token-123', Origin: 'https://evil.example' },
      body,
    });
    expect(res.status).toBe(403);
  });

  it('rejects a foreign Host (DNS rebinding) even with the right token', async () => {
    const res = await send(bridge, {
      headers: { ...json, 'X-Salvage-Token': 'right-token-123', Host: `evil.example:${bridge.port}` },
      body,
    });
    expect(res.status).toBe(421);
    const page = await send(bridge, { method: 'GET', path: '/', headers: { Host: 'rebind.example' } });
    expect(page.status).toBe(421);
  });

  it('accepts the right token from its own origin and returns the dispatcher’s result', async () => {
    dispatch.mockClear();
    const res = await send(bridge, {
      headers: { ...json, 'X-Salvage-Token': 'right-token-123', Origin: bridge.url },
      body,
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { channel: 'app:info' } });
    expect(dispatch).toHaveBeenCalledOnce();
    const viaLocalhost = await send(bridge, {
      headers: {
        ...json,
        'X-Salvage-Token': 'right-token-123',
        Host: `localhost:${bridge.port}`,
        Origin: `http://localhost:${bridge.port}`,
      },
      body,
    });
    expect(viaLocalhost.status).toBe(200);
  });

  it('requires JSON, so a cross-site form post cannot reach the dispatcher', async () => {
    const res = await send(bridge, {
      headers: { 'Content-Type': 'text/plain', 'X-Salvage-Token': 'right-token-123' },
      body,
    });
    expect(res.status).toBe(415);
  });

  /** Streams up to 200 MiB of body (declared or chunked) and counts what the bridge let through before it answered. */
  /**
   * Posts a 200 MB body (declared, or chunked without a length) over a raw socket, a chunk per
   * turn of the event loop, and stops writing as soon as the bridge answers: the answer is read
   * before the bridge's close can reset the connection (an http.request client writing flat out
   * could see EPIPE first and lose the 413 under load).
   */
  const flood = (declared: boolean) =>
    new Promise<{ status: number | null; body: string; sent: number }>((resolve) => {
      const total = 200 * 1024 * 1024;
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      let answer = '';
      const socket = connect(bridge.port, '127.0.0.1', () => {
        const length = declared ? `Content-Length: ${total}` : 'Transfer-Encoding: chunked';
        socket.write(
          `POST /api/invoke HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nContent-Type: application/json\r\nX-Salvage-Token: right-token-123\r\n${length}\r\n\r\n`,
        );
        pump();
      });
      const pump = () => {
        if (answer || sent >= total || socket.destroyed) return;
        const framed = declared
          ? chunk
          : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
        sent += chunk.length;
        if (socket.write(framed)) setImmediate(pump);
        else socket.once('drain', () => setImmediate(pump));
      };
      socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
        resolve({ status: status ? Number(status) : null, body: answer.slice(answer.indexOf('\r\n\r\n') + 4), sent });
      });
    });

  it('refuses a body over the cap with 413 without reading it: declared too long, or growing past it', async () => {
    dispatch.mockClear();
    const declared = await flood(true);
    expect(declared.status).toBe(413);
    expect(declared.body).toContain('Request too large');
    expect(declared.sent).toBeLessThan(MAX_BODY_BYTES);
    const chunked = await flood(false);
    expect(chunked.status).toBe(413);
    expect(chunked.sent).toBeLessThan(2 * MAX_BODY_BYTES);
    expect(dispatch).not.toHaveBeenCalled();
    // The bridge still answers afterwards.
    expect((await send(bridge, { headers: { ...json, 'X-Salvage-Token': 'right-token-123' }, body })).status).toBe(200);
  });

  it('takes the largest request the contract needs: a restore of 100,000 items with an answer for each', async () => {
    dispatch.mockClear();
    const accountId = '0b8e1c52-8f6a-4a7e-9c1d-3f2b5a6c7d8e';
    const items = Array.from({ length: 100_000 }, (_, i) => ({
      accountId,
      id: `storage-users-1$4c510ada-c86b-4815-8820-616c69636500!a0b1c2d3-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    }));
    const resolutions = Object.fromEntries(items.map((i) => [`${accountId}:${i.id}`, 'keep-both']));
    const big = JSON.stringify({
      channel: 'ops:restore',
      payload: { items, destination: { kind: 'original' }, resolutions, recreateMissingFolders: true },
    });
    expect(big.length).toBeGreaterThan(24 * 1024 * 1024);
    const res = await send(bridge, { headers: { ...json, 'X-Salvage-Token': 'right-token-123' }, body: big });
    expect(res.status).toBe(200);
    expect(dispatch).toHaveBeenCalledOnce();
  });

  it('serves the renderer with a strict CSP and refuses paths outside its folder', async () => {
    const page = await send(bridge, { method: 'GET', path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    const escape = await send(bridge, { method: 'GET', path: '/..%2f..%2f..%2fetc%2fpasswd' });
    expect(escape.status).toBe(404);
  });

  it('streams events only to a client with the token', async () => {
    const denied = await send(bridge, { method: 'GET', path: '/api/events?token=nope' });
    expect(denied.status).toBe(401);
    const received = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: bridge.port,
          path: '/api/events?token=right-token-123',
          headers: { Host: `127.0.0.1:${bridge.port}` },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => {
            text += d.toString();
            if (text.includes('connected') && !text.includes('accounts:changed')) bus.emit('accounts:changed', []);
            if (text.includes('accounts:changed')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', (e) => (e.message.includes('aborted') ? undefined : reject(e)));
      req.end();
    });
    expect(received).toContain('"name":"accounts:changed"');
  });

  it('sends an answer with a long items list in slices, as the same JSON', async () => {
    const n = SEND_SLICE * 2 + 3;
    const value = {
      items: Array.from({ length: n }, (_, i) => ({ id: `a/"b"\\${i}`, name: `\u0000 ✓ ${i}` })),
      cursor: 'next',
      total: null,
    };
    const long = await startBridge({
      dispatch: async () => ({ ok: true as const, value }),
      bus,
      staticDir: null,
      token: 'right-token-123',
    });
    try {
      const res = await send(long, { headers: { ...json, 'X-Salvage-Token': 'right-token-123' }, body });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      expect(JSON.parse(res.body)).toEqual({ ok: true, value });
      expect(res.body).toBe(JSON.stringify({ ok: true, value }));
    } finally {
      await long.close();
    }
  });
});
