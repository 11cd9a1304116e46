/**
 * Server TLS for accounts: HTTPS is verified as usual; a self-signed (or otherwise untrusted)
 * certificate is accepted only for the one account whose user chose "trust this certificate",
 * by its pinned SHA-256 fingerprint. There is no global switch: nothing here touches
 * NODE_TLS_REJECT_UNAUTHORIZED, https.globalAgent or any global dispatcher.
 *
 * How main-process HTTP gets the pin: every server request goes through electron/net/http.ts and
 * its transport (electron/net/transport.ts, node:https). `httpOptionsForAccount` there names the
 * account's pin; the transport then sends that account's requests through `pinnedAgent(pin)`, an
 * https.Agent whose createConnection hands a socket to the request only after the TLS handshake
 * and the certificate check (so not one byte of the request, credentials included, reaches a
 * server that fails the check).
 */
import { X509Certificate } from 'node:crypto';
import { Agent as HttpsAgent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { AppError, isAppError } from '../base/errors';

/** Upper-case, colon-separated hex ("AB:CD:…", 32 bytes), as Node's fingerprint256 writes it. */
export type Fingerprint = string;

/**
 * Accepts "AB:CD:…", "abcd…" (64 hex digits, any separators) or Chromium's "sha256/<base64>";
 * returns the canonical form, or null when it is not a SHA-256 fingerprint.
 */
export function normaliseFingerprint(input: string): Fingerprint | null {
  const trimmed = input.trim();
  let hex: string;
  if (/^sha256\//i.test(trimmed)) {
    const bytes = Buffer.from(trimmed.slice(7), 'base64');
    if (bytes.length !== 32) return null;
    hex = bytes.toString('hex');
  } else {
    hex = trimmed.replace(/[\s:-]/g, '');
    if (!/^[0-9a-f]{64}$/i.test(hex)) return null;
  }
  return hex.toUpperCase().match(/../g)!.join(':');
}

export function sameFingerprint(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const na = normaliseFingerprint(a);
  return na !== null && na === normaliseFingerprint(b);
}

export class PinMismatchError extends Error {
  readonly code = 'CERT_FINGERPRINT_MISMATCH';
  constructor(host: string) {
    super(`The certificate of ${host} is not the one you chose to trust.`);
  }
}

/** How long a TLS connection may take to be made and checked before it counts as failed. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

/**
 * An https.Agent (keep-alive) that accepts a server when its certificate verifies normally (chain
 * and host name), or when its leaf certificate has the pinned fingerprint. The socket reaches the
 * request only after that check (createConnection's callback form), and TLS sessions are not
 * resumed, so every connection shows its certificate.
 */
export class PinnedAgent extends HttpsAgent {
  readonly pin: Fingerprint;

  constructor(fingerprint: string, options: AgentOptions = {}) {
    const pin = normaliseFingerprint(fingerprint);
    if (!pin) throw new Error('Not a SHA-256 certificate fingerprint.');
    super({ keepAlive: true, ...options, maxCachedSessions: 0 });
    this.pin = pin;
  }

  override createConnection(
    options: RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | undefined {
    const tlsOptions = options as ConnectionOptions;
    const host = tlsOptions.servername || options.hostname || options.host || 'the server';
    const socket = tlsConnect({ ...tlsOptions, rejectUnauthorized: false, session: undefined });
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      socket.setTimeout(0);
      if (err) socket.destroy();
      callback?.(err, socket);
    };
    // Stays attached: an error between the hand-over and the request's own listener must not go unheard.
    socket.on('error', (e) => settle(e));
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () =>
      settle(Object.assign(new Error(`No TLS handshake with ${host} in time.`), { code: 'ETIMEDOUT' })),
    );
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      if (socket.authorized || (cert && cert.fingerprint256 && cert.fingerprint256.toUpperCase() === this.pin))
        settle(null);
      else settle(new PinMismatchError(host));
    });
    return undefined;
  }
}

const agents = new Map<string, PinnedAgent>();

/** The agent that trusts the pinned certificate (one shared keep-alive agent per pin). */
export function pinnedAgent(fingerprint: string): PinnedAgent {
  const pin = normaliseFingerprint(fingerprint);
  if (!pin) throw new Error('Not a SHA-256 certificate fingerprint.');
  let agent = agents.get(pin);
  if (!agent) {
    agent = new PinnedAgent(pin, { timeout: 4_000 });
    agents.set(pin, agent);
  }
  return agent;
}

