import type { Handlers } from './dispatcher';
import { EventBus } from '../base/events';
import type { OperationJournal, WriteAheadLog } from '../operations/journal';
import type { ProviderFactoryInput, TrashProvider } from '../providers/types';
import { OperationsRunner } from '../operations/runner';
import { normaliseServerUrl } from '../providers/index';
import { LoginFlowSessions } from '../providers/webdav/loginFlow';
import { AppError } from '../base/errors';
import { decodeOidcSecret } from '../net/oidc';
import { AccountsService, type DemoLauncher, type NewAccountInput } from './accounts';
import { OidcSignIns } from './oidcSignIn';
import { OperationsService } from './operations';
import { MemoryAccountStore, MemorySecretStore, type AccountStore, type SecretStore } from './stores';
import { MemoryLedgerStore, MoveLedger, type LedgerStore } from './ledger';
import { TrashService } from './trash';
import { WatchService, type OwnMoves, type WatchClock, type WatchStore } from './watch';
import { RecentOwnMoves } from './watch-own';

export interface ServicesOptions {
  host: 'electron' | 'browser';
  version: string;
  platform: string;
  accounts: AccountStore;
  secrets: SecretStore;
  journal: OperationJournal | null;
  /** Where Salvage's ledger of its own moves into the trash is kept (with the account data); in memory when absent. */
  ledger?: LedgerStore;
  /** A journal written ahead of each wave and at each result (the command line's, for `salvage resume`). */
  writeAhead?: WriteAheadLog | null;
  demo: DemoLauncher | null;
  /** Replaced in tests; the provider registry otherwise. */
  makeProvider?: (input: ProviderFactoryInput) => TrashProvider;
  /**
   * The system browser (desktop host): opens a sign-in page, returns whether it did. Absent: the window offers a link.
   */
  openExternal?: (url: string) => boolean;
  /** Where the watch keeps its settings (with the account data); in memory when absent. */
  watchStore?: WatchStore;
  /** The watch's clock and timers (tests). */
  watchClock?: WatchClock;
  /** Recognises Salvage's own moves into the trash for the watch; RecentOwnMoves when absent. */
  ownMoves?: OwnMoves;
}

interface OidcRequest {
  accountId?: string | undefined;
  label?: string | undefined;
  sessionOnly?: boolean | undefined;
  trustedCertFingerprint?: string | undefined;
}

/** A browser sign-in's tokens come only from main's own flow, never typed into a form. */
function typedSecret<T extends { secret: string }>(input: T): T {
  if (decodeOidcSecret(input.secret)) throw new AppError('INVALID_INPUT', 'That is not an app password or token.');
  return input;
}

export type Services = ReturnType<typeof createServices>;

/**
 * Builds every main-process service and the handler table the dispatcher serves. The
 * Electron host and the browser host both call this, so both run the same code.
 */
