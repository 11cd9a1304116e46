import type { SavedSecretStorage, SecretStorage, SecretStoreMode } from '../../shared/model';
import type { AccountConfig } from '../providers/types';

/** Something the user should be told once at startup (a file moved aside, a weak keyring). */
export interface StartupNotice {
  level: 'info' | 'warning';
  message: string;
}

/**
 * Where account secrets live. The Electron host encrypts them with safeStorage; the browser host
 * keeps them in memory. Secrets never leave main: no channel returns them.
 */
export interface SecretStore {
  /**
   * How this store keeps secrets, as app:info reports it: 'encrypted' (safeStorage), 'memory-only'
   * (browser host default), 'weak-backend' (Linux without a keyring: session only, the UI says so),
   * 'plaintext-file' (browser host, only when the user opted in with --persist-secrets).
   */
  readonly mode: SecretStoreMode;
  get(accountId: string): string | null;
  set(accountId: string, secret: string, options: { sessionOnly: boolean }): SavedSecretStorage;
  delete(accountId: string): void;
  /** 'encrypted'/'plaintext' when kept at rest, 'session' when in memory only, 'none' when missing. */
  storageOf(accountId: string): SecretStorage;
  /** Problems found while loading, for the startup notices. */
  notices?(): StartupNotice[];
}

/** Non-secret account settings. */
export interface AccountStore {
  list(): AccountConfig[];
  get(id: string): AccountConfig | null;
  put(account: AccountConfig): void;
  remove(id: string): boolean;
  /** Problems found while loading (a corrupt file moved aside), for the startup notices. */
  notices?(): StartupNotice[];
}

export class MemorySecretStore implements SecretStore {
  readonly mode = 'memory-only' as const;
  private readonly secrets = new Map<string, string>();

  get(accountId: string): string | null {
    return this.secrets.get(accountId) ?? null;
  }

  set(accountId: string, secret: string): 'session' {
    this.secrets.set(accountId, secret);
    return 'session';
  }

  delete(accountId: string): void {
    this.secrets.delete(accountId);
  }

  storageOf(accountId: string): 'session' | 'none' {
    return this.secrets.has(accountId) ? 'session' : 'none';
  }
}

export class MemoryAccountStore implements AccountStore {
  private readonly accounts = new Map<string, AccountConfig>();

  list(): AccountConfig[] {
    return [...this.accounts.values()];
  }

  get(id: string): AccountConfig | null {
    return this.accounts.get(id) ?? null;
  }

  put(account: AccountConfig): void {
    this.accounts.set(account.id, account);
  }

  remove(id: string): boolean {
    return this.accounts.delete(id);
  }
}
