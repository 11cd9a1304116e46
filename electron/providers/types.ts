import type {
  AccountKind,
  Conflict,
  FolderRef,
  ItemResult,
  Preview,
  Resolution,
  SameSecondReport,
  ServerProbe,
  TrashItem,
} from '../../shared/model';

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
  /** 'oidc': signed in through the browser (OpenID Connect); the secret holds the tokens. */
  signIn?: 'oidc';
}

export interface Credentials {
  user: string;
  secret: string;
  /** Called with the new secret when the provider renewed it (an OpenID Connect refresh), to be stored. */
  onSecretChange?: (secret: string) => void;
}

/** A restore target the provider understands: the original place, or a folder of the same account. */
export type RestoreTarget = { kind: 'original' } | { kind: 'folder'; folderId: string };

/**
 * What a restore put on the server, recorded when it landed so that Undo can check it is still
 * that very file (same id, same ETag or version) before it moves anything. Plain data (kept in
 * the runner, compared across batches).
 */
export interface Landed {
  /** Where it is: WebDAV display path ("/Documents/a.txt"); DocSpace item id ("file:123"). */
  ref: string;
  name: string;
  kind: 'file' | 'folder';
  /** The server's id for the live item (WebDAV oc:fileid, DocSpace id); null when not given. */
  fileId: string | null;
  /** WebDAV ETag as the server sent it (quotes included); changes whenever the content does. */
  etag: string | null;
  size: number | null;
  modifiedAt: string | null;
  /** DocSpace: the file's version after the restore. */
  version: number | null;
  /** What the restore replaced, so Undo can put it back; null when nothing was replaced. */
  replaced: Replaced | null;
}

/** The live item a Replace moved out of the way (WebDAV: into the trash; DocSpace: into the file's version history). */
export interface Replaced {
  name: string;
  /** Where it was (and goes back to): WebDAV display path; DocSpace item id. */
  ref: string;
  /** Its display folder ("/Documents"), to find it in the trash by original location. */
  folder: string;
  fileId: string | null;
  size: number | null;
  modifiedAt: string | null;
  /** DocSpace: the version that was current before the restore overwrote it. */
  version: number | null;
  /** ISO time just before the replace: it was trashed at or after this. */
  at: string;
}

/** A restored item to move from where it landed to where the server's records say it belongs (ItemResult.movableTo). */
export interface RelocateTarget {
  key: string;
  name: string;
  landed: Landed;
  /** Display path, name included ("/Work/F03/x4.txt"). */
  to: string;
}

/** One restored item an undo should move back to the trash. */
export interface UndoTarget {
  key: string;
  name: string;
  landed: Landed;
}

/** Ids that tell whether two batches touched the same live item: its place and its server id. */
export const landedIdentities = (accountId: string, landed: Landed): string[] => {
  const out = [`${accountId}|path:${landed.ref}`];
  if (landed.fileId) out.push(`${accountId}|id:${landed.fileId}`);
  if (landed.replaced) {
    out.push(`${accountId}|path:${landed.replaced.ref}`);
    if (landed.replaced.fileId) out.push(`${accountId}|id:${landed.replaced.fileId}`);
  }
  return out;
};

/** What one batch call may do while it runs. The operations runner implements it. */
export interface BatchContext {
  readonly signal: AbortSignal;
  /**
   * Report one item's final outcome. `landed` lets undo find a restored item again and check it is
   * unchanged; `trashedBack`: the server had already restored an item the user chose to skip, and
   * Salvage moved it back to the trash from there (its ledger keeps the item's old name and time).
   */
  itemDone(result: ItemResult, extra?: { bytes?: number | null; landed?: Landed; trashedBack?: Landed }): void;
  /**
   * These items are about to be sent to the server (a wave, or one item): the runner's journal
   * writes it down before the call returns, so a batch killed mid-way knows what may have been done.
   */
  sending?(keys: readonly string[]): void;
  /** What is being worked on now; `fraction` (0..1) for servers that report whole-batch progress. */
  progress(update: { current?: string | null; fraction?: number }): void;
  /** The answer chosen before the batch started for this item, if any. */
  resolutionFor(itemKey: string): Resolution | undefined;
  /** Ask about a conflict found mid-batch. Only that item waits; resolves with the user's choice. */
  ask(conflict: Conflict): Promise<Resolution>;
}

