import { randomUUID } from 'node:crypto';
import { AppError } from '../../base/errors';
import { defaultHttpOptions, errorForStatus, httpRequest, type HttpOptions } from '../../net/http';

/**
 * Nextcloud Login Flow v2: the user signs in in their browser, Salvage receives an app password
 * and never sees the real one.
 *
 *   const flow = await startLoginFlow(serverUrl);        // POST /index.php/login/v2
 *   openExternal(flow.loginUrl);                          // the system browser
 *   const got = await pollLoginFlow(flow);                // null until the user has approved
 *   // got = { server, loginName, appPassword } exactly once; then:
 *   const who = await fetchNextcloudUser(got.server, got.loginName, got.appPassword); // user id for DAV URLs
 */

export interface LoginFlow {
  /** Open this in the system browser. */
  loginUrl: string;
  /** Poll here with the token (never shown to the renderer). */
  pollEndpoint: string;
  token: string;
}

export interface LoginFlowResult {
  server: string;
  loginName: string;
  appPassword: string;
}

const userAgent = (http: HttpOptions) => http.userAgent;

export async function startLoginFlow(
  serverUrl: string,
  http: HttpOptions = defaultHttpOptions,
  signal?: AbortSignal,
): Promise<LoginFlow> {
  const res = await httpRequest(
    {
      method: 'POST',
      url: `${serverUrl.replace(/\/+$/, '')}/index.php/login/v2`,
      headers: { 'User-Agent': userAgent(http), Accept: 'application/json' },
      idempotent: false,
      ...(signal ? { signal } : {}),
    },
    http,
  );
  if (res.status !== 200) {
    await res.body?.cancel();
    if (res.status === 404)
      throw new AppError(
        'UNSUPPORTED',
        'This server does not offer browser sign-in (Login Flow v2); use an app password.',
      );
    throw errorForStatus(res.status);
  }
  const json = (await res.json().catch(() => null)) as {
    poll?: { token?: unknown; endpoint?: unknown };
    login?: unknown;
  } | null;
  const token = json?.poll?.token;
  const endpoint = json?.poll?.endpoint;
  const login = json?.login;
  if (typeof token !== 'string' || typeof endpoint !== 'string' || typeof login !== 'string') {
    throw new AppError('BAD_RESPONSE', 'The server answered the sign-in request with something Salvage cannot read.');
  }
  // The page the browser opens and the address polled with the token (which fetches the new app
  // password) stay on the scheme and origin the user asked for.
  sameOrigin(serverUrl, login, 'sign-in page');
  sameOrigin(serverUrl, endpoint, 'sign-in poll address');
  return { loginUrl: login, pollEndpoint: endpoint, token };
}

/**
 * Refuses an address a Login Flow answer names when it is not on the origin (scheme, host and
 * port) the user asked for: an https server that answers with http:// (a downgrade: the app
 * password would then travel unencrypted) or another server altogether. Answers the address.
 */
export function sameOrigin(asked: string, given: string, what: string): URL {
  const want = new URL(asked);
  let got: URL;
  try {
    got = new URL(given);
  } catch {
    throw new AppError('BAD_RESPONSE', `The server gave a ${what} that is not a web address.`);
  }
  if (got.protocol !== 'https:' && got.protocol !== 'http:')
    throw new AppError('BAD_RESPONSE', `The server gave a ${what} that is not a web address.`);
  if (got.origin === want.origin) return got;
  const downgrade = want.protocol === 'https:' && got.protocol === 'http:' && got.hostname === want.hostname;
  throw new AppError(
    'BAD_RESPONSE',
    downgrade
      ? `The server answered the sign-in with a plain http:// ${what} (${got.origin}) although you asked for ${want.origin}. Salvage does not let a sign-in fall back to unencrypted http. The server's own address setting (Nextcloud: overwriteprotocol / overwrite.cli.url) probably says http; ask its administrator, or use an app password.`
      : `The server answered the sign-in with a ${what} on another server (${got.origin}), not ${want.origin} which you asked for. Salvage does not follow a sign-in elsewhere; check the address, or use an app password.`,
  );
}

/** One poll: the credentials once the user approved, null while waiting (the server answers 404 until then). */
export async function pollLoginFlow(
  flow: LoginFlow,
  http: HttpOptions = defaultHttpOptions,
  signal?: AbortSignal,
): Promise<LoginFlowResult | null> {
  const res = await httpRequest(
    {
      method: 'POST',
      url: flow.pollEndpoint,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: `token=${encodeURIComponent(flow.token)}`,
      idempotent: true,
      ...(signal ? { signal } : {}),
    },
    http,
  );
  if (res.status === 404) {
    await res.body?.cancel();
    return null;
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw errorForStatus(res.status);
  }
  const json = (await res.json().catch(() => null)) as {
    server?: unknown;
    loginName?: unknown;
    appPassword?: unknown;
  } | null;
  if (typeof json?.server !== 'string' || typeof json.loginName !== 'string' || typeof json.appPassword !== 'string') {
    throw new AppError('BAD_RESPONSE', 'The server finished the sign-in with something Salvage cannot read.');
  }
  return { server: json.server.replace(/\/+$/, ''), loginName: json.loginName, appPassword: json.appPassword };
}

