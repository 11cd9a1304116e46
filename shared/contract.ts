import { z } from 'zod';
import {
  AccountKind,
  AccountView,
  Conflict,
  Destination,
  FolderRef,
  ItemRef,
  OperationView,
  Preview,
  Resolution,
  SameSecondReport,
  SecretStoreMode,
  ServerProbe,
  TrashItem,
} from './model';
import { WATCH_INTERVAL, WatchAlert, WatchView } from './watch';

/**
 * The IPC contract: every request/response channel between the renderer and main,
 * and every event main sends back. Both processes derive their types from these
 * schemas; nothing here is written twice. Channel names are `domain:verb`.
 *
 * Requests are always objects (use `{}` for none) so both transports carry them as JSON.
 */
const Empty = z.object({}).strict();
/** Ids the renderer sends back: bounded, so no payload can push megabytes into main. */
const Id = z.string().min(1).max(4096);
const AccountId = z.object({ accountId: Id }).strict();

const NewAccount = z
  .object({
    serverUrl: z.string().min(1).max(2048),
    kind: AccountKind,
    /** WebDAV servers: login name. DocSpace: ignored. */
    user: z.string().max(512).optional(),
    /** App password or API key. Stays in main. */
    secret: z.string().min(1).max(8192),
    label: z.string().max(200).optional(),
    /** Keep the secret only in memory for this session. */
    sessionOnly: z.boolean().optional(),
    /** SHA-256 fingerprint of a self-signed certificate the user chose to trust. */
    trustedCertFingerprint: z.string().max(200).optional(),
  })
  .strict();

