import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import * as oauth from 'oauth4webapi';
import { AppError } from '../base/errors';
import { httpRequest, netFetch } from './http';

/**
 * OpenID Connect for Infinite Scale: authorization code + PKCE with a loopback redirect (RFC 8252),
 * and token refresh. The protocol work is oauth4webapi's; this module only holds the steps
 * together. The add-account dialog starts a sign-in through services/oidcSignIn.ts; the WebDAV
 * provider keeps the tokens fresh with TokenKeeper.
 */

/**
 * The client Salvage signs in as on Infinite Scale: the ownCloud desktop app's, which oCIS's
 * built-in IdP registers out of the box as a native client with loopback redirects
 * (services/idp/pkg/config/defaults/defaultconfig.go). Its secret is public (it ships in the
 * desktop client's source). oCIS's "web" client only accepts redirects to the oCIS URL itself, so
 * it cannot finish a loopback sign-in.
 */
export const OCIS_DESKTOP_CLIENT = {
  id: 'xdXOt13JKxym1B1QcEncf2XDkLAexMBFwiT9j6EfhhHFJhs2KM9jbjTmf8JBXE69',
  secret: 'UBntmLjC2yYCeHwsyj73Uwo9TAaecAetRwMw0xYcvNL9yRdLSUi0hUAHfvCHFeFh',
} as const;

/** The tokens of one sign-in. `expiresAt` is ms since the epoch (null: the server did not say). */
export interface OidcTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number | null;
}

export interface OidcClient {
  issuer: URL;
  server: oauth.AuthorizationServer;
  client: oauth.Client;
  /** Sent in the token request body (client_secret_post) when the client has one. */
  clientSecret?: string;
}

const clientAuth = (oidc: OidcClient): oauth.ClientAuth =>
  oidc.clientSecret ? oauth.ClientSecretPost(oidc.clientSecret) : oauth.None();

/** True for http://127.0.0.1, localhost and [::1] (any port). */
export const isLoopbackUrl = (url: URL) =>
  url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';

/** Plain http is allowed only for a loopback issuer (the test servers). */
const insecureFor = (url: URL) =>
  url.protocol === 'http:' && isLoopbackUrl(url) ? { [oauth.allowInsecureRequests]: true } : {};

/** Every request oauth4webapi sends goes through Salvage's transport (deadline, budget, no global fetch). */
const transport = { [oauth.customFetch]: netFetch() };

/** Reads the issuer's /.well-known/openid-configuration. */
export async function discover(
  issuer: string,
  clientId: string,
  signal?: AbortSignal,
  clientSecret?: string,
): Promise<OidcClient> {
  const url = new URL(issuer);
  try {
    const res = await oauth.discoveryRequest(url, {
      algorithm: 'oidc',
      ...transport,
      ...insecureFor(url),
      ...(signal ? { signal } : {}),
    });
    const server = await oauth.processDiscoveryResponse(url, res);
    if (!server.authorization_endpoint || !server.token_endpoint)
      throw new AppError('UNSUPPORTED', `${url.host} does not offer browser sign-in (OpenID Connect).`);
    return {
      issuer: url,
      server,
      client: { client_id: clientId, token_endpoint_auth_method: clientSecret ? 'client_secret_post' : 'none' },
      ...(clientSecret ? { clientSecret } : {}),
    };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      'UNSUPPORTED',
      `${url.host} does not offer browser sign-in (OpenID Connect): ${(e as Error).message}`,
    );
  }
}

/**
 * Discovery starting from a file server's address: its own /.well-known/openid-configuration
 * (oCIS's built-in IdP answers there with the oCIS URL as issuer). When the document names another
 * issuer (an external IdP such as Keycloak behind oCIS), discovery is done again at that issuer.
 */
export async function discoverServer(
  serverUrl: string,
  client: { id: string; secret?: string },
  signal?: AbortSignal,
): Promise<OidcClient> {
  try {
    return await discover(serverUrl, client.id, signal, client.secret);
  } catch (first) {
    const url = new URL('.well-known/openid-configuration', serverUrl.replace(/\/?$/, '/')).toString();
    const other = await httpRequest({
      method: 'GET',
      url,
      headers: { Accept: 'application/json' },
      ...(signal ? { signal } : {}),
    })
      .then(async (r) => ((await r.json()) as { issuer?: unknown }).issuer)
      .catch(() => null);
    if (typeof other !== 'string' || other.replace(/\/$/, '') === serverUrl.replace(/\/$/, '')) throw first;
    return discover(other, client.id, signal, client.secret);
  }
}

