import { randomUUID } from 'node:crypto';
import { AppError } from '../base/errors';
import {
  authorizationUrl,
  discoverServer,
  encodeOidcSecret,
  exchangeCode,
  isLoopbackUrl,
  listenForRedirect,
  OCIS_DESKTOP_CLIENT,
} from '../net/oidc';

/** What a finished browser sign-in hands on: the server and the secret holding its tokens. */
export interface SignedIn<R> {
  serverUrl: string;
  secret: string;
  request: R;
}

interface Flow<A> {
  startedAt: number;
  account: A | null;
  error: unknown;
  stop(): void;
}

/** How long the loopback listener waits for the browser to come back. */
export const OIDC_SIGN_IN_TIMEOUT_MS = 10 * 60_000;

/**
 * OpenID Connect sign-ins in progress (authorization code + PKCE, RFC 8252 loopback redirect),
 * shaped like Nextcloud's Login Flow sessions: `start` discovers the server's IdP, opens a one-shot
 * listener on 127.0.0.1 at a random port and returns the page to open with an opaque flow id; when
 * the browser comes back, the code is exchanged (state and PKCE checked by oauth4webapi) and
 * `complete` adds or renews the account with the tokens as its secret. `poll` answers null while
 * waiting, then the account or the error, exactly once. The listener ignores requests that do not
 * carry this sign-in's state (they cannot end it), and stops after the real answer, on `cancel`,
 * or after `timeoutMs`.
 */
export class OidcSignIns<A, R = unknown> {
  private readonly flows = new Map<string, Flow<A>>();

  constructor(
    private readonly complete: (signedIn: SignedIn<R>) => Promise<A>,
    /** Opens a page in the system browser (desktop); absent where the window opens it (browser host). */
    private readonly openExternal: ((url: string) => boolean) | null = null,
    private readonly client: { id: string; secret?: string } = OCIS_DESKTOP_CLIENT,
    private readonly timeoutMs = OIDC_SIGN_IN_TIMEOUT_MS,
  ) {}

  async start(serverUrl: string, request: R): Promise<{ flowId: string; authorizeUrl: string; opened: boolean }> {
    const oidc = await discoverServer(serverUrl, this.client);
    const authorizeEndpoint = new URL(oidc.server.authorization_endpoint!);
    if (!(
      authorizeEndpoint.protocol === 'https:' ||
      (authorizeEndpoint.protocol === 'http:' && isLoopbackUrl(authorizeEndpoint))
    )) {
      throw new AppError(
        'UNSUPPORTED',
        `${authorizeEndpoint.host} offers its sign-in page over plain http://; Salvage opens sign-in pages only over https://.`,
      );
    }
    const redirect = await listenForRedirect();
    const pending = await authorizationUrl(oidc, redirect.redirectUri);
    // Only the answer to this sign-in ends the wait; stray or forged requests are ignored.
    redirect.accept(pending.state);
    const flowId = randomUUID();
    const timer = setTimeout(() => {
      flow.error = new AppError(
        'TIMEOUT',
        'The sign-in in the browser was not finished within 10 minutes. Start it again.',
      );
      redirect.close();
    }, this.timeoutMs);
    timer.unref?.();
    const flow: Flow<A> = {
      startedAt: Date.now(),
      account: null,
      error: null,
      stop: () => {
        clearTimeout(timer);
        redirect.close();
      },
    };
    this.flows.set(flowId, flow);
    void redirect.received
      .then(async (callback) => {
        flow.stop();
        const tokens = await exchangeCode(oidc, pending, callback);
        const secret = encodeOidcSecret({
          issuer: oidc.server.issuer,
          clientId: this.client.id,
          ...(this.client.secret ? { clientSecret: this.client.secret } : {}),
          tokens,
        });
        flow.account = await this.complete({ serverUrl, secret, request });
      })
      .catch((e: unknown) => {
        flow.error = e;
      });
    for (const [id, f] of this.flows) if (Date.now() - f.startedAt > this.timeoutMs * 2) this.flows.delete(id);
    const authorizeUrl = pending.url.toString();
    const opened = this.openExternal ? this.openExternal(authorizeUrl) : false;
    return { flowId, authorizeUrl, opened };
  }

  poll(flowId: string): { account: A | null } {
    const flow = this.flows.get(flowId);
    if (!flow) throw new AppError('NOT_FOUND', 'This sign-in has expired; start again.');
    if (flow.error) {
      this.flows.delete(flowId);
      throw flow.error;
    }
    if (flow.account === null) return { account: null };
    this.flows.delete(flowId);
    return { account: flow.account };
  }

  cancel(flowId: string): void {
    this.flows.get(flowId)?.stop();
    this.flows.delete(flowId);
  }
}
