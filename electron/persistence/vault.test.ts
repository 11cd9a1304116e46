import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { plaintextCipher, safeStorageCipher, Vault, type SafeStorageLike } from './vault';

/** A stand-in for Electron's safeStorage: reversible, but nothing like the plain text. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike & { calls: number } {
  const fake = {
    calls: 0,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plain: string) {
      fake.calls++;
      return Buffer.concat([Buffer.from('v11'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]);
    },
    decryptString(data: Buffer) {
      if (data.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided');
      return Buffer.from(data.subarray(3).map((b) => b ^ 0x5a)).toString('utf8');
    },
  };
  return fake;
}

const SECRET = 'app-password-Sup3r-S3cret-xyz';
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'salvage-vault-'));
  file = join(dir, 'userData', 'vault.json');
});

afterEach(() => vi.restoreAllMocks());

describe('Vault with safeStorage', () => {
  it('round-trips a secret through an encrypted file that a new vault can read', () => {
    const vault = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') });
    expect(vault.mode).toBe('encrypted');
    expect(vault.set('acc-1', SECRET, { sessionOnly: false })).toBe('encrypted');
    expect(vault.get('acc-1')).toBe(SECRET);
    expect(vault.storageOf('acc-1')).toBe('encrypted');

    const again = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') });
    expect(again.get('acc-1')).toBe(SECRET);
    expect(again.storageOf('acc-1')).toBe('encrypted');
    expect(again.notices()).toEqual([]);
  });

  it('never writes the secret in plain text and writes the file 0600 in a 0700 folder', () => {
    const vault = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'darwin') });
    vault.set('acc-1', SECRET, { sessionOnly: false });
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(Buffer.from(SECRET).toString('base64'));
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'userData')).mode & 0o777).toBe(0o700);
    }
  });

  it('writes atomically: no temp files are left behind', () => {
    const vault = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'win32') });
    for (let i = 0; i < 5; i++) vault.set(`acc-${i}`, `${SECRET}-${i}`, { sessionOnly: false });
    vault.delete('acc-2');
    expect(readdirSync(join(dir, 'userData'))).toEqual(['vault.json']);
    const again = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'win32') });
    expect(again.get('acc-2')).toBeNull();
    expect(again.get('acc-4')).toBe(`${SECRET}-4`);
  });

  it('keeps "remember for this session only" secrets out of the file', () => {
    const vault = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') });
    expect(vault.set('acc-1', SECRET, { sessionOnly: true })).toBe('session');
    expect(vault.storageOf('acc-1')).toBe('session');
    expect(vault.get('acc-1')).toBe(SECRET);
    expect(readdirSync(join(dir))).toEqual([]); // nothing written at all
    expect(new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') }).get('acc-1')).toBeNull();
  });

  it('forgets a deleted secret in memory and on disk', () => {
    const vault = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') });
    vault.set('acc-1', SECRET, { sessionOnly: false });
    vault.delete('acc-1');
    expect(vault.get('acc-1')).toBeNull();
    expect(vault.storageOf('acc-1')).toBe('none');
    expect(readFileSync(file, 'utf8')).not.toContain('acc-1');
  });

  it('never logs a secret', () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => {}),
    );
    const safe = fakeSafeStorage();
    const vault = new Vault({ file, cipher: safeStorageCipher(safe, 'linux') });
    vault.set('acc-1', SECRET, { sessionOnly: false });
    vault.get('acc-1');
    writeFileSync(file, '{not json');
    const broken = new Vault({ file, cipher: safeStorageCipher(safe, 'linux') });
    broken.set('acc-2', SECRET, { sessionOnly: false });
    const logged = spies
      .flatMap((s) => s.mock.calls.flat())
      .map(String)
      .join('\n');
    expect(logged).not.toContain(SECRET);
    expect(JSON.stringify(broken.notices())).not.toContain(SECRET);
  });

  it('moves a corrupt vault file aside with a clear notice instead of dropping it silently', () => {
    const vault = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') });
    vault.set('acc-1', SECRET, { sessionOnly: false });
    writeFileSync(file, '{"version":1,"format":"safeStorage","secrets":{"acc-1":"!!not base64!!"}}');
    const again = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') });
    expect(again.get('acc-1')).toBeNull();
    const [notice] = again.notices();
    expect(notice?.level).toBe('warning');
    expect(notice?.message).toMatch(/moved aside to .*vault\.json\.corrupt-/);
    const files = readdirSync(join(dir, 'userData'));
    expect(files.some((f) => f.startsWith('vault.json.corrupt-'))).toBe(true);
  });

  it('treats a secret the keyring can no longer decrypt as missing (sign in again)', () => {
    const vault = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') });
    vault.set('acc-1', SECRET, { sessionOnly: false });
    const broken = fakeSafeStorage();
    broken.decryptString = () => {
      throw new Error('Error while decrypting the ciphertext provided');
    };
    expect(new Vault({ file, cipher: safeStorageCipher(broken, 'linux') }).get('acc-1')).toBeNull();
  });
});

describe('Vault on a weak backend', () => {
  it("refuses Linux's basic_text backend: session only, nothing written, the user is told", () => {
    const safe = fakeSafeStorage('basic_text');
    const vault = new Vault({ file, cipher: safeStorageCipher(safe, 'linux') });
    expect(vault.mode).toBe('weak-backend');
    expect(vault.set('acc-1', SECRET, { sessionOnly: false })).toBe('session');
    expect(vault.get('acc-1')).toBe(SECRET);
    expect(vault.storageOf('acc-1')).toBe('session');
    expect(safe.calls).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    const [notice] = vault.notices();
    expect(notice?.level).toBe('warning');
    expect(notice?.message).toMatch(/no system keyring/);
    expect(notice?.message).toMatch(/this session only/);
  });

  it('refuses when encryption is unavailable at all', () => {
    const vault = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage('unknown', false), 'win32') });
    expect(vault.mode).toBe('weak-backend');
    expect(vault.set('acc-1', SECRET, { sessionOnly: false })).toBe('session');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves secrets saved under a real keyring in the file for when the keyring is back', () => {
    new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') }).set('acc-1', SECRET, {
      sessionOnly: false,
    });
    const before = readFileSync(file, 'utf8');
    const weak = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage('basic_text'), 'linux') });
    expect(weak.get('acc-1')).toBeNull();
    expect(weak.storageOf('acc-1')).toBe('none');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') }).get('acc-1')).toBe(SECRET);
  });

  it('does not ask for the Linux backend on other platforms', () => {
    const safe = fakeSafeStorage('basic_text');
    expect(new Vault({ file, cipher: safeStorageCipher(safe, 'darwin') }).mode).toBe('encrypted');
  });
});

describe('Vault in plaintext mode (browser host opt-in)', () => {
  it('says so in its mode, per account and in a notice', () => {
    const vault = new Vault({ file, cipher: plaintextCipher });
    expect(vault.mode).toBe('plaintext-file');
    expect(vault.set('acc-1', SECRET, { sessionOnly: false })).toBe('plaintext');
    expect(vault.storageOf('acc-1')).toBe('plaintext');
    expect(vault.notices()[0]?.message).toMatch(/unencrypted/);
    expect(new Vault({ file, cipher: plaintextCipher }).get('acc-1')).toBe(SECRET);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never reads a file written by the other cipher', () => {
    new Vault({ file, cipher: plaintextCipher }).set('acc-1', SECRET, { sessionOnly: false });
    const vault = new Vault({ file, cipher: safeStorageCipher(fakeSafeStorage(), 'linux') });
    expect(vault.get('acc-1')).toBeNull();
    expect(vault.notices()[0]?.message).toMatch(/moved aside/);
  });
});
