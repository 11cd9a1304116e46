import type { Preview, SameSecondReport, TrashItem } from '../../../shared/model';
import type {
  AccountConfig,
  BatchContext,
  Credentials,
  RelocateTarget,
  RestoreOptions,
  RestoreTarget,
  TrashChangeCheck,
  TrashProvider,
  UndoTarget,
} from '../types';
import { checkTrashChanges } from './changes';
import type { WebDavKind } from './dialect';
import { Folders } from './folders';
import { TrashListing } from './listing';
import { SameSecondLosses } from './losses';
import { Placing } from './placing';
import { Previews } from './previews';
import { Removal } from './removal';
import { WebDavSession, type Stat, type WebDavProviderOptions } from './requests';
import { Restores } from './restore';
import { CollectionRestore } from './restoreCollection';
import { FileIdSearch } from './search';
import { Undo } from './undo';

export type { Stat, WebDavProviderOptions } from './requests';

/**
 * One TrashProvider for every WebDAV trash-bin server (ownCloud 10, Nextcloud, oCIS). What differs
 * between them lives in the dialect object; this class makes the requests and keeps the promises
 * the UI makes: nothing is overwritten unless the user chose Replace, "Keep both" gives
 * "name (restored).ext", Skip leaves everything as it was.
 *
 * The work is split by job, each in its own module over one session (requests.ts: sign-in,
 * requests, error mapping): listing.ts, folders.ts (folders and conflicts), restore.ts with
 * placing.ts and restoreCollection.ts, undo.ts (undo and relocate), removal.ts (delete, empty),
 * previews.ts, losses.ts (same-second losses) and search.ts (by file id). This class wires them.
 */
export class WebDavProvider implements TrashProvider {
  readonly kind: WebDavKind;
  private readonly session: WebDavSession;
  private readonly listing: TrashListing;
  private readonly folders: Folders;
  private readonly restores: Restores;
  private readonly undo: Undo;
  private readonly removal: Removal;
  private readonly previews: Previews;
  private readonly losses: SameSecondLosses;

  constructor(kind: WebDavKind, account: AccountConfig, credentials: Credentials, options: WebDavProviderOptions) {
    this.kind = kind;
    const s = new WebDavSession(kind, account, credentials, options);
    const search = new FileIdSearch(s);
    this.session = s;
    this.listing = new TrashListing(s);
    this.folders = new Folders(s);
    this.losses = new SameSecondLosses(s, this.listing, search);
    this.previews = new Previews(s);
    const placing = new Placing(s, this.folders);
    const collection = new CollectionRestore(s, this.folders, placing);
    this.restores = new Restores(s, this.folders, placing, collection, search, this.losses);
    this.undo = new Undo(s, this.listing, collection);
    this.removal = new Removal(s, this.listing);
  }

  checkConnection(signal?: AbortSignal): Promise<{ userName: string; userId: string }> {
    return this.session.checkConnection(signal);
  }

  /** What is at a path in the files tree (Depth 0), or null. */
  stat(segments: string[], signal?: AbortSignal): Promise<Stat | null> {
    return this.session.stat(segments, signal);
  }

  exists(segments: string[], signal?: AbortSignal): Promise<boolean> {
    return this.session.exists(segments, signal);
  }

  listTrash(parentId: string | null, signal?: AbortSignal): AsyncIterable<{ items: TrashItem[]; total?: number }> {
    return this.listing.listTrash(parentId, signal);
  }

  /**
   * The watch's cheap check: the activity feed (Nextcloud, ownCloud 10) or the spaces' ETags (oCIS); see changes.ts.
   */
  checkTrashChanges(since: string | null, signal?: AbortSignal): Promise<TrashChangeCheck> {
    const s = this.session;
    return checkTrashChanges(s.kind, s.io, s.basePath, since, signal);
  }

  parentOf(id: string): string | null {
    return this.listing.parentOf(id);
  }

  listFolders(parentId: string | null, signal?: AbortSignal) {
    return this.folders.listFolders(parentId, signal);
  }

  createFolder(parentId: string, name: string, signal?: AbortSignal) {
    return this.folders.createFolder(parentId, name, signal);
  }

  findConflicts(items: TrashItem[], target: RestoreTarget, signal?: AbortSignal) {
    return this.folders.findConflicts(items, target, signal);
  }

  restore(items: TrashItem[], target: RestoreTarget, options: RestoreOptions, ctx: BatchContext): Promise<void> {
    return this.restores.restore(items, target, options, ctx);
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

  relocate(targets: RelocateTarget[], ctx: BatchContext): Promise<void> {
    return this.undo.relocate(targets, ctx);
  }

  preview(item: TrashItem, signal?: AbortSignal): Promise<Preview> {
    return this.previews.preview(item, signal);
  }

  sameSecondLosses(items: TrashItem[], trash?: readonly TrashItem[], signal?: AbortSignal): Promise<SameSecondReport> {
    return this.losses.sameSecondLosses(items, trash, signal);
  }
}

/** The factory for one WebDAV server kind; every provider it makes lists through the same parse host. */
export const createWebDavProvider =
  (kind: WebDavKind, options: WebDavProviderOptions) =>
  ({ account, credentials }: { account: AccountConfig; credentials: Credentials }): TrashProvider =>
    new WebDavProvider(kind, account, credentials, options);
