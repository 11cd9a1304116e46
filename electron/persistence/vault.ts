/**
 * The vault: account secrets (API keys, app passwords, tokens) kept encrypted at rest.
 *
 * - Encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet), written to one
 *   file in userData with mode 0600, atomically (temp file + rename). Secrets are never logged
 *   and never leave main: no contract channel carries them.
 * - On Linux, when safeStorage's backend is `basic_text` (no keyring: a hard-coded key), or
 *   whenever encryption is unavailable, the vault does not pretend. Its mode is 'weak-backend':
 *   secrets are kept in memory for this session only, nothing is written, and a startup notice
 *   tells the user why and how to fix it. Secrets saved earlier under a real keyring stay in the
 *   file untouched for when the keyring is back.
 * - In the browser host (plain Node, no safeStorage) the same class runs with the plaintext
 *   cipher, only when the user opted in (--persist-secrets); its mode is 'plaintext-file' and
 *   app:info says so.
 */
import type { SavedSecretStorage, SecretStorage } from '../../shared/model';
import type { SecretStore, StartupNotice } from '../services/stores';
import { moveAside, readIfExists, writeFileAtomic } from '../base/files';

/** The part of Electron's safeStorage the vault uses (injected, so tests need no Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

/** How a vault turns secrets into bytes at rest. */
export interface VaultCipher {
  /** Written into the file so a vault never reads bytes another cipher wrote. */
  readonly format: 'safeStorage' | 'plaintext';
  /** Whether secrets may be written at all; the reason is shown to the user when not. */
  readonly strength: { ok: true } | { ok: false; reason: string };
  encrypt(secret: string): Buffer;
  decrypt(data: Buffer): string;
}

export const VAULT_FILE_VERSION = 1;

interface VaultFile {
  version: number;
  format: VaultCipher['format'];
  /** accountId → base64 of the cipher's bytes. */
  secrets: Record<string, string>;
}

