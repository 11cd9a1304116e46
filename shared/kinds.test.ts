import { describe, expect, it } from 'vitest';
import { channels } from './contract';
import { accountWithKind, KIND_AUTHS, KIND_IDS, kindInfo, SERVER_KINDS } from './kinds';
import { AccountKind } from './model';

describe('the kind registry', () => {
  it('is what the IPC contract takes and answers: every kind and auth, nothing else', () => {
    expect(AccountKind.options).toEqual(Object.keys(SERVER_KINDS));
    const add = channels['accounts:add'].request;
    for (const kind of KIND_IDS)
      expect(add.safeParse({ serverUrl: 'https://x', kind, secret: 's' }).success).toBe(true);
    expect(add.safeParse({ serverUrl: 'https://x', kind: 'seafile', secret: 's' }).success).toBe(false);
    const probe = channels['accounts:detect'].response;
    const answer = (kind: string, auth: string) => ({
      kind,
      serverUrl: 'https://x',
      productName: 'P',
      version: null,
      auth,
      insecureHttp: false,
      trashSupported: true,
    });
    for (const kind of KIND_IDS) expect(probe.safeParse(answer(kind, kindInfo(kind).auth)).success).toBe(true);
    expect(probe.safeParse(answer('nextcloud', 'password')).success).toBe(false);
    expect(new Set(KIND_IDS.map((k) => kindInfo(k).auth))).toEqual(new Set(KIND_AUTHS)); // no auth without a kind
  });

  it('holds together: the secret and the user name agree, roles come with spaces, browser sign-in comes with tokens', () => {
    for (const kind of KIND_IDS) {
      const k = kindInfo(kind);
      // An API key signs in alone; every other secret goes with a user name (oCIS: or is a bearer token).
      expect(k.userName === 'none', kind).toBe(k.auth === 'api-key');
      if (k.roles) expect(k.spaces, kind).toBe(true);
      if (k.browserSignIn) expect(k.auth, kind).toBe('token');
      expect(k.labelWords, kind).toBe(k.labelWords.toLowerCase());
      expect(k.secret.hint, kind).toMatch(/^Create one .*\.$/);
    }
  });
});

describe('accountWithKind', () => {
  it('adds the server kind to a label that does not name it', () => {
    expect(accountWithKind({ label: 'alice@nextcloud.test', kind: 'nextcloud' })).toBe(
      'alice@nextcloud.test (Nextcloud)',
    );
    expect(accountWithKind({ label: 'Work', kind: 'ocis' })).toBe('Work (ownCloud Infinite Scale)');
  });
  it('leaves a label that already names the kind as it is', () => {
    expect(accountWithKind({ label: 'Nextcloud (demo)', kind: 'nextcloud' })).toBe('Nextcloud (demo)');
    expect(accountWithKind({ label: 'ownCloud (demo)', kind: 'owncloud10' })).toBe('ownCloud (demo)');
    expect(accountWithKind({ label: 'Infinite Scale (demo)', kind: 'ocis' })).toBe('Infinite Scale (demo)');
    expect(accountWithKind({ label: 'DocSpace demo (Dana Morgan)', kind: 'docspace' })).toBe(
      'DocSpace demo (Dana Morgan)',
    );
  });
});
