import type { Resolution, TrashItem } from '../../../shared/model';
import type { BatchContext, RestoreOptions, RestoreTarget } from '../types';
import { runBatch } from './batch';
import type { Folders } from './folders';
import { LandingFinder } from './landing';
import type { SameSecondLosses } from './losses';
import { displayPath } from './paths';
import { inFolder, type Placing, type RestoreBatch } from './placing';
import type { WebDavSession } from './requests';
import type { CollectionRestore } from './restoreCollection';
import { SEARCH_MAX_IDS, type FileIdSearch } from './search';

/**
 * Items restored at the same time by default. A restore costs one write (the MOVE): ownCloud's
 * answer carries the file id and ETag, and Nextcloud's restored items are found by file id, many
 * per DAV SEARCH, outside the item's slot. So this is MOVEs in flight: 6, as a browser sends to one
 * host (Nextcloud's web UI restores that way). More only queues at a small server (PHP's built-in
 * server runs 2 workers) and meets more of its file locks (423, see afterLocked).
 */
export const RESTORE_CONCURRENCY = 6;

/**
 * A restore batch: its items in parallel, each put in place (placing.ts) or through Nextcloud's restore collection
 * (restoreCollection.ts).
 */
export class Restores {
  private readonly restoreConcurrency: number;

  constructor(
    private readonly s: WebDavSession,
    private readonly folders: Folders,
    private readonly placing: Placing,
    private readonly collection: CollectionRestore,
    private readonly search: FileIdSearch,
    private readonly losses: SameSecondLosses,
  ) {
    this.restoreConcurrency = s.options.concurrency ?? RESTORE_CONCURRENCY;
  }

  /**
   * Restores a batch: each destination folder is checked and listed once for the whole batch, and
   * items run concurrently, also into the same folder; only items bound for the same path wait for
   * each other. A name taken after the listing still stops that item and asks (412, or the server's
   * own rename on Nextcloud).
   */
  async restore(items: TrashItem[], target: RestoreTarget, options: RestoreOptions, ctx: BatchContext): Promise<void> {
    await this.s.prepare(ctx.signal);
    const collection = this.s.dialect.restore.mode === 'restore-collection';
    const batch: RestoreBatch = {
      folders: new Map(),
      listings: new Map(),
      reserved: new Map(),
      placed: new Map(),
      finder:
        collection && this.search.searchable
          ? new LandingFinder((ids) => this.search.findByFileIds(ids), { maxIds: SEARCH_MAX_IDS })
          : null,
      sameSecond: new Map(),
    };
    if (this.s.kind === 'owncloud10' && target.kind === 'original') {
      // ownCloud restores such an entry where it lists it (the first deletion's folder) with the
      // last one's content: its trash app's listing says so (one request; a failure only loses the note).
      const report = await this.losses.sameSecondLosses(items, undefined, ctx.signal).catch(() => null);
      for (const loss of report?.losses ?? []) if (loss.itemKey) batch.sameSecond.set(loss.itemKey, loss);
    }
    // Items bound for the same path run one after the other, each to its end.
    const claims = new Map<string, number>();
    for (const item of items) {
      try {
        const dest = this.folders.destination(item, target);
        inFolder(batch.reserved, dest.folder, () => new Set<string>()).add(dest.name);
        const path = displayPath([...dest.folder, dest.name]);
        claims.set(path, (claims.get(path) ?? 0) + 1);
      } catch {
        // reported when the item runs
      }
    }
    this.placing.batches.set(ctx, batch);
    try {
      await runBatch(
        this.s,
        items,
        ctx,
        async (item, later) => {
          const dest = this.folders.destination(item, target);
          const path = displayPath([...dest.folder, dest.name]);
          // Nextcloud: once the server has the MOVE, the slot goes to the next item while this
          // one is found (with others, in one lookup) and finished.
          const detach = batch.finder && claims.get(path) === 1 ? later : undefined;
          await this.s.folderLock.run(`restore:${path}`, () =>
            this.restoreOne(item, target, dest, options, ctx, batch, detach),
          );
        },
        this.restoreConcurrency,
        () => batch.finder?.drain(),
      );
    } finally {
      this.placing.batches.delete(ctx);
    }
  }

  private async restoreOne(
    item: TrashItem,
    target: RestoreTarget,
    dest: { folder: string[]; name: string },
    options: RestoreOptions,
    ctx: BatchContext,
    batch: RestoreBatch,
    later?: (work: () => Promise<void>) => void,
  ): Promise<void> {
    const signal = ctx.signal;
    await this.placing.folderReady(batch, dest.folder, options, signal);
    const existing = await this.placing.knownAt(batch, dest.folder, dest.name, signal);
    let resolution: Resolution | undefined = ctx.resolutionFor(item.key);
    if (existing && !resolution)
      resolution = await ctx.ask(this.folders.conflictFor(item, dest.folder, dest.name, existing));
    if (existing && resolution === 'skip') {
      // Still in the trash; nothing touched.
      ctx.itemDone(this.s.result(item, 'skipped', null));
      return;
    }
    const restore = this.s.dialect.restore;
    const chosen = existing ? (resolution ?? null) : null;
    if (restore.mode === 'move-to-destination') {
      await this.placing.moveOutOfTrash(item, this.s.trashPath(item.id), dest, chosen, ctx);
    } else {
      await this.collection.restoreThroughCollection(
        item,
        restore.target(this.s.ctx, item),
        target,
        dest,
        chosen,
        ctx,
        !existing,
        later,
      );
    }
  }
}