/** What the browser is sent to, and what the answer must match. */
export interface PendingSignIn {
  url: URL;
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

export async function authorizationUrl(
  oidc: OidcClient,
  redirectUri: string,
  scope = 'openid profile email offline_access',
): Promise<PendingSignIn> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(oidc.server.authorization_endpoint!);
  url.searchParams.set('client_id', oidc.client.client_id);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  return { url, state, codeVerifier, redirectUri };
}

const tokensOf = (r: oauth.TokenEndpointResponse, previousRefresh: string | null): OidcTokens => ({
  accessToken: r.access_token,
  // A server that does not rotate keeps the old refresh token valid.
  refreshToken: r.refresh_token ?? previousRefresh,
  expiresAt: typeof r.expires_in === 'number' ? Date.now() + r.expires_in * 1000 : null,
});

const refused = (e: unknown): AppError => {
  const message = e instanceof Error ? e.message : String(e);
  return new AppError('AUTH_FAILED', `The sign-in was refused (${message}). Sign in again.`);
};

/** The browser came back without a sign-in (the user declined, or the server refused the request). */
const notSignedIn = (e: unknown): AppError => {
  const message = e instanceof Error ? e.message : String(e);
  return new AppError('AUTH_FAILED', `The sign-in in the browser did not complete (${message}).`);
};

/** Exchanges the code the loopback redirect received for tokens (state and PKCE checked). */
export async function exchangeCode(oidc: OidcClient, pending: PendingSignIn, callback: URL): Promise<OidcTokens> {
  try {
    const params = oauth.validateAuthResponse(oidc.server, oidc.client, callback, pending.state);
    const res = await oauth.authorizationCodeGrantRequest(
      oidc.server,
      oidc.client,
      clientAuth(oidc),
      params,
      pending.redirectUri,
      pending.codeVerifier,
      { ...transport, ...insecureFor(oidc.issuer) },
    );
    return tokensOf(await oauth.processAuthorizationCodeResponse(oidc.server, oidc.client, res), null);
  } catch (e) {
    throw notSignedIn(e);
  }
}

/** A new access token (and, where the server rotates them, a new refresh token). A refused refresh is AUTH_FAILED. */
export async function refreshTokens(oidc: OidcClient, refreshToken: string): Promise<OidcTokens> {
  try {
    const res = await oauth.refreshTokenGrantRequest(oidc.server, oidc.client, clientAuth(oidc), refreshToken, {
      ...transport,
      ...insecureFor(oidc.issuer),
    });
    return tokensOf(await oauth.processRefreshTokenResponse(oidc.server, oidc.client, res), refreshToken);
  } catch (e) {
    throw refused(e);
  }
}

/**
 * Holds one account's tokens: hands out an access token, refreshing it shortly before it expires
 * and once after the server refused it (a 401), one refresh at a time; `onChange` stores rotated
 * tokens (in the vault).
 */
export class TokenKeeper {
  private refreshing: Promise<OidcTokens> | null = null;

  constructor(
    private readonly oidc: OidcClient,
    private tokens: OidcTokens,
    private readonly onChange: (tokens: OidcTokens) => void | Promise<void>,
    private readonly skewMs = 60_000,
  ) {}

  async accessToken(): Promise<string> {
    const { expiresAt } = this.tokens;
    if (expiresAt !== null && expiresAt - this.skewMs <= Date.now())
      return (await this.refresh(this.tokens.accessToken)).accessToken;
    return this.tokens.accessToken;
  }

  /** After a 401 for `rejected`: a fresh access token (unless another caller already got one). */
  async afterUnauthorized(rejected: string): Promise<string> {
    return (await this.refresh(rejected)).accessToken;
  }