export function createServices(options: ServicesOptions) {
  const bus = new EventBus();
  const runner = new OperationsRunner(bus, options.journal, options.writeAhead ?? null);
  const accounts = new AccountsService(options.accounts, options.secrets, bus, options.demo, options.makeProvider);
  // Salvage's moves into the trash, by the account's server and user (the command line reads them too).
  const ledger = new MoveLedger(options.ledger ?? new MemoryLedgerStore(), (accountId) => {
    try {
      const account = accounts.config(accountId);
      return { owner: `${account.serverUrl}|${account.userId}`, demo: account.demo };
    } catch {
      return null; // an account removed meanwhile
    }
  });
  const trash = new TrashService(accounts, ledger);
  const ops = new OperationsService(runner, accounts, trash);
  const watch = new WatchService({
    accounts,
    trash,
    bus,
    ...(options.watchStore ? { store: options.watchStore } : {}),
    ...(options.watchClock ? { clock: options.watchClock } : {}),
    ownMoves: options.ownMoves ?? new RecentOwnMoves(bus, runner),
  });
  const oidcSignIns = new OidcSignIns<Awaited<ReturnType<AccountsService['add']>>, OidcRequest>(
    ({ serverUrl, secret, request }) => {
      if (request.accountId) return accounts.reauth(request.accountId, secret);
      const input: NewAccountInput = {
        serverUrl,
        kind: 'ocis',
        user: '',
        secret,
        label: request.label,
        sessionOnly: request.sessionOnly,
        trustedCertFingerprint: request.trustedCertFingerprint,
      };
      return accounts.add(input);
    },
    options.openExternal ?? null,
  );
  const loginFlows = new LoginFlowSessions(({ serverUrl, loginName, appPassword }) =>
    accounts.add({ serverUrl, kind: 'nextcloud', user: loginName, secret: appPassword }),
  );

  const handlers: Handlers = {
    'app:info': async () => ({
      name: 'Salvage',
      version: options.version,
      platform: options.platform,
      host: options.host,
      secretStorage: options.secrets.mode,
      notices: [
        ...(options.accounts.notices?.() ?? []),
        ...(options.secrets.notices?.() ?? []),
        ...(options.ledger?.notices?.() ?? []),
        ...(options.watchStore?.notices?.() ?? []),
      ],
    }),
    'accounts:list': async () => accounts.list(),
    'accounts:detect': ({ serverUrl }) => accounts.detect(serverUrl),
    'accounts:test': async (input) => {
      const { userName, userId } = await accounts.test(typedSecret(input));
      return { userName, userId };
    },
    'accounts:add': async (input) => accounts.add(typedSecret(input)),
    'accounts:remove': async ({ accountId }) => {
      trash.forgetAccount(accountId);
      ledger.forgetAccount(accountId);
      watch.forgetAccount(accountId);
      return { removed: accounts.remove(accountId) };
    },
    'accounts:rename': async ({ accountId, label }) => accounts.rename(accountId, label),
    'accounts:reauth': async ({ accountId, secret }) => accounts.reauth(accountId, typedSecret({ secret }).secret),
    'accounts:oidcStart': ({ serverUrl, ...request }) =>
      oidcSignIns.start(
        request.accountId ? accounts.config(request.accountId).serverUrl : normaliseServerUrl(serverUrl),
        request,
      ),
    'accounts:oidcPoll': async ({ flowId }) => oidcSignIns.poll(flowId),
    'accounts:oidcCancel': async ({ flowId }) => {
      oidcSignIns.cancel(flowId);
      return {};
    },
    'accounts:loginFlowStart': async ({ serverUrl }) => loginFlows.start(normaliseServerUrl(serverUrl)),
    'accounts:loginFlowPoll': async ({ flowId }) => loginFlows.poll(flowId),
    'accounts:openDemo': () => accounts.openDemo(),
    'trash:list': ({ accountId, parentId, cursor }) => trash.page(accountId, parentId, cursor),
    'trash:preview': ({ accountId, id, parentId }) =>
      trash.preview({ accountId, id, ...(parentId ? { parentId } : {}) }),
    'trash:sameSecond': ({ accountId, from, to }) => trash.sameSecondLossesBetween(accountId, from, to),
    'folders:list': ({ accountId, parentId }) => accounts.withProvider(accountId, (p) => p.listFolders(parentId)),
    'folders:create': ({ accountId, parentId, name }) =>
      accounts.withProvider(accountId, (p) => p.createFolder(parentId, name)),
    'ops:checkConflicts': ({ items, destination }) => ops.checkConflicts(items, destination),
    'ops:restore': (request) => ops.restore(request),
    'ops:delete': ({ items }) => ops.remove(items),
    'ops:empty': ({ accountId }) => ops.empty(accountId),
    'ops:cancel': async ({ operationId }) => runner.cancel(operationId),
    'ops:answer': async ({ operationId, resolution, applyToAll }) => runner.answer(operationId, resolution, applyToAll),
    'ops:undo': async ({ operationId }) => ops.undo(operationId),
    'ops:retryFailed': ({ operationId }) => ops.retryFailed(operationId),
    'ops:moveToListed': async ({ operationId }) => ops.moveToListed(operationId),
    'ops:list': async () => runner.list(),
    'ops:items': async ({ operationId }) => ({ keys: runner.items(operationId) }),
    'ops:dismiss': async ({ operationId }) => {
      runner.dismiss(operationId);
      return {};
    },
    'watch:get': async () => watch.view(),
    'watch:set': async (change) => watch.set(change),
    'watch:checkNow': async () => {
      await watch.round();
      return watch.view();
    },
    'watch:dismiss': async ({ alertId }) => {
      watch.dismiss(alertId);
      return watch.view();
    },
    'watch:opened': async ({ alertId }) => watch.opened(alertId),
  };

  return { bus, runner, accounts, trash, ops, watch, handlers };
}

/** Services that keep accounts and secrets in memory only: the command line, and tests. */
export function createMemoryServices(options: Partial<ServicesOptions> = {}) {
  return createServices({
    host: 'browser',
    version: '0.0.0',
    platform: process.platform,
    accounts: new MemoryAccountStore(),
    secrets: new MemorySecretStore(),
    journal: null,
    demo: null,
    ...options,
  });
}
