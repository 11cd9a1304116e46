import type { AccountKind, Conflict, FolderRef, ItemResult, Resolution, ServerProbe, TrashItem } from '../../shared/model';

/** Non-secret settings of one account, as kept in the account store. */
export interface AccountConfig {
  id: string;
  kind: AccountKind;
  label: string;
  /** Normalised base URL without a trailing slash, e.g. "https://cloud.example.com/nextcloud". */
  serverUrl: string;
  /** Login name (WebDAV). Empty for DocSpace. */
  user: string;
  /** Id used in DAV URLs (may differ from the login name) or the DocSpace user id. */
  userId: string;
  /** Display name shown in the UI. */
  userName: string;
  demo: boolean;
  /** SHA-256 fingerprint of a self-signed certificate the user chose to trust. */
  trustedCertFingerprint?: string;
}

export interface Credentials {
  user: string;
  secret: string;
}

/** A restore target the provider understands: the original place, or a folder of the same account. */
export type RestoreTarget = { kind: 'original' } | { kind: 'folder'; folderId: string };

/** What one batch call may do while it runs. The operations runner implements it. */
export interface BatchContext {
  readonly signal: AbortSignal;
  /** Report one item's final outcome. `undoRef` lets undo find a restored item again (path or id). */
  itemDone(result: ItemResult, extra?: { bytes?: number | null; undoRef?: string }): void;
  /** What is being worked on now; `fraction` (0..1) for servers that report whole-batch progress. */
  progress(update: { current?: string | null; fraction?: number }): void;
  /** The answer chosen before the batch started for this item, if any. */
  resolutionFor(itemKey: string): Resolution | undefined;
  /** Ask about a conflict found mid-batch. Only that item waits; resolves with the user's choice. */
  ask(conflict: Conflict): Promise<Resolution>;
}

export interface RestoreOptions {
  recreateMissingFolders: boolean;
}

/**
 * One interface every server kind implements. Providers make the HTTP calls and map
 * statuses and bodies onto AppError codes; they never touch the UI or the runner's state.
 */
export interface TrashProvider {
  readonly kind: AccountKind;
  /** Checks the credentials; answers who they belong to. 401 → AUTH_FAILED. */
  checkConnection(signal?: AbortSignal): Promise<{ userName: string; userId: string }>;
  /**
   * The trash (or, with parentId, a trashed folder's contents), in chunks of about 1,000 items
   * as they arrive. `total` is given when the server says it up front.
   */
  listTrash(parentId: string | null, signal?: AbortSignal): AsyncIterable<{ items: TrashItem[]; total?: number }>;
  /** A folder of the live files tree (root when parentId is null), its subfolders and breadcrumbs. */
  listFolders(
    parentId: string | null,
    signal?: AbortSignal,
  ): Promise<{ folder: FolderRef; children: FolderRef[]; breadcrumbs: FolderRef[] }>;
  createFolder(parentId: string, name: string, signal?: AbortSignal): Promise<FolderRef>;
  /** Pre-check: which items would collide at the target, and which target folders are missing. */
  findConflicts(
    items: TrashItem[],
    target: RestoreTarget,
    signal?: AbortSignal,
  ): Promise<{ conflicts: Conflict[]; missingFolders: string[] }>;
  /** Restore items, reporting each outcome through ctx.itemDone. */
  restore(items: TrashItem[], target: RestoreTarget, options: RestoreOptions, ctx: BatchContext): Promise<void>;
  /** Delete items from the trash for good. */
  remove(items: TrashItem[], ctx: BatchContext): Promise<void>;
  /** Empty the whole trash. Reports one result per item it knew of, or a single summary item. */
  empty(ctx: BatchContext): Promise<void>;
  /** Undo a restore: move the items found by their undoRefs back to the trash. */
  trashAgain(refs: { key: string; name: string; undoRef: string }[], ctx: BatchContext): Promise<void>;
}

export interface ProviderFactoryInput {
  account: AccountConfig;
  credentials: Credentials;
}

/** Asks a server what it is. Each protocol family implements one; null means "not mine". */
export type ServerProber = (serverUrl: string, signal?: AbortSignal) => Promise<ServerProbe | null>;
