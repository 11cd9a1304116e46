import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpOptionsForAccount, httpRequest } from './http';
import { AppError } from '../base/errors';
import {
  certificateErrorHandler,
  explainTlsFailure,
  fetchServerCertificate,
  normaliseFingerprint,
  pinnedAgent,
  sameFingerprint,
} from './tls';

/** A throwaway self-signed certificate made with the system's openssl (skips without it). */
function makeCert(): { key: string; cert: string } | null {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=salvage-test.invalid',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return null;
  }
}

const material = makeCert();
let server: Server;
let base = '';
let fingerprint = '';
const seen: { url: string; auth: string | undefined }[] = [];

describe.skipIf(!material)(
  `pinned certificates against a self-signed HTTPS server${material ? '' : ' (skipped: no openssl to make a test certificate)'}`,
  () => {
    beforeAll(async () => {
      server = createServer({ key: material!.key, cert: material!.cert }, (req, res) => {
        seen.push({ url: req.url ?? '', auth: req.headers.authorization });
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('hello');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      fingerprint = new X509Certificate(material!.cert).fingerprint256;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('refuses the certificate by default (TLS error, not a silent accept)', async () => {
      await expect(
        httpRequest({ method: 'GET', url: `${base}/default` }, httpOptionsForAccount({})),
      ).rejects.toMatchObject({ code: 'TLS' });
      expect(seen.find((s) => s.url === '/default')).toBeUndefined();
    });

    it('accepts it for the account that pinned its fingerprint', async () => {
      const res = await httpRequest(
        { method: 'GET', url: `${base}/pinned`, headers: { Authorization: 'Basic c2VjcmV0' } },
        httpOptionsForAccount({ trustedCertFingerprint: fingerprint }),
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('hello');
      expect(seen.find((s) => s.url === '/pinned')?.auth).toBe('Basic c2VjcmV0');
    });

    it('refuses a different pin before sending anything (credentials never leave)', async () => {
      const wrong = 'AA:'.repeat(31) + 'AA';
      await expect(
        httpRequest(
          { method: 'GET', url: `${base}/wrong`, headers: { Authorization: 'Basic c2VjcmV0' } },
          httpOptionsForAccount({ trustedCertFingerprint: wrong }),
        ),
      ).rejects.toMatchObject({ code: 'TLS' });
      expect(seen.find((s) => s.url === '/wrong')).toBeUndefined();
    });

    it('does not change verification for anyone else (no global switch)', async () => {
      pinnedAgent(fingerprint); // creating a pinned agent must not affect the global fetch or https.globalAgent
      await expect(fetch(`${base}/global`)).rejects.toThrow();
      expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    });

    it('reads the server certificate so the user can decide to trust it', async () => {
      const info = await fetchServerCertificate(base);
      expect(info.fingerprint256).toBe(fingerprint);
      expect(info.trusted).toBe(false);
      expect(info.problem).toMatch(/SELF_SIGNED/);
      expect(info.subject).toContain('salvage-test.invalid');
    });

    it('turns a TLS failure into a "trust this certificate?" question carrying the fingerprint', async () => {
      const failure = await httpRequest({ method: 'GET', url: `${base}/x` }).catch((e: unknown) => e);
      const explained = (await explainTlsFailure(failure, base)) as AppError;
      expect(explained.code).toBe('TLS');
      expect(explained.details).toMatchObject({
        certFingerprint: fingerprint,
        certSubject: expect.stringContaining('salvage-test.invalid'),
      });
      expect(explained.message).toContain(fingerprint);
      const other = new AppError('NETWORK', 'down');
      expect(await explainTlsFailure(other, base)).toBe(other);
    });
  },
);

describe('fingerprints', () => {
  const hex = 'ab'.repeat(32);
  const canonical = Array(32).fill('AB').join(':');
  it('normalises the usual spellings and rejects the rest', () => {
    expect(normaliseFingerprint(hex)).toBe(canonical);
    expect(normaliseFingerprint(canonical.toLowerCase())).toBe(canonical);
    expect(normaliseFingerprint(`sha256/${Buffer.from(hex, 'hex').toString('base64')}`)).toBe(canonical);
    expect(normaliseFingerprint('AB:CD')).toBeNull();
    expect(normaliseFingerprint('sha1/abc')).toBeNull();
    expect(sameFingerprint(hex, canonical)).toBe(true);
    expect(sameFingerprint(undefined, canonical)).toBe(false);
    expect(() => pinnedAgent('nope')).toThrow();
  });
});

describe("app 'certificate-error' handler", () => {
  const fp = `sha256/${Buffer.from('cd'.repeat(32), 'hex').toString('base64')}`;
  const pins = () => [{ serverUrl: 'https://self.example:8443/nextcloud', fingerprint: 'CD'.repeat(32) }];
  const run = (url: string, certFp: string) => {
    const event = { preventDefault: vi.fn() };
    const callback = vi.fn();
    certificateErrorHandler(pins)(
      event,
      null,
      url,
      'net::ERR_CERT_AUTHORITY_INVALID',
      { fingerprint: certFp },
      callback,
    );
    return { event, callback };
  };

  it('refuses by default', () => {
    const { event, callback } = run('https://evil.example/', fp);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(callback).toHaveBeenCalledWith(false);
  });
  it('refuses a pinned origin with another certificate', () => {
    expect(
      run('https://self.example:8443/x', `sha256/${Buffer.alloc(32).toString('base64')}`).callback,
    ).toHaveBeenCalledWith(false);
  });
  it('accepts only the pinned origin with the pinned certificate', () => {
    expect(run('https://self.example:8443/remote.php', fp).callback).toHaveBeenCalledWith(true);
    expect(run('https://self.example/remote.php', fp).callback).toHaveBeenCalledWith(false);
  });
});
