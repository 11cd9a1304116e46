import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/result';
import { accountError, browserSignInErrorText } from './accountErrors';

const err = (code: ConstructorParameters<typeof ApiError>[0]['code'], message: string) =>
  new ApiError({ code, message });

describe('add-account errors', () => {
  it('a refused password belongs to the secret field and does not say "sign in again" on a first add', () => {
    const e = accountError(
      err('AUTH_FAILED', 'The server did not accept the app password. Sign in again.'),
      'owncloud10',
    );
    expect(e?.field).toBe('secret');
    expect(e?.text).toContain('user name and app password');
    expect(e?.text).not.toMatch(/again/i);
    expect(accountError(err('AUTH_FAILED', 'x'), 'docspace')?.text).toContain('API key');
    expect(accountError(err('AUTH_FAILED', 'x'), 'ocis')?.text).toContain('app token');
  });

  it("reaching the server is the address field's, with main's hint: http:// for a plain-HTTP port, refused and unknown host read differently", () => {
    const http = accountError(
      err(
        'NETWORK',
        '127.0.0.1:8080 does not speak HTTPS on this port. If it is a plain-HTTP server, put http:// in front of the address.',
      ),
      null,
    );
    expect(http).toEqual({ field: 'address', text: expect.stringContaining('put http://') });
    const refused = accountError(
      err(
        'NETWORK',
        'Nothing answers at host:1: the connection was refused. Check the address and port, and that the server is running.',
      ),
      null,
    );
    const unknown = accountError(
      err('NETWORK', 'No server named nowhere.invalid was found. Check the address, or your network connection.'),
      null,
    );
    expect(refused?.field).toBe('address');
    expect(refused?.text).not.toBe(unknown?.text);
    expect(refused?.text).toContain('refused');
    expect(unknown?.text).toContain('No server named');
  });

  it('a certificate problem keeps its fingerprint sentence; an empty message falls back to the general text', () => {
    expect(
      accountError(err('TLS', 'host presents a certificate this computer does not trust (self signed). … AB:CD'), null)
        ?.text,
    ).toContain('AB:CD');
    expect(accountError(err('NETWORK', ''), null)?.text).toContain('Cannot reach the server');
  });

  it('nothing for no error; anything else goes under the form', () => {
    expect(accountError(null, null)).toBeNull();
    expect(accountError(err('SERVER', 'boom'), 'nextcloud')?.field).toBe('form');
  });
});

describe('browser sign-in errors', () => {
  it('say what happened in the browser, not the app-password text', () => {
    const text = browserSignInErrorText(
      err('AUTH_FAILED', 'The sign-in in the browser did not complete (access_denied).'),
    );
    expect(text).toBe('The sign-in in the browser did not complete (access_denied). Try again, or use an app token.');
    expect(text).not.toContain('app password');
    expect(
      browserSignInErrorText(
        err('TIMEOUT', 'The sign-in in the browser was not finished within 10 minutes. Start it again.'),
      ),
    ).toContain('10 minutes');
    expect(browserSignInErrorText(err('SERVER', 'boom'))).toContain('internal error');
  });
});