  private refresh(stale: string): Promise<OidcTokens> {
    if (this.tokens.accessToken !== stale) return Promise.resolve(this.tokens);
    this.refreshing ??= (async () => {
      try {
        if (!this.tokens.refreshToken) throw new AppError('AUTH_FAILED', 'The sign-in has expired. Sign in again.');
        const next = await refreshTokens(this.oidc, this.tokens.refreshToken);
        this.tokens = next;
        await this.onChange(next);
        return next;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}

/**
 * The loopback listener for the redirect (http://127.0.0.1:<port>/callback). Only an answer that
 * carries the state of the sign-in it waits for (`accept(state)`, set before the sign-in page is
 * opened) ends the wait; anything else — another path, a /callback without that state (a stray
 * or forged request, an old tab) — is answered 400 and ignored, and the listener keeps waiting.
 * It stops listening after the real answer or `close()`.
 */
export async function listenForRedirect(page: (ok: boolean) => string = defaultPage): Promise<{
  redirectUri: string;
  /** The state of the sign-in to wait for (PendingSignIn.state). */
  accept(state: string): void;
  received: Promise<URL>;
  /** Requests ignored so far (wrong path or state). */
  readonly ignored: number;
  close(): void;
}> {
  let resolve!: (url: URL) => void;
  const received = new Promise<URL>((r) => (resolve = r));
  let expected: Buffer | null = null;
  let done = false;
  let ignored = 0;
  const matches = (state: string | null) => {
    if (expected === null || state === null) return false;
    const got = Buffer.from(state, 'utf8');
    return got.length === expected.length && timingSafeEqual(got, expected);
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (done || url.pathname !== '/callback' || !matches(url.searchParams.get('state'))) {
      ignored++;
      res
        .writeHead(url.pathname === '/callback' ? 400 : 404, {
          'Content-Type': 'text/html; charset=utf-8',
          Connection: 'close',
        })
        .end(url.pathname === '/callback' ? strayPage : '');
      return;
    }
    done = true;
    const ok = url.searchParams.has('code');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' }).end(page(ok));
    resolve(new URL(`${redirectUri}${url.search}`));
    server.close();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  return {
    redirectUri,
    accept: (state) => void (expected = Buffer.from(state, 'utf8')),
    received,
    get ignored() {
      return ignored;
    },
    close: () => server.close(),
  };
}

const strayPage =
  '<!DOCTYPE html><meta charset="utf-8"><title>Salvage</title><p>This is not the answer of the sign-in Salvage is waiting for (an old tab, or a request from elsewhere); it was ignored. Finish the sign-in in the page Salvage opened.</p>';

const defaultPage = (ok: boolean) =>
  `<!DOCTYPE html><meta charset="utf-8"><title>Salvage</title><p>${ok ? 'Signed in. You can close this tab and return to Salvage.' : 'The sign-in did not complete. Return to Salvage and try again.'}</p>`;

/** An account secret that holds an OpenID Connect sign-in instead of a password or app token. */
export interface OidcSecret {
  issuer: string;
  clientId: string;
  /** A public client secret (oCIS's desktop client has one); absent for public clients. */
  clientSecret?: string;
  tokens: OidcTokens;
}

const OIDC_PREFIX = 'oidc:';

export const encodeOidcSecret = (s: OidcSecret): string => OIDC_PREFIX + JSON.stringify(s);

/** The sign-in in a stored secret, or null for a password, app token or API key. */
export function decodeOidcSecret(secret: string): OidcSecret | null {
  if (!secret.startsWith(OIDC_PREFIX)) return null;
  try {
    const v = JSON.parse(secret.slice(OIDC_PREFIX.length)) as Partial<OidcSecret> | null;
    const t = v?.tokens;
    if (typeof v?.issuer !== 'string' || typeof v.clientId !== 'string' || typeof t?.accessToken !== 'string')
      return null;
    return {
      issuer: v.issuer,
      clientId: v.clientId,
      ...(typeof v.clientSecret === 'string' ? { clientSecret: v.clientSecret } : {}),
      tokens: {
        accessToken: t.accessToken,
        refreshToken: typeof t.refreshToken === 'string' ? t.refreshToken : null,
        expiresAt: typeof t.expiresAt === 'number' ? t.expiresAt : null,
      },
    };
  } catch {
    return null;
  }
}
