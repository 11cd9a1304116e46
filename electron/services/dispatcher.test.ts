import { describe, expect, it, vi } from 'vitest';
import { isAppUrl } from '../hosts/security';
import { z } from 'zod';
import { createDispatcher, parseResponse, PARSE_SLICE, type CallerInfo, type Handlers } from './dispatcher';
import { AppError } from '../base/errors';

const appCaller: CallerInfo = { frameUrl: 'app://salvage/index.html', isMainFrame: true };

function setup() {
  const accountsList = vi.fn(async () => [
    {
      id: 'a1',
      kind: 'nextcloud' as const,
      label: 'Alice',
      serverUrl: 'https://cloud.example',
      userName: 'alice',
      status: 'ok' as const,
      secretStorage: 'encrypted' as const,
      demo: false,
      insecureHttp: false,
      // A field the contract does not have must never reach the renderer.
      password: 'hunter2',
    },
  ]);
  const rename = vi.fn();
  const handlers = { 'accounts:list': accountsList, 'accounts:rename': rename } as unknown as Handlers;
  const dispatch = createDispatcher({
    handlers,
    isTrustedCaller: (caller) => caller.isMainFrame && isAppUrl(caller.frameUrl),
  });
  return { dispatch, accountsList, rename };
}

describe('dispatcher', () => {
  it('rejects a channel that is not in the contract', async () => {
    const { dispatch } = setup();
    const result = await dispatch('fs:readFile', { path: '/etc/passwd' }, appCaller);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNKNOWN_CHANNEL' }) });
  });

  it('rejects inherited object keys as channels', async () => {
    const { dispatch } = setup();
    const result = await dispatch('constructor', {}, appCaller);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('UNKNOWN_CHANNEL');
  });

  it('rejects a payload that fails its schema with INVALID_INPUT and never calls the service', async () => {
    const { dispatch, rename } = setup();
    const result = await dispatch('accounts:rename', { accountId: 'a1', label: 42 }, appCaller);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toContain('label');
    }
    const extra = await dispatch('accounts:rename', { accountId: 'a1', label: 'x', admin: true }, appCaller);
    expect(extra.ok).toBe(false);
    expect(rename).not.toHaveBeenCalled();
  });

  it('refuses a sender that is not the app’s own main frame', async () => {
    const { dispatch, accountsList } = setup();
    for (const caller of [
      { frameUrl: 'https://evil.example/', isMainFrame: true },
      { frameUrl: 'app://salvage/index.html', isMainFrame: false },
      { frameUrl: 'app://other/index.html', isMainFrame: true },
      { frameUrl: null, isMainFrame: true },
    ]) {
      const result = await dispatch('accounts:list', {}, caller);
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN_SENDER' }) });
    }
    expect(accountsList).not.toHaveBeenCalled();
  });

  it('returns the value parsed by the response schema, dropping fields outside the contract', async () => {
    const { dispatch } = setup();
    const result = await dispatch('accounts:list', {}, appCaller);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value).toHaveLength(1);
      expect(JSON.stringify(result.value)).not.toContain('hunter2');
    }
  });

  it('turns an AppError into an error value and an unexpected error into INTERNAL without its text', async () => {
    const handlers = {
      'accounts:list': async () => {
        throw new AppError('AUTH_FAILED', 'Sign in again.');
      },
      'ops:list': async () => {
        throw new Error('secret internal detail');
      },
    } as unknown as Handlers;
    const onInternalError = vi.fn();
    const dispatch = createDispatcher({ handlers, isTrustedCaller: () => true, onInternalError });
    expect(await dispatch('accounts:list', {}, appCaller)).toEqual({
      ok: false,
      error: { code: 'AUTH_FAILED', message: 'Sign in again.' },
    });
    const internal = await dispatch('ops:list', {}, appCaller);
    expect(internal.ok).toBe(false);
    if (!internal.ok) {
      expect(internal.error.code).toBe('INTERNAL');
      expect(internal.error.message).not.toContain('secret internal detail');
    }
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('parses a long items list in slices with the same output and checks as one parse', async () => {
    const schema = z.object({
      items: z.array(z.object({ id: z.string(), size: z.number().nullable() })),
      cursor: z.string().nullable(),
      total: z.number().nullable(),
    });
    const n = PARSE_SLICE * 3 + 7;
    const items = Array.from({ length: n }, (_, i) => ({ id: `i${i}`, size: i % 2 ? i : null, secret: 'x' }));
    const value = { items, cursor: 'c', total: n, extra: true };
    const sliced = await parseResponse(schema, value);
    expect(sliced).toEqual(schema.parse(value));
    expect(Object.keys(sliced as object)).toEqual(['items', 'cursor', 'total']);
    expect((sliced as { items: object[] }).items[5]).toEqual({ id: 'i5', size: 5 }); // unknown fields stripped
    // The event loop turns between slices: a timer set before the parse fires before it ends.
    let turned = false;
    setImmediate(() => (turned = true));
    await parseResponse(schema, value);
    expect(turned).toBe(true);
    // A bad item deep in the list fails the parse, with its place in the path.
    const bad = { ...value, items: items.map((i, k) => (k === n - 2 ? { ...i, size: 'big' } : i)) };
    const error = await parseResponse(schema, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(z.ZodError);
    expect((error as z.ZodError).issues[0]?.path).toEqual(['items', n - 2, 'size']);
    await expect(parseResponse(schema, { ...value, total: 'x' })).rejects.toBeInstanceOf(z.ZodError);
  });
});
