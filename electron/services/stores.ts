import type { AccountConfig } from '../providers/types';

/**
 * Where account secrets live. The Electron host encrypts them with safeStorage; the browser host
 * keeps them in memory. Secrets never leave main: no channel returns them.
 */
export interface SecretStore {
  /** How this store keeps secrets, as app:info reports it. */
  readonly mode: 'encrypted' | 'memory-only' | 'weak-backend';
  get(accountId: string): string | null;
  set(accountId: string, secret: string, options: { sessionOnly: boolean }): 'encrypted' | 'session';
  delete(accountId: string): void;
  /** 'encrypted' when kept at rest, 'session' when in memory only, 'none' when missing. */
  storageOf(accountId: string): 'encrypted' | 'session' | 'none';
}

/** Non-secret account settings. */
export interface AccountStore {
  list(): AccountConfig[];
  get(id: string): AccountConfig | null;
  put(account: AccountConfig): void;
  remove(id: string): boolean;
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
