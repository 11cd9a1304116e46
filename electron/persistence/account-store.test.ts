import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../providers/types';
import { ACCOUNT_FILE_VERSION, FileAccountStore, loadAccountFile } from './account-store';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'salvage-accounts-'));
  file = join(dir, 'accounts.json');
});

const account = (id: string, extra: Partial<AccountConfig> = {}): AccountConfig => ({
  id,
  kind: 'nextcloud',
  label: `Account ${id}`,
  serverUrl: 'https://cloud.example.com',
  user: 'alice',
  userId: 'alice',
  userName: 'Alice',
  demo: false,
  ...extra,
});

describe('FileAccountStore', () => {
  it('persists accounts across instances in a versioned 0600 file', () => {
    const store = new FileAccountStore(file);
    store.put(account('a', { trustedCertFingerprint: 'AA:BB' }));
    store.put(account('b'));
    expect(store.remove('b')).toBe(true);
    expect(store.remove('nope')).toBe(false);
    const again = new FileAccountStore(file);
    expect(again.list()).toEqual([account('a', { trustedCertFingerprint: 'AA:BB' })]);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(ACCOUNT_FILE_VERSION);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(again.notices()).toEqual([]);
  });

  it('keeps that an oCIS account signs in through the browser (its tokens stay in the vault)', () => {
    const store = new FileAccountStore(file);
    store.put(account('o', { kind: 'ocis', user: '', signIn: 'oidc' }));
    expect(new FileAccountStore(file).list()).toEqual([account('o', { kind: 'ocis', user: '', signIn: 'oidc' })]);
    expect(readFileSync(file, 'utf8')).not.toContain('accessToken');
  });

  it('never writes secrets: only the fields of AccountConfig reach the file', () => {
    const store = new FileAccountStore(file);
    store.put({ ...account('a'), secret: 'leak-me', password: 'leak-me-too' } as AccountConfig);
    expect(readFileSync(file, 'utf8')).not.toContain('leak-me');
    expect(JSON.stringify(store.list())).not.toContain('leak-me');
  });

  it('keeps demo accounts in memory only', () => {
    const store = new FileAccountStore(file);
    store.put(account('demo-1', { demo: true }));
    expect(store.get('demo-1')).not.toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    store.put(account('real'));
    expect(readFileSync(file, 'utf8')).not.toContain('demo-1');
  });

  it('migrates a version 1 file and writes it back as the current version', () => {
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        accounts: [
          { id: 'a', kind: 'owncloud10', label: 'Work', serverUrl: 'https://oc.example', user: 'bob', userName: 'Bob' },
        ],
      }),
    );
    const store = new FileAccountStore(file);
    expect(store.get('a')).toEqual({
      id: 'a',
      kind: 'owncloud10',
      label: 'Work',
      serverUrl: 'https://oc.example',
      user: 'bob',
      userId: 'bob',
      userName: 'Bob',
      demo: false,
    });
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(2);
    expect(store.notices()).toEqual([]);
  });

  it('moves a corrupt file aside with a clear notice, and starts empty', () => {
    writeFileSync(file, '{"version": 2, "accounts": [');
    const store = new FileAccountStore(file);
    expect(store.list()).toEqual([]);
    const [notice] = store.notices();
    expect(notice?.level).toBe('warning');
    expect(notice?.message).toMatch(/could not be loaded \(the file is damaged\)/);
    expect(notice?.message).toMatch(/moved aside to .*accounts\.json\.corrupt-/);
    const aside = readdirSync(dir).find((f) => f.startsWith('accounts.json.corrupt-'));
    expect(readFileSync(join(dir, aside!), 'utf8')).toBe('{"version": 2, "accounts": [');
  });

  it('moves aside a file from a newer Salvage instead of overwriting it', () => {
    writeFileSync(file, JSON.stringify({ version: 99, accounts: [] }));
    const store = new FileAccountStore(file);
    expect(store.notices()[0]?.message).toMatch(/newer version of Salvage \(format 99\)/);
    expect(readdirSync(dir).some((f) => f.startsWith('accounts.json.newer-'))).toBe(true);
  });

  it('moves aside JSON that is not an accounts file', () => {
    writeFileSync(file, '[1,2,3]');
    expect(new FileAccountStore(file).notices()[0]?.message).toMatch(/not a Salvage accounts file/);
  });

  it('keeps the valid entries, reports the invalid ones, and keeps the original file', () => {
    writeFileSync(file, JSON.stringify({ version: 2, accounts: [account('good'), { id: 'bad', kind: 'ftp' }] }));
    const store = new FileAccountStore(file);
    expect(store.list().map((a) => a.id)).toEqual(['good']);
    expect(store.notices()[0]?.message).toMatch(/1 saved account could not be read and was left out/);
    expect(readdirSync(dir).some((f) => f.startsWith('accounts.json.corrupt-'))).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).accounts).toHaveLength(1);
  });

  it('loadAccountFile never throws on an unreadable path', () => {
    const result = loadAccountFile(dir); // a directory: EISDIR
    expect(result.accounts).toEqual([]);
    expect(result.notices[0]?.message).toMatch(/could not be read \(EISDIR\)/);
  });
});
