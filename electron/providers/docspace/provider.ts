import type { Conflict, FolderRef, Preview, TrashItem } from '../../../shared/model';
import { defaultHttpOptions, httpOptionsForAccount, type HttpOptions } from '../../net/http';
import type {
  AccountConfig,
  BatchContext,
  Credentials,
  RestoreOptions,
  RestoreTarget,
  TrashChangeCheck,
  TrashProvider,
  UndoTarget,
} from '../types';
import { DocSpaceApi } from './api';
import { checkDocSpaceTrash } from './changes';
import { DocSpaceConflicts } from './conflicts';
import { replies, type AutoCleanupDto } from './dto';
import { FileOps } from './fileops';
import { DocSpaceFolders } from './folders';
import { DocSpaceListing } from './listing';
import { DocSpacePreviews } from './previews';
import { DocSpaceRemoval } from './removal';
import { DocSpaceRestore } from './restore';
import { DocSpaceUndo } from './undo';

export interface DocSpaceProviderOptions {
  http?: HttpOptions;
  /** First poll interval for background operations (grows to maxPollMs). */
  pollMs?: number;
  maxPollMs?: number;
}

/**
 * ONLYOFFICE DocSpace over its REST API with a personal API key. Moves and deletions are the
 * server's background operations (fileops): Salvage starts one per destination and resolution,
 * follows it with real progress, and afterwards reads the trash and the destination again to
 * report what really happened to each item (Skip leaves items in the trash silently; same-named
 * folders are merged).
 *
 * The work is split by job over one API client (api.ts): listing.ts, folders.ts, conflicts.ts,
 * restore.ts, undo.ts, removal.ts (delete, empty), previews.ts, and fileops.ts (the background
 * operations they start). This class wires them.
 */
export class DocSpaceProvider implements TrashProvider {
  readonly kind = 'docspace' as const;
  private readonly api: DocSpaceApi;
  private readonly ops: FileOps;
  private readonly listing: DocSpaceListing;
  private readonly folders: DocSpaceFolders;
  private readonly conflicts: DocSpaceConflicts;
  private readonly restores: DocSpaceRestore;
  private readonly removal: DocSpaceRemoval;
  private readonly undo: DocSpaceUndo;
  private readonly previews: DocSpacePreviews;

  constructor(account: AccountConfig, credentials: Credentials, options: DocSpaceProviderOptions = {}) {
    this.api = new DocSpaceApi(
      account.serverUrl,
      credentials.secret.trim(),
      options.http ?? httpOptionsForAccount(account, defaultHttpOptions),
    );
    this.ops = new FileOps(this.api, options.pollMs ?? 200, options.maxPollMs ?? 1000);
    this.listing = new DocSpaceListing(this.api, account.id);
    this.folders = new DocSpaceFolders(this.api, account.id);
    this.conflicts = new DocSpaceConflicts(this.api, this.folders);
    this.restores = new DocSpaceRestore(this.api, this.folders, this.conflicts, this.ops);
    this.removal = new DocSpaceRemoval(this.ops, this.listing);
    this.undo = new DocSpaceUndo(this.api, this.ops);
    this.previews = new DocSpacePreviews(this.api);
  }

  async checkConnection(signal?: AbortSignal): Promise<{ userName: string; userId: string }> {
    const me = await this.api.call({ method: 'GET', path: 'people/@self', signal }, replies.self);
    return { userId: me.id, userName: me.displayName?.trim() || me.userName || me.email || me.id };
  }

  /** The per-user auto-cleanup policy (GET files/settings/autocleanup); null when unreadable. */
  autoCleanup(signal?: AbortSignal): Promise<AutoCleanupDto | null> {
    return this.listing.autoCleanup(signal);
  }

  listTrash(parentId: string | null, signal?: AbortSignal): AsyncIterable<{ items: TrashItem[]; total?: number }> {
    return this.listing.listTrash(parentId, signal);
  }

  /** The watch's cheap check: the trash's total and newest entry in one small page (changes.ts). */
  checkTrashChanges(since: string | null, signal?: AbortSignal): Promise<TrashChangeCheck> {
    return checkDocSpaceTrash(this.api, since, signal);
  }

  /** The top-level items deleted at or after `after`, newest first (changes.ts). */
  listTrashNewest(after: string, signal?: AbortSignal): AsyncIterable<{ items: TrashItem[] }> {
    return this.listing.listTrashNewest(after, signal);
  }

  /** DocSpace ids ("file:123") do not say which trashed folder holds them. */
  parentOf(): string | null {
    return this.listing.parentOf();
  }

  listFolders(
    parentId: string | null,
    signal?: AbortSignal,
  ): Promise<{ folder: FolderRef; children: FolderRef[]; breadcrumbs: FolderRef[] }> {
    return this.folders.listFolders(parentId, signal);
  }

  createFolder(parentId: string, name: string, signal?: AbortSignal): Promise<FolderRef> {
    return this.folders.createFolder(parentId, name, signal);
  }

  /** Places for ordering a restore to original places (providers/places.ts; see DocSpaceFolders.restorePlaces). */
  restorePlaces(
    items: TrashItem[],
    signal?: AbortSignal,
  ): Promise<Map<string, { self: string | null; within: string[] }>> {
    return this.folders.restorePlaces(items, signal);
  }

  findConflicts(
    items: TrashItem[],
    target: RestoreTarget,
    signal?: AbortSignal,
  ): Promise<{ conflicts: Conflict[]; missingFolders: string[] }> {
    return this.conflicts.findConflicts(items, target, signal);
  }

  restore(items: TrashItem[], target: RestoreTarget, options: RestoreOptions, ctx: BatchContext): Promise<void> {
    return this.restores.restore(items, target, options, ctx);
  }

  /** Waits (bounded) until no operation of this type (of any type when left out) is running for the user. */
  settle(signal?: AbortSignal, type?: number): Promise<void> {
    return this.ops.settle(signal, type);
  }

  preview(item: TrashItem, signal?: AbortSignal): Promise<Preview> {
    return this.previews.preview(item, signal);
  }

  remove(items: TrashItem[], ctx: BatchContext): Promise<void> {
    return this.removal.remove(items, ctx);
  }

  empty(ctx: BatchContext, listed?: readonly TrashItem[]): Promise<void> {
    return this.removal.empty(ctx, listed);
  }

  undoRestore(targets: UndoTarget[], ctx: BatchContext): Promise<void> {
    return this.undo.undoRestore(targets, ctx);
  }
}

export function createDocSpaceProvider(
  input: { account: AccountConfig; credentials: Credentials },
  options?: DocSpaceProviderOptions,
): TrashProvider {
  return new DocSpaceProvider(input.account, input.credentials, options);
}