/** The safeStorage cipher, refusing the weak Linux backend and an unavailable keyring. */
export function safeStorageCipher(safeStorage: SafeStorageLike, platform: NodeJS.Platform): VaultCipher {
  const backend = platform === 'linux' ? (safeStorage.getSelectedStorageBackend?.() ?? 'unknown') : null;
  let strength: VaultCipher['strength'] = { ok: true };
  if (!safeStorage.isEncryptionAvailable()) {
    strength = { ok: false, reason: 'this system offers no way to encrypt saved passwords' };
  } else if (backend === 'basic_text') {
    strength = {
      ok: false,
      reason:
        'no system keyring (GNOME Keyring, KWallet) is available, so saved passwords could only be obscured, not encrypted',
    };
  }
  return {
    format: 'safeStorage',
    strength,
    encrypt: (secret) => safeStorage.encryptString(secret),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}

/** For the browser host's opt-in only: bytes as they are, protected by the file mode alone. */
export const plaintextCipher: VaultCipher = {
  format: 'plaintext',
  strength: { ok: true },
  encrypt: (secret) => Buffer.from(secret, 'utf8'),
  decrypt: (data) => data.toString('utf8'),
};

export interface VaultOptions {
  /** The vault file, e.g. userData/vault.json. */
  file: string;
  cipher: VaultCipher;
}

export class Vault implements SecretStore {
  readonly mode: SecretStore['mode'];
  /** Ciphertext as stored (base64), for every account with a secret at rest. */
  private readonly stored = new Map<string, string>();
  /** Decrypted secrets of this session, and session-only secrets. */
  private readonly session = new Map<string, string>();
  /** Accounts whose secret lives only in this session. */
  private readonly sessionOnly = new Set<string>();
  private readonly problems: StartupNotice[] = [];

  constructor(private readonly options: VaultOptions) {
    const { cipher } = options;
    this.mode = !cipher.strength.ok ? 'weak-backend' : cipher.format === 'plaintext' ? 'plaintext-file' : 'encrypted';
    if (!cipher.strength.ok) {
      this.problems.push({
        level: 'warning',
        message:
          `Salvage will not save passwords on this computer: ${cipher.strength.reason}. ` +
          'Passwords you enter are remembered for this session only. To save them, unlock or install a keyring ' +
          '(for example GNOME Keyring or KWallet) and start Salvage again.',
      });
    }
    if (this.mode === 'plaintext-file') {
      this.problems.push({
        level: 'warning',
        message: `Passwords are saved unencrypted in ${options.file} (readable only by your user), because you asked for it.`,
      });
    }
    this.load();
  }

  get(accountId: string): string | null {
    const cached = this.session.get(accountId);
    if (cached !== undefined) return cached;
    const stored = this.stored.get(accountId);
    if (stored === undefined || !this.options.cipher.strength.ok) return null;
    try {
      const secret = this.options.cipher.decrypt(Buffer.from(stored, 'base64'));
      this.session.set(accountId, secret);
      return secret;
    } catch {
      // A keyring that changed or was reset: the account asks to sign in again.
      return null;
    }
  }

  set(accountId: string, secret: string, options: { sessionOnly: boolean }): SavedSecretStorage {
    const keepInMemory = options.sessionOnly || !this.options.cipher.strength.ok;
    if (keepInMemory) {
      this.session.set(accountId, secret);
      this.sessionOnly.add(accountId);
      if (this.stored.delete(accountId)) this.save();
      return 'session';
    }
    const data = this.options.cipher.encrypt(secret).toString('base64');
    this.stored.set(accountId, data);
    this.save();
    this.session.set(accountId, secret);
    this.sessionOnly.delete(accountId);
    return this.options.cipher.format === 'plaintext' ? 'plaintext' : 'encrypted';
  }

  delete(accountId: string): void {
    this.session.delete(accountId);
    this.sessionOnly.delete(accountId);
    if (this.stored.delete(accountId)) this.save();
  }

  storageOf(accountId: string): SecretStorage {
    if (this.sessionOnly.has(accountId)) return 'session';
    if (this.stored.has(accountId) && this.options.cipher.strength.ok) {
      return this.options.cipher.format === 'plaintext' ? 'plaintext' : 'encrypted';
    }
    return 'none';
  }

  notices(): StartupNotice[] {
    return [...this.problems];
  }

  private load(): void {
    const { file, cipher } = this.options;
    let text: string | null;
    try {
      text = readIfExists(file);
    } catch (e) {
      this.problems.push({
        level: 'warning',
        message: `Salvage could not read its saved passwords (${(e as NodeJS.ErrnoException).code ?? 'read error'}). Sign in to your accounts again.`,
      });
      return;
    }
    if (text === null) return;
    const parsed = parseVaultFile(text);
    if (!parsed || parsed.format !== cipher.format || parsed.version > VAULT_FILE_VERSION) {
      const why = parsed && parsed.version > VAULT_FILE_VERSION ? 'newer' : 'corrupt';
      const where = moveAside(file, why);
      this.problems.push({
        level: 'warning',
        message:
          `The saved passwords file could not be used (${why === 'newer' ? 'written by a newer Salvage' : 'damaged or of another kind'}) ` +
          `and was moved aside${where ? ` to ${where}` : ''}. Sign in to your accounts again.`,
      });
      return;
    }
    for (const [id, data] of Object.entries(parsed.secrets)) this.stored.set(id, data);
  }

  private save(): void {
    const file: VaultFile = {
      version: VAULT_FILE_VERSION,
      format: this.options.cipher.format,
      secrets: Object.fromEntries(this.stored),
    };
    writeFileAtomic(this.options.file, `${JSON.stringify(file, null, 2)}\n`);
  }
}

function parseVaultFile(text: string): VaultFile | null {
  try {
    const value = JSON.parse(text) as Partial<VaultFile> | null;
    if (!value || typeof value !== 'object' || typeof value.version !== 'number') return null;
    if (value.format !== 'safeStorage' && value.format !== 'plaintext') return null;
    if (!value.secrets || typeof value.secrets !== 'object') return null;
    const secrets: Record<string, string> = {};
    for (const [id, data] of Object.entries(value.secrets)) {
      if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return null;
      secrets[id] = data;
    }
    return { version: value.version, format: value.format, secrets };
  } catch {
    return null;
  }
}
