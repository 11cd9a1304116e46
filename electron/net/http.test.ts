import { describe, expect, it } from 'vitest';
import { errorForStatus, httpRequest, parseRetryAfter, type HttpOptions } from './http';

const opts = (fetchImpl: typeof fetch, extra: Partial<HttpOptions> = {}): HttpOptions => ({
  timeoutMs: 200,
  retries: 2,
  maxRetryAfterMs: 2_000,
  userAgent: 'test',
  fetch: fetchImpl,
  ...extra,
});

describe('httpRequest', () => {
  it('retries an idempotent request after 503 and honours Retry-After on 429', async () => {
    const statuses = [503, 429, 207];
    const seen: number[] = [];
    const fake = (async () => {
      const status = statuses.shift()!;
      seen.push(status);
      return new Response(status === 207 ? 'ok' : '', {
        status,
        headers: status === 429 ? { 'Retry-After': '0' } : {},
      });
    }) as typeof fetch;
    const res = await httpRequest({ method: 'PROPFIND', url: 'https://x.example/dav' }, opts(fake));
    expect(res.status).toBe(207);
    expect(seen).toEqual([503, 429, 207]);
  });

  it('does not retry a MOVE (not idempotent) and returns its status to the caller', async () => {
    let calls = 0;
    const fake = (async () => {
      calls++;
      return new Response('', { status: 503 });
    }) as typeof fetch;
    const res = await httpRequest({ method: 'MOVE', url: 'https://x.example/dav' }, opts(fake));
    expect(res.status).toBe(503);
    expect(calls).toBe(1);
  });

  it('gives up with RATE_LIMITED-worthy 429 when Retry-After is longer than we wait', async () => {
    const fake = (async () => new Response('', { status: 429, headers: { 'Retry-After': '3600' } })) as typeof fetch;
    const res = await httpRequest({ method: 'GET', url: 'https://x.example/' }, opts(fake));
    expect(res.status).toBe(429);
    expect(errorForStatus(res.status).code).toBe('RATE_LIMITED');
  });

  it('maps a hanging server to TIMEOUT and a refused connection to NETWORK', async () => {
    const hang = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      )) as typeof fetch;
    await expect(
      httpRequest({ method: 'GET', url: 'https://x.example/' }, opts(hang, { retries: 0 })),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    const refused = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    await expect(
      httpRequest({ method: 'GET', url: 'https://x.example/' }, opts(refused, { retries: 0 })),
    ).rejects.toMatchObject({
      code: 'NETWORK',
    });
  });

  it('maps certificate failures to TLS without retrying', async () => {
    let calls = 0;
    const badCert = (async () => {
      calls++;
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } });
    }) as typeof fetch;
    await expect(httpRequest({ method: 'GET', url: 'https://x.example/' }, opts(badCert))).rejects.toMatchObject({
      code: 'TLS',
    });
    expect(calls).toBe(1);
  });

  it('stops at once when the caller cancels', async () => {
    const controller = new AbortController();
    const hang = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      )) as typeof fetch;
    const pending = httpRequest(
      { method: 'GET', url: 'https://x.example/', signal: controller.signal },
      opts(hang, { timeoutMs: 10_000 }),
    );
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('status mapping', () => {
  it.each([
    [401, 'AUTH_FAILED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [409, 'DEST_MISSING'],
    [412, 'CONFLICT'],
    [429, 'RATE_LIMITED'],
    [507, 'QUOTA'],
    [500, 'SERVER'],
    [418, 'BAD_RESPONSE'],
  ])('%i → %s', (status, code) => {
    expect(errorForStatus(status).code).toBe(code);
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    expect(parseRetryAfter('5')).toBe(5000);
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString(), Date.now())).toBeGreaterThan(8_000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
