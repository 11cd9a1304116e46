import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileTree } from '../tree';
import { origin } from './common';
import { sendJson } from './sabre';

/**
 * oCIS: a minimal OpenID provider (like its built-in IdP, LibreGraph Connect): discovery,
 * authorize with PKCE (S256), token with refresh-token rotation, and oCIS's default clients
 * ("web" redirects only to the server itself; the desktop app's native client to loopback
 * addresses on any port). With `loginPage` off, authorize signs in `login` at once (a
 * browser that already has a session); on, it sends the browser to a sign-in page first
 * (/signin/v1/identifier, as LibreGraph Connect does) that takes a user name and password.
 * That page is a plain HTML form posting to /signin/v1/identifier/_/logon and redirecting with
 * the code at once; the real one is a script page that posts JSON there (with a
 * Kopano-Konnect-XSRF header) and then continues to authorize — only the paths are LibreGraph
 * Connect's. Its token endpoint, like LibreGraph Connect's, does not check the client secret.
 * `tokenSeconds` shortens access tokens for tests. The front end (frontend.ts) offers these
 * settings to tests as oidcLogin, oidcLoginPage and oidcTokenSeconds.
 */
export class OidcProvider {
  login = 'alice';
  loginPage = false;
  tokenSeconds = 300;
  private readonly codes = new Map<
    string,
    { user: string; challenge: string; redirectUri: string; clientId: string }
  >();
  private readonly accessTokens = new Map<string, { user: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, string>();

  constructor(private readonly tree: FileTree) {}

  /** The paths it answers. */
  static serves(path: string): boolean {
    return (
      path === '/.well-known/openid-configuration' ||
      path.startsWith('/signin/v1/identifier') ||
      path === '/konnect/v1/token'
    );
  }

  /** Every refresh token stops working (a sign-out elsewhere, an admin revoking sessions). */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  /** Every access token handed out so far expires now. */
  expireAccessTokens(): void {
    for (const t of this.accessTokens.values()) t.expiresAt = 0;
  }

  /** An access token it handed out: whose, and until when. */
  accessToken(token: string): { user: string; expiresAt: number } | undefined {
    return this.accessTokens.get(token);
  }

  serve(req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: Buffer): void {
    const issuer = origin(req);
    const oauthError = (status: number, error: string, description: string) =>
      sendJson(res, status, { error, error_description: description });
    if (url.pathname === '/.well-known/openid-configuration' && method === 'GET') {
      return sendJson(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/signin/v1/identifier/_/authorize`,
        token_endpoint: `${issuer}/konnect/v1/token`,
        jwks_uri: `${issuer}/konnect/v1/jwks.json`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      });
    }
    const signInPage = url.pathname === '/signin/v1/identifier' && method === 'GET';
    const logon = url.pathname === '/signin/v1/identifier/_/logon' && method === 'POST';
    if ((url.pathname === '/signin/v1/identifier/_/authorize' && method === 'GET') || signInPage || logon) {
      const q = logon ? new URLSearchParams(body.toString('utf8')) : url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      const clientId = q.get('client_id') ?? '';
      const allowed = OIDC_CLIENTS[clientId];
      if (!allowed) return oauthError(400, 'invalid_request', 'unknown client_id');
      if (!allowed(redirectUri, issuer))
        return oauthError(400, 'invalid_request', 'redirect_uri is not registered for this client');
      if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        return oauthError(400, 'invalid_request', 'code flow with PKCE (S256) required');
      }
      let login = this.login;
      if (this.loginPage && !logon) {
        if (!signInPage)
          return void res
            .writeHead(302, { Location: `/signin/v1/identifier?flow=oidc&${url.searchParams}`, 'Content-Length': '0' })
            .end();
        return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(oidcSignInPage(q, null));
      }
      if (logon) {
        const user = this.tree.authenticate(q.get('username') ?? '', q.get('password') ?? '');
        if (!user)
          return void res
            .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
            .end(oidcSignInPage(q, 'Logon failed. Please verify your credentials and try again.'));
        login = user.id;
      }
      const code = randomBytes(16).toString('hex');
      this.codes.set(code, { user: login, challenge: q.get('code_challenge')!, redirectUri, clientId });
      const to = new URL(redirectUri);
      to.searchParams.set('code', code);
      if (q.get('state')) to.searchParams.set('state', q.get('state')!);
      res.writeHead(302, { Location: to.toString(), 'Content-Length': '0' });
      return void res.end();
    }
    if (url.pathname === '/konnect/v1/token' && method === 'POST') {
      const form = new URLSearchParams(body.toString('utf8'));
      let user: string | undefined;
      if (form.get('grant_type') === 'authorization_code') {
        const code = this.codes.get(form.get('code') ?? '');
        this.codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (
          !code ||
          code.redirectUri !== form.get('redirect_uri') ||
          code.clientId !== form.get('client_id') ||
          code.challenge !== challenge
        ) {
          return oauthError(400, 'invalid_grant', 'invalid code');
        }
        user = code.user;
      } else if (form.get('grant_type') === 'refresh_token') {
        const old = form.get('refresh_token') ?? '';
        user = this.refreshTokens.get(old);
        // Rotation: a refresh token works once.
        this.refreshTokens.delete(old);
        if (!user) return oauthError(400, 'invalid_grant', 'refresh token is invalid or revoked');
      } else {
        return oauthError(400, 'unsupported_grant_type', 'unsupported grant type');
      }
      const access = randomBytes(24).toString('base64url');
      const refresh = randomBytes(24).toString('base64url');
      this.accessTokens.set(access, { user, expiresAt: Date.now() + this.tokenSeconds * 1000 });
      this.refreshTokens.set(refresh, user);
      return sendJson(res, 200, {
        access_token: access,
        token_type: 'Bearer',
        expires_in: this.tokenSeconds,
        refresh_token: refresh,
        scope: form.get('scope') ?? 'openid profile email offline_access',
      });
    }
    return oauthError(405, 'invalid_request', 'method not allowed');
  }
}

/**
 * oCIS's default OpenID clients (services/idp/pkg/config/defaults/defaultconfig.go): "web" may
 * redirect only into the server itself; the desktop app's native client to 127.0.0.1 or localhost
 * on any port (RFC 8252).
 */
const OIDC_CLIENTS: Record<string, (redirectUri: string, issuer: string) => boolean> = {
  web: (uri, issuer) => uri.startsWith(`${issuer}/`),
  xdXOt13JKxym1B1QcEncf2XDkLAexMBFwiT9j6EfhhHFJhs2KM9jbjTmf8JBXE69: (uri) =>
    /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(uri),
};

const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The test IdP's sign-in page: user name and password, the authorize request carried along. */
function oidcSignInPage(q: URLSearchParams, error: string | null): string {
  const carried = [
    'client_id',
    'redirect_uri',
    'response_type',
    'scope',
    'state',
    'code_challenge',
    'code_challenge_method',
  ]
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q.get(k) ?? '')}">`)
    .join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in – Infinite Scale</title></head><body>
<h1>Sign in to Infinite Scale</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/signin/v1/identifier/_/logon">${carried}
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Log in</button></form></body></html>`;
}
