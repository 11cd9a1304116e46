import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ItemResult, TrashItem } from '../../../shared/model';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { seedTestState } from '../../demo/servers/webdav/seed';
import {
  authorizationUrl,
  decodeOidcSecret,
  discover,
  encodeOidcSecret,
  exchangeCode,
  listenForRedirect,
  OCIS_DESKTOP_CLIENT,
  type OidcTokens,
} from '../../net/oidc';
import type { AccountConfig, BatchContext } from '../types';
import { WebDavProvider } from './provider';
import { InThreadHost } from './trashStream';

/**
 * An Infinite Scale account signed in with OpenID Connect: the provider sends the access token,
 * renews it after a 401 in the middle of a batch (the batch goes on) and hands the rotated tokens
 * on to be stored; a refused refresh stops with "sign in again".
 */
describe('oCIS provider with an OpenID Connect sign-in', () => {
  let server: WebDavServer;
  const account = (): AccountConfig => ({
    id: 'acc1',
    kind: 'ocis',
    label: 'oCIS',
    serverUrl: server.url,
    user: '',
    userId: '',
    userName: '',
    demo: false,
  });

  const signIn = async (): Promise<OidcTokens> => {
    const oidc = await discover(server.url, OCIS_DESKTOP_CLIENT.id, undefined, OCIS_DESKTOP_CLIENT.secret);
    const redirect = await listenForRedirect();
    try {
      const pending = await authorizationUrl(oidc, redirect.redirectUri);
      redirect.accept(pending.state);
      const authorize = await fetch(pending.url, { redirect: 'manual' });
      await fetch(authorize.headers.get('location')!);
      return await exchangeCode(oidc, pending, await redirect.received);
    } finally {
      redirect.close();
    }
  };
  const provider = async (stored: string[]) => {
    const secret = encodeOidcSecret({
      issuer: server.url,
      clientId: OCIS_DESKTOP_CLIENT.id,
      clientSecret: OCIS_DESKTOP_CLIENT.secret,
      tokens: await signIn(),
    });
    return new WebDavProvider(
      'ocis',
      account(),
      { user: '', secret, onSecretChange: (s) => void stored.push(s) },
      { parseHost: new InThreadHost(), http: { retries: 0, timeoutMs: 10_000 } },
    );
  };
  const list = async (p: WebDavProvider) => {
    const all: TrashItem[] = [];
    for await (const chunk of p.listTrash(null)) all.push(...chunk.items);
    return all;
  };

  beforeAll(async () => {
    server = await startWebDavServer({
      kind: 'ocis',
      seed: (tree) => {
        seedTestState(tree);
        tree.seedTrash('alice', 50, { prefix: 'Batch' });
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.control.reset());

  it('signs in and lists with the access token; a 401 on the listing renews it and lists again', async () => {
    const stored: string[] = [];
    const p = await provider(stored);
    await expect(p.checkConnection()).resolves.toMatchObject({ userId: 'alice', userName: 'Alice Adams' });
    server.frontEnd.expireAccessTokens();
    expect((await list(p)).length).toBeGreaterThan(50);
    expect(stored).toHaveLength(1);
    expect(decodeOidcSecret(stored[0]!)?.tokens.refreshToken).toBeTruthy();
  });

  it('the access token expires in the middle of a 50-item batch: it is renewed silently and the batch completes', async () => {
    const stored: string[] = [];
    const p = await provider(stored);
    const batch = (await list(p)).filter((i) => i.name.startsWith('Batch'));
    expect(batch).toHaveLength(50);
    const results: ItemResult[] = [];
    const ctx: BatchContext = {
      signal: new AbortController().signal,
      itemDone: (r) => {
        results.push(r);
        if (results.length === 10) server.frontEnd.expireAccessTokens();
      },
      progress: () => {},
      resolutionFor: () => undefined,
      ask: async () => 'skip',
    };
    await p.remove(batch, ctx);
    expect(results.filter((r) => r.outcome === 'deleted')).toHaveLength(50);
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(server.tree.trashOf('alice').some((e) => server.tree.node(e.nodeId).name.startsWith('Batch'))).toBe(false);
  });

  it('a refused refresh stops the batch with "sign in again"', async () => {
    const p = await provider([]);
    const items = await list(p);
    server.frontEnd.revokeRefreshTokens();
    server.frontEnd.expireAccessTokens();
    const results: ItemResult[] = [];
    const ctx: BatchContext = {
      signal: new AbortController().signal,
      itemDone: (r) => results.push(r),
      progress: () => {},
      resolutionFor: () => undefined,
      ask: async () => 'skip',
    };
    await expect(p.remove(items.slice(0, 3), ctx)).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining('Sign in again'),
    });
    expect(results.filter((r) => r.outcome === 'deleted')).toHaveLength(0);
  });
});
