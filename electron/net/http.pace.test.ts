import { describe, expect, it } from 'vitest';
import { forEachPaced, Pace } from '../base/pace';
import { defaultHttpOptions, httpRequest } from './http';

describe('the HTTP layer reports to the batch pace', () => {
  const answers = (statuses: { status: number; headers?: Record<string, string> }[]) => {
    const calls: string[] = [];
    const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push(String(init?.method ?? 'GET'));
      const next = statuses.shift() ?? { status: 201 };
      return new Response(null, { status: next.status, headers: next.headers ?? {} });
    }) as typeof globalThis.fetch;
    return { calls, options: { ...defaultHttpOptions, fetch } };
  };

  it('a 503 with Retry-After backs the pace off and is waited out before the request is sent again', async () => {
    const { calls, options } = answers([{ status: 503, headers: { 'Retry-After': '0' } }, { status: 207 }]);
    const pace = new Pace({ start: 8 });
    await forEachPaced([1], pace, new AbortController().signal, async () => {
      const res = await httpRequest({ method: 'PROPFIND', url: 'https://dav.example/x' }, options);
      expect(res.status).toBe(207);
    });
    expect(calls).toEqual(['PROPFIND', 'PROPFIND']);
    expect(pace.pushbacks).toBe(1);
    expect(pace.decisions).toEqual([{ kind: 'back-off', from: 8, to: 4, status: 503, waitMs: 0 }]);
  });

  it('in a paced batch a write refused with 429 is sent again; outside one, and for a 503, it is not', async () => {
    const paced = answers([{ status: 429, headers: { 'Retry-After': '0' } }, { status: 201 }]);
    await forEachPaced([1], new Pace({ start: 4 }), new AbortController().signal, async () => {
      expect((await httpRequest({ method: 'MOVE', url: 'https://dav.example/x' }, paced.options)).status).toBe(201);
    });
    expect(paced.calls).toEqual(['MOVE', 'MOVE']);

    const alone = answers([{ status: 429, headers: { 'Retry-After': '0' } }, { status: 201 }]);
    expect((await httpRequest({ method: 'MOVE', url: 'https://dav.example/x' }, alone.options)).status).toBe(429);
    expect(alone.calls).toEqual(['MOVE']);

    const unavailable = answers([{ status: 503, headers: { 'Retry-After': '0' } }, { status: 201 }]);
    await forEachPaced([1], new Pace({ start: 4 }), new AbortController().signal, async () => {
      expect((await httpRequest({ method: 'MOVE', url: 'https://dav.example/x' }, unavailable.options)).status).toBe(
        503,
      );
    });
    expect(unavailable.calls).toEqual(['MOVE']);
  });
});
