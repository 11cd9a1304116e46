/**
 * Server TLS for accounts: HTTPS is verified as usual; a self-signed (or otherwise untrusted)
 * certificate is accepted only for the one account whose user chose "trust this certificate",
 * by its pinned SHA-256 fingerprint. There is no global switch: nothing here touches
 * NODE_TLS_REJECT_UNAUTHORIZED or the global dispatcher.
 *
 * How main-process HTTP gets the pin: providers send requests through electron/net/http.ts,
 * whose HttpOptions.fetch is injectable. `httpOptionsForAccount` there asks this module for a
 * fetch bound to an undici Agent whose connector checks the certificate after the handshake and
 * before undici writes a single byte of the request (so credentials never reach a server that
 * fails the check).
 */
import { X509Certificate } from 'node:crypto';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
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

/**
 * An undici connector that accepts a server when its certificate verifies normally (chain and
 * host name), or when its leaf certificate has the pinned fingerprint. Sessions are not resumed,
 * so every connection shows its certificate.
 */
export function pinnedConnector(fingerprint: string, options: { timeoutMs?: number } = {}): buildConnector.connector {
  const pin = normaliseFingerprint(fingerprint);
  if (!pin) throw new Error('Not a SHA-256 certificate fingerprint.');
  const base = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0, timeout: options.timeoutMs ?? 30_000 });
  return (opts, callback) => {
    base(opts, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('connect failed'), null);
      if (opts.protocol !== 'https:') return callback(null, socket);
      const tls = socket as TLSSocket;
      const cert = tls.getPeerCertificate();
      if (tls.authorized || (cert && cert.fingerprint256 && cert.fingerprint256.toUpperCase() === pin)) {
        return callback(null, socket);
      }
      socket.destroy();
      callback(new PinMismatchError(opts.hostname), null);
    });
  };
}

const agents = new Map<string, Agent>();

/** A fetch that trusts the pinned certificate for every request it sends (one shared Agent per pin). */
export function pinnedFetch(fingerprint: string): typeof fetch {
  const pin = normaliseFingerprint(fingerprint);
  if (!pin) throw new Error('Not a SHA-256 certificate fingerprint.');
  let agent = agents.get(pin);
  if (!agent) {
    agent = new Agent({ connect: pinnedConnector(pin) });
    agents.set(pin, agent);
  }
  const dispatcher = agent;
  const bound = (input: unknown, init?: Record<string, unknown>) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init ?? {}), dispatcher } as Parameters<typeof undiciFetch>[1]);
  return bound as unknown as typeof fetch;
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
