import { describe, expect, it } from 'vitest';
import { accountWithKind } from './kinds';

describe('accountWithKind', () => {
  it('adds the server kind to a label that does not name it', () => {
    expect(accountWithKind({ label: 'alice@nextcloud.test', kind: 'nextcloud' })).toBe('alice@nextcloud.test (Nextcloud)');
    expect(accountWithKind({ label: 'Work', kind: 'ocis' })).toBe('Work (ownCloud Infinite Scale)');
  });
  it('leaves a label that already names the kind as it is', () => {
    expect(accountWithKind({ label: 'Nextcloud (demo)', kind: 'nextcloud' })).toBe('Nextcloud (demo)');
    expect(accountWithKind({ label: 'ownCloud (demo)', kind: 'owncloud10' })).toBe('ownCloud (demo)');
    expect(accountWithKind({ label: 'Infinite Scale (demo)', kind: 'ocis' })).toBe('Infinite Scale (demo)');
    expect(accountWithKind({ label: 'DocSpace demo (Dana Morgan)', kind: 'docspace' })).toBe('DocSpace demo (Dana Morgan)');
  });
});