export const channels = {
  'app:info': {
    request: Empty,
    response: z.object({
      name: z.string(),
      version: z.string(),
      platform: z.string(),
      host: z.enum(['electron', 'browser']),
      /**
       * How secrets are kept on this host: encrypted at rest, memory only, 'weak-backend' (Linux
       * without a keyring: kept for this session only) or 'plaintext-file' (browser host, opted in).
       */
      secretStorage: SecretStoreMode,
      /** Things to tell the user once at startup: a settings file moved aside, no keyring. */
      notices: z.array(z.object({ level: z.enum(['info', 'warning']), message: z.string() })),
    }),
  },
  'accounts:list': { request: Empty, response: z.array(AccountView) },
  'accounts:detect': {
    request: z.object({ serverUrl: z.string().min(1).max(2048) }).strict(),
    response: ServerProbe,
  },
  'accounts:test': {
    request: NewAccount,
    response: z.object({ userName: z.string(), userId: z.string() }),
  },
  'accounts:add': { request: NewAccount, response: AccountView },
  'accounts:remove': { request: AccountId, response: z.object({ removed: z.boolean() }) },
  'accounts:rename': {
    request: z.object({ accountId: Id, label: z.string().min(1).max(200) }).strict(),
    response: AccountView,
  },
  /** Re-enter the secret of an account whose credentials expired. */
  'accounts:reauth': {
    request: z.object({ accountId: Id, secret: z.string().min(1).max(8192) }).strict(),
    response: AccountView,
  },
  /** Nextcloud Login Flow v2: returns the URL to open in the system browser and a handle to poll. */
  'accounts:loginFlowStart': {
    request: z.object({ serverUrl: z.string().min(1).max(2048) }).strict(),
    response: z.object({ flowId: z.string(), loginUrl: z.string() }),
  },
  'accounts:loginFlowPoll': {
    request: z.object({ flowId: Id }).strict(),
    response: z.object({ account: AccountView.nullable() }),
  },
  /**
   * OpenID Connect sign-in (Infinite Scale): authorization code + PKCE in the system browser with a
   * loopback redirect. Returns the page to open and a handle to poll; `opened` says whether main
   * already opened it in the system browser (desktop) or the window must offer a link (browser host).
   * With `accountId`, the sign-in renews that account's ("Sign in again") instead of adding one.
   */
  'accounts:oidcStart': {
    request: z
      .object({
        serverUrl: z.string().min(1).max(2048),
        accountId: Id.optional(),
        label: z.string().max(200).optional(),
        sessionOnly: z.boolean().optional(),
        trustedCertFingerprint: z.string().max(200).optional(),
      })
      .strict(),
    response: z.object({ flowId: z.string(), authorizeUrl: z.string(), opened: z.boolean() }),
  },
  /**
   * null until the browser came back to Salvage; then the added (or renewed) account. A refused or timed-out sign-in is
   * an error.
   */
  'accounts:oidcPoll': {
    request: z.object({ flowId: Id }).strict(),
    response: z.object({ account: AccountView.nullable() }),
  },
  'accounts:oidcCancel': { request: z.object({ flowId: Id }).strict(), response: z.object({}) },
  'accounts:openDemo': { request: Empty, response: z.array(AccountView) },

  /**
   * One page of an account's trash (or of a trashed folder's contents when parentId is set).
   * Call with cursor null to start a fresh listing, then with the returned cursor until it is null.
   * Pages hold what main has read so far, at most 5,000 items, so neither process has a long task.
   */
  'trash:list': {
    request: z
      .object({
        accountId: Id,
        parentId: Id.nullable(),
        cursor: Id.nullable(),
      })
      .strict(),
    response: z.object({
      items: z.array(TrashItem),
      cursor: z.string().nullable(),
      /** Total number of items, when the server says (DocSpace) or once the listing is complete. */
      total: z.number().nullable(),
    }),
  },

  /** A trashed file's preview as data (main fetches it with the account's credentials). */
  'trash:preview': {
    request: z.object({ accountId: Id, id: Id, parentId: Id.nullable() }).strict(),
    response: Preview,
  },
  /**
   * Which of these trash items (top level, one account) stand for several same-named files deleted
   * in the same second, and which copies the server lost, as far as it tells (an event's summary
   * counts them apart).
   */
  /**
   * What the server lost among the account's trash entries deleted from `from` to `to` (an event's
   * first and last deletion, inclusive): main picks them from the listing it holds, so an event of
   * a million items costs a few bytes here, not its ids.
   */
  'trash:sameSecond': {
    request: z.object({ accountId: Id, from: z.iso.datetime(), to: z.iso.datetime() }).strict(),
    response: SameSecondReport,
  },

  'folders:list': {
    request: z.object({ accountId: Id, parentId: z.string().max(4096).nullable() }).strict(),
    response: z.object({ folder: FolderRef, children: z.array(FolderRef), breadcrumbs: z.array(FolderRef) }),
  },
  'folders:create': {
    request: z.object({ accountId: Id, parentId: z.string().max(4096), name: z.string().min(1).max(255) }).strict(),
    response: FolderRef,
  },

  /** Which of these items would collide with something already at the destination. */
  'ops:checkConflicts': {
    request: z.object({ items: z.array(ItemRef).min(1).max(200_000), destination: Destination }).strict(),
    response: z.object({ conflicts: z.array(Conflict), missingFolders: z.array(z.string()) }),
  },
  'ops:restore': {
    request: z
      .object({
        items: z.array(ItemRef).min(1).max(200_000),
        destination: Destination,
        /** Per item key; items not listed that turn out to conflict are asked about mid-batch. */
        resolutions: z.record(z.string().max(8192), Resolution),
        /** Recreate a missing original folder instead of failing the item. */
        recreateMissingFolders: z.boolean().optional(),
      })
      .strict(),
    response: OperationView,
  },
  'ops:delete': {
    request: z.object({ items: z.array(ItemRef).min(1).max(200_000) }).strict(),
    response: OperationView,
  },
  'ops:empty': { request: AccountId, response: OperationView },
  'ops:cancel': { request: z.object({ operationId: Id }).strict(), response: OperationView },
  /** Answer the question an operation is waiting on (a conflict found mid-batch). */
  'ops:answer': {
    request: z.object({ operationId: Id, resolution: Resolution, applyToAll: z.boolean() }).strict(),
    response: OperationView,
  },
  'ops:undo': { request: z.object({ operationId: Id }).strict(), response: OperationView },
  'ops:retryFailed': { request: z.object({ operationId: Id }).strict(), response: OperationView },
  /**
   * After a restore the server put somewhere else than its records say the item belongs (several
   * same-named files deleted in one second: ItemResult.movableTo), moves those items there as a
   * new batch (Undo-able like a restore).
   */
  'ops:moveToListed': { request: z.object({ operationId: Id }).strict(), response: OperationView },
  'ops:list': { request: Empty, response: z.array(OperationView) },
  /**
   * The keys of the items a batch is about (its whole plan, not only those with a result yet), so
   * the window can hold back every action on them while it runs. Asked once per running batch.
   */
  'ops:items': { request: z.object({ operationId: Id }).strict(), response: z.object({ keys: z.array(z.string()) }) },
  'ops:dismiss': { request: z.object({ operationId: Id }).strict(), response: z.object({}) },

  /** The watch (shared/watch.ts): its settings, each account's last check, and what it found. */
  'watch:get': { request: Empty, response: WatchView },
  /** Turns the watch of one account on or off, and/or sets the minutes between checks. */
  'watch:set': {
    request: z
      .object({
        accountId: Id.optional(),
        enabled: z.boolean().optional(),
        intervalMinutes: z.number().int().min(WATCH_INTERVAL.min).max(WATCH_INTERVAL.max).optional(),
      })
      .strict(),
    response: WatchView,
  },
  /** Checks every watched account now. */
  'watch:checkNow': { request: Empty, response: WatchView },
  'watch:dismiss': { request: z.object({ alertId: Id }).strict(), response: WatchView },
  /** The window showed the alert a notification asked for (WatchView.open). */
  'watch:opened': { request: z.object({ alertId: Id }).strict(), response: WatchView },
} as const;

/** Events main sends to the renderer. */
export const events = {
  'operation:update': OperationView,
  'accounts:changed': z.array(AccountView),
  'watch:changed': WatchView,
  /** The watch found something (a burst of deletions, items about to be deleted for good). */
  'watch:alert': WatchAlert,
  /** The user clicked a desktop notification: show this alert's event in the window. */
  'watch:open': z.object({ alertId: z.string() }),
  /**
   * An error escaped main's own handling (the host's safety net caught it, the app keeps running):
   * what failed, in a sentence, and how many running batches were stopped for it (each also
   * arrives as an 'operation:update' with code INTERRUPTED, offering Resume).
   */
  'app:problem': z.object({ message: z.string().max(2000), interrupted: z.number().int().min(0) }).strict(),
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type Request<C extends Channel> = z.input<Channels[C]['request']>;
export type ParsedRequest<C extends Channel> = z.output<Channels[C]['request']>;
export type Response<C extends Channel> = z.output<Channels[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const isChannel = (name: unknown): name is Channel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
