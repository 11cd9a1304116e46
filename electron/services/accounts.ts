import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../base/errors';
import type { EventBus } from '../base/events';
import { kindInfo } from '../../shared/kinds';
import type { AccountKind, AccountView } from '../../shared/model';
import { decodeOidcSecret } from '../net/oidc';
import { explainTlsFailure } from '../net/tls';
import { createProvider, normaliseServerUrl, probeServer } from '../providers/index';
import type { AccountConfig, ProviderFactoryInput, TrashProvider } from '../providers/types';
import type { AccountStore, SecretStore } from './stores';

export interface NewAccountInput {
  serverUrl: string;
  kind: AccountKind;
  user?: string | undefined;
  secret: string;
  label?: string | undefined;
  sessionOnly?: boolean | undefined;
  trustedCertFingerprint?: string | undefined;
  demo?: boolean;
}

/** A demo account the embedded test servers provide. */
export interface DemoAccount {
  kind: AccountKind;
  serverUrl: string;
  user: string;
  secret: string;
  label: string;
}

export interface DemoLauncher {
  /** Starts the demo servers (once) and returns their accounts. */
  start(): Promise<DemoAccount[]>;
}

/**
 * Accounts: the non-secret settings in the account store, secrets in the secret store, and one
 * provider instance per account built on demand. An AUTH_FAILED from any call marks the account
 * "auth-expired" so the UI can ask to sign in again.
 */
export class AccountsService {
  private readonly providers = new Map<string, TrashProvider>();
  private readonly status = new Map<string, AccountView['status']>();

  constructor(
    private readonly accounts: AccountStore,
    private readonly secrets: SecretStore,
    private readonly bus: EventBus,
    private readonly demo: DemoLauncher | null,
    /** Replaced in tests; the registry otherwise. */
    private readonly makeProvider: (input: ProviderFactoryInput) => TrashProvider = createProvider,
  ) {}

  list(): AccountView[] {
    return this.accounts.list().map((a) => this.view(a));
  }

  config(accountId: string): AccountConfig {
    const account = this.accounts.get(accountId);
    if (!account) throw new AppError('NOT_FOUND', 'That account no longer exists.');
    return account;
  }

  async detect(serverUrl: string) {
    try {
      return await probeServer(serverUrl);
    } catch (e) {
      // A self-signed server: say which certificate it presents, so the user can choose to trust it.
      throw await explainTlsFailure(e, normaliseServerUrl(serverUrl));
    }
  }

  /** Checks credentials without saving anything. */
  async test(input: NewAccountInput): Promise<{ userName: string; userId: string; serverUrl: string }> {
    const serverUrl = normaliseServerUrl(input.serverUrl);
    const draft = this.draft(input, serverUrl, 'draft');
    try {
      const provider = this.makeProvider({ account: draft, credentials: { user: draft.user, secret: input.secret } });
      return { ...(await provider.checkConnection()), serverUrl };
    } catch (e) {
      throw await explainTlsFailure(e, serverUrl);
    }
  }

  async add(input: NewAccountInput): Promise<AccountView> {
    const who = await this.test(input);
    const existing = this.accounts
      .list()
      .find((a) => a.serverUrl === who.serverUrl && a.kind === input.kind && a.userId === who.userId);
    const id = existing?.id ?? randomUUID();
    const account: AccountConfig = {
      ...this.draft(input, who.serverUrl, id),
      userId: who.userId,
      userName: who.userName,
      label: input.label?.trim() || existing?.label || `${who.userName} · ${new URL(who.serverUrl).host}`,
      ...(decodeOidcSecret(input.secret) ? { signIn: 'oidc' as const } : {}),
    };
    this.secrets.set(id, input.secret, { sessionOnly: Boolean(input.sessionOnly) || Boolean(input.demo) });
    this.accounts.put(account);
    this.providers.delete(id);
    this.status.set(id, 'ok');
    this.changed();
    return this.view(account);
  }

  remove(accountId: string): boolean {
    const removed = this.accounts.remove(accountId);
    this.secrets.delete(accountId);
    this.providers.delete(accountId);
    this.status.delete(accountId);
    if (removed) this.changed();
    return removed;
  }