/**
 * What the cheapest request a server offers says about its trash since an earlier check (the
 * watch, services/watch.ts). `cursor` is opaque: handed back on the next check.
 * - 'same': nothing went into the trash since `since`;
 * - 'changed': something may have (`deletions` says how many where the server counts them);
 * - 'unknown': no earlier answer to compare with (the first check, or the server forgot it);
 * - 'unsupported': this server offers no such request (an app turned off): only a listing says.
 */
export interface TrashChangeCheck {
  cursor: string | null;
  change: 'same' | 'changed' | 'unknown' | 'unsupported';
  /** Items the server reported deleted since `since` (activity feeds); null when it does not count them. */
  deletions: number | null;
  /** What answered, in a few words ("activity feed", "space ETags", "trash total"). */
  via: string;
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
  /** The trashed folder an item is inside, when its id says so (WebDAV "Folder.d123/a.txt"); null otherwise. */
  parentOf(id: string): string | null;
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
  /**
   * Empty the whole trash. Reports one result per item it knew of, or a single summary item.
   * `listed`: the trash as the caller has just read it (every item at the top level); given, the
   * provider does not read it again, so emptying costs only the request(s) that empty it.
   */
  empty(ctx: BatchContext, listed?: readonly TrashItem[]): Promise<void>;
  /**
   * Undo a restore: for each target still the same item that landed (same id and ETag/version),
   * move it back to the trash and put back what it replaced ('trashed' / 'reverted'); leave
   * anything else in place ('kept', with the reason). Never acts on a path alone.
   */
  undoRestore(targets: UndoTarget[], ctx: BatchContext): Promise<void>;
  /**
   * Waits (bounded) until what the server still does in the background for this account has
   * finished (DocSpace's file operations), so a batch resumed after Salvage was killed reads the
   * trash as the server will leave it. Absent where every request is done when it is answered.
   */
  settle?(signal?: AbortSignal): Promise<void>;
  /**
   * A trashed file's preview as data (see providers/preview.ts), or why there is none. Absent for
   * server kinds that serve no previews of trashed files.
   */
  preview?(item: TrashItem, signal?: AbortSignal): Promise<Preview>;
  /**
   * The watch's cheap check: one small request telling whether the trash gained items since the
   * check that gave `since` (null: the first one). See TrashChangeCheck and services/watch.ts.
   */
  checkTrashChanges?(since: string | null, signal?: AbortSignal): Promise<TrashChangeCheck>;
  /**
   * The top-level items deleted at or after `after` (ISO 8601), newest first, read without listing
   * the whole trash (DocSpace sorts its trash by deletion time). Absent where only a whole listing says.
   */
  listTrashNewest?(after: string, signal?: AbortSignal): AsyncIterable<{ items: TrashItem[] }>;
  /**
   * Which of these items stand for several same-named files deleted in the same second (the server
   * kept one trash file, the last one's content) and which copies it lost, as far as the server
   * tells (see providers/webdav/sameSecond.ts). `trash`: the whole top level as just listed, when
   * the caller has it. Absent for server kinds where this cannot happen (DocSpace, oCIS).
   */
  sameSecondLosses?(items: TrashItem[], trash?: readonly TrashItem[], signal?: AbortSignal): Promise<SameSecondReport>;
  /**
   * Moves restored items to where they belong (RelocateTarget.to) when each is still the very file
   * that landed (same id and ETag), without overwriting anything; reports each ('restored' at its
   * new place with what landed, 'kept' where it is, with the reason).
   */
  relocate?(targets: RelocateTarget[], ctx: BatchContext): Promise<void>;
}

export interface ProviderFactoryInput {
  account: AccountConfig;
  credentials: Credentials;
}

/** Asks a server what it is. Each protocol family implements one; null means "not mine". */
export type ServerProber = (serverUrl: string, signal?: AbortSignal) => Promise<ServerProbe | null>;
