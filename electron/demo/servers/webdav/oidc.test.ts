import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, discover, exchangeCode, listenForRedirect, TokenKeeper, type OidcClient, type OidcTokens } from '../../../net/oidc';
import { startWebDavServer, type WebDavServer } from './server';

/**
 * OpenID Connect (authorization code + PKCE, loopback redirect, refresh with rotation) against the
 * oCIS test server's OpenID provider; the browser is played by fetch following the redirect.
 */
describe('OpenID Connect against the oCIS test server', () => {
  let server: WebDavServer;
  let oidc: OidcClient;
  const trash = (token: string) =>
    fetch(`${server.url}/graph/v1.0/me`, { headers: { Authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, body: r.status === 200 ? ((await r.json()) as { displayName: string }) : null }));

  /** Signs in as the browser would: authorize → 302 to the loopback → the code is exchanged. */
  const signIn = async (): Promise<OidcTokens> => {
    const redirect = await listenForRedirect();
    try {
      const pending = await authorizationUrl(oidc, redirect.redirectUri);
      const authorize = await fetch(pending.url, { redirect: 'manual' });
      expect(authorize.status).toBe(302);
      const page = await fetch(authorize.headers.get('location')!);
      expect(await page.text()).toContain('Signed in');
      return await exchangeCode(oidc, pending, await redirect.received);
    } finally {
      redirect.close();
    }
  };

  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'ocis' });
    oidc = await discover(server.url, 'web');
  });
  afterAll(async () => {
    await server.close();
  });

  it('discovers the provider and signs in with PKCE through a loopback redirect; the access token works as a bearer token', async () => {
    expect(oidc.server.token_endpoint).toBe(`${server.url}/konnect/v1/token`);
    const tokens = await signIn();
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.expiresAt).toBeGreaterThan(Date.now());
    expect(await trash(tokens.accessToken)).toMatchObject({ status: 200, body: { displayName: 'Alice Adams' } });
  });

  it('refuses a code exchanged with the wrong PKCE verifier', async () => {
    const redirect = await listenForRedirect();
    try {
      const pending = await authorizationUrl(oidc, redirect.redirectUri);
      const authorize = await fetch(pending.url, { redirect: 'manual' });
      await fetch(authorize.headers.get('location')!);
      await expect(exchangeCode(oidc, { ...pending, codeVerifier: 'x'.repeat(64) }, await redirect.received)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    } finally {
      redirect.close();
    }
  });

  it('refreshes before expiry and after a 401, once for concurrent callers; rotated tokens are handed on to be stored', async () => {
    const stored: OidcTokens[] = [];
    const first = await signIn();
    const keeper = new TokenKeeper(oidc, { ...first, expiresAt: Date.now() + 10_000 }, (t) => void stored.push(t));
    // Within a minute of expiry: refreshed before use.
    const second = await keeper.accessToken();
    expect(second).not.toBe(first.accessToken);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.refreshToken).not.toBe(first.refreshToken); // rotated
    // The server stops accepting it (expired early): one refresh for every caller that saw the 401.
    server.frontEnd.expireAccessTokens();
    expect((await trash(second)).status).toBe(401);
    const [a, b] = await Promise.all([keeper.afterUnauthorized(second), keeper.afterUnauthorized(second)]);
    expect(a).toBe(b);
    expect(stored).toHaveLength(2);
    expect((await trash(a)).status).toBe(200);
  });

  it('a refused refresh (revoked) says sign in again', async () => {
    const keeper = new TokenKeeper(oidc, await signIn(), () => {});
    server.frontEnd.revokeRefreshTokens();
    server.frontEnd.expireAccessTokens();
    await expect(keeper.afterUnauthorized(await keeper.accessToken())).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringContaining('Sign in again') });
  });
});