/**
 * Polls every intervalMs until approved, the signal aborts, or timeoutMs (the server forgets flows after 20 minutes).
 */
export async function waitForLoginFlow(
  flow: LoginFlow,
  options: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal; http?: HttpOptions } = {},
): Promise<LoginFlowResult> {
  const interval = options.intervalMs ?? 2000;
  const deadline = Date.now() + (options.timeoutMs ?? 20 * 60_000);
  for (;;) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    const got = await pollLoginFlow(flow, options.http, options.signal);
    if (got) return got;
    if (Date.now() > deadline) throw new AppError('TIMEOUT', 'The sign-in in the browser was not finished in time.');
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** GET /ocs/v1.php/cloud/user: the user id used in DAV URLs and the display name. */
export async function fetchNextcloudUser(
  serverUrl: string,
  loginName: string,
  appPassword: string,
  http: HttpOptions = defaultHttpOptions,
  signal?: AbortSignal,
): Promise<{ userId: string; displayName: string }> {
  const auth = Buffer.from(`${loginName}:${appPassword}`, 'utf8').toString('base64');
  const res = await httpRequest(
    {
      method: 'GET',
      url: `${serverUrl.replace(/\/+$/, '')}/ocs/v1.php/cloud/user?format=json`,
      headers: { Authorization: `Basic ${auth}`, 'OCS-APIRequest': 'true', Accept: 'application/json' },
      ...(signal ? { signal } : {}),
    },
    http,
  );
  if (res.status !== 200) {
    await res.body?.cancel();
    throw errorForStatus(res.status);
  }
  const json = (await res.json().catch(() => null)) as {
    ocs?: { data?: { id?: unknown; 'display-name'?: unknown } };
  } | null;
  const id = json?.ocs?.data?.id;
  if (typeof id !== 'string' || !id) throw new AppError('BAD_RESPONSE', 'The server did not say who this account is.');
  const display = json?.ocs?.data?.['display-name'];
  return { userId: id, displayName: typeof display === 'string' && display ? display : id };
}

interface PendingFlow {
  flow: LoginFlow;
  serverUrl: string;
  startedAt: number;
}

/**
 * The flows in progress, by an opaque id the renderer may hold (the poll token never leaves
 * main). `poll` answers null while the user has not approved yet, and hands the credentials to
 * `complete` (which adds the account) exactly once.
 */
export class LoginFlowSessions<A> {
  private readonly flows = new Map<string, PendingFlow>();

  constructor(
    private readonly complete: (credentials: {
      serverUrl: string;
      loginName: string;
      appPassword: string;
    }) => Promise<A>,
    private readonly http: HttpOptions = defaultHttpOptions,
  ) {}

  async start(serverUrl: string, signal?: AbortSignal): Promise<{ flowId: string; loginUrl: string }> {
    const flow = await startLoginFlow(serverUrl, this.http, signal);
    const flowId = randomUUID();
    this.flows.set(flowId, { flow, serverUrl, startedAt: Date.now() });
    for (const [id, f] of this.flows) if (Date.now() - f.startedAt > 20 * 60_000) this.flows.delete(id);
    return { flowId, loginUrl: flow.loginUrl };
  }

  async poll(flowId: string, signal?: AbortSignal): Promise<{ account: A | null }> {
    const pending = this.flows.get(flowId);
    if (!pending) throw new AppError('NOT_FOUND', 'This sign-in has expired; start again.');
    const got = await pollLoginFlow(pending.flow, this.http, signal);
    if (!got) return { account: null };
    this.flows.delete(flowId);
    // The server's own address as it reports it (it may add a sub-folder such as /nextcloud) is
    // taken only on the scheme and origin the user asked for; anything else is refused, saying why,
    // and the app password it handed out goes nowhere.
    try {
      sameOrigin(pending.serverUrl, got.server, 'server address');
    } catch (e) {
      throw new AppError(
        'BAD_RESPONSE',
        `${(e as AppError).message} The app password the server just made for Salvage was not used; you can revoke it in the server's security settings.`,
      );
    }
    return {
      account: await this.complete({ serverUrl: got.server, loginName: got.loginName, appPassword: got.appPassword }),
    };
  }
}