export interface ServerCertificate {
  fingerprint256: Fingerprint;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** Whether it verifies without a pin (then there is nothing to trust). */
  trusted: boolean;
  /** Why it does not verify, e.g. DEPTH_ZERO_SELF_SIGNED_CERT. */
  problem: string | null;
}

/**
 * Connects to an https:// server without sending anything and reports its certificate, so the
 * UI can show the fingerprint and ask "trust this certificate?" for this account.
 */
export function fetchServerCertificate(serverUrl: string, timeoutMs = 10_000): Promise<ServerCertificate> {
  const url = new URL(serverUrl);
  if (url.protocol !== 'https:') return Promise.reject(new Error('Only https:// servers have certificates.'));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port: Number(url.port || 443),
      servername: /^[\d.]+$|:/.test(host) ? undefined : host,
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    socket.once('secureConnect', () => {
      const cert: PeerCertificate = socket.getPeerCertificate();
      const raw = cert.raw ? new X509Certificate(cert.raw) : null;
      resolve({
        fingerprint256: (cert.fingerprint256 ?? '').toUpperCase(),
        subject: raw?.subject.replace(/\n/g, ', ') ?? '',
        issuer: raw?.issuer.replace(/\n/g, ', ') ?? '',
        validFrom: cert.valid_from,
        validTo: cert.valid_to,
        trusted: socket.authorized,
        problem: socket.authorized ? null : String(socket.authorizationError ?? 'untrusted'),
      });
      socket.destroy();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`No answer from ${url.host}.`));
    });
    socket.once('error', reject);
  });
}

/**
 * For the "trust this certificate" question: turns a TLS failure against an https:// server into
 * one that carries the certificate's fingerprint, subject, issuer and expiry in its details
 * (certFingerprint, certSubject, certIssuer, certValidTo), so the add-account dialog can show them
 * and send the fingerprint back as trustedCertFingerprint. Other errors pass through unchanged.
 * Intended use, in AccountsService.detect/test: `catch (e) { throw await explainTlsFailure(e, url); }`
 */
export async function explainTlsFailure(error: unknown, serverUrl: string, timeoutMs = 5_000): Promise<unknown> {
  if (!isAppError(error) || error.code !== 'TLS' || !serverUrl.startsWith('https:')) return error;
  let cert: ServerCertificate;
  try {
    cert = await fetchServerCertificate(serverUrl, timeoutMs);
  } catch {
    return error;
  }
  if (cert.trusted) return error;
  return new AppError(
    'TLS',
    `${new URL(serverUrl).host} presents a certificate this computer does not trust (${cert.problem}). ` +
      `If you know it is your server's own certificate, check its SHA-256 fingerprint with the server's administrator and trust it for this account: ${cert.fingerprint256}`,
    {
      ...error.details,
      certFingerprint: cert.fingerprint256,
      certSubject: cert.subject,
      certIssuer: cert.issuer,
      certValidTo: cert.validTo,
    },
  );
}

/** A server the user pinned: its origin (scheme://host:port) and certificate fingerprint. */
export interface PinnedServer {
  serverUrl: string;
  fingerprint: string;
}

/**
 * The handler for Electron's app 'certificate-error' (Chromium's network stack). The default
 * is to refuse; a certificate is accepted only for an origin an account pinned, with that
 * account's fingerprint. The renderer loads nothing remote, so in practice everything is refused.
 */
export function certificateErrorHandler(pins: () => PinnedServer[]) {
  return (
    event: { preventDefault(): void },
    _contents: unknown,
    url: string,
    _error: string,
    certificate: { fingerprint: string },
    callback: (isTrusted: boolean) => void,
  ): void => {
    event.preventDefault();
    let origin: string | null = null;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = null;
    }
    const trusted =
      origin !== null &&
      new URL(url).protocol === 'https:' &&
      pins().some((p) => safeOrigin(p.serverUrl) === origin && sameFingerprint(p.fingerprint, certificate.fingerprint));
    callback(trusted);
  };
}

function safeOrigin(raw: string): string | null {
  try {
    return new URL(raw).origin;
  } catch {
    return null;
  }
}