  rename(accountId: string, label: string): AccountView {
    const account = { ...this.config(accountId), label: label.trim() };
    this.accounts.put(account);
    this.changed();
    return this.view(account);
  }

  async reauth(accountId: string, secret: string): Promise<AccountView> {
    const { signIn: _previous, ...rest } = this.config(accountId);
    // A browser sign-in (OpenID Connect) or an app token: the account keeps whichever was used last.
    const account: AccountConfig = { ...rest, ...(decodeOidcSecret(secret) ? { signIn: 'oidc' as const } : {}) };
    const storage = this.secrets.storageOf(accountId);
    await this.makeProvider({ account, credentials: { user: account.user, secret } }).checkConnection();
    this.secrets.set(accountId, secret, { sessionOnly: storage === 'session' || account.demo });
    this.accounts.put(account);
    this.providers.delete(accountId);
    this.status.set(accountId, 'ok');
    this.changed();
    return this.view(account);
  }

  async openDemo(): Promise<AccountView[]> {
    if (!this.demo) throw new AppError('UNSUPPORTED', 'Demo mode is not available in this build.');
    const demoAccounts = await this.demo.start();
    const views: AccountView[] = [];
    for (const d of demoAccounts) {
      views.push(await this.add({ ...d, sessionOnly: true, demo: true }));
    }
    return views;
  }

  /** Runs fn with the account's provider; marks the account when its credentials stop working. */
  async withProvider<T>(
    accountId: string,
    fn: (provider: TrashProvider, account: AccountConfig) => Promise<T>,
  ): Promise<T> {
    const account = this.config(accountId);
    try {
      return await fn(this.provider(account), account);
    } catch (e) {
      if (isAppError(e) && e.code === 'AUTH_FAILED' && this.status.get(accountId) !== 'auth-expired') {
        this.status.set(accountId, 'auth-expired');
        this.providers.delete(accountId);
        this.changed();
      }
      throw e;
    }
  }

  private provider(account: AccountConfig): TrashProvider {
    let provider = this.providers.get(account.id);
    if (!provider) {
      const secret = this.secrets.get(account.id);
      if (secret === null) {
        this.status.set(account.id, 'auth-expired');
        throw new AppError(
          'AUTH_FAILED',
          `Sign in to ${account.label} again: its password was kept for the last session only.`,
        );
      }
      // A renewed sign-in (OpenID Connect refresh) is kept where the old one was.
      const onSecretChange = (next: string) => {
        const sessionOnly = this.secrets.storageOf(account.id) === 'session' || account.demo;
        this.secrets.set(account.id, next, { sessionOnly });
      };
      provider = this.makeProvider({ account, credentials: { user: account.user, secret, onSecretChange } });
      this.providers.set(account.id, provider);
    }
    return provider;
  }

  private draft(input: NewAccountInput, serverUrl: string, id: string): AccountConfig {
    return {
      id,
      kind: input.kind,
      label: input.label?.trim() ?? '',
      serverUrl,
      user: kindInfo(input.kind).userName === 'none' ? '' : (input.user ?? '').trim(),
      userId: (input.user ?? '').trim(),
      userName: (input.user ?? '').trim(),
      demo: Boolean(input.demo),
      ...(input.trustedCertFingerprint ? { trustedCertFingerprint: input.trustedCertFingerprint } : {}),
    };
  }

  private view(account: AccountConfig): AccountView {
    const storage = this.secrets.storageOf(account.id);
    return {
      id: account.id,
      kind: account.kind,
      label: account.label,
      serverUrl: account.serverUrl,
      userName: account.userName,
      status: storage === 'none' ? 'auth-expired' : (this.status.get(account.id) ?? 'unknown'),
      secretStorage: storage,
      demo: account.demo,
      insecureHttp: account.serverUrl.startsWith('http:'),
      ...(account.signIn === 'oidc' ? { browserSignIn: true } : {}),
    };
  }

  private changed(): void {
    this.bus.emit('accounts:changed', this.list());
  }
}
