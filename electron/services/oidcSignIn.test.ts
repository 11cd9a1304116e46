import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from '../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import { decodeOidcSecret } from '../net/oidc';
import { createMemoryServices } from './index';
import { MemorySecretStore } from './stores';

/**
 * Adding an Infinite Scale account through the browser (accounts:oidcStart / oidcPoll): the
 * browser is played by fetch following the sign-in page; the account's secret holds the tokens,
 * its view says it signs in through the browser, and "Sign in again" runs the same flow.
 */
describe('browser sign-in (OpenID Connect) through the services', () => {
  let server: WebDavServer;
  const opened: string[] = [];

  /** What the user does in the browser: open the page, log in, land on the loopback page. */
  const browser = async (authorizeUrl: string, password: string = WEBDAV_USERS.alice.password) => {
    const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
    const pageUrl = new URL(authorize.headers.get('location')!, server.url);
    const form = new URLSearchParams([...pageUrl.searchParams].filter(([k]) => k !== 'flow'));
    form.set('username', 'alice');
    form.set('password', password);
    const logon = await fetch(`${server.url}/signin/v1/identifier/_/logon`, {
      method: 'POST',
      redirect: 'manual',
      body: form,
    });
    if (logon.status !== 302) return logon.text();
    return (await fetch(logon.headers.get('location')!)).text();
  };
  const waitFor = async <T>(poll: () => Promise<{ account: T | null }>): Promise<T> => {
    for (let i = 0; i < 100; i++) {
      const { account } = await poll();
      if (account) return account;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('no account');
  };

  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'ocis' });
    server.frontEnd.oidcLoginPage = true;
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    opened.length = 0;
  });

  it('adds the account with the tokens as its secret; the desktop host opens the page itself', async () => {
    const secrets = new MemorySecretStore();
    const { handlers, accounts } = createMemoryServices({ secrets, openExternal: (url) => opened.push(url) > 0 });
    const start = await handlers['accounts:oidcStart']({ serverUrl: server.url });
    expect(start.opened).toBe(true);
    expect(opened).toEqual([start.authorizeUrl]);
    const authorize = new URL(start.authorizeUrl);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(await handlers['accounts:oidcPoll']({ flowId: start.flowId })).toEqual({ account: null });

    expect(await browser(start.authorizeUrl)).toContain('Signed in');
    const account = await waitFor(() => handlers['accounts:oidcPoll']({ flowId: start.flowId }));
    expect(account).toMatchObject({ kind: 'ocis', userName: 'Alice Adams', status: 'ok', browserSignIn: true });
    expect(JSON.stringify(account)).not.toContain('oidc:');
    const secret = decodeOidcSecret(secrets.get(account.id)!);
    expect(secret?.tokens.refreshToken).toBeTruthy();
    // The poll answers once; the listener is closed.
    await expect(handlers['accounts:oidcPoll']({ flowId: start.flowId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(fetch(authorize.searchParams.get('redirect_uri')!)).rejects.toThrow();
    // The account works: its trash lists with the access token.
    const page = await handlers['trash:list']({ accountId: account.id, parentId: null, cursor: null });
    expect(page.items.length).toBeGreaterThan(0);
    expect(accounts.config(account.id).signIn).toBe('oidc');
  });

  it('an expired access token is renewed silently; the rotated tokens replace the stored secret', async () => {
    const secrets = new MemorySecretStore();
    const { handlers } = createMemoryServices({ secrets });
    const start = await handlers['accounts:oidcStart']({ serverUrl: server.url });
    await browser(start.authorizeUrl);
    const account = await waitFor(() => handlers['accounts:oidcPoll']({ flowId: start.flowId }));
    await handlers['trash:list']({ accountId: account.id, parentId: null, cursor: null });
    const before = decodeOidcSecret(secrets.get(account.id)!)!;
    server.frontEnd.expireAccessTokens();
    const page = await handlers['trash:list']({ accountId: account.id, parentId: null, cursor: null });
    expect(page.items.length).toBeGreaterThan(0);
    const after = decodeOidcSecret(secrets.get(account.id)!)!;
    expect(after.tokens.refreshToken).not.toBe(before.tokens.refreshToken);
    expect((await handlers['accounts:list']({}))[0]?.status).toBe('ok');
  });

  it('the browser host gets the page to offer as a link (nothing opened in main)', async () => {
    const { handlers } = createMemoryServices();
    const start = await handlers['accounts:oidcStart']({ serverUrl: server.url });
    expect(start.opened).toBe(false);
    await browser(start.authorizeUrl);
    await expect(waitFor(() => handlers['accounts:oidcPoll']({ flowId: start.flowId }))).resolves.toMatchObject({
      browserSignIn: true,
    });
  });

  it('a wrong password stays on the sign-in page; a sign-in the server refuses reaches the poll as an error, not as an account', async () => {
    const { handlers } = createMemoryServices();
    const start = await handlers['accounts:oidcStart']({ serverUrl: server.url });
    expect(await browser(start.authorizeUrl, 'wrong')).toContain('Logon failed');
    expect(await handlers['accounts:oidcPoll']({ flowId: start.flowId })).toEqual({ account: null });
    // The user declines: the IdP redirects back with an error instead of a code.
    const redirectUri = new URL(start.authorizeUrl).searchParams.get('redirect_uri')!;
    await fetch(`${redirectUri}?error=access_denied&state=${new URL(start.authorizeUrl).searchParams.get('state')}`);
    await expect(waitFor(() => handlers['accounts:oidcPoll']({ flowId: start.flowId }))).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.not.stringContaining('Sign in again'),
    });
  });

  it('stray and forged requests to the listener are ignored: the real sign-in still finishes', async () => {
    const { handlers } = createMemoryServices();
    const start = await handlers['accounts:oidcStart']({ serverUrl: server.url });
    const redirectUri = new URL(start.authorizeUrl).searchParams.get('redirect_uri')!;
    const state = new URL(start.authorizeUrl).searchParams.get('state')!;
    // A forged state, no state, an error without this state, a state one character off, another path.
    for (const query of [
      '?code=abc&state=forged',
      '?code=abc',
      '',
      '?error=access_denied',
      `?code=abc&state=${state.slice(0, -1)}x`,
    ]) {
      const stray = await fetch(`${redirectUri}${query}`);
      expect(stray.status, query).toBe(400);
      expect(await stray.text()).toContain('it was ignored');
    }
    expect((await fetch(redirectUri.replace('/callback', '/favicon.ico'))).status).toBe(404);
    expect(await handlers['accounts:oidcPoll']({ flowId: start.flowId })).toEqual({ account: null });
    // The user's own sign-in comes back with the right state and ends the wait.
    expect(await browser(start.authorizeUrl)).toContain('Signed in');
    await expect(waitFor(() => handlers['accounts:oidcPoll']({ flowId: start.flowId }))).resolves.toMatchObject({
      kind: 'ocis',
      browserSignIn: true,
    });
  });

  it('Sign in again for a browser-signed-in account runs the flow again and renews the same account', async () => {
    const secrets = new MemorySecretStore();
    const { handlers } = createMemoryServices({ secrets });
    const first = await handlers['accounts:oidcStart']({ serverUrl: server.url });
    await browser(first.authorizeUrl);
    const account = await waitFor(() => handlers['accounts:oidcPoll']({ flowId: first.flowId }));
    const before = secrets.get(account.id);
    server.frontEnd.revokeRefreshTokens();
    server.frontEnd.expireAccessTokens();
    await expect(handlers['trash:list']({ accountId: account.id, parentId: null, cursor: null })).rejects.toMatchObject(
      { code: 'AUTH_FAILED' },
    );
    expect((await handlers['accounts:list']({}))[0]?.status).toBe('auth-expired');

    const again = await handlers['accounts:oidcStart']({
      serverUrl: 'ignored when accountId is set',
      accountId: account.id,
    });
    await browser(again.authorizeUrl);
    const renewed = await waitFor(() => handlers['accounts:oidcPoll']({ flowId: again.flowId }));
    expect(renewed).toMatchObject({ id: account.id, status: 'ok', browserSignIn: true });
    expect(secrets.get(account.id)).not.toBe(before);
    expect(await handlers['accounts:list']({})).toHaveLength(1);
    await expect(handlers['trash:list']({ accountId: account.id, parentId: null, cursor: null })).resolves.toBeTruthy();
  });

  it('a sign-in nobody finishes times out and its listener closes; Cancel closes it at once', async () => {
    const { handlers } = createMemoryServices();
    const start = await handlers['accounts:oidcStart']({ serverUrl: server.url });
    await handlers['accounts:oidcCancel']({ flowId: start.flowId });
    await expect(fetch(new URL(start.authorizeUrl).searchParams.get('redirect_uri')!)).rejects.toThrow();
    await expect(handlers['accounts:oidcPoll']({ flowId: start.flowId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('tokens typed into the add-account form as a secret are refused (only main makes browser sign-ins)', async () => {
    const { handlers } = createMemoryServices();
    const forged = `oidc:${JSON.stringify({ issuer: 'https://evil.example', clientId: 'x', tokens: { accessToken: 'a', refreshToken: null, expiresAt: null } })}`;
    await expect(
      handlers['accounts:add']({ serverUrl: server.url, kind: 'ocis', user: 'alice', secret: forged }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a server without an OpenID provider says so', async () => {
    const nc = await startWebDavServer({ kind: 'nextcloud' });
    try {
      const { handlers } = createMemoryServices();
      await expect(handlers['accounts:oidcStart']({ serverUrl: nc.url })).rejects.toMatchObject({
        code: 'UNSUPPORTED',
      });
    } finally {
      await nc.close();
    }
  });
});

describe('OidcSignIns time-out', () => {
  it('a sign-in nobody finishes within the time-out reads TIMEOUT and closes its listener', async () => {
    const { OidcSignIns } = await import('./oidcSignIn');
    const server = await startWebDavServer({ kind: 'ocis' });
    try {
      const flows = new OidcSignIns(async () => 'never', null, undefined, 50);
      const start = await flows.start(server.url, {});
      await new Promise((r) => setTimeout(r, 120));
      expect(() => flows.poll(start.flowId)).toThrow(/not finished/);
      await expect(fetch(new URL(start.authorizeUrl).searchParams.get('redirect_uri')!)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });
});
