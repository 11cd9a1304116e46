import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizationUrl,
  discover,
  exchangeCode,
  listenForRedirect,
  OCIS_DESKTOP_CLIENT,
  TokenKeeper,
  type OidcClient,
  type OidcTokens,
} from '../../../net/oidc';
import { startWebDavServer, type WebDavServer } from './server';

/**
 * OpenID Connect (authorization code + PKCE, loopback redirect, refresh with rotation) against the
 * oCIS test server's OpenID provider; the browser is played by fetch following the redirect.
 */
describe('OpenID Connect against the oCIS test server', () => {
  let server: WebDavServer;
  let oidc: OidcClient;
  const trash = (token: string) =>
    fetch(`${server.url}/graph/v1.0/me`, { headers: { Authorization: `Bearer ${token}` } }).then(async (r) => ({
      status: r.status,
      body: r.status === 200 ? ((await r.json()) as { displayName: string }) : null,
    }));

  /** Signs in as the browser would: authorize → 302 to the loopback → the code is exchanged. */
  const signIn = async (): Promise<OidcTokens> => {
    const redirect = await listenForRedirect();
    try {
      const pending = await authorizationUrl(oidc, redirect.redirectUri);
      redirect.accept(pending.state);
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
    oidc = await discover(server.url, OCIS_DESKTOP_CLIENT.id, undefined, OCIS_DESKTOP_CLIENT.secret);
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

  it("refuses a loopback redirect for oCIS's web client (it may redirect only into the server) and an unknown client", async () => {
    const web = await discover(server.url, 'web');
    const pending = await authorizationUrl(web, 'http://127.0.0.1:40000/callback');
    const res = await fetch(pending.url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    const unknown = await authorizationUrl(
      await discover(server.url, 'someone-else'),
      'http://127.0.0.1:40000/callback',
    );
    expect((await fetch(unknown.url, { redirect: 'manual' })).status).toBe(400);
  });

  it('with the sign-in page on, authorize leads to a user name and password form; a wrong password shows it again, the right one redirects with a code', async () => {
    server.frontEnd.oidcLoginPage = true;
    const redirect = await listenForRedirect();
    try {
      const pending = await authorizationUrl(oidc, redirect.redirectUri);
      redirect.accept(pending.state);
      const authorize = await fetch(pending.url, { redirect: 'manual' });
      expect(authorize.status).toBe(302);
      const pageUrl = new URL(authorize.headers.get('location')!, server.url);
      expect(pageUrl.pathname).toBe('/signin/v1/identifier');
      const page = await (await fetch(pageUrl)).text();
      expect(page).toContain('name="password"');
      const form = new URLSearchParams([...pageUrl.searchParams].filter(([k]) => k !== 'flow'));
      const logon = (password: string) =>
        fetch(`${server.url}/signin/v1/identifier/_/logon`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `${form}&username=alice&password=${password}`,
        });
      const wrong = await logon('nope');
      expect(wrong.status).toBe(200);
      expect(await wrong.text()).toContain('Logon failed');
      const right = await logon('alice-password');
      expect(right.status).toBe(302);
      await fetch(right.headers.get('location')!);
      const tokens = await exchangeCode(oidc, pending, await redirect.received);
      expect((await trash(tokens.accessToken)).status).toBe(200);
    } finally {
      server.frontEnd.oidcLoginPage = false;
      redirect.close();
    }
  });

  it('refuses a code exchanged with the wrong PKCE verifier', async () => {
    const redirect = await listenForRedirect();
    try {
      const pending = await authorizationUrl(oidc, redirect.redirectUri);
      redirect.accept(pending.state);
      const authorize = await fetch(pending.url, { redirect: 'manual' });
      await fetch(authorize.headers.get('location')!);
      await expect(
        exchangeCode(oidc, { ...pending, codeVerifier: 'x'.repeat(64) }, await redirect.received),
      ).rejects.toMatchObject({ code: 'AUTH_FAILED' });
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
    await expect(keeper.afterUnauthorized(await keeper.accessToken())).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining('Sign in again'),
    });
  });
});
